from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Card payments (Stripe), webhook events, refunds and the order status they drive."""

    name = "payments"
    verbose_name = _("支付")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from oscar.core.loading import get_model

        from . import checks  # noqa: F401  (registers the system checks)
        from .receivers import shipping_event_quantity_saved

        post_save.connect(
            shipping_event_quantity_saved,
            sender=get_model("order", "ShippingEventQuantity"),
            dispatch_uid="payments.shipping_event_quantity_saved",
        )
