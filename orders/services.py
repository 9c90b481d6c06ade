"""Placing orders, moving their status and following their shipments (no payment provider here:
the Stripe side of an order, paying and cancelling it, is ``payments.services``).

Locks are always taken in the same order: the order row, then its payment rows, then its
refund rows, then stock records (by primary key), so concurrent services cannot deadlock.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from core.locks import row_lock

from . import hooks, reference
from .exceptions import BasketAlreadySubmittedError
from .models import ORDER_STATUS_MOVES, OrderNumberTicket, OrderStatus
from .selectors import basket_latest_order, order_supplier_groups
from .shipping.methods import supplier_quotes
from .signals import order_sales_changed, order_status_changed

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
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
    there. Raises ``OrderStatusTransitionError`` (a ``ValueError``) for a move
    ``ORDER_STATUS_MOVES`` does not allow. Records Oscar's status change and sends its
    ``order_status_changed`` signal."""
    old = order.status
    if old == status:
        return False
    ORDER_STATUS_MOVES.move(order, status)
    for line in order.lines.all():
        if line.status != status and ORDER_STATUS_MOVES.allows(line.status, status):
            line.status = status
            line.save(update_fields=["status"])
    order.status_changes.create(old_status=old, new_status=status)
    if note:
        OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message=note)
    order_status_changed.send(sender=order, order=order, old_status=old, new_status=status)
    order_sales_changed.send(sender=order.__class__, order=order)
    return True


def order_lock(order):
    """The order's row again, locked until the caller's transaction ends: the first lock of
    every service that changes an order (see the lock order above)."""
    return row_lock(Order, pk=order.pk)


# ---------------------------------------------------------------------------
# Placing an order
# ---------------------------------------------------------------------------
def order_number_next() -> str:
    """A number no order has had: the next value of the database's own counter (a row of
    ``OrderNumberTicket``), so concurrent submissions on PostgreSQL or SQLite never collide.
    A submission that rolls back leaves a gap, never a duplicate."""
    ticket = OrderNumberTicket.objects.create()
    return str(OrderNumberTicket.ORDER_NUMBER_BASE + ticket.pk)


def basket_lock_for_submission(*, basket) -> None:
    """Lock the basket's row until the transaction ends and make sure it is still open.

    Every checkout (card and unit) takes this lock first, so of any number of submissions
    of one basket at once exactly one goes on; the others wait here, then raise
    ``BasketAlreadySubmittedError`` naming the order the first one placed. The caller must
    be inside ``transaction.atomic()``."""
    status = (
        Basket.objects.select_for_update().filter(pk=basket.pk).values_list("status", flat=True)
    )
    if list(status) != [Basket.OPEN]:
        raise BasketAlreadySubmittedError(order=basket_latest_order(basket_id=basket.pk))


def _address_book_update(*, user, address) -> None:
    """Count the address in the user's address book, adding it the first time. Two orders
    to one new address at once both count: the one that loses the insert (unique user and
    address hash) counts on the row the other wrote."""
    book = user.addresses.filter(hash=address.generate_hash())
    if not book.exists():
        user_address = UserAddress(user=user)
        address.populate_alternative_model(user_address)
        try:
            with transaction.atomic():
                user_address.save()
        except IntegrityError:
            pass  # written meanwhile by a concurrent order: count on that row
    book.update(num_orders_as_shipping_address=F("num_orders_as_shipping_address") + 1)


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
    fees are recorded. Raises ``InsufficientStockError`` when any line's stock is short, and
    ``BasketAlreadySubmittedError`` (with the order) when the basket was placed already, by
    an earlier or a concurrent submission; then nothing was written and the basket is
    untouched. No network call.
    """
    quotes = supplier_quotes(basket)
    with transaction.atomic():
        basket_lock_for_submission(basket=basket)
        shipping_address.save()
        if user.is_authenticated:
            _address_book_update(user=user, address=shipping_address)
        order = OrderCreator().place_order(
            user=user,
            order_number=order_number_next(),
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
# Cancelling
# ---------------------------------------------------------------------------
def _basket_give_back(order) -> None:
    basket = Basket.objects.filter(pk=order.basket_id).first()
    if basket is None or basket.status != Basket.FROZEN:
        return
    basket.thaw()
    if order.user_id:
        for other in Basket.open.filter(owner_id=order.user_id).exclude(pk=basket.pk):
            basket.merge(other)


def order_pending_release(*, order, reason: str) -> None:
    """Cancel a (locked) 待付款 order: 已取消 with ``reason`` as its note, its stock allocations
    released and its basket open again (merged with any basket started since). The caller
    holds the order's lock in a transaction and has made sure no payment can still arrive
    (``payments.services.order_cancel``)."""
    order_status_move(order=order, status=OrderStatus.CANCELLED, note=reason)
    for line in order.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"):
        if line.num_allocated and not line.allocation_cancelled:
            line.cancel_allocation(line.num_allocated)
    _basket_give_back(order)


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
    A sales channel with its own rule (procurement: approval, acceptance) registered it in
    ``orders.hooks``; that rule decides instead."""
    channel_sync = hooks.shipping_sync_for(channel=order.channel)
    if channel_sync is not None:
        return channel_sync(order=order)
    with transaction.atomic():
        order = order_lock(order)
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
            if target != line.status and ORDER_STATUS_MOVES.allows(line.status, target):
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
