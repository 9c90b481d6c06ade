"""Every call to Stripe goes through this module.

- One ``StripeClient`` per configuration, with the API version pinned, the API base from
  ``STRIPE_API_BASE`` (localstripe in the demo and the tests) and bounded network retries.
- Every POST carries an idempotency key the caller derived from our own data (order number and
  payment method, refund id), so a retried request can never charge or refund twice.
- Results are plain ``dict`` values (as in webhook payloads), and Stripe's exceptions become
  ours: ``PaymentDeclinedError``, ``PaymentProviderUnavailableError``, ``PaymentProviderError``.

No function here touches the database; callers must not hold a transaction open around them.
"""

import functools
import logging
from decimal import ROUND_HALF_UP, Decimal

import stripe
from django.conf import settings

from .exceptions import (
    PaymentDeclinedError,
    PaymentProviderError,
    PaymentProviderUnavailableError,
    WebhookSignatureError,
)

logger = logging.getLogger(__name__)

FEN = Decimal("0.01")


def to_minor_units(amount: Decimal) -> int:
    """¥12.34 -> 1234 (CNY has two decimal places at Stripe)."""
    return int((amount / FEN).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_minor_units(amount: int) -> Decimal:
    return (Decimal(amount) * FEN).quantize(FEN)


@functools.lru_cache(maxsize=8)
def _client(
    api_key: str, api_base: str, api_version: str, retries: int, timeout: float
) -> stripe.StripeClient:
    base_addresses = {"api": api_base} if api_base else None
    return stripe.StripeClient(
        api_key,
        stripe_version=api_version,
        base_addresses=base_addresses,
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        settings.STRIPE_API_VERSION,
        settings.STRIPE_MAX_NETWORK_RETRIES,
        settings.STRIPE_TIMEOUT_SECONDS,
    )


def _translate(exc: stripe.StripeError, *, intent_id: str | None = None) -> Exception:
    if isinstance(exc, stripe.CardError):
        error = exc.error
        intent = getattr(error, "payment_intent", None) if error else None
        return PaymentDeclinedError(
            code=exc.code or "",
            decline_code=(getattr(error, "decline_code", None) or "") if error else "",
            intent_id=(
                intent.get("id") if isinstance(intent, dict) else getattr(intent, "id", None)
            )
            or intent_id,
        )
    if isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError):
        return PaymentProviderUnavailableError(str(exc))
    if isinstance(exc, stripe.APIError) or (exc.http_status or 0) >= 500:
        return PaymentProviderUnavailableError(str(exc))
    logger.error("Stripe refused a request: %s", exc)
    return PaymentProviderError(str(exc), code=exc.code or "")


def _call(fn, *args, intent_id: str | None = None, **kwargs) -> dict:
    try:
        return fn(*args, **kwargs).to_dict()
    except stripe.StripeError as exc:
        raise _translate(exc, intent_id=intent_id) from exc


# ---------------------------------------------------------------------------
# PaymentIntents
# ---------------------------------------------------------------------------
def payment_intent_create(
    *,
    amount: Decimal,
    currency: str,
    payment_method_id: str,
    order_number: str,
    idempotency_key: str,
) -> dict:
    """Create and confirm a card PaymentIntent in one call (Stripe's server-side confirmation).

    Returns the PaymentIntent (``status`` succeeded, requires_action or processing). A decline
    raises ``PaymentDeclinedError`` carrying the intent id when Stripe gives one.
    """
    params = {
        "amount": to_minor_units(amount),
        "currency": currency.lower(),
        "payment_method": payment_method_id,
        "payment_method_types": ["card"],
        "confirm": True,
        "metadata": {"order_number": order_number},
    }
    return _call(client().v1.payment_intents.create, params, {"idempotency_key": idempotency_key})


def payment_intent_retrieve(*, intent_id: str) -> dict:
    return _call(client().v1.payment_intents.retrieve, intent_id, intent_id=intent_id)


def payment_intent_cancel(*, intent_id: str) -> dict:
    """Cancel an unfinished PaymentIntent; one that can no longer be cancelled (succeeded,
    processing) is returned as it is, so the caller decides from its status."""
    try:
        intent = client().v1.payment_intents.cancel(
            intent_id, None, {"idempotency_key": f"pi-cancel-{intent_id}"}
        )
    except stripe.InvalidRequestError:
        return payment_intent_retrieve(intent_id=intent_id)
    except stripe.StripeError as exc:
        raise _translate(exc, intent_id=intent_id) from exc
    return intent.to_dict()


# ---------------------------------------------------------------------------
# Refunds
# ---------------------------------------------------------------------------
def refund_create(
    *, intent_id: str, amount: Decimal, refund_pk: int, order_number: str, idempotency_key: str
) -> dict:
    params = {
        "payment_intent": intent_id,
        "amount": to_minor_units(amount),
        "metadata": {"refund_pk": str(refund_pk), "order_number": order_number},
    }
    return _call(
        client().v1.refunds.create,
        params,
        {"idempotency_key": idempotency_key},
        intent_id=intent_id,
    )


def refund_list(*, intent_id: str) -> list[dict]:
    """All refunds of a PaymentIntent, every page."""
    try:
        pages = client().v1.refunds.list({"payment_intent": intent_id, "limit": 100})
        return [refund.to_dict() for refund in pages.auto_paging_iter()]
    except stripe.StripeError as exc:
        raise _translate(exc, intent_id=intent_id) from exc


# ---------------------------------------------------------------------------
# Webhooks
# ---------------------------------------------------------------------------
def webhook_event_construct(*, payload: bytes, signature: str | None) -> dict:
    """Verify a webhook body against ``STRIPE_WEBHOOK_SECRET`` and return the event.

    Raises ``WebhookSignatureError`` (with a reason for the 400 answer) when the signature is
    missing, wrong or too old, or the body is not an event.
    """
    if not signature:
        raise WebhookSignatureError("missing Stripe-Signature header")
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except stripe.SignatureVerificationError as exc:
        raise WebhookSignatureError(f"bad signature: {exc.user_message or exc}") from exc
    except ValueError as exc:
        raise WebhookSignatureError("body is not a Stripe event") from exc
    data = event.to_dict()
    if not data.get("id") or not data.get("type"):
        raise WebhookSignatureError("body is not a Stripe event")
    return data
