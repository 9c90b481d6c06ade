"""Card payments against localstripe running as a real process (tests/support/localstripe.py)."""

from decimal import Decimal

import pytest
from django.core import mail
from oscar.core.loading import get_model

from orders.models import OrderStatus
from payments import services
from payments.exceptions import (
    OrderNotPayableError,
    PaymentDeclinedError,
    PaymentProviderUnavailableError,
)
from payments.models import PaymentStatus, StripeEvent, StripePayment
from payments.tasks import payments_outbox_sweep_task
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order
from tests.support.localstripe import post_event

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")


@pytest.fixture
def order(catalogue):
    """An unpaid order from two suppliers: 68.00 + 59.90 + 8.00 + 8.00 shipping = 143.90."""
    user = UserFactory(email="buyer@example.com")
    return place_pending_order(user, (catalogue["pomegranate"], 1), (catalogue["rice"], 1))


def allocated(product):
    return product.stockrecords.get().num_allocated


def paid_events(order):
    return list(
        PaymentEvent.objects.filter(order=order, event_type__code="paid").values_list(
            "amount", "reference"
        )
    )


def test_a_card_payment_creates_and_confirms_a_payment_intent_and_the_webhook_changes_nothing(
    client, localstripe, order, catalogue, django_capture_on_commit_callbacks
):
    assert order.total_incl_tax == Decimal("143.90")

    with django_capture_on_commit_callbacks(execute=True):
        payment = services.payment_attempt_create(
            order=order, payment_method_id=localstripe.payment_method("4242424242424242")
        )

    order.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.intent_id.startswith("pi_")
    assert payment.idempotency_key == f"pi-{order.number}-{payment.payment_method_id}"
    assert order.status == OrderStatus.PAID
    assert {line.status for line in order.lines.all()} == {OrderStatus.PAID}
    assert paid_events(order) == [(Decimal("143.90"), payment.intent_id)]
    assert Source.objects.get(order=order).amount_debited == Decimal("143.90")
    assert order.basket.status == Basket.SUBMITTED
    assert allocated(catalogue["rice"]) == 1
    intent = localstripe.client().v1.payment_intents.retrieve(payment.intent_id)
    assert (intent.amount, intent.currency, intent.metadata["order_number"]) == (
        14390,
        "cny",
        order.number,
    )
    assert [m.subject for m in mail.outbox] == [f"惠农集市：订单 {order.number} 付款成功"]
    assert "淮北塔山石榴专业合作社" in mail.outbox[0].body

    # Stripe's own event for the same payment, signed and delivered twice: nothing changes.
    (event,) = localstripe.events(type="payment_intent.succeeded", object_id=payment.intent_id)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_event(client, event)
        assert response.status_code == 200
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert StripeEvent.objects.get(event_id=event["id"]).processed_at is not None
    assert paid_events(order) == [(Decimal("143.90"), payment.intent_id)]
    assert order.status_changes.count() == 1
    assert len(mail.outbox) == 1


def test_paying_again_with_the_same_payment_method_is_the_same_attempt(localstripe, order):
    payment_method = localstripe.payment_method()
    first = services.payment_attempt_create(order=order, payment_method_id=payment_method)

    again = services.payment_attempt_create(order=order, payment_method_id=payment_method)

    assert (again.pk, again.status) == (first.pk, PaymentStatus.SUCCEEDED)
    assert StripePayment.objects.filter(order=order).count() == 1
    assert paid_events(order) == [(Decimal("143.90"), first.intent_id)]
    with pytest.raises(OrderNotPayableError) as exc:
        services.payment_attempt_create(order=order, payment_method_id=localstripe.payment_method())
    assert str(exc.value) == "该订单当前状态为“已付款”，无需付款。"
    assert StripePayment.objects.filter(order=order).count() == 1


