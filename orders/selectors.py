"""Reads for the order pages and emails (a fixed number of queries per page)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from oscar.core.loading import get_model

from core.money import ZERO

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
SupplierShippingCharge = get_model("shipping", "SupplierShippingCharge")


@dataclass
class OrderSupplierGroup:
    """One supplier's lines of an order with their subtotal and the supplier's shipping fee."""

    partner_id: int | None
    partner_name: str
    lines: list = field(default_factory=list)
    subtotal: Decimal = ZERO
    fee: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.fee


def order_supplier_groups(*, order) -> list[OrderSupplierGroup]:
    """The order's lines grouped by supplier, in line order, with the shipping fee each
    supplier charged when the order was placed."""
    charges = {
        charge.partner_id: charge
        for charge in SupplierShippingCharge.objects.filter(order_id=order.pk)
    }
    groups: dict[int | None, OrderSupplierGroup] = {}
    lines = order.lines.select_related("product", "stockrecord").order_by("pk")
    for line in lines:
        group = groups.get(line.partner_id)
        if group is None:
            charge = charges.get(line.partner_id)
            group = groups[line.partner_id] = OrderSupplierGroup(
                partner_id=line.partner_id,
                partner_name=line.partner_name,
                fee=charge.fee if charge else ZERO,
            )
        group.lines.append(line)
        group.subtotal += line.line_price_incl_tax
    return list(groups.values())


def order_shipments(*, order) -> list:
    """Oscar shipping events of the order, oldest first, each with ``line_quantities``."""
    quantities = ShippingEventQuantity.objects.select_related("line")
    return list(
        ShippingEvent.objects.filter(order_id=order.pk)
        .select_related("event_type")
        .prefetch_related(Prefetch("line_quantities", queryset=quantities))
        .order_by("date_created", "pk")
    )


def basket_latest_order(*, basket_id: int | None):
    """The order last placed from a basket (a basket given back after a cancelled order
    can be placed again), or None."""
    if basket_id is None:
        return None
    return Order.objects.filter(basket_id=basket_id).order_by("-pk").first()


def basket_placed_order(*, basket_id: int | None, user):
    """The order ``user`` placed from a basket that is no longer open (frozen while its
    order waits for payment, or submitted), or None: how the checkouts recognise a second
    submission of one basket (a double click, a retry) and answer with the first's order."""
    if basket_id is None or not user.is_authenticated:
        return None
    return (
        Order.objects.filter(basket_id=basket_id, user=user)
        .exclude(basket__status=Basket.OPEN)
        .order_by("-pk")
        .first()
    )
