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
        return super().availability_policy(product, stockrecord)


class Huinong(CertifiedStockRecord, CertifiedSupplierRequired, strategy.NoTax, strategy.Structured):
    """Tax-inclusive CNY prices from the first certified supplier's stock record."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Huinong(request)
