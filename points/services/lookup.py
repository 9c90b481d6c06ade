"""A household looks up its own balance with its code and the last four digits of its
contact phone. Throttled per code and per client IP (counted in the database, so it holds
with Redis down); a wrong code and a wrong phone get the same answer, so the lookup tells
nothing about which codes exist."""

from django.conf import settings
from django.db import transaction

from accounts.services import request_counter_take

from ..exceptions import HouseholdNotFoundError, LookupThrottledError
from ..models import Household


def household_lookup(*, code: str, phone_last4: str, client_ip: str | None) -> Household:
    """The household with ``code`` and ``phone_last4``. Raises ``LookupThrottledError``
    past a limit (counted nowhere then) and ``HouseholdNotFoundError`` for a wrong pair."""
    code, phone_last4 = (code or "").strip().upper(), (phone_last4 or "").strip()
    window = settings.POINTS_LOOKUP_WINDOW_SECONDS
    with transaction.atomic():
        allowed = request_counter_take(
            scope="points-lookup-client",
            key=client_ip or "unknown",
            limit=settings.POINTS_LOOKUP_LIMIT_PER_CLIENT,
            window_seconds=window,
        ) and request_counter_take(
            scope="points-lookup-code",
            key=code[:254],
            limit=settings.POINTS_LOOKUP_LIMIT_PER_CODE,
            window_seconds=window,
        )
        if not allowed:
            transaction.set_rollback(True)
    if not allowed:
        raise LookupThrottledError()
    household = (
        Household.objects.filter(code__iexact=code, phone_last4=phone_last4, is_active=True)
        .select_related("village")
        .first()
    )
    if household is None:
        raise HouseholdNotFoundError(HouseholdNotFoundError.lookup_message())
    return household
