"""The webhook: signature checked on the raw body, each event stored once, effects exactly once
whatever the order and the number of deliveries."""

import json
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from orders.models import OrderStatus
from payments import services
from payments.models import Refund, StripeEvent, StripePayment
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order
from tests.support.localstripe import post_event, sign

pytestmark = pytest.mark.django_db

PaymentEvent = get_model("order", "PaymentEvent")
URL = "/payments/stripe/webhook/"


@pytest.fixture
def order(catalogue):
    return place_pending_order(UserFactory(), (catalogue["rice"], 2))  # 119.80, ships free


def event_counts(order):
    return {
        code: list(
            PaymentEvent.objects.filter(order=order, event_type__code=code)
            .order_by("pk")
            .values_list("amount", flat=True)
        )
        for code in ("paid", "refund")
    }


def an_event(**overrides):
    event = {
        "id": "evt_test_1",
        "object": "event",
        "type": "customer.created",
        "data": {"object": {"id": "cus_1", "object": "customer", "metadata": {}}},
    }
    event.update(overrides)
    return event


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (None, "missing Stripe-Signature header"),
        ("t=1,v1=deadbeef", "bad signature"),
        ("garbage", "bad signature"),
    ],
)
def test_a_missing_or_bad_signature_is_refused_and_nothing_is_stored(client, header, reason):
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header else {}

    response = client.post(
        URL, data=json.dumps(an_event()), content_type="application/json", **extra
    )

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert StripeEvent.objects.count() == 0


def test_a_signature_made_with_another_secret_or_for_another_body_is_refused(client):
    payload = json.dumps(an_event()).encode()
    tampered = payload.replace(b"cus_1", b"cus_2")

    wrong_secret = client.post(
        URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, secret="whsec_someone_else"),
    )
    wrong_body = client.post(
        URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(payload)
    )
    too_old = client.post(
        URL,
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, timestamp=1_000_000_000),
    )

    assert [r.status_code for r in (wrong_secret, wrong_body, too_old)] == [400, 400, 400]
    assert StripeEvent.objects.count() == 0


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405
    assert StripeEvent.objects.count() == 0


def test_an_event_without_a_handler_is_stored_once_and_marked_processed(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(client, an_event())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = post_event(client, an_event())

    assert (first.status_code, first.content) == (200, b"ok")
    assert (second.status_code, second.content) == (200, b"duplicate")
    assert callbacks == []  # a duplicate enqueues nothing
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.type, stored.attempts) == ("evt_test_1", "customer.created", 1)
    assert stored.processed_at is not None


def test_replayed_and_out_of_order_events_have_their_effects_exactly_once(
    client, localstripe, order, catalogue, django_capture_on_commit_callbacks
):
    """charge.refunded arrives before payment_intent.succeeded, then both again."""
    stripe = localstripe.client()
    intent = stripe.v1.payment_intents.create(
        {
            "amount": 11980,
            "currency": "cny",
            "payment_method": localstripe.payment_method(),
            "confirm": True,
            "metadata": {"order_number": order.number},
        }
    )
    stripe.v1.refunds.create({"payment_intent": intent.id, "amount": 11980})
    charge = stripe.v1.charges.retrieve(intent.to_dict()["latest_charge"]["id"]).to_dict()
    (succeeded,) = localstripe.events(type="payment_intent.succeeded", object_id=intent.id)
    refunded = {
        "id": "evt_charge_refunded_1",
        "object": "event",
        "type": "charge.refunded",
        "data": {"object": charge},
    }

    for event in (refunded, succeeded, refunded, succeeded):
        with django_capture_on_commit_callbacks(execute=True):
            assert post_event(client, event).status_code == 200

    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert event_counts(order) == {"paid": [Decimal("119.80")], "refund": [Decimal("119.80")]}
    assert StripeEvent.objects.count() == 2
    assert StripeEvent.objects.filter(processed_at__isnull=True).count() == 0
    assert StripePayment.objects.filter(order=order).count() == 1
    refund = Refund.objects.get(order=order)
    assert (refund.amount, refund.status, refund.created_by) == (
        Decimal("119.80"),
        "succeeded",
        None,
    )
    assert list(order.status_changes.order_by("pk").values_list("new_status", flat=True)) == [
        OrderStatus.PAID,
        OrderStatus.REFUNDED,
    ]
    assert catalogue["rice"].stockrecords.get().num_allocated == 0  # released on full refund

    # Processing every stored event once more (a retried task, the sweep) changes nothing.
    for stored in StripeEvent.objects.all():
        StripeEvent.objects.filter(pk=stored.pk).update(processed_at=None)
        services.stripe_event_process(event=StripeEvent.objects.get(pk=stored.pk))
    assert event_counts(order) == {"paid": [Decimal("119.80")], "refund": [Decimal("119.80")]}
    assert Refund.objects.filter(order=order).count() == 1


def test_an_event_for_someone_elses_payment_intent_is_stored_and_ignored(
    client, django_capture_on_commit_callbacks
):
    event = an_event(
        id="evt_other",
        type="payment_intent.succeeded",
        data={
            "object": {
                "id": "pi_not_ours",
                "object": "payment_intent",
                "status": "succeeded",
                "amount": 100,
                "currency": "cny",
                "metadata": {},
            }
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, event).status_code == 200

    assert StripeEvent.objects.get().processed_at is not None
    assert StripePayment.objects.count() == 0
