import oscar.apps.order.apps as oscar_apps
from django.utils.translation import gettext_lazy as _


class OrderConfig(oscar_apps.OrderConfig):
    """Fork of Oscar's order app (label ``order``): an order's sales channel, the order status
    machine, and shipments that name their supplier, carrier and tracking number."""

    name = "orders"
    verbose_name = _("订单")

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import ShippingEventQuantity
        from .receivers import shipping_event_quantity_saved

        post_save.connect(
            shipping_event_quantity_saved,
            sender=ShippingEventQuantity,
            dispatch_uid="orders.shipping_event_quantity_saved",
        )
