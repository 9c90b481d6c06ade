"""Placing, paying, cancelling and fulfilling consumer orders.

Locks are always taken in the same order: the order row, then its payment rows, then its
refund rows, then stock records (by primary key), so concurrent services cannot deadlock.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from .. import reference, stripe_adapter
from ..exceptions import OrderPaymentInProgressError, PaymentProviderUnavailableError
from ..models import OrderStatus, PaymentStatus, Refund, StripePayment
from ..order.models import SalesChannel
from ..order.signals import order_sales_changed, order_status_changed
from ..shipping.methods import supplier_quotes

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
Source = get_model("payment", "Source")
Basket = get_model("basket", "Basket")
UserAddress = get_model("address", "UserAddress")
SupplierShippingCharge = get_model("shipping", "SupplierShippingCharge")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderDispatcher = get_class("order.utils", "OrderDispatcher")


# ---------------------------------------------------------------------------
# Status changes
# ---------------------------------------------------------------------------
def order_status_move(*, order, status: str, note: str = "") -> bool:
    """Move a (locked) order forward to ``status`` with its lines; False when it is already
    there. Raises ``ValueError`` for a move the state machine does not allow. Records Oscar's
    status change and sends its ``order_status_changed`` signal."""
    old = order.status
    if old == status:
        return False
    if status not in OrderStatus.TRANSITIONS.get(old, ()):
        raise ValueError(f"order {order.number}: {old} -> {status} is not a forward move")
    order.status = status
    order.save(update_fields=["status"])
    for line in order.lines.all():
        if line.status != status and status in OrderStatus.TRANSITIONS.get(line.status, ()):
            line.status = status
            line.save(update_fields=["status"])
    order.status_changes.create(old_status=old, new_status=status)
    if note:
        OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=note)
    order_status_changed.send(sender=order, order=order, old_status=old, new_status=status)
    order_sales_changed.send(sender=order.__class__, order=order)
    return True


def _order_locked(order):
    return Order.objects.select_for_update().get(pk=order.pk)


# ---------------------------------------------------------------------------
# Placing an order
# ---------------------------------------------------------------------------
def order_number_next(*, basket) -> str:
    """Oscar's number (100000 + basket id), with a suffix for a basket that was given back
    and submitted again after an earlier order was cancelled."""
    base = str(100000 + basket.id)
    earlier = Order.objects.filter(basket_id=basket.id).count()
    return base if earlier == 0 else f"{base}-{earlier + 1}"


def _address_book_update(*, user, address) -> None:
    try:
        user_address = user.addresses.get(hash=address.generate_hash())
    except UserAddress.DoesNotExist:
        user_address = UserAddress(user=user)
        address.populate_alternative_model(user_address)
    user_address.num_orders_as_shipping_address += 1
    user_address.save()


def order_place_pending(
    *,
    user,
    basket,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    surcharges=None,
    request=None,
):
    """Create the order as 待付款 with its stock allocated, in one transaction.

    The basket (with its strategy) is frozen and stays linked to the order: it is submitted
    when the order is paid and given back when the order is cancelled. Per-supplier shipping
    fees are recorded. Raises ``InsufficientStockError`` when any line's stock is short; then
    nothing was written and the basket is untouched. No network call.
    """
    quotes = supplier_quotes(basket)
    with transaction.atomic():
        shipping_address.save()
        if user.is_authenticated:
            _address_book_update(user=user, address=shipping_address)
        order = OrderCreator().place_order(
            user=user,
            order_number=order_number_next(basket=basket),
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            total=order_total,
            status=OrderStatus.PENDING,
            request=request,
            surcharges=surcharges,
        )
        SupplierShippingCharge.objects.bulk_create(
            SupplierShippingCharge(
                order=order,
                partner=quote.partner,
                partner_name=quote.partner.name,
                subtotal=quote.subtotal,
                fee=quote.fee,
            )
            for quote in quotes
        )
        basket.freeze()
    logger.info("order %s placed, waiting for payment", order.number)
    return order


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
        order = _order_locked(order)
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
            order_confirmation_email_task.delay_on_commit(order.pk)
            logger.info("order %s paid by %s", order.number, payment.intent_id)
        else:
            refund = Refund.objects.create(
                order=order,
                payment=payment,
                amount=payment.amount,
                reason=_("订单状态为“%(status)s”时收到的付款，自动全额退回")
                % {"status": _(order.status)},
            )
            refund_submit_task.delay_on_commit(refund.pk)
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
        _order_locked(order)
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


def _basket_give_back(order) -> None:
    basket = Basket.objects.filter(pk=order.basket_id).first()
    if basket is None or basket.status != Basket.FROZEN:
        return
    basket.thaw()
    if order.user_id:
        for other in Basket.open.filter(owner_id=order.user_id).exclude(pk=basket.pk):
            basket.merge(other)


def order_cancel(*, order, reason: str):
    """Cancel an order that is waiting for payment: its stock is released and its basket is
    open again (merged with any basket started since).

    Unfinished PaymentIntents are cancelled at Stripe first. Returns the order, which is
    left as it is when it is no longer 待付款 (for example it was paid meanwhile). Raises
    ``PaymentProviderUnavailableError`` when Stripe cannot confirm that no payment is under
    way, and ``OrderPaymentInProgressError`` while a payment is processing.
    """
    _payments_settle_before_cancel(order)
    with transaction.atomic():
        order = _order_locked(order)
        if order.status != OrderStatus.PENDING:
            return order
        if order.stripe_payments.filter(status=PaymentStatus.PROCESSING).exists():
            raise OrderPaymentInProgressError()
        order_status_move(order=order, status=OrderStatus.CANCELLED, note=reason)
        for line in order.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"):
            if line.num_allocated and not line.allocation_cancelled:
                line.cancel_allocation(line.num_allocated)
        _basket_give_back(order)
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


# ---------------------------------------------------------------------------
# Fulfilment
# ---------------------------------------------------------------------------
def _event_quantities(order, code: str) -> dict[int, int]:
    rows = (
        ShippingEventQuantity.objects.filter(event__order=order, event__event_type__code=code)
        .values("line_id")
        .annotate(quantity=Sum("quantity"))
    )
    return {row["line_id"]: row["quantity"] for row in rows}


def order_sync_shipping_status(*, order):
    """Bring a paid order's lines and status in line with its shipping events: a line whose
    whole quantity is 已发货 consumes its stock allocation; all lines shipped make the order
    已发货, all delivered (已签收) make it 已完成. Idempotent; unpaid orders are left alone.
    Procurement orders follow their own statuses (approval, acceptance): the procurement app
    syncs them."""
    if order.channel == SalesChannel.PROCUREMENT:
        from procurement.services import procurement_order_sync_shipping

        return procurement_order_sync_shipping(order=order)
    with transaction.atomic():
        order = _order_locked(order)
        if order.status not in (OrderStatus.PAID, OrderStatus.SHIPPED):
            return order
        shipped = _event_quantities(order, reference.SHIPPING_EVENT_SHIPPED[0])
        delivered = _event_quantities(order, reference.SHIPPING_EVENT_DELIVERED[0])
        lines = list(order.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"))
        for line in lines:
            is_delivered = delivered.get(line.pk, 0) >= line.quantity
            is_shipped = is_delivered or shipped.get(line.pk, 0) >= line.quantity
            if is_shipped and line.num_allocated and not line.allocation_cancelled:
                line.consume_allocation(line.num_allocated)
            target = (
                OrderStatus.COMPLETED
                if is_delivered
                else OrderStatus.SHIPPED
                if is_shipped
                else line.status
            )
            if target != line.status and target in OrderStatus.TRANSITIONS.get(line.status, ()):
                line.status = target
                line.save(update_fields=["status"])
        statuses = {line.status for line in lines}
        if statuses == {OrderStatus.COMPLETED}:
            order_status_move(order=order, status=OrderStatus.COMPLETED)
        elif statuses <= {OrderStatus.SHIPPED, OrderStatus.COMPLETED} and (
            order.status == OrderStatus.PAID
        ):
            order_status_move(order=order, status=OrderStatus.SHIPPED)
    return order


# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------
def orders_paid_without_confirmation(*, since: datetime.datetime, until: datetime.datetime):
    """Paid orders placed in [since, until) whose confirmation email has not gone out."""
    sent = reference.communication_type_order_paid()
    return (
        Order.objects.filter(
            status__in=OrderStatus.PAID_STATUSES,
            date_placed__gte=since,
            date_placed__lt=until,
            user__isnull=False,
        )
        .exclude(user__email="")
        .exclude(communication_events__event_type=sent)
        .select_related("user")
    )


def order_confirmation_send(*, order) -> bool:
    """Email the customer that the order is paid, once: False when it was already sent, there
    is nobody to send it to, or the order is no longer paid (refunded before the email left)."""
    event_type = reference.communication_type_order_paid()
    if order.communication_events.filter(event_type=event_type).exists():
        return False
    if order.status not in OrderStatus.PAID_STATUSES:
        return False
    if not order.user_id or not order.user.email:
        return False
    from ..selectors import order_supplier_groups

    path = reverse("customer:order", kwargs={"order_number": order.number})
    context = {
        "user": order.user,
        "order": order,
        "lines": order.lines.all(),
        "supplier_groups": order_supplier_groups(order=order),
        "status_path": path,
        "status_url": settings.SITE_URL.rstrip("/") + path,
    }
    dispatcher = OrderDispatcher(logger=logger)
    messages = dispatcher.dispatcher.get_messages(event_type.code, context)
    dispatcher.dispatch_order_messages(order, messages, event_type.code)
    return True
