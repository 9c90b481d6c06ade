"""Connected in AfterSalesConfig.ready(): receivers only enqueue work."""

from django.dispatch import receiver

from core.tasks import enqueue_on_commit
from orders.signals import order_sales_changed


@receiver(order_sales_changed, dispatch_uid="aftersales_refunds_settle")
def order_sales_changed_settle_cases(sender, order, **kwargs) -> None:
    """A refund applied on the order may finish a case (退款中 -> 已退款)."""
    from .tasks import aftersales_refunds_settle_task

    enqueue_on_commit(aftersales_refunds_settle_task, order.pk)
