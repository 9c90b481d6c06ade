"""System checks: the Stripe configuration."""

from django.conf import settings
from django.core import checks


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
