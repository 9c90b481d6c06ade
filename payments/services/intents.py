"""Card payment attempts: one Stripe PaymentIntent per order and payment method."""

import logging
import re

from django.db import IntegrityError, transaction
from oscar.core.loading import get_model

from orders.models import OrderStatus
from orders.services import order_lock

from .. import stripe_adapter
from ..exceptions import (
    OrderNotPayableError,
    PaymentDeclinedError,
    PaymentProviderError,
    PaymentProviderUnavailableError,
)
from ..models import PaymentStatus, StripePayment
from .orders import order_mark_paid, order_mark_payment_failed

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")

#: A PaymentMethod id, or (localstripe's Stripe.js stand-in) a tokenised card's id.
PAYMENT_METHOD_ID = re.compile(r"^(pm|card)_[A-Za-z0-9_]{4,100}$")

_STATUS_FROM_STRIPE = {
    "succeeded": PaymentStatus.SUCCEEDED,
    "requires_action": PaymentStatus.REQUIRES_ACTION,
    "processing": PaymentStatus.PROCESSING,
    "requires_capture": PaymentStatus.PROCESSING,
    "requires_confirmation": PaymentStatus.PENDING,
    "requires_payment_method": PaymentStatus.FAILED,
    "canceled": PaymentStatus.CANCELED,
}


def payment_idempotency_key(*, order_number: str, payment_method_id: str) -> str:
    return f"pi-{order_number}-{payment_method_id}"


def _attempt_open(*, order, payment_method_id: str) -> StripePayment:
    key = payment_idempotency_key(order_number=order.number, payment_method_id=payment_method_id)
    with transaction.atomic():
        order = order_lock(order)
        payment = StripePayment.objects.filter(idempotency_key=key).first()
        if payment is not None and payment.is_final:
            return payment  # a repeated request for an attempt that is over: same answer
        if order.status != OrderStatus.PENDING:
            raise OrderNotPayableError(status=order.status)
        if payment is None:
            payment = StripePayment.objects.create(
                order=order,
                idempotency_key=key,
                payment_method_id=payment_method_id,
                amount=order.total_incl_tax,
                currency=order.currency,
            )
    return payment


def _attempt_error(*, payment: StripePayment, error: str) -> None:
    StripePayment.objects.filter(pk=payment.pk).exclude(
        status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED]
    ).update(last_error=error[:255])


def payment_attempt_create(*, order, payment_method_id: str) -> StripePayment:
    """Charge the order's total to a card: create and confirm a PaymentIntent in one call.

    Returns the attempt; its ``status`` is SUCCEEDED (the order is then 已付款),
    REQUIRES_ACTION (the browser must run 3-D Secure with ``client_secret``, then call
    ``payment_attempt_sync``) or PROCESSING. Repeating the call with the same payment method
    is the same attempt (same idempotency key), never a second charge.

    Raises ``OrderNotPayableError`` (the order is not 待付款), ``PaymentDeclinedError`` (the
    order stays 待付款: another card may be tried), ``PaymentProviderUnavailableError``
    (Stripe unreachable: nothing was charged that we know of; the same call may be repeated).
    The network call happens outside any transaction.
    """
    if not PAYMENT_METHOD_ID.match(payment_method_id or ""):
        raise PaymentProviderError(f"bad payment method id {payment_method_id!r}")
    payment = _attempt_open(order=order, payment_method_id=payment_method_id)
    if payment.is_final:
        return payment
    try:
        intent = stripe_adapter.payment_intent_create(
            amount=payment.amount,
            currency=payment.currency,
            payment_method_id=payment_method_id,
            order_number=order.number,
            idempotency_key=payment.idempotency_key,
        )
    except PaymentDeclinedError as exc:
        if exc.intent_id:
            StripePayment.objects.filter(pk=payment.pk, intent_id__isnull=True).update(
                intent_id=exc.intent_id
            )
        order_mark_payment_failed(
            order=order, payment=payment, error_code=exc.decline_code or exc.code
        )
        raise
    except (PaymentProviderUnavailableError, PaymentProviderError) as exc:
        _attempt_error(payment=payment, error=exc.detail or str(exc))
        raise
    return payment_intent_apply(intent=intent, payment=payment)


def payment_attempt_sync(*, payment: StripePayment) -> StripePayment:
    """Ask Stripe where an attempt stands (after 3-D Secure in the browser) and record it;
    a succeeded attempt marks the order paid. Raises ``PaymentProviderUnavailableError``."""
    if payment.is_final or not payment.intent_id:
        return payment
    intent = stripe_adapter.payment_intent_retrieve(intent_id=payment.intent_id)
    return payment_intent_apply(intent=intent, payment=payment) or payment


def _attempt_for_intent(*, intent: dict, payment: StripePayment | None) -> StripePayment | None:
    """The attempt row an intent belongs to: by its id, else the caller's row, else the
    order's row for the same payment method (the decline answer may not have carried the
    intent id), else a new row (a payment we only hear of from a webhook)."""
    found = StripePayment.objects.filter(intent_id=intent["id"]).first()
    if found:
        return found
    if payment is not None:
        return payment
    number = (intent.get("metadata") or {}).get("order_number")
    order = Order.objects.filter(number=number).first() if number else None
    if order is None:
        return None
    payment_method_id = intent.get("payment_method") or ""
    if isinstance(payment_method_id, dict):
        payment_method_id = payment_method_id.get("id", "")
    key = (
        payment_idempotency_key(order_number=order.number, payment_method_id=payment_method_id)
        if payment_method_id
        else f"pi-{intent['id']}"
    )
    try:
        with transaction.atomic():
            found, _ = StripePayment.objects.get_or_create(
                idempotency_key=key,
                defaults={
                    "order": order,
                    "payment_method_id": payment_method_id,
                    "amount": stripe_adapter.from_minor_units(intent["amount"]),
                    "currency": (intent.get("currency") or order.currency).upper(),
                },
            )
    except IntegrityError:
        found = StripePayment.objects.get(idempotency_key=key)
    return found


def payment_intent_apply(*, intent: dict, payment: StripePayment | None = None):
    """Record a PaymentIntent as Stripe reports it (API answer or webhook), in any order and
    any number of times: a succeeded or cancelled attempt never changes again, a succeeded
    one marks its order paid (once), a failed one is recorded with its error code.

    Returns the attempt, or None for an intent that is not one of our orders'.
    """
    payment = _attempt_for_intent(intent=intent, payment=payment)
    if payment is None:
        logger.info("PaymentIntent %s is not for one of our orders", intent.get("id"))
        return None
    status = _STATUS_FROM_STRIPE.get(intent.get("status"), PaymentStatus.PENDING)
    error = intent.get("last_payment_error") or {}

    with transaction.atomic():
        payment = StripePayment.objects.select_for_update().get(pk=payment.pk)
        fields = []
        if payment.intent_id != intent["id"] and not payment.intent_id:
            payment.intent_id = intent["id"]
            fields.append("intent_id")
        if intent.get("client_secret") and payment.client_secret != intent["client_secret"]:
            payment.client_secret = intent["client_secret"]
            fields.append("client_secret")
        if not payment.is_final and status not in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED):
            payment.status = status
            fields.append("status")
        if fields:
            payment.save(update_fields=[*fields, "updated_at"])

    if status == PaymentStatus.SUCCEEDED:
        order_mark_paid(order=payment.order, payment=payment)
    elif status == PaymentStatus.FAILED:
        order_mark_payment_failed(
            order=payment.order,
            payment=payment,
            error_code=error.get("decline_code") or error.get("code") or "card_declined",
        )
    payment.refresh_from_db()
    return payment
