"""Stock and price API for suppliers with many products (``/api/v1/supplier/…``).

Authenticated like the rest of the API (personal token or session). A user who works for no
supplier gets 403; SKUs of other suppliers are reported exactly like SKUs that do not exist.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from .access import supplier_for_user
from .exceptions import StockUpdateError
from .selectors import supplier_stockrecords
from .services import stock_bulk_update

router = Router(tags=["供应商库存与价格"])

MAX_ITEMS = 1000


class StockOut(Schema):
    sku: str
    product_id: int
    title: str
    price: Decimal | None
    num_in_stock: int
    num_allocated: int
    available: int
    listing_status: str


class StockIn(Schema):
    sku: str = Field(..., min_length=1, max_length=128)
    price: Decimal | None = Field(None, description="售价（元，最多两位小数）；不改则省略")
    num_in_stock: int | None = Field(None, description="库存件数；不改则省略")


class StockUpdateIn(Schema):
    items: list[StockIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class StockProblem(Schema):
    index: int
    sku: str
    error: str


class StockUpdateOut(Schema):
    updated: list[StockOut]


class StockErrorOut(Schema):
    detail: str
    problems: list[StockProblem] = Field(
        default_factory=list, description="每个有误的条目；请求体不是有效的 JSON 时为空"
    )


class ErrorOut(Schema):
    detail: str


def _partner(request):
    partner = supplier_for_user(request.user)
    if partner is None:
        raise HttpError(403, _("您不是供应商的工作人员。"))
    return partner


def _out(record) -> StockOut:
    allocated = record.num_allocated or 0
    return StockOut(
        sku=record.partner_sku,
        product_id=record.product_id,
        title=record.product.title,
        price=record.price,
        num_in_stock=record.num_in_stock,
        num_allocated=allocated,
        available=max(record.num_in_stock - allocated, 0),
        listing_status=record.product.listing_status,
    )


@router.get(
    "/stock",
    response={200: list[StockOut], 403: ErrorOut},
    summary="本供应商的库存与价格",
)
def stock_list(request, sku: str = ""):
    partner = _partner(request)
    records = supplier_stockrecords(partner=partner)
    if sku:
        records = records.filter(partner_sku=sku)
    return [_out(r) for r in records[:5000]]


@router.get(
    "/stock/{sku}",
    response={200: StockOut, 403: ErrorOut, 404: ErrorOut},
    summary="一个 SKU 的库存与价格",
)
def stock_get(request, sku: str):
    partner = _partner(request)
    record = supplier_stockrecords(partner=partner).filter(partner_sku=sku).first()
    if record is None:
        return 404, {"detail": _("没有这个 SKU 的商品。")}
    return _out(record)


@router.patch(
    "/stock",
    response={200: StockUpdateOut, 400: StockErrorOut, 403: ErrorOut},
    summary="批量更新库存与价格（全部成功或全部不变）",
)
def stock_update(request, payload: StockUpdateIn):
    partner = _partner(request)
    try:
        records = stock_bulk_update(partner=partner, items=[item.dict() for item in payload.items])
    except StockUpdateError as error:
        return 400, {"detail": str(error), "problems": error.problems}
    by_pk = {
        r.pk: r
        for r in supplier_stockrecords(partner=partner).filter(pk__in=[r.pk for r in records])
    }
    return {"updated": [_out(by_pk[r.pk]) for r in records]}
