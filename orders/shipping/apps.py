import oscar.apps.shipping.apps as oscar_apps
from django.utils.translation import gettext_lazy as _


class ShippingConfig(oscar_apps.ShippingConfig):
    """Fork of Oscar's shipping app (label ``shipping``): per-supplier shipping fees.

    Each supplier ships its own lines, so the one shipping method sums a fee per supplier
    (fixed, free above a threshold; ``SupplierShippingRule``), on the basket page too.
    """

    name = "orders.shipping"
    verbose_name = _("配送")
