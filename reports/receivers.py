"""Connected in ReportsConfig.ready(): receivers only record and enqueue work."""

from . import services


def order_sales_changed_enqueue_sync(sender, order, **kwargs) -> None:
    services.sales_outbox_add(order_id=order.pk)
