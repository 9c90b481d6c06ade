"""Refunds: staff ask for one, Stripe carries it out, its effect is recorded exactly once."""

import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import ZERO
from core.tasks import enqueue_on_commit
from orders.models import OrderStatus
from orders.services import order_lock, order_status_move
from orders.signals import order_sales_changed

from .. import reference, stripe_adapter
from ..exceptions import (
    OrderNotRefundableError,
    PaymentProviderError,
    RefundAmountInvalidError,
    RefundNotPermittedError,
)
from ..models import Refund, RefundStatus, StripePayment
from ..selectors import order_paying_payment, payment_refunded_amount

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")


def refund_create(*, order, amount: Decimal, reason: str, created_by) -> Refund:
    """Record a refund of ``amount`` (at most the refundable amount) and send it to Stripe
    after commit. Staff only. The refund is 退款处理中 until Stripe confirms it; its effect on
    the order (payment event, 已退款 when nothing is left) is applied then, once.

    Raises ``RefundNotPermittedError``, ``OrderNotRefundableError``,
    ``RefundAmountInvalidError``; nothing is written then.
    """
    if created_by is None or not created_by.is_staff:
        raise RefundNotPermittedError()
    with transaction.atomic():
        refund = _refund_record(
            order=order_lock(order), amount=amount, reason=reason, created_by=created_by
        )
    logger.info("order %s: refund %s of %s requested", order.number, refund.pk, amount)
    return refund


def line_refunded_amount(*, line) -> Decimal:
    """What the refunds of one order line take back (failed ones do not count)."""
    refunds = Refund.objects.filter(line_id=line.pk).exclude(status=RefundStatus.FAILED)
    return refunds.aggregate(total=Sum("amount"))["total"] or ZERO


def refund_for_line(
    *, order, line, amount: Decimal, reason: str, key: str, created_by=None
) -> Refund:
    """Refund ``amount`` of one line of ``order`` (locked by the caller: ``order_lock``) for
    a business record that has checked its own permissions (an after-sales case), in the
    caller's transaction; Stripe is called after commit. ``key`` names that record: one
    refund per key (a second call returns the first refund, writes nothing and sends
    nothing) and it is the Stripe idempotency key, so Stripe refunds it once too.

    Raises ``OrderNotRefundableError`` and ``RefundAmountInvalidError`` (more than the
    line's paid amount not yet refunded, or than the payment has left)."""
    existing = Refund.objects.filter(key=key).first()
    if existing is not None:
        return existing
    line_left = max(line.line_price_incl_tax - line_refunded_amount(line=line), ZERO)
    if amount is None or amount > line_left:
        raise RefundAmountInvalidError(amount=amount, refundable=line_left)
    return _refund_record(
        order=order, amount=amount, reason=reason, created_by=created_by, line=line, key=key
    )


def _refund_record(
    *, order, amount: Decimal, reason: str, created_by, line=None, key: str | None = None
) -> Refund:
    """Under the order's lock: check the paying payment's refundable amount, write the
    pending refund and enqueue its submission after commit."""
    from ..tasks import refund_submit_task

    payment = order_paying_payment(order=order)
    if order.status not in OrderStatus.PAID_STATUSES or payment is None:
        raise OrderNotRefundableError(status=order.status)
    payment = StripePayment.objects.select_for_update().get(pk=payment.pk)
    refundable = max(payment.amount - payment_refunded_amount(payment=payment), ZERO)
    if amount is None or amount <= ZERO or amount > refundable:
        raise RefundAmountInvalidError(amount=amount, refundable=refundable)
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        line=line,
        key=key,
        amount=amount,
        reason=reason[:200],
        created_by=created_by,
    )
    enqueue_on_commit(refund_submit_task, refund.pk)
    return refund


