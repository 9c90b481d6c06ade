"""Writes of the payments domain (Stripe; HackSoft style: keyword-only, documented guarantees)."""

from .events import HANDLERS, stripe_event_process, stripe_event_record
from .intents import (
    payment_attempt_create,
    payment_attempt_sync,
    payment_idempotency_key,
    payment_intent_apply,
)
from .orders import (
    order_cancel,
    order_expire_pending,
    order_mark_paid,
    order_mark_payment_failed,
)
from .refunds import (
    line_refunded_amount,
    refund_create,
    refund_for_line,
    refund_record_from_stripe,
    refund_submit,
)

__all__ = [
    "HANDLERS",
    "line_refunded_amount",
    "order_cancel",
    "order_expire_pending",
    "order_mark_paid",
    "order_mark_payment_failed",
    "payment_attempt_create",
    "payment_attempt_sync",
    "payment_idempotency_key",
    "payment_intent_apply",
    "refund_create",
    "refund_for_line",
    "refund_record_from_stripe",
    "refund_submit",
    "stripe_event_process",
    "stripe_event_record",
]
