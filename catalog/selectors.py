"""Reads of the product page that are the same for every visitor.

A product page that misses the page and fragment caches (most views of a large catalogue:
they spread over all its products) reads the product with what its body shows. Here that
is the product with its class, whether it has options (Oscar's annotations, instead of a
query from the basket form) and its stock records with supplier and region; when the
body is rendered, its categories once for the breadcrumbs and the 相关推荐 row, and the
breadcrumbs' trail of ancestors from the cache (``category_trail``).
"""

import functools

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q
from oscar.core.loading import get_model

from core.caching import GRID_SECONDS, catalogue_key

from .models import REVIEWED_BY

Category = get_model("catalogue", "Category")
Option = get_model("catalogue", "Option")
Product = get_model("catalogue", "Product")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
ProductReview = get_model("reviews", "ProductReview")
StockRecord = get_model("partner", "StockRecord")

PRODUCT_CATEGORIES = "hn_categories"  # the attribute the categories are kept in
STOCKRECORDS = Product.stockrecords.field.remote_field.cache_name


def _flags(product: str) -> dict:
    """What a product's page body would otherwise ask in queries of its own, as ``Exists``
    annotations on a query whose product is at ``product`` (``"pk"`` for products,
    ``"product"`` for their stock records): whether it (or its parent) has attribute
    values, whether it has recommendations, and whether its class (or its parent's) or
    the product itself has options (Oscar's ``Product.has_options`` reads the last two)."""
    path = "" if product == "pk" else f"{product}__"
    return {
        "hn_has_attribute_values": Exists(
            ProductAttributeValue.objects.filter(
                Q(product=OuterRef(product)) | Q(product=OuterRef(f"{path}parent"))
            )
        ),
        "hn_has_recommendations": Exists(
            ProductRecommendation.objects.filter(primary=OuterRef(product))
        ),
        "has_product_class_options": Exists(
            Option.objects.filter(
                Q(productclass=OuterRef(f"{path}product_class"))
                | Q(productclass=OuterRef(f"{path}parent__product_class"))
            )
        ),
        "has_product_options": Exists(Option.objects.filter(product=OuterRef(product))),
    }


FLAGS = tuple(_flags("pk"))


@functools.cache
def _stockrecords_with_product(*, flags: bool):
    """Stock records with their product (and its class), supplier and region, and with
    ``flags`` the product's ``_flags``: built once per process and filtered per request.
    Resolving the four ``Exists`` and the joins anew cost a fresh page about a millisecond
    of CPU; the filtered copy shares what is resolved."""
    records = StockRecord.objects.select_related(
        "product__product_class", "partner__region"
    ).order_by("pk")
    return records.annotate(**_flags("product")) if flags else records


@functools.cache
def _products_with_flags():
    return Product.objects.select_related("product_class").annotate(**_flags("pk"))


def _product_read(pk: int, *, flags: bool, reviewer=None):
    """The product ``pk`` with its stock records (supplier and region) already read, in one
    query through its stock records; a product without any (a parent) is read on its own,
    a second query. With ``reviewer`` (a signed-in user), the query also says whether they
    reviewed it (``Product.has_review_by`` then asks nothing). None when there is no such
    product."""
    records = _stockrecords_with_product(flags=flags).filter(product_id=pk)
    if reviewer is not None:
        records = records.annotate(hn_reviewed=_reviewed(reviewer, "product"))
    records = list(records)
    if records:
        product = records[0].product
        for record in records:
            record.product = product
        read = records[0]
        if flags:
            for name in FLAGS:
                setattr(product, name, getattr(read, name))
    else:
        products = (
            _products_with_flags() if flags else Product.objects.select_related("product_class")
        )
        if reviewer is not None:
            products = products.annotate(hn_reviewed=_reviewed(reviewer, "pk"))
        product = read = products.filter(pk=pk).first()
        if product is None:
            return None
    if reviewer is not None:
        setattr(product, REVIEWED_BY, (reviewer.pk, read.hn_reviewed))
    # Where ``product.stockrecords.all()`` (Oscar's strategy) looks before it queries.
    product._prefetched_objects_cache = {STOCKRECORDS: records}
    return product


def _reviewed(user, product: str):
    return Exists(ProductReview.objects.filter(product=OuterRef(product), user_id=user.pk))


def product_page_read(pk: int, *, reviewer=None):
    """The product ``pk`` with what every view of its page reads (``_product_read``, with
    the ``_flags`` that spare the body's queries; ``product_page_prepared`` keeps them
    where Oscar looks), and with ``reviewer`` whether that user reviewed it; or None: one
    query for a product with stock records."""
    product = _product_read(pk, flags=True, reviewer=reviewer)
    return None if product is None else product_page_prepared(product)


def product_stock_read(pk: int, *, reviewer=None):
    """The product ``pk`` with what its price and availability read (``request.strategy``):
    its class and its stock records with their suppliers, in one query, and with
    ``reviewer`` whether that user reviewed it; or None."""
    return _product_read(pk, flags=False, reviewer=reviewer)


def product_page_prepared(product):
    """``product`` (of ``product_page_read``) with what the annotations tell kept where
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
    language: cached under the catalogue version (``core.caching.catalogue_key``; a saved
    or moved category moves it), one query and the categories' URLs when not."""
    if category is None:
        return []
    key = catalogue_key("category-trail", category.pk)
    trail = cache.get(key)
    if trail is None:
        trail = [
            {"name": c.display_name, "url": c.get_absolute_url()}
            for c in category.get_ancestors_and_self()
        ]
        cache.set(key, trail, GRID_SECONDS)
    return trail
