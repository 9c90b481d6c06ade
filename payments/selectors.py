"""Reads for the payment and refund panels (a fixed number of queries per page)."""

from decimal import Decimal

from django.db.models import Sum

from core.money import ZERO
from orders.models import OrderStatus

from .models import PaymentStatus, Refund, RefundStatus, StripePayment


def order_refunds(*, order) -> list[Refund]:
    return list(Refund.objects.filter(order_id=order.pk).order_by("created_at", "pk"))


def order_paying_payment(*, order) -> StripePayment | None:
    """The succeeded attempt that paid the order (the first one recorded)."""
    return (
        StripePayment.objects.filter(
            order_id=order.pk, status=PaymentStatus.SUCCEEDED, intent_id__isnull=False
        )
        .order_by("created_at", "pk")
        .first()
    )


def payment_refunded_amount(*, payment: StripePayment, applied_only: bool = False) -> Decimal:
    """What the attempt's refunds take back (failed ones do not count)."""
    refunds = Refund.objects.filter(payment_id=payment.pk).exclude(status=RefundStatus.FAILED)
    if applied_only:
        refunds = refunds.filter(applied_at__isnull=False)
    return refunds.aggregate(total=Sum("amount"))["total"] or ZERO


def order_refundable_amount(*, order) -> Decimal:
    """What staff may still refund: the paying attempt less its refunds not failed."""
    payment = order_paying_payment(order=order)
    if payment is None or order.status not in OrderStatus.PAID_STATUSES:
        return ZERO
    return max(payment.amount - payment_refunded_amount(payment=payment), ZERO)
