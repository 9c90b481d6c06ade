"""Baskets, addresses and orders for the checkout and payment tests."""

from decimal import Decimal

import factory
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from orders import services
from orders.models import OrderStatus
from orders.shipping.methods import SupplierShipping
from payments import services as payment_services
from payments.models import PaymentStatus, Refund, RefundStatus, StripePayment
from regions.addresses import country_cn
from suppliers.strategy import Selector

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
OrderStatusChange = get_model("order", "OrderStatusChange")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


def shipping_address(**overrides):
    """An unsaved mainland address as the checkout form would build it."""
    fields = {
        "first_name": "王小明",
        "phone_number": "+8613812345678",
        "state": "安徽省",
        "line4": "淮北市",
        "line3": "烈山区",
        "line1": "烈山镇榴园路 8 号",
        "country": country_cn(),
    }
    fields.update(overrides)
    return ShippingAddress(**fields)


def basket_for(user, *items):
    """An open basket of ``user`` with ``(product, quantity)`` lines and the shop's strategy."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def with_strategy(basket, user=None):
    basket.strategy = Selector().strategy(user=user or basket.owner)
    return basket


def place_pending_order(user, *items, basket=None):
    """Place an order (待付款, stock allocated) the way the checkout's last step does."""
    basket = basket or basket_for(user, *items)
    method = SupplierShipping()
    charge = method.calculate(basket)
    return services.order_place_pending(
        user=user,
        basket=basket,
        shipping_address=shipping_address(),
        shipping_method=method,
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
    )


def paid_order(user, *items):
    """A paid consumer order with its sales facts: the facts are written by a task enqueued
    on commit, and a test's transaction never commits, so its hooks run as a commit would
    (in a live-server test the commit has run them already)."""
    order = place_pending_order(user, *items)
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        order = type(order).objects.select_for_update().get(pk=order.pk)
        services.order_status_move(order=order, status=OrderStatus.PAID)
    return order


class StripePaymentFactory(factory.django.DjangoModelFactory):
    """A succeeded card payment of the whole order, as the webhook records it."""

    class Meta:
        model = StripePayment

    intent_id = factory.LazyAttribute(lambda o: f"pi_{o.order.number}")
    payment_method_id = "pm_card_visa"
    idempotency_key = factory.LazyAttribute(lambda o: f"pay-{o.order.number}")
    amount = factory.LazyAttribute(lambda o: o.order.total_incl_tax)
    status = PaymentStatus.SUCCEEDED


class RefundFactory(factory.django.DjangoModelFactory):
    """A refund applied (succeeded) on the order's first payment."""

    class Meta:
        model = Refund

    payment = factory.LazyAttribute(
        lambda o: StripePayment.objects.filter(order=o.order).earliest("created_at")
    )
    amount = Decimal("10.00")
    reason = "测试退款"
    status = RefundStatus.SUCCEEDED
    applied_at = factory.LazyFunction(timezone.now)


def order_pay(order, when):
    """Record a succeeded card payment for ``order`` through the payment service, and date
    its move to 已付款 ``when``."""
    payment = StripePaymentFactory(order=order)
    payment_services.order_mark_paid(order=order, payment=payment)
    OrderStatusChange.objects.filter(order=order, new_status=OrderStatus.PAID).update(
        date_created=when
    )
    order.refresh_from_db()
    return payment


def payment_succeeded_event(order, *, tag: str) -> dict:
    """Stripe's ``payment_intent.succeeded`` event for the order's full total, as the webhook
    receives it (ids made of ``tag`` and the order number)."""
    return {
        "id": f"evt_{tag}_{order.number}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": f"pi_{tag}_{order.number}",
                "object": "payment_intent",
                "status": "succeeded",
                "amount": int(order.total_incl_tax * 100),
                "currency": "cny",
                "payment_method": f"pm_{tag}",
                "metadata": {"order_number": order.number},
            }
        },
    }


def paid_amounts(order) -> list[Decimal]:
    """The amounts of the order's 付款 payment events, oldest first."""
    return list(
        order.payment_events.filter(event_type__code="paid")
        .order_by("pk")
        .values_list("amount", flat=True)
    )
