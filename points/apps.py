from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = _("积分超市")

    def ready(self):
        from procurement import hooks

        from .services import restock_stock_on_acceptance

        # A points supermarket's accepted restocking deliveries go on its shelf in the
        # acceptance's own transaction (procurement never imports points).
        hooks.acceptance_register(callback=restock_stock_on_acceptance)
