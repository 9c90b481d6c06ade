"""Signal receivers: they only record which products changed (``search_products_changed``)."""

from oscar.core.loading import get_model

from .services import search_products_changed

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def product_saved(sender, instance, **kwargs):
    search_products_changed(product_ids=[instance.pk, instance.parent_id])


def product_deleted(sender, instance, **kwargs):
    search_products_changed(product_ids=[instance.pk])


def product_link_changed(sender, instance, **kwargs):
    """A stock record or a category link: its product."""
    search_products_changed(product_ids=[instance.product_id])


def stockrecord_saved(sender, instance, **kwargs):
    """A stock record write changes its product's document only when it changes what the
    document holds (supplier, price, in stock): most stock allocations do not."""
    if instance.shown_changed():
        search_products_changed(product_ids=[instance.product_id])


def supplier_changed(sender, instance, **kwargs):
    """A supplier (name, certification date): every product it stocks."""
    search_products_changed(
        product_ids=StockRecord.objects.filter(partner_id=instance.pk).values_list(
            "product_id", flat=True
        )
    )


def certification_changed(sender, instance, **kwargs):
    supplier_changed(sender, instance.partner, **kwargs)
