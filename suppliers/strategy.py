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

    def fetch_for_line(self, line, stockrecord=None):
        """A basket line's price and availability from the stock record it was added with
        (the one its order will allocate), as long as it still has one. The stock
        records' suppliers and the products' classes are read once for all the basket's
        lines and kept for the request (a strategy lives for one request): the basket
        page reads its lines twice, and a query per line each time grew with the lines."""
        if line.stockrecord_id is not None and stockrecord in (None, line.stockrecord):
            self._lines_prefetch(line)
            stockrecord = line.stockrecord
        return self.fetch_for_product(line.product, stockrecord)

    def _lines_prefetch(self, line) -> None:
        from oscar.core.loading import get_model

        if _line_joined(line):
            return  # loaded with them (frontend.basket.basket_lines)

        known = self.__dict__.setdefault(
            "_known", {"baskets": set(), "partners": {}, "classes": {}}
        )
        if line.basket_id not in known["baskets"]:
            known["baskets"].add(line.basket_id)
            Line = get_model("basket", "Line")
            rows = Line.objects.filter(basket_id=line.basket_id).values_list(
                "stockrecord__partner_id",
                "product__product_class_id",
                "product__parent__product_class_id",
            )
            partners, classes = set(), set()
            for partner_id, class_id, parent_class_id in rows:
                partners.add(partner_id)
                classes.update((class_id, parent_class_id))
            Partner = get_model("partner", "Partner")
            ProductClass = get_model("catalogue", "ProductClass")
            known["partners"].update(Partner.objects.in_bulk(partners - {None}))
            known["classes"].update(ProductClass.objects.in_bulk(classes - {None}))
        record = line.stockrecord
        if record.partner_id in known["partners"]:
            record.partner = known["partners"][record.partner_id]
        for product in (line.product, line.product.parent if line.product.parent_id else None):
            if product is not None and product.product_class_id in known["classes"]:
                product.product_class = known["classes"][product.product_class_id]


def _line_joined(line) -> bool:
    """Whether the line's supplier and product classes came with it (select_related)."""
    products = [line.product] + ([line.product.parent] if line.product.parent_id else [])
    return "partner" in line.stockrecord._state.fields_cache and all(
        "product_class" in p._state.fields_cache for p in products
    )


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Huinong(request)
