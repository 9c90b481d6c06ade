"""Building search documents from the catalogue: one function for both engines.

A product gets a document when it is purchasable today (``Product.objects.purchasable()``);
its selling stock record is the one the pricing strategy picks (the first stock record of a
certified supplier), so price, stock and supplier in the index are those the shopper sees.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from oscar.core.loading import get_model

from regions.models import Region, RegionLevel

from .models import ProductDocument, ProductDocumentCategory
from .text import normalise, title_pinyin

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
StockRecord = get_model("partner", "StockRecord")

BATCH = 1000


@dataclass
class BuiltDocument:
    document: ProductDocument
    category_ids: list[int]


class _Lookups:
    """Categories and counties, loaded once per build (a few hundred rows)."""

    def __init__(self):
        self.categories = {c.pk: c for c in Category.objects.only("pk", "path", "name", "depth")}
        self.category_by_path = {c.path: c for c in self.categories.values()}
        self.counties = {
            r.path: r
            for r in Region.objects.filter(level=RegionLevel.COUNTY).only("pk", "path", "name")
        }
        self.steplen = Category.steplen

    def category_chain(self, category_id: int) -> list:
        category = self.categories.get(category_id)
        if category is None:
            return []
        paths = [
            category.path[:n] for n in range(self.steplen, len(category.path) + 1, self.steplen)
        ]
        return [self.category_by_path[p] for p in paths if p in self.category_by_path]

    def county_of(self, region) -> Region | None:
        if region is None:
            return None
        for n in range(len(region.path), 0, -Region.steplen):
            county = self.counties.get(region.path[:n])
            if county is not None:
                return county
        return None


def _products(product_ids: Iterable[int] | None, day: datetime.date):
    qs = Product.objects.purchasable(on=day)
    if product_ids is not None:
        qs = qs.filter(pk__in=list(product_ids))
    return (
        qs.select_related("origin_region")
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related("partner").order_by("pk"),
            ),
            Prefetch("productcategory_set", to_attr="category_links"),
        )
        .annotate(num_sold=Coalesce(F("stats__num_purchases"), 0))
        .order_by("pk")
    )


def _build(product, lookups: _Lookups, day: datetime.date) -> BuiltDocument | None:
    record = next((r for r in product.stockrecords.all() if r.partner.is_certified_on(day)), None)
    if record is None:
        return None
    categories = {}
    for link in product.category_links:
        for category in lookups.category_chain(link.category_id):
            categories[category.pk] = category
    county = lookups.county_of(product.origin_region)
    region = product.origin_region
    category_ids = sorted(categories)
    words = [
        product.title,
        product.origin_detail,
        region.name if region else "",
        county.name if county else "",
        *(c.name for c in categories.values()),
        product.spec,
    ]
    document = ProductDocument(
        product_id=product.pk,
        title=product.title[:255],
        text=normalise(" ".join(w for w in words if w)),
        pinyin=title_pinyin(product.title)[:1024],
        category_ids=",".join(str(pk) for pk in category_ids)[:255],
        origin_path=region.path if region else "",
        county_id=county.pk if county else None,
        supplier_id=record.partner_id,
        certified_until=record.partner.certified_until,
        price=record.price,
        in_stock=(record.num_in_stock or 0) - (record.num_allocated or 0) > 0,
        is_geo_indication=product.is_geo_indication,
        is_green=product.is_green,
        is_organic=product.is_organic,
        num_sold=product.num_sold or 0,
        priority=product.priority,
        date_created=product.date_created,
    )
    return BuiltDocument(document=document, category_ids=category_ids)


def build_documents(
    product_ids: Iterable[int] | None = None, *, batch: int = BATCH
) -> Iterator[list[BuiltDocument]]:
    """Documents of the purchasable products among ``product_ids`` (all if None), in batches.

    A product that is not purchasable today yields no document: callers delete its entry.
    """
    day = timezone.localdate()
    lookups = _Lookups()
    ids = None if product_ids is None else sorted(set(product_ids))
    if ids is None:
        ids = list(Product.objects.purchasable(on=day).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        built = (_build(p, lookups, day) for p in _products(chunk, day))
        yield [b for b in built if b is not None]


def documents_store(built: list[BuiltDocument], *, replace_ids: Iterable[int]) -> None:
    """Replace the database documents of ``replace_ids`` by ``built`` (inside a transaction)."""
    replace_ids = list(replace_ids)
    kept = [b.document.product_id for b in built]
    # Upserts, not delete-then-insert: two transactions refreshing the same product at once
    # (parallel checkouts of its last units) would otherwise both insert it.
    ProductDocument.objects.filter(product_id__in=replace_ids).exclude(product_id__in=kept).delete()
    if built:
        ProductDocument.objects.bulk_create(
            [b.document for b in built],
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=_DOCUMENT_FIELDS,
        )
    ProductDocumentCategory.objects.filter(document_id__in=kept).delete()
    ProductDocumentCategory.objects.bulk_create(
        (
            ProductDocumentCategory(document_id=b.document.product_id, category_id=c)
            for b in built
            for c in b.category_ids
        ),
        ignore_conflicts=True,
    )


_DOCUMENT_FIELDS = [
    field.name for field in ProductDocument._meta.concrete_fields if not field.primary_key
]
