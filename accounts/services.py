"""Personal API tokens: Wagtail's ``APIToken`` (digest-only storage, shown once)."""

from django.db import transaction
from wagtail.models import APIToken

from .exceptions import ApiTokenNotFoundError
from .models import User


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
