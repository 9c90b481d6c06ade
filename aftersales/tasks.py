"""Celery tasks of after-sales: each calls one service and may safely run more than once."""

from celery import shared_task
from oscar.core.loading import get_model

from . import services
from .models import AfterSalesCase, AfterSalesStatus

Order = get_model("order", "Order")


@shared_task(acks_late=True)
def aftersales_refunds_settle_task(order_id: int) -> int:
    order = Order.objects.filter(pk=order_id).first()
    return services.aftersales_refunds_settle(order=order) if order is not None else 0


@shared_task(acks_late=True)
def aftersales_auto_agree_task() -> int:
    """Beat: agree the cases whose supplier let the deadline pass, and settle any 退款中 case
    whose refund Stripe confirmed while the settling message was lost."""
    agreed = services.aftersales_auto_agree_due()
    for order_id in set(
        AfterSalesCase.objects.filter(status=AfterSalesStatus.REFUNDING).values_list(
            "order_id", flat=True
        )
    ):
        services.aftersales_refunds_settle(order=Order(pk=order_id))
    return agreed
