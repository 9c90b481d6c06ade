"""Reads for product lists: product cards in a constant number of queries, search results
with their facet labels, cached under the catalogue version."""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from core.caching import catalogue_version
from regions.models import Region

from .cards import product_card_queryset
from .engines import PRICE_RANGES, Flag, SearchQuery, SearchResult, get_engine

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

RESULT_SECONDS = 300
LABEL_SECONDS = 600


class ProductsInOrder:
    """The product cards of ``ids`` in that order; lazy, so a cached grid costs no query.

    Cards go through ``product_card_queryset`` (purchasable today): a stale index entry can
    never put a delisted product or one of an uncertified supplier on a page.
    """

    def __init__(self, ids: list[int]):
        self.ids = ids
        self._cards = None

    def _load(self) -> list:
        if self._cards is None:
            by_id = {p.pk: p for p in product_card_queryset().filter(pk__in=self.ids)}
            self._cards = [by_id[pk] for pk in self.ids if pk in by_id]
        return self._cards

    def __iter__(self):
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __bool__(self) -> bool:
        return bool(self.ids)


def product_search(query: SearchQuery, *, offset: int, limit: int) -> SearchResult:
    """One page of results, cached until the catalogue changes (or for five minutes)."""
    key = ":".join(
        [
            "search",
            str(catalogue_version()),
            timezone.localdate().isoformat(),
            str(offset),
            str(limit),
            query.cache_key(),
        ]
    )
    result = cache.get(key)
    if result is None:
        result = get_engine().search(query, offset=offset, limit=limit)
        cache.set(key, result, RESULT_SECONDS)
    return result


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""


def _category_labels() -> dict:
    categories = list(Category.objects.only("pk", "name", "slug", "depth", "path", "is_public"))
    slug_by_path = {c.path: c.slug for c in categories}
    step = Category.steplen
    labels = {}
    for c in categories:
        full_slug = "/".join(
            slug_by_path.get(c.path[:n], "") for n in range(step, len(c.path) + 1, step)
        )
        url = reverse("catalogue:category", kwargs={"category_slug": full_slug, "pk": c.pk})
        labels[c.pk] = (c.name, c.depth, c.path, c.is_public, url)
    return labels


def _labels() -> dict:
    """Names of categories, counties and suppliers for facet lists (small tables, cached)."""
    key = f"search:labels:{catalogue_version()}:{translation.get_language()}"
    labels = cache.get(key)
    if labels is None:
        labels = {
            "categories": _category_labels(),
            "counties": {
                r.pk: (r.name, r.code, r.path)
                for r in Region.objects.counties().only("pk", "name", "code", "path")
            },
            "suppliers": dict(Partner.objects.values_list("pk", "name")),
        }
        cache.set(key, labels, LABEL_SECONDS)
    return labels


def facet_groups(
    result: SearchResult, *, query: SearchQuery, category=None, origin: Region | None = None
) -> dict:
    """Facet options with counts, in display order, for the filter bar and the API."""
    labels = _labels()
    facets = result.facets
    cats = labels["categories"]
    if category is not None:
        # Children of the current category (their counts narrow this result).
        child_depth, prefix = category.depth + 1, category.path
    else:
        child_depth, prefix = 1, ""
    category_options = [
        FacetOption(str(pk), cats[pk][0], n, False, url=cats[pk][4])
        for pk, n in facets.categories.items()
        if pk in cats
        and cats[pk][1] == child_depth
        and cats[pk][2].startswith(prefix)
        and cats[pk][3]
    ]
    category_options.sort(key=lambda o: cats[int(o.value)][2])
    counties = labels["counties"]
    county_options = sorted(
        (
            FacetOption(counties[pk][1], counties[pk][0], n, origin is not None and origin.pk == pk)
            for pk, n in facets.counties.items()
            if pk in counties
        ),
        key=lambda o: o.value,
    )
    suppliers = labels["suppliers"]
    supplier_options = sorted(
        (
            FacetOption(str(pk), suppliers[pk], n, query.supplier_id == pk)
            for pk, n in facets.suppliers.items()
            if pk in suppliers
        ),
        key=lambda o: (-o.count, o.label),
    )
    flag_options = [
        FacetOption(str(flag), str(flag.label), facets.flags.get(str(flag), 0), flag in query.flags)
        for flag in Flag
    ]
    price_options = [
        FacetOption(
            r.key, str(r.label), facets.price_ranges.get(r.key, 0), query.price_range == r.key
        )
        for r in PRICE_RANGES
    ]
    return {
        "categories": category_options,
        "counties": county_options,
        "suppliers": supplier_options,
        "flags": flag_options,
        "price_ranges": price_options,
        "in_stock": facets.in_stock,
    }
