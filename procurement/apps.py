from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("政府采购")

    def ready(self) -> None:
        from orders import hooks
        from orders.models import SalesChannel

        from .services import procurement_order_sync_shipping, staff_purchase_attribute

        # A procurement order follows its shipments by its own rule (acceptance, not
        # delivery, ends it): the order flow asks through this hook, never imports us.
        # Unions and other "八进" organisations order through the same checkout.
        for channel in (
            SalesChannel.PROCUREMENT,
            SalesChannel.UNION,
            SalesChannel.ORGANISATION,
            SalesChannel.POINTS_SUPERMARKET,
        ):
            hooks.shipping_sync_register(channel=channel, sync=procurement_order_sync_shipping)

        # A linked staff member's paid consumer order counts for their organisation.
        hooks.order_paid_register(callback=staff_purchase_attribute)

        # The 832 purchases are imported through the reports' import machinery and checked
        # by reconcile_sales: registered there, so that reports never imports procurement.
        from reports.imports.jobs import import_kind_register
        from reports.models import ImportKind
        from reports.reconcile import sales_check_register

        from .imports_832 import (
            purchases_832_differences,
            purchases_832_save,
            purchases_832_validate,
        )

        import_kind_register(
            kind=ImportKind.PURCHASES_832,
            validate=purchases_832_validate,
            save=purchases_832_save,
        )
        sales_check_register(name="832 purchase", check=purchases_832_differences)

        from .selectors.reports import offline_entries_also_ordered

        sales_check_register(name="offline eight entries", check=offline_entries_also_ordered)

        # The unit portal's cached copies are retired by writes to what they show.
        from .portal_cache import receivers_connect

        receivers_connect()
