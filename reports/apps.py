from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计报表")

    def ready(self) -> None:
        from orders.signals import order_sales_changed

        from .receivers import order_sales_changed_enqueue_sync

        order_sales_changed.connect(
            order_sales_changed_enqueue_sync, dispatch_uid="reports-order-sales-changed"
        )
