"""The payment side of consumer orders: paid, failed, cancelled (with Stripe settled first),
expired. Placing, status moves and shipments are ``orders.services``.

Locks are always taken in the same order: the order row, then its payment rows, then its
refund rows, then stock records (by primary key), so concurrent services cannot deadlock.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.tasks import enqueue_on_commit
from orders import hooks
from orders.models import OrderStatus
from orders.services import order_lock, order_pending_release, order_status_move

from .. import reference, stripe_adapter
from ..exceptions import OrderPaymentInProgressError, PaymentProviderUnavailableError
from ..models import PaymentStatus, Refund, StripePayment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
Basket = get_model("basket", "Basket")


# ---------------------------------------------------------------------------
# Payment outcomes
# ---------------------------------------------------------------------------
def order_mark_paid(*, order, payment: StripePayment):
    """Record that ``payment`` succeeded; safe to call any number of times, from the browser
    return and from the webhook at once.

    The first call for a payment records Oscar's payment source and a 付款 payment event and,
    for an order waiting for payment, moves it to 已付款, submits its basket and sends the
    confirmation email after commit. A payment that arrives for an order that can no longer
    take it (cancelled meanwhile, or already paid by another card) is refunded in full.
    """
    from ..tasks import order_confirmation_email_task, refund_submit_task

    with transaction.atomic():
        order = order_lock(order)
        payment = StripePayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.SUCCEEDED:
            payment.status = PaymentStatus.SUCCEEDED
            payment.last_error = ""
            payment.save(update_fields=["status", "last_error", "updated_at"])
        paid_type = reference.payment_event_type(reference.PAYMENT_EVENT_PAID)
        if order.payment_events.filter(event_type=paid_type, reference=payment.intent_id).exists():
            return order

        Source.objects.create(
            order=order,
            source_type=reference.source_type_stripe(),
            currency=payment.currency,
            amount_allocated=payment.amount,
            amount_debited=payment.amount,
            reference=payment.intent_id,
        )
        event = PaymentEvent.objects.create(
            order=order, event_type=paid_type, amount=payment.amount, reference=payment.intent_id
        )
        PaymentEventQuantity.objects.bulk_create(
            PaymentEventQuantity(event=event, line=line, quantity=line.quantity)
            for line in order.lines.all()
        )

        if order.status == OrderStatus.PENDING:
            order_status_move(order=order, status=OrderStatus.PAID)
            for callback in hooks.order_paid_callbacks():
                callback(order=order)
            if payment.amount != order.total_incl_tax:
                logger.error(
                    "order %s: paid %s but the total is %s",
                    order.number,
                    payment.amount,
                    order.total_incl_tax,
                )
            Basket.objects.filter(pk=order.basket_id, status=Basket.FROZEN).update(
                status=Basket.SUBMITTED, date_submitted=timezone.now()
            )
            enqueue_on_commit(order_confirmation_email_task, order.pk)
            logger.info("order %s paid by %s", order.number, payment.intent_id)
        else:
            refund = Refund.objects.create(
                order=order,
                payment=payment,
                amount=payment.amount,
                reason=_("订单状态为“%(status)s”时收到的付款，自动全额退回")
                % {"status": _(order.status)},
            )
            enqueue_on_commit(refund_submit_task, refund.pk)
            logger.warning(
                "order %s (%s) received payment %s: refunding it",
                order.number,
                order.status,
                payment.intent_id,
            )
    return order


def order_mark_payment_failed(*, order, payment: StripePayment, error_code: str) -> StripePayment:
    """Record a failed attempt (declined card, failed 3-D Secure). The order stays 待付款 with
    its stock allocated, so the customer can try another card; a succeeded payment is never
    turned back into a failure."""
    with transaction.atomic():
        order_lock(order)
        payment = StripePayment.objects.select_for_update().get(pk=payment.pk)
        if payment.is_final:
            return payment
        payment.status = PaymentStatus.FAILED
        payment.last_error = error_code[:255]
        payment.save(update_fields=["status", "last_error", "updated_at"])
    return payment


# ---------------------------------------------------------------------------
# Cancelling
# ---------------------------------------------------------------------------
def _payments_settle_before_cancel(order) -> None:
    """Make sure no attempt of the order can still take money: cancel unfinished
    PaymentIntents at Stripe (network; no transaction open) and record where each stands."""
    from .intents import payment_intent_apply

    live = order.stripe_payments.filter(
        intent_id__isnull=False,
        status__in=[PaymentStatus.PENDING, PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING],
    )
    for payment in live:
        intent = stripe_adapter.payment_intent_cancel(intent_id=payment.intent_id)
        payment_intent_apply(intent=intent, payment=payment)


def order_cancel(*, order, reason: str):
    """Cancel an order that is waiting for payment: its stock is released and its basket is
    open again (merged with any basket started since).

    Unfinished PaymentIntents are cancelled at Stripe first
    (``orders.services.order_pending_release`` does the rest). Returns the order, which is
    left as it is when it is no longer 待付款 (for example it was paid meanwhile). Raises
    ``PaymentProviderUnavailableError`` when Stripe cannot confirm that no payment is under
    way, and ``OrderPaymentInProgressError`` while a payment is processing.
    """
    _payments_settle_before_cancel(order)
    with transaction.atomic():
        order = order_lock(order)
        if order.status != OrderStatus.PENDING:
            return order
        if order.stripe_payments.filter(status=PaymentStatus.PROCESSING).exists():
            raise OrderPaymentInProgressError()
        order_pending_release(order=order, reason=reason)
    logger.info("order %s cancelled: %s", order.number, reason)
    return order


def order_expire_pending(*, now: datetime.datetime | None = None) -> list[str]:
    """Cancel orders left 待付款 longer than ``PAYMENTS_PENDING_ORDER_TTL_MINUTES``; orders
    whose payment state Stripe cannot confirm right now are left for the next run."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.PAYMENTS_PENDING_ORDER_TTL_MINUTES)
    cancelled = []
    for order in Order.objects.filter(status=OrderStatus.PENDING, date_placed__lt=cutoff):
        try:
            order = order_cancel(order=order, reason=_("超时未支付，订单已自动取消"))
        except (PaymentProviderUnavailableError, OrderPaymentInProgressError) as exc:
            logger.warning("order %s not expired yet: %s", order.number, exc)
            continue
        if order.status == OrderStatus.CANCELLED:
            cancelled.append(order.number)
    return cancelled
