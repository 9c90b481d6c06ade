"""Reads of the product page that are the same for every visitor.

A product page that misses the page and fragment caches (most views of a large catalogue:
they spread over all its products) reads the product with what its body shows. Here that
is the product with its class, whether it has options (Oscar's annotations, instead of a
query from the basket form) and its stock records with supplier and region; when the
body is rendered, its categories once for the breadcrumbs and the 相关推荐 row, and the
breadcrumbs' trail of ancestors from the cache (``category_trail``).
"""

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import translation
from oscar.core.loading import get_model

from core.caching import GRID_SECONDS, catalogue_version

Category = get_model("catalogue", "Category")
Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
StockRecord = get_model("partner", "StockRecord")

PRODUCT_CATEGORIES = "hn_categories"  # the attribute the categories are kept in


def product_page_queryset():
    """Products with what every view of their page reads: two queries for a product.
    ``product_page_prepared`` then spares the body a query for attribute values;
    ``hn_has_recommendations`` one for 相关推荐."""
    return (
        Product.objects.select_related("product_class")
        .annotate(
            hn_has_attribute_values=Exists(
                ProductAttributeValue.objects.filter(
                    Q(product=OuterRef("pk")) | Q(product=OuterRef("parent"))
                )
            ),
            hn_has_recommendations=Exists(
                ProductRecommendation.objects.filter(primary=OuterRef("pk"))
            ),
            # Read by Oscar's ``Product.has_options`` instead of a query of its own; a
            # child product has its parent's class.
            has_product_class_options=Exists(
                Option.objects.filter(
                    Q(productclass=OuterRef("product_class"))
                    | Q(productclass=OuterRef("parent__product_class"))
                )
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related("partner__region").order_by("pk"),
            ),
        )
    )


def product_page_prepared(product):
    """``product`` (of ``product_page_queryset``) with what the annotations tell kept where
    Oscar looks: no attribute values to read when it has none (nor its parent)."""
    if not product.hn_has_attribute_values and not product.is_child:
        product._prefetched_attribute_values = []  # Oscar's get_attribute_values reads it
    return product


def product_categories(product) -> list:
    """All the product's own categories by path: one query, read once per product object
    (the breadcrumbs and the 相关推荐 row both ask, only when the page body is rendered)."""
    categories = getattr(product, PRODUCT_CATEGORIES, None)
    if categories is None:
        categories = list(product.categories.order_by("path"))
        setattr(product, PRODUCT_CATEGORIES, categories)
    return categories


def product_category_ids(product) -> list[int]:
    return [category.pk for category in product_categories(product)]


def product_breadcrumb_category(product):
    """The category the product page's breadcrumbs lead through, as Oscar's
    ``product.get_categories.first``: the first browsable one by path (a child product's
    parent's)."""
    if product.is_child:
        return product.get_categories().first()
    return next(
        (c for c in product_categories(product) if c.is_public and c.ancestors_are_public), None
    )


def category_trail(category) -> list[dict]:
    """``category`` and its ancestors, root first, as ``{"name", "url"}`` in the active
    language: cached under the catalogue version (a saved or moved category moves it),
    one query and the categories' URLs when not."""
    if category is None:
        return []
    language = translation.get_language() or ""
    key = f"category-trail:{catalogue_version()}:{language}:{category.pk}"
    trail = cache.get(key)
    if trail is None:
        trail = [
            {"name": c.display_name, "url": c.get_absolute_url()}
            for c in category.get_ancestors_and_self()
        ]
        cache.set(key, trail, GRID_SECONDS)
    return trail


def product_stock_queryset():
    """Products with what their price and availability read (``request.strategy``): the
    class, and the stock records with their suppliers; two queries for a product, without
    the page's option annotations."""
    return Product.objects.select_related("product_class").prefetch_related(
        Prefetch(
            "stockrecords", queryset=StockRecord.objects.select_related("partner").order_by("pk")
        )
    )
