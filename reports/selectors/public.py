"""Public statistics for the home page and /stats/ (cached; a beat task refreshes them)."""

from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum

from core.money import money

from ..models import SalesDailyRollup
from . import figures

CACHE_KEY = "reports:public-statistics:v1"


def _compute() -> dict:
    suppliers = figures.supplier_stats(region=None)
    products = figures.listed_product_count(region=None)
    return {
        "sales_total": money(SalesDailyRollup.objects.aggregate(s=Sum("amount"))["s"]),
        "supplier_count": suppliers["count"],
        "product_count": products,
        "households_helped": suppliers["households"],
    }


def public_statistics(*, refresh: bool = False) -> dict:
    """{"sales_total": Decimal 元 (all channels, all time), "supplier_count": certified
    suppliers, "product_count": products on sale, "households_helped": households helped by
    certified suppliers}."""
    if not refresh:
        cached = cache.get(CACHE_KEY)
        if cached is not None:
            return {**cached, "sales_total": Decimal(cached["sales_total"])}
    stats = _compute()
    cache.set(
        CACHE_KEY,
        {**stats, "sales_total": str(stats["sales_total"])},
        settings.REPORTS_PUBLIC_STATS_TTL * 2,
    )
    return stats