def refund_submit(*, refund: Refund) -> Refund:
    """Send a pending refund to Stripe (idempotency key ``refund-<pk>``, so sending it again
    is harmless) and record the answer. Raises ``PaymentProviderUnavailableError`` when
    Stripe cannot be reached (the refund stays pending; send it again later)."""
    refund = Refund.objects.select_related("payment", "order").get(pk=refund.pk)
    if refund.status != RefundStatus.PENDING or refund.stripe_refund_id:
        return refund
    try:
        stripe_refund = stripe_adapter.refund_create(
            intent_id=refund.payment.intent_id,
            amount=refund.amount,
            refund_pk=refund.pk,
            order_number=refund.order.number,
            idempotency_key=refund.idempotency_key,
        )
    except PaymentProviderError as exc:
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, last_error=(exc.code or exc.detail)[:255]
        )
        logger.error("refund %s refused by Stripe: %s", refund.pk, exc.detail)
        refund.refresh_from_db()
        return refund
    return refund_record_from_stripe(stripe_refund=stripe_refund, payment=refund.payment) or refund


def _refund_for(stripe_refund: dict, payment: StripePayment) -> Refund | None:
    found = Refund.objects.filter(stripe_refund_id=stripe_refund["id"]).first()
    if found:
        return found
    refund_pk = (stripe_refund.get("metadata") or {}).get("refund_pk")
    if refund_pk and str(refund_pk).isdigit():
        found = Refund.objects.filter(pk=int(refund_pk), payment=payment).first()
        if found:
            return found
    # A refund made outside the shop (e.g. in Stripe's dashboard): record it too.
    try:
        with transaction.atomic():
            return Refund.objects.create(
                order=payment.order,
                payment=payment,
                amount=stripe_adapter.from_minor_units(stripe_refund["amount"]),
                reason=_("在 Stripe 后台发起的退款"),
                stripe_refund_id=stripe_refund["id"],
            )
    except IntegrityError:
        return Refund.objects.get(stripe_refund_id=stripe_refund["id"])


def refund_record_from_stripe(*, stripe_refund: dict, payment: StripePayment) -> Refund | None:
    """Record a Stripe refund of ``payment`` as Stripe reports it (API answer, webhook, list),
    any number of times and in any order: a succeeded refund is applied once, a failed one
    that was not applied is marked failed."""
    refund = _refund_for(stripe_refund, payment)
    status = stripe_refund.get("status")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if not refund.stripe_refund_id:
            refund.stripe_refund_id = stripe_refund["id"]
            refund.save(update_fields=["stripe_refund_id", "updated_at"])
        if status == "succeeded":
            _refund_apply(order=order, refund=refund)
        elif status in ("failed", "canceled") and refund.applied_at is None:
            refund.status = RefundStatus.FAILED
            refund.last_error = (stripe_refund.get("failure_reason") or status)[:255]
            refund.save(update_fields=["status", "last_error", "updated_at"])
    return refund


def _refund_apply(*, order, refund: Refund) -> None:
    """Under the order's lock: the refund's payment event, the source's refunded amount and,
    when the paying attempt is refunded in full, 已退款 with unshipped stock released."""
    if refund.applied_at is not None:
        return
    refund.status = RefundStatus.SUCCEEDED
    refund.applied_at = timezone.now()
    refund.save(update_fields=["status", "applied_at", "updated_at"])
    PaymentEvent.objects.create(
        order=order,
        event_type=reference.payment_event_type(reference.PAYMENT_EVENT_REFUND),
        amount=refund.amount,
        reference=refund.stripe_refund_id or "",
    )
    Source.objects.filter(order=order, reference=refund.payment.intent_id).update(
        amount_refunded=F("amount_refunded") + refund.amount
    )
    paying = order_paying_payment(order=order)
    if (
        paying is not None
        and refund.payment_id == paying.pk
        and order.status in OrderStatus.PAID_STATUSES
        and payment_refunded_amount(payment=paying, applied_only=True) >= paying.amount
    ):
        order_status_move(order=order, status=OrderStatus.REFUNDED, note=refund.reason)
        for line in order.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"):
            if line.num_allocated and not line.allocation_cancelled:
                line.cancel_allocation(line.num_allocated)
    order_sales_changed.send(sender=order.__class__, order=order)
    logger.info("order %s: refund %s of %s applied", order.number, refund.pk, refund.amount)
