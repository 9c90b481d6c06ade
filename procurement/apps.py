from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("政府采购")

    def ready(self) -> None:
        from orders import hooks
        from orders.models import SalesChannel

        from .services import procurement_order_sync_shipping

        # A procurement order follows its shipments by its own rule (acceptance, not
        # delivery, ends it): the order flow asks through this hook, never imports us.
        hooks.shipping_sync_register(
            channel=SalesChannel.PROCUREMENT, sync=procurement_order_sync_shipping
        )
