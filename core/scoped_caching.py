"""Pages cached for one signed-in user under the version counters of what they show (a
budget unit's portal, a supplier's portal home), and the counters' bumps collected once per
transaction.

A portal page is its owner's own: its figures are the unit's or the supplier's, and some of
it is the user's (their roles, the orders waiting for their approval). ``private_page``
keeps one rendered copy per key, and the caller's key names all of that: the user, the
unit or supplier, and the version counters of every unit or supplier whose rows the page
reads. A write moves those counters on when it commits (``ScopeVersions.changed``), so the
next request renders afresh; the copy's lifetime is only a backstop.

What the copy may not keep is filled per request, as for ``core.caching.anonymous_page``:
the CSRF token, the CSP nonce, the header's user parts (name, basket count, notices) and
any further ``holes`` the caller names. A request with messages waiting renders the whole
page (the copy would not show them) and does not fill the cache.

A checkout or a shipment saves many rows that belong to one unit or supplier; the bumps
are collected per transaction (``OnCommitIds``) and made once each when it commits, with
any lookups that map rows to units or suppliers done then, outside the transaction.
"""

import threading
from collections.abc import Callable, Iterable, Mapping
from functools import partial

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse

from .caching import (
    SESSION_MESSAGES_KEY,
    placeholders_fill,
    render_for_cache,
    version_bump,
    versions_get,
)

# A backstop only: every write that changes a cached page moves a counter in its key.
PRIVATE_PAGE_SECONDS = 900


class OnCommitIds:
    """Ids collected during a transaction and handed to ``callback`` once, when it commits
    (at once outside a transaction; never if it rolls back). A receiver called for each of
    an order's fifty lines thus costs one bump, not fifty."""

    def __init__(self, callback: Callable[[set], None]):
        self.callback = callback
        self._local = threading.local()

    def _pending(self, using: str) -> set:
        if not hasattr(self._local, "pending"):
            self._local.pending = {}
        return self._local.pending.setdefault(using, set())

    def add(self, ids: Iterable, *, using: str | None = None) -> None:
        using = using or DEFAULT_DB_ALIAS
        ids = {pk for pk in ids if pk is not None}
        if ids:
            self._pending(using).update(ids)
            # The first flush after the commit takes every pending id; the later ones find
            # none. Ids left over from a rollback are bumped with the next ones (harmless).
            transaction.on_commit(partial(self._flush, using), using=using, robust=True)

    def _flush(self, using: str) -> None:
        pending = self._pending(using)
        ids = set(pending)
        pending.clear()
        if ids:
            self.callback(ids)


class ScopeVersions:
    """One version counter per unit (or supplier, ...): ``<prefix>:<pk>:version``."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._bumps = OnCommitIds(self.bump_now)

    def key(self, pk) -> str:
        return f"{self.prefix}:{pk}:version"

    def get(self, *pks) -> list[int]:
        """The counters of ``pks``, in one cache round trip."""
        return versions_get(*(self.key(pk) for pk in pks))

    def bump_now(self, pks: Iterable) -> None:
        for pk in pks:
            version_bump(self.key(pk))

    def changed(self, pks: Iterable, *, using: str | None = None) -> None:
        """Retire the cached pages of ``pks`` when the current transaction commits."""
        self._bumps.add(pks, using=using)


def private_page_cacheable(request: HttpRequest) -> bool:
    """A signed-in GET with no messages waiting: its page may come from (and fill) the
    cache of ``private_page``."""
    return (
        request.method == "GET"
        and bool(settings.ANONYMOUS_PAGE_CACHE_SECONDS)
        and request.user.is_authenticated
        and CookieStorage.cookie_name not in request.COOKIES
        and SESSION_MESSAGES_KEY not in request.session
    )


def private_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    key: str,
    holes: Mapping[str, Callable[[HttpRequest], str]] | None = None,
) -> HttpResponse:
    """The page for ``request`` from the cache under ``key``, otherwise ``render()``.

    ``key`` must name everything the page shows that is not filled per request: at least
    the user, and the version counters of what it reads. ``render`` is called with
    ``request.csrf_placeholder`` and ``request.user_parts_placeholder`` set, and must put
    ``CSRF_PLACEHOLDER`` where the token goes and each of ``holes`` where its HTML goes.
    Only a 200 is kept. A cache that is down (``core.cache`` fails soft) renders the page."""
    if not private_page_cacheable(request):
        return render()
    html = cache.get(key)
    if html is None:
        response, html = render_for_cache(request, render)
        if html is None:
            return response
        cache.set(key, html, PRIVATE_PAGE_SECONDS)
    return HttpResponse(placeholders_fill(request, html, holes))
