from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", _("综合")
    NEWEST = "newest", _("最新上架")
    PRICE_ASC = "price-asc", _("价格从低到高")
    PRICE_DESC = "price-desc", _("价格从高到低")


@dataclass(frozen=True)
class SearchQuery:
    """What a shopper asked for: free text plus narrowing filters."""

    text: str = ""
    category_ids: tuple[int, ...] = ()
    origin_region_path: str = ""
    sort: str = SortOrder.RELEVANCE


@dataclass
class SearchResult:
    """A page-independent result: an ordered, lazy queryset of product cards."""

    products: models.QuerySet
