"""System checks: the order status settings and the Stripe configuration agree with the code."""

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
                id="payments.E001",
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
                        "transition (payments.models.OrderStatus.TRANSITIONS)",
                        id="payments.E002",
                    )
                )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def stripe_settings(app_configs, **kwargs):
    warnings = []
    if settings.STRIPE_SECRET_KEY.endswith("localstripe") or settings.STRIPE_API_BASE:
        warnings.append(
            checks.Warning(
                "Card payments go to localstripe, not Stripe: set STRIPE_SECRET_KEY, "
                "STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET and leave STRIPE_API_BASE empty.",
                id="payments.W001",
            )
        )
    return warnings
