"""Pricing and availability: prices are tax-inclusive CNY; only certified suppliers sell.

``select_stockrecord`` walks ``product.stockrecords.all()`` so that it reads a prefetch
(``stockrecords__partner``) when the caller made one, and costs no query per product.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, strategy

from catalog.models import ListingStatus


class NotListed(availability.Unavailable):
    code = "not-listed"
    message = _("未上架")


class SupplierNotCertified(availability.Unavailable):
    code = "supplier-not-certified"
    message = _("供应商认定无效，暂不可购买")


class OrderQuantityRule(availability.Base):
    """A product's minimum order quantity and increment in front of its stock availability:
    buyable when the minimum is; other quantities refused with the rule in Chinese."""

    def __init__(self, inner: availability.Base, product):
        self.inner = inner
        self.product = product
        self.code = inner.code
        self.message = inner.message
        self.dispatch_date = getattr(inner, "dispatch_date", None)

    @property
    def short_message(self):
        return self.inner.short_message

    @property
    def is_available_to_buy(self):
        return self.inner.is_purchase_permitted(self.product.min_order_quantity)[0]

    def is_purchase_permitted(self, quantity):
        problem = self.product.quantity_problem(quantity)
        if problem:
            return False, problem
        return self.inner.is_purchase_permitted(quantity)


class CertifiedStockRecord:
    def select_stockrecord(self, product):
        today = timezone.localdate()
        records = list(product.stockrecords.all())
        for record in records:
            if record.partner.is_certified_on(today):
                return record
        return records[0] if records else None


class CertifiedSupplierRequired(strategy.StockRequired):
    def availability_policy(self, product, stockrecord):
        if stockrecord is None:
            return availability.Unavailable()
        # A variant is listed or not with its parent product.
        listed_product = product.parent if product.is_child else product
        if listed_product.listing_status != ListingStatus.LISTED:
            return NotListed()
        if not stockrecord.partner.is_certified_on(timezone.localdate()):
            return SupplierNotCertified()
        policy = super().availability_policy(product, stockrecord)
        if listed_product.min_order_quantity > 1 or listed_product.order_increment > 1:
            return OrderQuantityRule(policy, listed_product)
        return policy


class Huinong(CertifiedStockRecord, CertifiedSupplierRequired, strategy.NoTax, strategy.Structured):
    """Tax-inclusive CNY prices from the first certified supplier's stock record."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Huinong(request)
