"""A supplier's own products: create and edit with price, stock and an image."""

import html
import re
from decimal import Decimal

from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.models import ListingStatus

from ..exceptions import ListingPermissionError, StockUpdateError
from .documents import CheckedFile
from .listings import _catalogue_changed, _set_status

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")

PRODUCT_FIELDS = (
    "title",
    "description",
    "origin_region",
    "origin_detail",
    "spec",
    "shelf_life",
    "storage",
    "is_geo_indication",
    "is_green",
    "is_organic",
    "min_order_quantity",
    "order_increment",
)
#: Changing these on a listed product sends it back to review: shoppers see them.
REVIEWED_FIELDS = ("title", "description", "origin_region", "origin_detail", "spec")
STOCK_FIELDS = ("partner_sku", "price", "num_in_stock", "low_stock_threshold")


def _shown(name: str, value):
    """What shoppers see of a field: a description's text, not its markup."""
    if name == "description":
        return re.sub(r"\s+", " ", html.unescape(strip_tags(value or ""))).strip()
    return value


def farm_product_class():
    product_class, _created = ProductClass.objects.get_or_create(
        slug="farm-product",
        defaults={"name": "农产品", "requires_shipping": True, "track_stock": True},
    )
    return product_class


@transaction.atomic
def supplier_product_save(
    *,
    partner,
    user,
    product=None,
    fields: dict,
    stock: dict,
    category=None,
    image: CheckedFile | None = None,
):
    """Create (as 草稿) or update one of ``partner``'s products with its stock record.

    A listed product whose shopper-facing text changes goes back to 待审核; price and stock
    changes stay live. Stock can never be set below what open orders hold
    (``StockUpdateError``). Raises ``ListingPermissionError`` for another supplier's product.
    """
    if product is None:
        product = Product(
            product_class=farm_product_class(),
            structure=Product.STANDALONE,
            listing_status=ListingStatus.DRAFT,
            is_public=True,
        )
        record = StockRecord(partner=partner, price_currency="CNY")
        before = {}
    else:
        product = Product.objects.select_for_update().get(pk=product.pk)
        record = (
            StockRecord.objects.select_for_update().filter(product=product, partner=partner).first()
        )
        if record is None:
            raise ListingPermissionError(_("这不是您的商品。"))
        before = {name: getattr(product, name) for name in REVIEWED_FIELDS}

    for name in PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    product.save()

    allocated = record.num_allocated or 0
    if "num_in_stock" in stock and stock["num_in_stock"] < allocated:
        raise StockUpdateError(
            _("库存不能少于已被订单占用的 %(n)s 件。") % {"n": allocated},
            problems=[{"field": "num_in_stock", "allocated": allocated}],
        )
    for name in STOCK_FIELDS:
        if name in stock:
            setattr(record, name, stock[name])
    if isinstance(record.price, Decimal):
        record.price = record.price.quantize(Decimal("0.01"))
    record.product = product
    record.save()

    category_changed = False
    if category is not None:
        current = list(
            ProductCategory.objects.filter(product=product).values_list("category_id", flat=True)
        )
        if current != [category.pk]:
            ProductCategory.objects.filter(product=product).delete()
            ProductCategory.objects.create(product=product, category=category)
            category_changed = bool(before)

    if image is not None:
        picture = ProductImage(product=product, display_order=product.images.count())
        picture.original.save(f"product-{product.pk}.{image.extension}", image.content, save=False)
        picture.save()

    content_changed = before and (
        any(
            _shown(name, before[name]) != _shown(name, getattr(product, name))
            for name in REVIEWED_FIELDS
        )
        or category_changed
        or image is not None
    )
    if content_changed and product.listing_status == ListingStatus.LISTED:
        _set_status(
            product,
            to=ListingStatus.PENDING,
            actor=user,
            reason=_("供应商修改了商品信息，重新审核"),
        )
    _catalogue_changed()
    return product
