import oscar.apps.order.apps as oscar_apps
from django.utils.translation import gettext_lazy as _


class OrderConfig(oscar_apps.OrderConfig):
    """Fork of Oscar's order app (label ``order``): an order's sales channel, and shipments
    that name their supplier, carrier and tracking number."""

    name = "payments.order"
    verbose_name = _("订单")
