"""Refunds from the dashboard through Stripe (localstripe), recorded exactly once."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from orders.models import OrderStatus
from payments import selectors, services
from payments.exceptions import (
    OrderNotRefundableError,
    RefundAmountInvalidError,
    RefundNotPermittedError,
)
from payments.models import Refund, RefundStatus
from payments.tasks import payments_outbox_sweep_task
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order
from tests.support.localstripe import post_event

pytestmark = pytest.mark.django_db

PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")


@pytest.fixture
def staff():
    return UserFactory(email="staff@example.com", is_staff=True)


@pytest.fixture
def paid_order(localstripe, catalogue, django_capture_on_commit_callbacks):
    """Paid: 68.00 + 59.90 + 8.00 + 8.00 shipping = 143.90."""
    order = place_pending_order(
        UserFactory(), (catalogue["pomegranate"], 1), (catalogue["rice"], 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_attempt_create(order=order, payment_method_id=localstripe.payment_method())
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    return order


def refund_events(order):
    return list(
        PaymentEvent.objects.filter(order=order, event_type__code="refund")
        .order_by("pk")
        .values_list("amount", flat=True)
    )


def refund(order, amount, staff, capture, reason="部分商品破损"):
    with capture(execute=True):
        created = services.refund_create(
            order=order, amount=Decimal(amount), reason=reason, created_by=staff
        )
    created.refresh_from_db()
    order.refresh_from_db()
    return created


def test_a_partial_refund_goes_through_stripe_and_keeps_the_order_paid(
    paid_order, staff, localstripe, django_capture_on_commit_callbacks
):
    made = refund(paid_order, "20.00", staff, django_capture_on_commit_callbacks)

    assert (made.status, made.amount, made.created_by) == (
        RefundStatus.SUCCEEDED,
        Decimal("20.00"),
        staff,
    )
    assert made.stripe_refund_id.startswith("re_") and made.applied_at is not None
    assert paid_order.status == OrderStatus.PAID
    assert refund_events(paid_order) == [Decimal("20.00")]
    assert Source.objects.get(order=paid_order).amount_refunded == Decimal("20.00")
    assert selectors.order_refundable_amount(order=paid_order) == Decimal("123.90")
    (stripe_refund,) = (
        localstripe.client().v1.refunds.list({"payment_intent": made.payment.intent_id}).data
    )
    assert (stripe_refund.amount, stripe_refund.metadata["refund_pk"]) == (2000, str(made.pk))


def test_refunding_the_rest_makes_the_order_refunded_and_releases_unshipped_stock(
    paid_order, staff, catalogue, django_capture_on_commit_callbacks
):
    refund(paid_order, "20.00", staff, django_capture_on_commit_callbacks)
    assert catalogue["rice"].stockrecords.get().num_allocated == 1

    refund(paid_order, "123.90", staff, django_capture_on_commit_callbacks, reason="全部退款")

    assert paid_order.status == OrderStatus.REFUNDED
    assert {line.status for line in paid_order.lines.all()} == {OrderStatus.REFUNDED}
    assert refund_events(paid_order) == [Decimal("20.00"), Decimal("123.90")]
    assert Source.objects.get(order=paid_order).amount_refunded == Decimal("143.90")
    assert selectors.order_refundable_amount(order=paid_order) == Decimal("0.00")
    assert catalogue["rice"].stockrecords.get().num_allocated == 0
    # Reports count refunds as negative sales from these rows (amount, applied_at).
    assert sorted(
        Refund.objects.filter(status=RefundStatus.SUCCEEDED).values_list("amount", flat=True)
    ) == [Decimal("20.00"), Decimal("123.90")]


def test_stripes_charge_refunded_event_after_a_refund_changes_nothing(
    client, paid_order, staff, localstripe, django_capture_on_commit_callbacks
):
    made = refund(paid_order, "143.90", staff, django_capture_on_commit_callbacks)
    payment = made.payment
    charge = localstripe.client().v1.payment_intents.retrieve(payment.intent_id).to_dict()
    event = {
        "id": "evt_refunded_after",
        "object": "event",
        "type": "charge.refunded",
        "data": {"object": charge["latest_charge"]},
    }

    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, event)
        post_event(client, event)

    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert refund_events(paid_order) == [Decimal("143.90")]
    assert Refund.objects.filter(order=paid_order).count() == 1


@pytest.mark.parametrize("amount", ["0", "-1", "143.91"])
def test_a_refund_above_what_is_left_or_not_positive_is_refused(
    paid_order, staff, amount, django_capture_on_commit_callbacks
):
    with pytest.raises(RefundAmountInvalidError) as exc:
        refund(paid_order, amount, staff, django_capture_on_commit_callbacks)

    assert "¥143.90" in str(exc.value)
    assert Refund.objects.count() == 0
    assert refund_events(paid_order) == []


def test_only_staff_refund_and_only_paid_orders(
    paid_order, catalogue, staff, django_capture_on_commit_callbacks
):
    with pytest.raises(RefundNotPermittedError):
        refund(paid_order, "1.00", UserFactory(), django_capture_on_commit_callbacks)
    unpaid = place_pending_order(UserFactory(), (catalogue["grapes"], 1))
    with pytest.raises(OrderNotRefundableError):
        refund(unpaid, "1.00", staff, django_capture_on_commit_callbacks)
    assert Refund.objects.count() == 0


def test_a_refund_made_while_stripe_is_down_stays_pending_and_the_sweep_sends_it(
    paid_order, staff, localstripe, settings, django_capture_on_commit_callbacks
):
    reachable = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    made = refund(paid_order, "43.90", staff, django_capture_on_commit_callbacks)

    assert (made.status, made.stripe_refund_id) == (RefundStatus.PENDING, None)
    assert selectors.order_refundable_amount(order=paid_order) == Decimal("100.00")
    assert refund_events(paid_order) == []

    settings.STRIPE_API_BASE = reachable
    assert payments_outbox_sweep_task(min_age_seconds=0) == {"events": 0, "refunds": 1, "emails": 0}
    made.refresh_from_db()
    assert made.status == RefundStatus.SUCCEEDED
    assert refund_events(paid_order) == [Decimal("43.90")]
