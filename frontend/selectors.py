"""Reads for the storefront's Wagtail pages; each runs a fixed number of queries."""

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from oscar.core.loading import get_model

from regions.models import Region
from search.engines.database import product_card_queryset

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")


def home_featured_categories(*, page) -> list:
    chosen = [fc.category for fc in page.featured_categories.select_related("category")]
    if chosen:
        return chosen
    return list(Category.objects.filter(depth=1, is_public=True).order_by("path")[:8])


def home_featured_products(*, page, limit: int = 8) -> list:
    ids = list(page.featured_products.values_list("product_id", flat=True))
    if ids:
        by_id = {p.pk: p for p in product_card_queryset().filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]  # purchasable ones only, in chosen order
    return list(product_card_queryset().order_by("-priority", "-date_created", "-pk")[:limit])


PAVILIONS_CACHE_KEY = "frontend:county-pavilions:v1"
PAVILIONS_CACHE_SECONDS = 300


def county_pavilion_list() -> list[Region]:
    """Counties with the purchasable products and certified suppliers of their subtree.

    The counts are cached for five minutes: they are a teaser, not a report.
    """
    cached = cache.get(PAVILIONS_CACHE_KEY)
    if cached is not None:
        return cached
    counties = list(Region.objects.counties().order_by("code"))
    prefix_len = {len(c.path) for c in counties}
    products = Product.objects.purchasable().values("origin_region__path").annotate(n=Count("pk"))
    suppliers = (
        Partner.objects.filter(certified_until__gte=timezone.localdate())
        .values("region__path")
        .annotate(n=Count("pk"))
    )
    product_counts = _sum_by_prefix(products, "origin_region__path", prefix_len)
    supplier_counts = _sum_by_prefix(suppliers, "region__path", prefix_len)
    for county in counties:
        county.product_count = product_counts.get(county.path, 0)
        county.supplier_count = supplier_counts.get(county.path, 0)
    cache.set(PAVILIONS_CACHE_KEY, counties, PAVILIONS_CACHE_SECONDS)
    return counties


def _sum_by_prefix(rows, key: str, lengths: set[int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        path = row[key] or ""
        for length in lengths:
            totals[path[:length]] = totals.get(path[:length], 0) + row["n"]
    return totals
