"""The shop's one shipping method: every supplier ships its own lines for its own fee."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.core import prices
from oscar.core.loading import get_model

from core.money import ZERO


@dataclass
class SupplierQuote:
    """One supplier's part of a basket: its lines, their total and its shipping fee."""

    partner: object
    lines: list = field(default_factory=list)
    subtotal: Decimal = ZERO
    fee: Decimal = ZERO
    free_threshold: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.fee

    @property
    def is_free(self) -> bool:
        return self.fee == ZERO


def supplier_fee(*, subtotal: Decimal, fee: Decimal, free_threshold: Decimal | None) -> Decimal:
    if free_threshold is not None and subtotal >= free_threshold:
        return ZERO
    return fee


def supplier_quotes(basket) -> list[SupplierQuote]:
    """The basket's lines grouped by supplier, in the order they first appear, each with the
    supplier's shipping fee. Two queries whatever the number of suppliers."""
    Partner = get_model("partner", "Partner")
    SupplierShippingRule = get_model("shipping", "SupplierShippingRule")

    by_partner: dict[int, list] = {}
    for line in basket.all_lines():
        by_partner.setdefault(line.stockrecord.partner_id, []).append(line)
    if not by_partner:
        return []
    partners = Partner.objects.in_bulk(list(by_partner))
    rules = {
        rule.partner_id: rule
        for rule in SupplierShippingRule.objects.filter(partner_id__in=list(by_partner))
    }
    default_fee, default_threshold = SupplierShippingRule.default_terms()

    quotes = []
    for partner_id, lines in by_partner.items():
        rule = rules.get(partner_id)
        fee, threshold = (
            (rule.fee, rule.free_threshold) if rule else (default_fee, default_threshold)
        )
        subtotal = sum((line.line_price_incl_tax_incl_discounts for line in lines), ZERO)
        quotes.append(
            SupplierQuote(
                partner=partners[partner_id],
                lines=lines,
                subtotal=subtotal,
                fee=supplier_fee(subtotal=subtotal, fee=fee, free_threshold=threshold),
                free_threshold=threshold,
            )
        )
    return quotes


class SupplierShipping(methods.Base):
    code = "supplier-shipping"
    name = _("快递配送（各供应商分别发货）")
    description = _("每家供应商单独计算运费，达到该供应商的包邮金额即免运费。")

    def calculate(self, basket) -> prices.Price:
        total = sum((quote.fee for quote in supplier_quotes(basket)), ZERO)
        return prices.Price(currency=basket.currency, excl_tax=total, incl_tax=total)
