"""``/api/v1/products/search`` and ``/api/v1/products/suggest``: the search page as JSON.

Same parameters, facets and rules as the storefront's search page (one engine call, the
database engine when the cluster is down). Public: no authentication needed.
"""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from oscar.core.loading import get_model
from pydantic import Field

from core.api import ErrorOut
from regions.models import Region
from suppliers.strategy import Selector

from .engines import Flag, SearchQuery, SortOrder
from .engines.base import PRICE_RANGE_BY_KEY
from .selectors import ProductsInOrder, facet_groups, product_search
from .text import highlight
from .views import suggestions_for

Category = get_model("catalogue", "Category")

router = Router(tags=["商品搜索"])

MAX_PAGE_SIZE = 60


class SearchParams(Schema):
    q: str = Field("", max_length=100, description="关键词：中文、拼音全拼或首字母，空格分隔")
    category: int | None = Field(None, description="分类 ID（含其下级分类）")
    origin: str | None = Field(None, max_length=12, description="产地区划代码（县区）")
    supplier: int | None = Field(None, description="供应商 ID")
    flag: list[Literal["geo", "green", "organic"]] = Field(
        [], description="认证标志（可多选）：geo 地理标志、green 绿色食品、organic 有机产品"
    )
    price: str | None = Field(None, description="价格区间：0-20、20-50、50-100、100-200、200-")
    in_stock: bool = Field(False, description="仅看有货")
    sort: Literal["relevance", "sales", "newest", "price-asc", "price-desc"] = "relevance"
    page: int = Field(1, ge=1, le=400)
    page_size: int = Field(24, ge=1, le=MAX_PAGE_SIZE)


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    categories: list[FacetValueOut]
    counties: list[FacetValueOut]
    suppliers: list[FacetValueOut]
    flags: list[FacetValueOut]
    price_ranges: list[FacetValueOut]
    in_stock: int


class ProductHitOut(Schema):
    id: int
    title: str
    title_highlighted: str = Field(description="标题，匹配处以 <mark> 标出（已转义）")
    url: str
    price: Decimal | None
    currency: str | None
    supplier: str | None
    origin: str
    flags: list[str]
    available: bool


class SearchOut(Schema):
    q: str
    total: int
    page: int
    pages: int
    engine: str
    results: list[ProductHitOut]
    facets: FacetsOut


class SuggestionOut(Schema):
    id: int
    title: str
    html: str = Field(description="标题，匹配处（含拼音匹配的汉字）以 <mark> 标出（已转义）")
    url: str


class SuggestOut(Schema):
    q: str
    suggestions: list[SuggestionOut]


def _hit(request, product, strategy, text: str) -> dict:
    info = strategy.fetch_for_product(product)
    record = info.stockrecord
    return {
        "id": product.pk,
        "title": product.title,
        "title_highlighted": str(highlight(product.title, text)),
        "url": request.build_absolute_uri(product.get_absolute_url()),
        "price": info.price.incl_tax if info.price.exists else None,
        "currency": info.price.currency if info.price.exists else None,
        "supplier": record.partner.name if record else None,
        "origin": product.origin_display,
        "flags": product.certification_flags,
        "available": info.availability.is_available_to_buy,
    }


@router.get(
    "/search",
    response={200: SearchOut, 400: ErrorOut},
    auth=None,
    summary="搜索商品",
    operation_id="products_search",
)
def products_search(request: HttpRequest, params: Query[SearchParams]):
    """只返回已上架、供应商认定有效的商品；分面计数为选择该值后的结果数。"""
    category = None
    if params.category is not None:
        category = Category.objects.filter(pk=params.category, is_public=True).first()
        if category is None:
            raise HttpError(400, _("分类不存在：%(id)s") % {"id": params.category})
    origin = None
    if params.origin:
        origin = Region.objects.filter(code=params.origin).first()
        if origin is None:
            raise HttpError(400, _("产地区划代码不存在：%(code)s") % {"code": params.origin})
    if params.price and params.price not in PRICE_RANGE_BY_KEY:
        raise HttpError(400, _("价格区间无效：%(price)s") % {"price": params.price})
    query = SearchQuery(
        text=params.q,
        category_ids=(category.pk,) if category else (),
        origin_region_path=origin.path if origin else "",
        supplier_id=params.supplier,
        flags=tuple(Flag(f) for f in dict.fromkeys(params.flag)),
        price_range=params.price or "",
        in_stock=params.in_stock,
        sort=SortOrder(params.sort),
    )
    offset = (params.page - 1) * params.page_size
    result = product_search(query, offset=offset, limit=params.page_size)
    strategy = Selector().strategy(request=request)
    hits = [_hit(request, p, strategy, params.q) for p in ProductsInOrder(result.product_ids)]
    facets = facet_groups(result, query=query, category=category, origin=origin)
    return {
        "q": params.q,
        "total": result.total,
        "page": params.page,
        "pages": max(1, -(-result.total // params.page_size)),
        "engine": result.engine,
        "results": hits,
        "facets": facets,
    }


@router.get(
    "/suggest", response=SuggestOut, auth=None, summary="搜索建议", operation_id="products_suggest"
)
def products_suggest(request: HttpRequest, q: str = Query("", max_length=100)):
    """输入框联想：中文或拼音前缀，按销量排序，最多 8 条。"""
    items = suggestions_for(q.strip()) if q.strip() else []
    for item in items:
        item["url"] = request.build_absolute_uri(item["url"])
    return {"q": q, "suggestions": items}
