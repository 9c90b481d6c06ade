"""Database search engine: works on SQLite and PostgreSQL with plain ORM lookups."""

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from .base import SearchQuery, SearchResult, SortOrder

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ProductCategory = get_model("catalogue", "ProductCategory")


def product_card_queryset() -> QuerySet:
    """Purchasable products with everything a product card reads, in a fixed number of queries."""
    base = Product.objects.purchasable().base_queryset()
    return (
        base.select_related("origin_region")
        .prefetch_related(
            None,  # drop Oscar's prefetches; ours below carry the partner too
        )
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related("partner").order_by("pk"),
            ),
            "images",
        )
    )


class DatabaseEngine:
    name = "database"

    def search(self, query: SearchQuery) -> SearchResult:
        products = product_card_queryset()
        for term in query.text.split():
            products = products.filter(
                Q(title__icontains=term)
                | Q(origin_detail__icontains=term)
                | Q(origin_region__name__icontains=term)
                | Q(description__icontains=term)
            )
        if query.category_ids:
            # EXISTS rather than a join: a join needs DISTINCT over every product column.
            in_categories = ProductCategory.objects.filter(
                product=OuterRef("pk"), category_id__in=query.category_ids
            )
            products = products.filter(Exists(in_categories))
        if query.origin_region_path:
            products = products.filter(origin_region__path__startswith=query.origin_region_path)
        return SearchResult(products=self._ordered(products, query.sort))

    @staticmethod
    def _ordered(products: QuerySet, sort: str) -> QuerySet:
        if sort in (SortOrder.PRICE_ASC, SortOrder.PRICE_DESC):
            products = products.annotate(min_price=Min("stockrecords__price"))
            key = "min_price" if sort == SortOrder.PRICE_ASC else "-min_price"
            return products.order_by(key, "pk")
        if sort == SortOrder.NEWEST:
            return products.order_by("-date_created", "-pk")
        return products.order_by("-priority", "-date_created", "-pk")
