"""Budget-unit procurement over the integration API (/api/v1/procurement/): the unit's
filings, balance and orders, and order submission, with the same rules and refusals as the
pages (each refusal is a 4xx answer with a Chinese ``detail``)."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import Field

from . import selectors, services
from .access import bureau_region, unit_roles
from .exceptions import GroupAddressListRefusedError, ProcurementError
from .forms import CheckoutDetailsForm, GroupAddressUploadForm
from .models import BudgetUnit, BudgetUnitMember, CanteenStatus, Filing
from .review import basket_fingerprint

router = Router(tags=["预算单位采购"])

# Ids are PostgreSQL integers; a larger number is refused as input rather than overflowing.
MAX_ID = 2**31 - 1
MAX_QUANTITY = 100_000
MAX_ITEMS = 200


class UnitOut(Schema):
    id: int
    name: str
    credit_code: str
    region: str
    roles: list[str]


class FilingOut(Schema):
    id: int
    year: int
    status: str
    canteen_budget: Decimal
    reserved_amount: Decimal
    committed: Decimal
    completed: Decimal
    remaining: Decimal
    is_late: bool


class OrderLineOut(Schema):
    product_id: int | None
    title: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal


class RefundLineOut(Schema):
    line_id: int
    title: str
    quantity: int
    amount: Decimal


class RefundOut(Schema):
    id: int
    supplier: str
    amount: Decimal
    reason: str
    created_at: datetime.datetime
    lines: list[RefundLineOut]


class OrderOut(Schema):
    number: str
    status: str
    channel: str
    filing_id: int | None = Field(description="计入的填报；“八进”单位不计入填报时为空")
    total: Decimal
    refunded: Decimal
    submitted_at: datetime.datetime
    lines: list[OrderLineOut]
    refunds: list[RefundOut]


class OrderItemIn(Schema):
    product_id: int = Field(gt=0, le=MAX_ID)
    quantity: int = Field(gt=0, le=MAX_QUANTITY)


FINGERPRINT_HELP = (
    "订单预览（POST /orders/preview）返回的 fingerprint：商品、供应商库存记录、数量和单价的指纹。"
    "提交时带上它，则商品或价格自预览后有变动时返回 409 且不下单；不带则按提交时的价格下单。"
)


class OrderPreviewIn(Schema):
    unit_id: int = Field(gt=0, le=MAX_ID)
    items: list[OrderItemIn] = Field(min_length=1, max_length=MAX_ITEMS)


class OrderPreviewOut(Schema):
    lines: list[OrderLineOut]
    total: Decimal
    fingerprint: str = Field(description=FINGERPRINT_HELP)


class OrderIn(Schema):
    """The delivery and invoice fields are checked by the checkout page's form."""

    unit_id: int = Field(gt=0, le=MAX_ID)
    filing_id: int | None = Field(
        default=None, gt=0, le=MAX_ID, description="预算单位必填；工会等“八进”单位不填"
    )
    items: list[OrderItemIn] = Field(min_length=1, max_length=MAX_ITEMS)
    fingerprint: str | None = Field(default=None, max_length=64, description=FINGERPRINT_HELP)
    canteen: str
    delivery_address: str
    contact_name: str
    contact_phone: str
    invoice_title: str
    tax_number: str
    note: str = ""


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="字段 → 中文错误信息")


UnitId = Path(..., gt=0, le=MAX_ID, description="预算单位 ID")
FilingId = Path(..., gt=0, le=MAX_ID, description="填报 ID")


def _member_unit(request, unit_id: int) -> BudgetUnit:
    # Missing, inactive and other people's units answer alike: ids do not tell what exists.
    unit = BudgetUnit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None or not unit_roles(user=request.user, unit=unit):
        raise HttpError(404, _("没有找到该预算单位。"))
    return unit


def _member_filing(request, filing_id: int) -> Filing:
    filing = (
        Filing.objects.filter(pk=filing_id, unit__is_active=True)
        .select_related("policy_year", "unit")
        .first()
    )
    if filing is None or not (
        unit_roles(user=request.user, unit=filing.unit)
        # Members of a shared canteen's member units order against the host's filing.
        or BudgetUnitMember.objects.filter(
            user=request.user,
            unit__is_active=True,
            unit__canteen_status=CanteenStatus.SHARED,
            unit__canteen_host=filing.unit,
        ).exists()
    ):
        raise HttpError(404, _("没有找到该填报。"))
    return filing


def _invalid_out(form) -> InvalidOut:
    labels = "、".join(str(form.fields[name].label) for name in form.errors)
    return InvalidOut(
        detail=_("收货与开票信息有误：%(fields)s。") % {"fields": labels},
        errors={name: list(messages) for name, messages in form.errors.items()},
    )


