"""System checks: the order status settings agree with the status machine."""

from django.conf import settings
from django.core import checks

from .models import OrderStatus


@checks.register()
def order_status_settings(app_configs, **kwargs):
    errors = []
    if settings.OSCAR_INITIAL_ORDER_STATUS != OrderStatus.PENDING:
        errors.append(
            checks.Error(
                f"OSCAR_INITIAL_ORDER_STATUS must be {OrderStatus.PENDING!r}",
                id="orders.E001",
            )
        )
    for name in ("OSCAR_ORDER_STATUS_PIPELINE", "OSCAR_LINE_STATUS_PIPELINE"):
        pipeline = getattr(settings, name, {})
        for status, following in pipeline.items():
            allowed = OrderStatus.TRANSITIONS.get(status)
            if allowed is None or not set(following) <= set(allowed):
                errors.append(
                    checks.Error(
                        f"{name}[{status!r}] allows a move that is not a forward order "
                        "transition (orders.models.OrderStatus.TRANSITIONS)",
                        id="orders.E002",
                    )
                )
    return errors
