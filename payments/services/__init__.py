"""Writes of the payments domain (HackSoft style: keyword-only, documented guarantees)."""

from .events import HANDLERS, stripe_event_process, stripe_event_record
from .intents import (
    payment_attempt_create,
    payment_attempt_sync,
    payment_idempotency_key,
    payment_intent_apply,
)
from .orders import (
    order_cancel,
    order_confirmation_send,
    order_expire_pending,
    order_mark_paid,
    order_mark_payment_failed,
    order_number_next,
    order_place_pending,
    order_status_move,
    order_sync_shipping_status,
    orders_paid_without_confirmation,
)
from .refunds import (
    refund_create,
    refund_record_from_stripe,
    refund_submit,
)

__all__ = [
    "HANDLERS",
    "order_cancel",
    "order_confirmation_send",
    "order_expire_pending",
    "order_mark_paid",
    "order_mark_payment_failed",
    "order_number_next",
    "order_place_pending",
    "order_status_move",
    "order_sync_shipping_status",
    "orders_paid_without_confirmation",
    "payment_attempt_create",
    "payment_attempt_sync",
    "payment_idempotency_key",
    "payment_intent_apply",
    "refund_create",
    "refund_record_from_stripe",
    "refund_submit",
    "stripe_event_process",
    "stripe_event_record",
]