def _filing_out(f: Filing) -> FilingOut:
    return FilingOut(
        id=f.pk,
        year=f.policy_year.year,
        status=f.status,
        canteen_budget=f.canteen_budget,
        reserved_amount=f.reserved_amount,
        committed=f.committed,
        completed=f.completed,
        remaining=f.remaining,
        is_late=f.is_late,
    )


def _refund_out(r) -> RefundOut:
    return RefundOut(
        id=r.pk,
        supplier=r.partner.name,
        amount=r.amount,
        reason=r.reason,
        created_at=r.created_at,
        lines=[
            RefundLineOut(
                line_id=rl.line_id, title=rl.line.title, quantity=rl.quantity, amount=rl.amount
            )
            for rl in r.lines.all()
        ],
    )


def _order_out(p) -> OrderOut:
    order = p.order
    refunds = list(p.refunds.all())
    return OrderOut(
        number=order.number,
        status=order.status,
        channel=order.channel,
        filing_id=p.filing_id,
        total=order.total_incl_tax,
        refunded=sum((r.amount for r in refunds), Decimal("0.00")),
        submitted_at=p.submitted_at,
        lines=[
            OrderLineOut(
                product_id=line.product_id,
                title=line.title,
                quantity=line.quantity,
                unit_price=line.unit_price_incl_tax,
                line_total=line.line_price_incl_tax,
            )
            for line in order.lines.all()
        ],
        refunds=[_refund_out(r) for r in refunds],
    )


@router.get("/units", response=list[UnitOut], summary="我所属的预算单位")
def units(request):
    roles = selectors.user_roles_by_unit(user=request.user)
    return [
        UnitOut(
            id=u.pk,
            name=u.name,
            credit_code=u.credit_code,
            region=u.region.name,
            roles=sorted(roles.get(u.pk, ())),
        )
        for u in selectors.user_units(user=request.user)
    ]


@router.get(
    "/units/{unit_id}/filings",
    response={200: list[FilingOut], 404: ErrorOut, 422: InvalidOut},
    summary="单位的预留份额填报与余额",
    description="共用食堂的成员单位返回主办单位的填报（成员单位按其下单）。",
)
def filings(request, unit_id: int = UnitId):
    unit = _member_unit(request, unit_id)
    filer = unit.canteen_host if unit.filing_unit_id != unit.pk else unit
    return 200, [_filing_out(f) for f in selectors.unit_filings(unit=filer)]


@router.get(
    "/filings/{filing_id}/balance",
    response={200: FilingOut, 404: ErrorOut, 422: InvalidOut},
    summary="填报的份额余额",
)
def balance(request, filing_id: int = FilingId):
    return 200, _filing_out(_member_filing(request, filing_id))


@router.get(
    "/units/{unit_id}/orders",
    response={200: list[OrderOut], 404: ErrorOut, 422: InvalidOut},
    summary="单位的采购订单",
)
def orders(request, unit_id: int = UnitId, status: str | None = None):
    unit = _member_unit(request, unit_id)
    found = selectors.unit_orders(unit=unit, status=status)
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(found, "order__lines", "refunds__partner", "refunds__lines__line")
    return 200, [_order_out(p) for p in found]


@router.post(
    "/orders",
    response={
        201: OrderOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: InvalidOut,
    },
    summary="提交采购订单",
    description="以单位名义按填报下单：价格在提交时锁定；金额超过份额余额、非本单位采购员、"
    "商品不可采购等情况返回 4xx 和原因，且不写入任何数据；收货与开票信息按下单页面的规则校验，"
    "有误时返回 422 和各字段的错误信息。带上预览的 fingerprint 时，商品、数量或价格自预览后"
    "有变动则返回 409，不下单。共用食堂的成员单位按主办单位已通过的填报下单"
    "（filing_id 为主办单位的填报），订单记本单位为采购单位。",
)
def order_submit(request, payload: OrderIn):
    unit = _member_unit(request, payload.unit_id)
    filing = None
    if payload.filing_id is not None or not unit.is_organisation:
        filing = (
            Filing.objects.filter(pk=payload.filing_id or 0, unit_id=unit.filing_unit_id)
            .select_related("policy_year")
            .first()
        )
        if filing is None:
            return 404, ErrorOut(detail=_("没有找到本单位的该填报。"))
    details = CheckoutDetailsForm(
        data=payload.model_dump(include=set(CheckoutDetailsForm.base_fields))
    )
    if not details.is_valid():
        return 422, _invalid_out(details)
    try:
        order = services.procurement_order_submit_items(
            user=request.user,
            unit=unit,
            filing=filing,
            items=[(item.product_id, item.quantity) for item in payload.items],
            fingerprint=payload.fingerprint,
            **details.cleaned_data,
        )
    except ProcurementError as error:
        return error.status_code, ErrorOut(detail=str(error))
    return 201, _order_out(selectors.order_detail_by_number(number=order.number))


