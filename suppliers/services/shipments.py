"""Shipping a supplier's own lines of an order (the shared shipment contract: one
``ShippingEvent`` of type 已发货 naming supplier, carrier and tracking number, with its
``ShippingEventQuantity`` rows; ``payments`` moves the order's status from them)."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from orders import carriers, reference
from orders.group_orders import shipment_quantities
from orders.models import OrderStatus, Shipment
from orders.services import order_lock

from ..exceptions import (
    ShipmentLineNotFoundError,
    ShipmentNotAllowedError,
    ShipmentQuantityError,
    ShipmentTrackingError,
)

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")

#: Visible orders in which nothing is left to ship.
_CLOSED_STATUSES = (OrderStatus.COMPLETED, OrderStatus.REFUNDED, OrderStatus.CANCELLED)


def order_shippable_by_supplier(order) -> bool:
    return (
        order.status in OrderStatus.SUPPLIER_VISIBLE_STATUSES
        and order.status not in _CLOSED_STATUSES
    )


def shipped_quantities(*, line_ids) -> dict[int, int]:
    rows = (
        ShippingEventQuantity.objects.filter(
            line_id__in=list(line_ids),
            event__event_type__code=reference.SHIPPING_EVENT_SHIPPED[0],
        )
        .values("line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["line_id"]: row["total"] for row in rows}


@transaction.atomic
def shipment_create(
    *,
    partner,
    order,
    quantities: dict[int, int],
    carrier: str,
    tracking_number: str,
    user,
    group_shipment=None,
):
    """Ship ``quantities`` (line id → units) of ``partner``'s own lines of ``order`` under one
    carrier and tracking number. Partial shipments are fine; more than ordered minus already
    shipped is refused. Any refusal raises a ``SupplierError`` with a Chinese reason and saves
    nothing. The order row is locked first (as ``payments`` does), then the lines. A group
    order (多地址配送) is shipped address by address (``group_shipment_ship``), never in bulk."""
    carrier = (carrier or "").strip()
    tracking_number = carriers.tracking_normalise(tracking_number)
    if not carrier or not tracking_number:
        raise ShipmentQuantityError(_("请填写承运商和运单号。"))
    problem = carriers.tracking_error(carrier_name=carrier, tracking_number=tracking_number)
    if problem:
        raise ShipmentTrackingError(problem)
    wanted = {int(k): int(v) for k, v in quantities.items() if int(v) != 0}
    if not wanted:
        raise ShipmentQuantityError(_("请至少填写一个商品的发货数量。"))
    if any(q < 0 for q in wanted.values()):
        raise ShipmentQuantityError(_("发货数量不能为负数。"))

    order = order_lock(order)
    if order.status not in OrderStatus.SUPPLIER_VISIBLE_STATUSES:
        raise ShipmentLineNotFoundError(_("订单不存在。"))
    if group_shipment is None and order.group_addresses.exists():
        raise ShipmentNotAllowedError(
            _("该订单按地址清单分地址配送，请在地址列表中逐个地址登记发货。")
        )
    lines = {
        line.pk: line
        for line in Line.objects.select_for_update()
        .filter(order=order, partner=partner, pk__in=list(wanted))
        .order_by("pk")
    }
    if set(wanted) - set(lines):
        raise ShipmentLineNotFoundError(_("发货商品不属于您在该订单中的商品。"))
    if not order_shippable_by_supplier(order):
        raise ShipmentNotAllowedError(
            _("订单状态为“%(status)s”，不能发货。") % {"status": _(order.status)}
        )
    shipped = shipped_quantities(line_ids=wanted)
    for line_id, quantity in wanted.items():
        line = lines[line_id]
        left = line.quantity - shipped.get(line_id, 0)
        if quantity > left:
            raise ShipmentQuantityError(
                _("“%(title)s”最多还能发 %(left)s 件，您填写了 %(qty)s 件。")
                % {"title": line.title, "left": left, "qty": quantity}
            )

    event = ShippingEvent.objects.create(
        order=order,
        event_type=reference.shipping_event_type(reference.SHIPPING_EVENT_SHIPPED),
        partner=partner,
        carrier=carrier[:64],
        tracking_number=tracking_number[:64],
        created_by=user,
        notes=_("%(carrier)s 运单号 %(no)s") % {"carrier": carrier, "no": tracking_number},
    )
    for line_id, quantity in sorted(wanted.items()):
        # One save per row: payments' receiver syncs the order's status on each.
        ShippingEventQuantity(event=event, line=lines[line_id], quantity=quantity).save()
    return event


@transaction.atomic
def group_shipment_ship(
    *, partner, order, shipment_id: int, carrier: str, tracking_number: str, user
) -> Shipment:
    """Ship one address of a group order: ``partner``'s lines, as many sets as the address
    takes, under one carrier and tracking number (not one already used on this order).
    Another supplier's shipment, or one of another order, is ``ShipmentLineNotFoundError``
    (the views answer 404); a shipment shipped already, an order not open for shipping or a
    bad tracking number is a ``SupplierError``. Nothing is written on a refusal."""
    order = order_lock(order)
    shipment = (
        Shipment.objects.select_for_update()
        .select_related("address")
        .filter(pk=shipment_id, order=order, partner=partner)
        .first()
    )
    if shipment is None:
        raise ShipmentLineNotFoundError(_("该地址的发货不属于您在该订单中的发货。"))
    if shipment.shipping_event_id:
        raise ShipmentNotAllowedError(
            _("收货人%(name)s的包裹已登记发货。") % {"name": shipment.address.recipient}
        )
    number = carriers.tracking_normalise(tracking_number)
    if number and order.shipping_events.filter(tracking_number=number).exists():
        raise ShipmentTrackingError(
            _("运单号 %(no)s 已用于本订单的另一个地址，每个包裹的运单号应不同。") % {"no": number}
        )
    lines = list(order.lines.all())
    total_sets = order.group_addresses.aggregate(total=Sum("sets"))["total"]
    quantities = shipment_quantities(shipment=shipment, lines=lines, total_sets=total_sets)
    event = shipment_create(
        partner=partner,
        order=order,
        quantities=quantities,
        carrier=carrier,
        tracking_number=number,
        user=user,
        group_shipment=shipment,
    )
    shipment.shipping_event = event
    shipment.save(update_fields=["shipping_event"])
    return shipment