def test_a_declined_card_leaves_the_order_unpaid_with_its_stock_and_basket_kept(
    client, localstripe, order, catalogue
):
    with pytest.raises(PaymentDeclinedError) as exc:
        services.payment_attempt_create(
            order=order, payment_method_id=localstripe.payment_method("4000000000000341")
        )

    assert str(exc.value) == "银行卡被拒绝，未扣款。请更换银行卡或联系发卡银行。"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert order.lines.count() == 2
    assert allocated(catalogue["rice"]) == 1  # still held for the next try
    assert order.basket.status == Basket.FROZEN
    failed = StripePayment.objects.get(order=order)
    assert (failed.status, failed.last_error) == (PaymentStatus.FAILED, "card_declined")
    assert paid_events(order) == []

    # Stripe's payment_failed event links the attempt to its intent and changes nothing else.
    (event,) = [
        e
        for e in localstripe.events(type="payment_intent.payment_failed", order_number=order.number)
        if e["data"]["object"]["payment_method"] == failed.payment_method_id
    ]
    post_event(client, event)
    services.stripe_event_process(event=StripeEvent.objects.get(event_id=event["id"]))
    failed.refresh_from_db()
    assert (failed.intent_id, failed.status) == (
        event["data"]["object"]["id"],
        PaymentStatus.FAILED,
    )

    # Another card pays the same order.
    payment = services.payment_attempt_create(
        order=order, payment_method_id=localstripe.payment_method("4242424242424242")
    )
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)
    assert paid_events(order) == [(Decimal("143.90"), payment.intent_id)]


def test_3d_secure_requires_action_then_the_server_checks_the_result(localstripe, order):
    payment = services.payment_attempt_create(
        order=order, payment_method_id=localstripe.payment_method("4000002760003184")
    )
    assert payment.status == PaymentStatus.REQUIRES_ACTION
    assert payment.client_secret.startswith(payment.intent_id)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING

    localstripe.authenticate(payment.intent_id, payment.client_secret, success=True)
    payment = services.payment_attempt_sync(payment=payment)

    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.SUCCEEDED, OrderStatus.PAID)


def test_failed_3d_secure_is_a_decline_and_the_order_stays_unpaid(localstripe, order):
    payment = services.payment_attempt_create(
        order=order, payment_method_id=localstripe.payment_method("4000002760003184")
    )
    localstripe.authenticate(payment.intent_id, payment.client_secret, success=False)

    payment = services.payment_attempt_sync(payment=payment)

    order.refresh_from_db()
    assert (payment.status, payment.last_error) == (
        PaymentStatus.FAILED,
        "payment_intent_authentication_failure",
    )
    assert order.status == OrderStatus.PENDING


def test_stripe_unreachable_is_a_clear_error_and_no_order_is_paid(stripe_down, order, catalogue):
    with pytest.raises(PaymentProviderUnavailableError) as exc:
        services.payment_attempt_create(order=order, payment_method_id="pm_card_visa")

    assert str(exc.value) == "支付服务暂时不可用，请稍后再试。"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert paid_events(order) == []
    attempt = StripePayment.objects.get(order=order)
    assert (attempt.status, attempt.intent_id) == (PaymentStatus.PENDING, None)
    assert order.basket.status == Basket.FROZEN
    assert order.basket.num_lines == 2
    assert allocated(catalogue["pomegranate"]) == 1


def test_a_payment_that_succeeds_after_the_order_was_cancelled_is_refunded_in_full(
    client, localstripe, order, catalogue, django_capture_on_commit_callbacks
):
    # The customer completes 3-D Secure in another tab after the order was cancelled.
    payment = services.payment_attempt_create(
        order=order, payment_method_id=localstripe.payment_method("4000002760003184")
    )
    services.order_cancel(order=order, reason="超时未支付")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELED
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert allocated(catalogue["rice"]) == 0

    # A different attempt, racing the cancellation, that Stripe reports as succeeded.
    intent = localstripe.client().v1.payment_intents.create(
        {
            "amount": 14390,
            "currency": "cny",
            "payment_method": localstripe.payment_method(),
            "confirm": True,
            "metadata": {"order_number": order.number},
        }
    )
    (event,) = localstripe.events(type="payment_intent.succeeded", object_id=intent.id)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, event)

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    refund = order.refunds.get()
    assert (refund.amount, refund.status, refund.payment.intent_id) == (
        Decimal("143.90"),
        "succeeded",
        intent.id,
    )
    assert localstripe.client().v1.refunds.list({"payment_intent": intent.id}).data[0].amount == (
        14390
    )


def test_a_confirmation_email_lost_with_its_task_is_sent_by_the_sweep_once(localstripe, order):
    services.payment_attempt_create(order=order, payment_method_id=localstripe.payment_method())
    assert mail.outbox == []  # the email task was enqueued on commit and never ran

    assert payments_outbox_sweep_task(min_age_seconds=0) == {"events": 0, "refunds": 0, "emails": 1}
    assert payments_outbox_sweep_task(min_age_seconds=0) == {"events": 0, "refunds": 0, "emails": 0}
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