@router.post(
    "/orders/preview",
    response={200: OrderPreviewOut, 400: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="预览采购订单",
    description="按当前价格列出订单的商品、金额和 fingerprint，不下单、不写入任何数据。"
    "提交订单时带上 fingerprint，即按预览的内容下单，或在有变动时得到 409。",
)
def order_preview(request, payload: OrderPreviewIn):
    _member_unit(request, payload.unit_id)
    try:
        lines = services.procurement_order_preview(
            user=request.user,
            items=[(item.product_id, item.quantity) for item in payload.items],
        )
    except ProcurementError as error:
        return error.status_code, ErrorOut(detail=str(error))
    return 200, OrderPreviewOut(
        lines=[
            OrderLineOut(
                product_id=line.product_id,
                title=line.product.get_title(),
                quantity=line.quantity,
                unit_price=line.unit_price_incl_tax,
                line_total=line.line_price_incl_tax,
            )
            for line in lines
        ],
        total=sum((line.line_price_incl_tax for line in lines), Decimal("0.00")),
        fingerprint=basket_fingerprint(lines),
    )


class UnionTargetOut(Schema):
    union_id: int
    union: str
    parent: str
    year: int
    target: Decimal | None
    committed: Decimal
    completed: Decimal
    rate: Decimal | None


class UnionTargetIn(Schema):
    year: int = Field(ge=2000, le=2100)
    amount: Decimal = Field(max_digits=14, decimal_places=2)


class StaffTotalsOut(Schema):
    year: int
    linked: int
    orders: int
    amount: Decimal


def _union_target_out(row: dict, year: int) -> UnionTargetOut:
    return UnionTargetOut(
        union_id=row["union"].pk,
        union=row["union"].name,
        parent=row["parent"].name if row["parent"] else "",
        year=year,
        target=row["target"],
        committed=row["committed"],
        completed=row["completed"],
        rate=row["rate"],
    )


def _year(year: int | None) -> int:
    from django.utils import timezone

    if year is None:
        return timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise HttpError(400, _("年度无效。"))
    return year


@router.get(
    "/union-targets",
    response={200: list[UnionTargetOut], 400: ErrorOut, 403: ErrorOut},
    summary="辖区内工会的消费帮扶任务与完成情况（乡村振兴局）",
)
def union_targets(request, year: int | None = None):
    scope = bureau_region(request.user)
    if scope is None:
        return 403, ErrorOut(detail=_("只有乡村振兴局工作人员可以查看。"))
    year = _year(year)
    return 200, [
        _union_target_out(r, year) for r in selectors.unions_progress(year=year, region=scope)
    ]


@router.put(
    "/unions/{unit_id}/target",
    response={200: UnionTargetOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="下达工会消费帮扶任务（乡村振兴局）",
    description="与页面相同的规则：只能给辖区内已通过审核的工会下达，金额须为正数；"
    "拒绝时返回 4xx 和原因，且不写入任何数据。",
)
def union_target_put(request, payload: UnionTargetIn, unit_id: int = UnitId):
    scope = bureau_region(request.user)
    union = (
        BudgetUnit.objects.filter(pk=unit_id, region__path__startswith=scope.path).first()
        if scope is not None
        else None
    )
    if union is None:
        return 404, ErrorOut(detail=_("没有找到该工会。"))
    try:
        services.union_target_set(
            user=request.user, union=union, year=payload.year, amount=payload.amount
        )
    except ProcurementError as error:
        return error.status_code, ErrorOut(detail=str(error))
    return 200, _union_target_out(
        selectors.union_progress(union=union, year=payload.year), payload.year
    )


@router.get(
    "/units/{unit_id}/staff-purchases",
    response={200: StaffTotalsOut, 400: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    summary="职工个人消费合计（只有合计，不含个人）",
)
def staff_purchases(request, unit_id: int = UnitId, year: int | None = None):
    unit = _member_unit(request, unit_id)
    year = _year(year)
    return 200, StaffTotalsOut(year=year, **selectors.staff_purchase_totals(unit=unit, year=year))


class AddressRowErrorOut(Schema):
    row: int = Field(description="Excel 中的行号；0 表示整个文件或整份清单")
    message: str


class AddressListRefusedOut(Schema):
    detail: str
    errors: list[AddressRowErrorOut]


class ParcelOut(Schema):
    supplier: str
    status: str = Field(description="waiting 待发货 / shipped 已发货 / accepted 已验收")
    carrier: str
    tracking_number: str


class GroupAddressOut(Schema):
    row: int
    recipient: str
    mobile: str
    region_code: str
    province: str
    city: str
    county: str
    detail: str
    sets: int
    parcels: list[ParcelOut]


class GroupAddressesOut(Schema):
    order: str
    addresses: int
    parcels: int
    shipped: int
    accepted: int
    page: int
    results: list[GroupAddressOut] = Field(description="本页的地址（每页 100 个）")


GROUP_PAGE_SIZE = 100


def _member_order(request, number: str):
    # Another unit's order, or a number that does not exist, answer alike.
    procurement = selectors.order_detail_by_number(number=number)
    if procurement is None or not unit_roles(user=request.user, unit=procurement.unit):
        raise HttpError(404, _("没有找到该订单。"))
    return procurement


def _parcel_status(shipment) -> str:
    event = shipment.shipping_event
    if event is None:
        return "waiting"
    return "accepted" if getattr(event, "acceptance", None) else "shipped"


def _group_addresses_out(order, page: int) -> GroupAddressesOut:
    progress = selectors.group_order_progress(order=order)
    addresses = selectors.group_order_addresses(order=order)
    start = (page - 1) * GROUP_PAGE_SIZE
    rows = list(addresses[start : start + GROUP_PAGE_SIZE])
    return GroupAddressesOut(
        order=order.number,
        addresses=addresses.count(),
        parcels=progress["total"],
        shipped=progress["shipped"],
        accepted=progress["accepted"],
        page=page,
        results=[
            GroupAddressOut(
                row=a.row,
                recipient=a.recipient,
                mobile=a.mobile,
                region_code=a.region_code,
                province=a.province,
                city=a.city,
                county=a.county,
                detail=a.detail,
                sets=a.sets,
                parcels=[
                    ParcelOut(
                        supplier=s.partner.name,
                        status=_parcel_status(s),
                        carrier=s.shipping_event.carrier if s.shipping_event else "",
                        tracking_number=s.shipping_event.tracking_number
                        if s.shipping_event
                        else "",
                    )
                    for s in a.shipments.all()
                ],
            )
            for a in rows
        ],
    )


AddressFile = File(..., description="按模板填写的地址清单 .xlsx")
OrderNumber = Path(..., min_length=1, max_length=20, pattern=r"^\d+$", description="订单号")


@router.get(
    "/orders/{number}/addresses",
    response={200: GroupAddressesOut, 404: ErrorOut, 422: InvalidOut},
    summary="多地址配送：订单的地址清单与包裹状态",
)
def group_addresses(request, number: str = OrderNumber, page: int = Query(1, ge=1, le=10_000)):
    procurement = _member_order(request, number)
    return 200, _group_addresses_out(procurement.order, page)


@router.post(
    "/orders/{number}/addresses",
    response={
        200: GroupAddressesOut,
        400: AddressListRefusedOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: InvalidOut,
    },
    summary="多地址配送：导入地址清单（Excel）",
    description="上传按模板（/procurement/group-addresses/template.xlsx）填写的 .xlsx 文件"
    "（表单字段 file）：每行一个收货地址（收货人、手机号、省市区县或区划代码、详细地址、份数），"
    "订单的每种商品按份数平均分到各地址，并按供应商和地址拆分为包裹。与页面规则相同：任何一行"
    "有误（手机号、地区、收货人、份数）返回 400 和每行的错误，不导入任何地址；非本单位订单 404，"
    "非采购员 403，已开始发货 409。再次导入替换原清单。",
)
def group_addresses_import(request, number: str = OrderNumber, file: UploadedFile = AddressFile):
    procurement = _member_order(request, number)
    if file.size > GroupAddressUploadForm.MAX_BYTES:
        return 400, AddressListRefusedOut(
            detail=_("文件不能超过 5 MB。"),
            errors=[AddressRowErrorOut(row=0, message=_("文件不能超过 5 MB。"))],
        )
    try:
        services.group_order_addresses_import(
            order=procurement.order, user=request.user, data=file.read()
        )
    except GroupAddressListRefusedError as error:
        return 400, AddressListRefusedOut(
            detail=str(error),
            errors=[AddressRowErrorOut(row=row, message=message) for row, message in error.errors],
        )
    except ProcurementError as error:
        return error.status_code, ErrorOut(detail=str(error))
    return 200, _group_addresses_out(procurement.order, 1)
