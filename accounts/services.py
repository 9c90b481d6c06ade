"""Personal API tokens (Wagtail's ``APIToken``: digest-only storage, shown once) and the
password reset throttle."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import APIToken

from .exceptions import ApiTokenNotFoundError
from .lockout import normalise_login
from .models import RequestCounter, User


def api_token_create(*, user: User, name: str) -> tuple[APIToken, str]:
    """Create a token for ``user``; returns the row and the plaintext, which is never stored."""
    return APIToken.create_token(user=user, name=name.strip())


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> APIToken:
    """Revoke one of ``user``'s own tokens. Another user's token is reported as not found."""
    token = APIToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise ApiTokenNotFoundError(token_id)
    if token.revoked_at is None:
        token.revoke()
    return token


def request_counter_take(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one request of ``scope`` by ``key`` in the current fixed window; False (and not
    counted) when ``limit`` requests were counted already. A conditional update, so requests
    at once never count past the limit. Call inside a transaction."""
    now = timezone.now()
    start = datetime.datetime.fromtimestamp(
        now.timestamp() // window_seconds * window_seconds, tz=datetime.UTC
    )
    counter, _ = RequestCounter.objects.get_or_create(scope=scope, key=key, window_start=start)
    return bool(
        RequestCounter.objects.filter(pk=counter.pk, count__lt=limit).update(count=F("count") + 1)
    )


@transaction.atomic
def password_reset_allow(*, email: str, client_ip: str | None) -> bool:
    """Whether a password reset mail may be asked for ``email`` from ``client_ip`` now: at most
    ``PASSWORD_RESET_LIMIT_PER_ADDRESS`` per address (trimmed, lower-cased) and
    ``PASSWORD_RESET_LIMIT_PER_CLIENT`` per client IP in ``PASSWORD_RESET_WINDOW_SECONDS``.
    Counted whether or not an account has the address, so the answer tells nothing about
    accounts; a refused request counts nowhere. Kept in the database (works with Redis down);
    windows older than a day are deleted on the way."""
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    RequestCounter.objects.filter(
        window_start__lt=timezone.now() - datetime.timedelta(seconds=max(window, 86400))
    ).delete()
    allowed = request_counter_take(
        scope="password-reset-address",
        key=normalise_login(email),
        limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        window_seconds=window,
    ) and request_counter_take(
        scope="password-reset-client",
        key=client_ip or "unknown",
        limit=settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
        window_seconds=window,
    )
    if not allowed:
        transaction.set_rollback(True)
    return allowed
