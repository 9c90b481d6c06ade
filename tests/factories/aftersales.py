"""Paid card orders with delivered lines, and after-sales cases, for the after-sales tests."""

import datetime
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone
from oscar.core.loading import get_model

from aftersales import services
from orders import reference
from orders.services import order_sync_shipping_status
from payments import services as payment_services
from tests.factories.payments import place_pending_order

ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")


def card_paid_order(user, payment_method_id: str, *items):
    """A consumer order paid with a card at localstripe (a real PaymentIntent to refund)."""
    order = place_pending_order(user, *items)
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_services.payment_attempt_create(order=order, payment_method_id=payment_method_id)
    order.refresh_from_db()
    return order


def line_deliver(line, *, at: datetime.datetime | None = None):
    """Record the line's whole quantity as shipped and signed for (已签收) at ``at``."""
    at = at or timezone.now()
    for event_code in (reference.SHIPPING_EVENT_SHIPPED, reference.SHIPPING_EVENT_DELIVERED):
        event = ShippingEvent.objects.create(
            order=line.order,
            event_type=reference.shipping_event_type(event_code),
            partner=line.partner,
            carrier="顺丰速运",
            tracking_number="SF100200300",
        )
        ShippingEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
        ShippingEvent.objects.filter(pk=event.pk).update(date_created=at)
    order_sync_shipping_status(order=line.order)


def case_open(user, line, *, amount="20.00", kind="refund", reason="果子有坏的", photos=()):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.aftersales_request(
            user=user,
            line_id=line.pk,
            kind=kind,
            reason=reason,
            amount=Decimal(amount),
            photos=photos,
        )
