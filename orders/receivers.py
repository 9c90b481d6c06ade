"""Signal receivers: thin hooks into Oscar that hand over to the services."""

from .services import order_sync_shipping_status


def shipping_event_quantity_saved(sender, instance, created, **kwargs) -> None:
    """A shipping event (Oscar's dashboard) covered some order lines: the order's status
    follows its lines (all shipped: 已发货; all delivered: 已完成)."""
    if created:
        order_sync_shipping_status(order=instance.event.order)
