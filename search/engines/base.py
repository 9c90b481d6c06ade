"""The search interface both engines implement, and the value objects they exchange."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", _("综合")
    SALES = "sales", _("销量")
    NEWEST = "newest", _("最新上架")
    PRICE_ASC = "price-asc", _("价格从低到高")
    PRICE_DESC = "price-desc", _("价格从高到低")


class Flag(models.TextChoices):
    GEO = "geo", _("地理标志")
    GREEN = "green", _("绿色食品")
    ORGANIC = "organic", _("有机产品")


FLAG_FIELDS = {Flag.GEO: "is_geo_indication", Flag.GREEN: "is_green", Flag.ORGANIC: "is_organic"}


@dataclass(frozen=True)
class PriceRange:
    key: str
    label: str
    low: Decimal | None  # inclusive
    high: Decimal | None  # exclusive


PRICE_RANGES = (
    PriceRange("0-20", _("20元以下"), None, Decimal(20)),
    PriceRange("20-50", _("20-50元"), Decimal(20), Decimal(50)),
    PriceRange("50-100", _("50-100元"), Decimal(50), Decimal(100)),
    PriceRange("100-200", _("100-200元"), Decimal(100), Decimal(200)),
    PriceRange("200-", _("200元以上"), Decimal(200), None),
)
PRICE_RANGE_BY_KEY = {r.key: r for r in PRICE_RANGES}


@dataclass(frozen=True)
class SearchQuery:
    """What a shopper asked for: free text plus narrowing filters (all must hold)."""

    text: str = ""
    category_ids: tuple[int, ...] = ()  # in any of these categories (or below them)
    origin_region_path: str = ""  # origin in this region's subtree
    supplier_id: int | None = None
    flags: tuple[str, ...] = ()  # every one of these certification flags
    price_range: str = ""  # a key of PRICE_RANGES
    in_stock: bool = False
    sort: str = SortOrder.RELEVANCE

    def cache_key(self) -> str:
        """A short stable key for caches (memcached-safe)."""
        import hashlib

        fields = (
            self.text,
            self.category_ids,
            self.origin_region_path,
            self.supplier_id,
            tuple(sorted(str(f) for f in self.flags)),
            self.price_range,
            self.in_stock,
            str(self.sort),
        )
        return hashlib.sha256(repr(fields).encode()).hexdigest()[:40]


@dataclass
class Facets:
    """Counts per facet value over the whole result (every filter applied)."""

    categories: dict[int, int] = field(default_factory=dict)
    counties: dict[int, int] = field(default_factory=dict)
    suppliers: dict[int, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    price_ranges: dict[str, int] = field(default_factory=dict)
    in_stock: int = 0


@dataclass
class SearchResult:
    """One page of a search: the total, the product ids of the page in order, the facets."""

    total: int
    product_ids: list[int]
    facets: Facets
    engine: str


@dataclass(frozen=True)
class Suggestion:
    product_id: int
    title: str


class SearchUnavailableError(Exception):
    """The search cluster did not answer; callers fall back to the database engine."""


class SearchEngine:
    """What every engine provides. Only purchasable products of validly certified suppliers
    are ever returned or counted."""

    name = ""

    def search(self, query: SearchQuery, *, offset: int = 0, limit: int = 24) -> SearchResult:
        raise NotImplementedError

    def suggest(self, text: str, *, limit: int = 8) -> list[Suggestion]:
        raise NotImplementedError

    def index_products(self, product_ids) -> None:
        """Bring the entries of ``product_ids`` up to date (add, replace or remove)."""
        raise NotImplementedError

    def state(self) -> dict:
        """For /healthz: {"status": "ok" | "error", ...}."""
        raise NotImplementedError
