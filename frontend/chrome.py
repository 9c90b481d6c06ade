"""The signed-in visitor's page chrome, read from the cache in one round trip.

Every page's header shows a signed-in user their unread notices, the links to the portals
they have a role in, the 管理后台 link when they may use the dashboard, and the number of
items in their basket. Read from the database that is eight to ten queries per page
(the notices count, the roles, the two permission queries, and Oscar's whole basket with
its offers, vouchers, lines and images). Here they are kept per user in the cache, under
two version counters:

- the user's own (``chrome:user:<id>``): moved when their notices, basket or basket lines,
  user row or group and permission links change;
- the access version (``chrome:access``): moved when a role link, a membership or a
  group's permissions change (rare administrative acts that may touch many users).

Counters move when the change commits (``core.caching.version_bump_on_commit``). The
versions are read before the database, and the figures are stored with the versions they
were read under, so a request that read old rows while a change committed stores them
under the old versions, where nobody looks any more: the next request computes afresh.
The cache key carries the user's id, so one user's figures never reach another's page.

Under the same versions the cache keeps the user's row (``session_user``, for the
authentication backends of ``frontend.auth``) and the header's parts rendered in the
request's language (``user_part_html``). All of them, with the page version counters, are
read in one round trip once per request (``_cached``).
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.html import escape
from oscar.core.loading import get_model

from core.caching import (
    CSRF_PLACEHOLDER,
    request_reads,
    user_part_render,
    version_bump_on_commit,
    versions_from,
    versions_get_many,
)

from .selectors import user_portal_roles

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Notification = get_model("communication", "Notification")

ACCESS_VERSION_KEY = "chrome:access"
USER_VERSION_KEY = "chrome:user:{}"
CHROME_KEY = "chrome:data:{}"
USER_ROW_KEY = "chrome:user-row:{}"
PARTS_KEY = "chrome:parts:{}:{}"  # user id, language
CHROME_SECONDS = 3600


def _user_version_key(user_id: int) -> str:
    return USER_VERSION_KEY.format(user_id)


def _versions(user_id: int, found: dict) -> tuple:
    """(access version, user version) from ``found``; a missing counter starts at random
    (``core.caching.version_get``), so it never meets figures stored under an old value."""
    return tuple(versions_from(found, [ACCESS_VERSION_KEY, _user_version_key(user_id)]))


def _basket_num_items(user) -> int:
    """Items in the user's open basket(s), as Oscar's ``Basket.num_items`` counts them."""
    total = Line.objects.filter(basket__owner=user, basket__status=Basket.OPEN).aggregate(
        n=Sum("quantity")
    )["n"]
    return total or 0


def _chrome_compute(user) -> dict:
    return {
        "unread_notifications": Notification.objects.filter(recipient=user, date_read=None).count(),
        "roles": user_portal_roles(user=user),
        "dashboard_access": bool(user.is_staff or user.has_perm("partner.dashboard_access")),
        "basket_num_items": _basket_num_items(user),
    }


class _Cached:
    """What the cache holds for one user in this request's language, read in one round trip
    (together with the page version counters, ``versions_get_many``) and kept for the rest
    of the request: the versions, and each entry still valid under them (None otherwise).
    ``store`` writes an entry under the versions read, before the database was."""

    def __init__(self, user_id: int):
        self.user_id = user_id
        self.keys = {
            "figures": CHROME_KEY.format(user_id),
            "user": USER_ROW_KEY.format(user_id),
            "parts": PARTS_KEY.format(user_id, translation.get_language() or ""),
        }
        found = versions_get_many(
            [ACCESS_VERSION_KEY, _user_version_key(user_id), *self.keys.values()]
        )
        self.versions = _versions(user_id, found)
        self.entries = {}
        for name, key in self.keys.items():
            stored = found.get(key)
            valid = isinstance(stored, dict) and stored.get("versions") == self.versions
            self.entries[name] = stored.get("value") if valid else None

    def store(self, name: str, value) -> None:
        self.entries[name] = value
        cache.set(self.keys[name], {"versions": self.versions, "value": value}, CHROME_SECONDS)


def _cached(user_id: int) -> _Cached:
    reads = request_reads()
    memo = ("chrome", user_id, translation.get_language())  # a tuple: never a cache key
    if reads is not None and memo in reads:
        return reads[memo]
    cached = _Cached(user_id)
    if reads is not None:
        reads[memo] = cached
    return cached


def user_chrome(user) -> dict:
    """The chrome figures of a signed-in ``user``: ``unread_notifications``, ``roles``
    ({portal: bool}), ``dashboard_access`` and ``basket_num_items``. One cache round trip
    when warm (once per request, shared with ``session_user``); four queries when not."""
    cached = _cached(user.pk)
    figures = cached.entries["figures"]
    if figures is None:
        figures = _chrome_compute(user)
        cached.store("figures", figures)
    return figures


def session_user(user_id, load: Callable):
    """The user a session names (``frontend.auth``): from the cache under the user's
    version, which moves when their row is saved or deleted, otherwise ``load(user_id)``
    (the authentication backend's own ``get_user``, None for an inactive or unknown user).
    Stored as loaded, before anything (permissions, basket) is cached on the instance."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return load(user_id)
    cached = _cached(user_id)
    user = cached.entries["user"]
    if user is None:
        user = load(user_id)
        if user is not None:
            cached.store("user", user)
    return user


# The signed-in header's parts rendered for the cache (``user_part_html``): where this
# request's CSRF token and address go.
NEXT_PATH_PLACEHOLDER = "__HN_NEXT_PATH__"


def user_part_html(request: HttpRequest, name: str) -> str:
    """One of the page cache's per-user parts (``core.caching.USER_PARTS``) for this
    request's user, rendered once per user, language and version of their figures and kept
    with the CSRF token and the page's address (the language switch's ``next``) as
    placeholders, which are filled per request."""
    cached = _cached(request.user.pk)
    parts = cached.entries["parts"] or {}
    html = parts.get(name)
    if html is None:
        html = user_part_render(
            request,
            name,
            csrf_token=CSRF_PLACEHOLDER,
            language_next=NEXT_PATH_PLACEHOLDER,
        )
        cached.store("parts", {**parts, name: html})
    return html.replace(CSRF_PLACEHOLDER, get_token(request)).replace(
        NEXT_PATH_PLACEHOLDER, escape(request.get_full_path())
    )


def basket_num_items(request) -> int:
    """The header's basket count: from the basket when this request loaded it anyway (the
    basket and checkout pages) or carries a basket cookie, from the signed-in user's cached
    chrome otherwise, and 0 without a query for a visitor with no basket cookie."""
    basket = getattr(request, "basket", None)
    loaded = basket is not None and not (
        isinstance(basket, SimpleLazyObject) and basket._wrapped is empty
    )
    # A basket cookie beside a signed-in user is a basket to merge: loading it merges it.
    has_cookie = settings.OSCAR_BASKET_COOKIE_OPEN in request.COOKIES
    if loaded or (basket is not None and has_cookie):
        return basket.num_items
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user_chrome(user)["basket_num_items"]
    return 0


# ---------------------------------------------------------------------------
# Signal receivers (connected in FrontendConfig.ready)
# ---------------------------------------------------------------------------
def user_chrome_changed(*, user_id: int | None) -> None:
    """Retire one user's cached chrome when the current transaction commits."""
    if user_id is not None:
        version_bump_on_commit(_user_version_key(user_id))


def access_changed(**kwargs) -> None:
    """Retire every user's cached chrome (roles and permissions) when the change commits."""
    version_bump_on_commit(ACCESS_VERSION_KEY)


def notification_saved(sender, instance, **kwargs) -> None:
    user_chrome_changed(user_id=instance.recipient_id)


def basket_saved(sender, instance, **kwargs) -> None:
    user_chrome_changed(user_id=instance.owner_id)


def basket_line_saved(sender, instance, **kwargs) -> None:
    basket = Line._meta.get_field("basket").get_cached_value(instance, None)
    if basket is not None:
        owner_id = basket.owner_id
    else:
        owner_id = (
            Basket.objects.filter(pk=instance.basket_id).values_list("owner_id", flat=True).first()
        )
    user_chrome_changed(user_id=owner_id)


def user_saved(sender, instance, **kwargs) -> None:
    user_chrome_changed(user_id=instance.pk)


def user_links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``m2m_changed`` of a user's groups or permissions: that user's chrome, or every
    user's when the change was made from the other side (a group's or permission's users)."""
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        user_chrome_changed(user_id=instance.pk)
    else:
        access_changed()


def role_links_changed(sender, action, **kwargs) -> None:
    """``m2m_changed`` of a role link (supplier staff, village clerks, supermarket managers)
    or of a group's permissions: every user's chrome."""
    if action.startswith("post_"):
        access_changed()
