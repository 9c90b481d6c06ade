"""The key django-axes counts failed logins under (``AXES_USERNAME_CALLABLE``).

The email backend matches addresses trimmed and case-insensitively, so the lockout must count
``Someone@Example.com``, `` someone@example.com`` and ``SOMEONE@EXAMPLE.COM`` as one address:
otherwise every variant would get its own five tries."""

from django.conf import settings


def normalise_login(value) -> str | None:
    """An address as the lockout counts it: trimmed and lower-cased."""
    if value is None:
        return None
    return str(value).strip().lower()


def lockout_username(request, credentials: dict | None = None) -> str | None:
    """The submitted username (from the credentials ``authenticate`` was given, else the POST
    of the login form: storefront, ``/cms/``, ``/django-admin/``), normalised."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalise_login(credentials.get(field))
    data = getattr(request, "data", None) or request.POST
    return normalise_login(data.get(field))
