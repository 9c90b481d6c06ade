"""Connected in ReportsConfig.ready(): receivers only enqueue work."""

from .tasks import sales_facts_sync_task


def order_sales_changed_enqueue_sync(sender, order, **kwargs) -> None:
    sales_facts_sync_task.delay_on_commit(order.pk)
