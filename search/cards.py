"""The product card queryset every product list renders from."""

from django.db.models import Prefetch, QuerySet
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


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
