"""Authentication backends that read a signed-in session's user from the cache.

Every request of a signed-in user loads their row (``get_user``): one query on every page,
a quarter of a cached page's time. These are Oscar's e-mail backend and Django's model
backend as they are, except that ``get_user`` goes through ``frontend.chrome.session_user``,
which keeps the row per user under the version that moves when the row is saved or deleted
(a password change, deactivation, a new name), read in the same round trip as the rest of
the user's header. Django still checks the session's password hash against the row, and an
inactive or deleted user is never kept, so signing out everywhere by changing the password
and deactivating an account act on the next request as before.
"""

from django.contrib.auth import backends
from oscar.apps.customer import auth_backends

from .chrome import session_user


class CachedUserMixin:
    def get_user(self, user_id):
        return session_user(user_id, load=super().get_user)


class EmailBackend(CachedUserMixin, auth_backends.EmailBackend):
    """Oscar's sign-in by e-mail address, with the session's user read from the cache."""


class ModelBackend(CachedUserMixin, backends.ModelBackend):
    """Django's sign-in by username, with the session's user read from the cache."""
