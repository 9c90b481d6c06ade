"""Stripe webhook events: stored once by id, then handled by idempotent handlers.

A handler may run more than once for the same event (a retried task, the sweep) and events
may arrive in any order (``charge.refunded`` before ``payment_intent.succeeded``): every
effect is guarded by a row lock and a record of its own, so the outcome is the same.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.tasks import enqueue_on_commit

from .. import stripe_adapter
from ..models import PaymentStatus, StripeEvent, StripePayment
from .intents import payment_intent_apply
from .refunds import refund_record_from_stripe

logger = logging.getLogger(__name__)


def stripe_event_record(*, event: dict) -> tuple[StripeEvent, bool]:
    """Store a verified event under its unique id and enqueue its processing after commit.
    Returns ``(event, created)``; a duplicate is returned as stored and enqueues nothing."""
    from ..tasks import stripe_event_process_task

    try:
        with transaction.atomic():
            stored = StripeEvent.objects.create(
                event_id=event["id"], type=event["type"], payload=event
            )
            enqueue_on_commit(stripe_event_process_task, stored.pk)
    except IntegrityError:
        return StripeEvent.objects.get(event_id=event["id"]), False
    return stored, True


def _payment_for_intent(intent_id: str | None) -> StripePayment | None:
    """Our attempt for an intent, brought up to date from Stripe when we have not yet seen it
    succeed (its own event may still be on the way)."""
    if not intent_id:
        return None
    payment = StripePayment.objects.filter(intent_id=intent_id).first()
    if payment is not None and payment.status == PaymentStatus.SUCCEEDED:
        return payment
    return payment_intent_apply(
        intent=stripe_adapter.payment_intent_retrieve(intent_id=intent_id), payment=payment
    )


def _intent_id(value) -> str | None:
    return value.get("id") if isinstance(value, dict) else value


def payment_intent_changed(intent: dict) -> None:
    payment_intent_apply(intent=intent)


def charge_refunded(charge: dict) -> None:
    payment = _payment_for_intent(_intent_id(charge.get("payment_intent")))
    if payment is None:
        return
    refunds = charge.get("refunds") or {}
    if refunds.get("data") is not None and not refunds.get("has_more"):
        stripe_refunds = refunds["data"]
    else:
        stripe_refunds = stripe_adapter.refund_list(intent_id=payment.intent_id)
    for stripe_refund in stripe_refunds:
        refund_record_from_stripe(stripe_refund=stripe_refund, payment=payment)


def refund_changed(stripe_refund: dict) -> None:
    payment = _payment_for_intent(_intent_id(stripe_refund.get("payment_intent")))
    if payment is not None:
        refund_record_from_stripe(stripe_refund=stripe_refund, payment=payment)


HANDLERS = {
    "payment_intent.succeeded": payment_intent_changed,
    "payment_intent.payment_failed": payment_intent_changed,
    "payment_intent.canceled": payment_intent_changed,
    "payment_intent.processing": payment_intent_changed,
    "payment_intent.requires_action": payment_intent_changed,
    "charge.refunded": charge_refunded,
    "refund.created": refund_changed,
    "refund.updated": refund_changed,
    "refund.failed": refund_changed,
}


def stripe_event_process(*, event: StripeEvent) -> bool:
    """Run the event's handler unless it was processed already; types without a handler are
    marked processed. Returns whether the handler ran. A handler's exception is recorded on
    the event (which stays unprocessed, for a retry) and raised again."""
    if event.processed_at is not None:
        return False
    handler = HANDLERS.get(event.type)
    try:
        if handler is not None:
            handler(event.data_object)
    except Exception as exc:
        StripeEvent.objects.filter(pk=event.pk).update(
            attempts=F("attempts") + 1, last_error=repr(exc)[:2000]
        )
        raise
    StripeEvent.objects.filter(pk=event.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return handler is not None
