"""Version counters that retire cached things at once: the catalogue version (rendered product
grids, search results, whole list pages for stateless visitors) and the CMS pages version
(menus, page lists).

A product card shows the same thing to every visitor (prices are the same for all, and the
basket is not part of it), so a grid rendered once can serve every request for the same
list, page and language. Any saved or deleted product, supplier, image, category or category
assignment moves the catalogue version on, which retires every cached grid, search result
and page at once. A saved stock record does only when it changes what a card shows
(``StockRecord.shown_changed``: supplier, price, in stock or sold out, the minimum order
quantity buyable or not), so that a checkout which leaves its products buyable keeps the
caches. The version moves when the change commits (at once outside a transaction): moved
earlier, a concurrent request could read the old rows and cache them under the new version.
The per-request CSRF token is put in after the cache, so cached forms stay valid.

A whole list or product page (header, filters, grid, footer) is the same for every visitor
who is not signed in and carries no session, basket or messages cookie: ``anonymous_page``
serves such visitors one rendered copy per address, language and day, retired with the
catalogue version and the CMS pages version (menus, site settings). What still differs
between them (the CSRF token, the product page's recently viewed row) is a placeholder in
the cached copy, filled per request. Anyone else gets the page rendered for them, and never
fills this cache.
"""

import hashlib
from collections.abc import Callable, Mapping

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

VERSION_KEY = "catalogue:version"
PAGES_VERSION_KEY = "frontend:pages:version"
GRID_SECONDS = 300
CSRF_PLACEHOLDER = "__HN_CSRF_TOKEN__"


def version_get(key: str) -> int:
    """The current value of a cache version counter (1 when it was never moved)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, timeout=None)
        version = cache.get(key, 1)
    return version


def version_bump(key: str) -> None:
    """Move a version counter on: everything cached under the old value is retired."""
    try:
        cache.incr(key)
    except ValueError:  # not set yet
        cache.add(key, 2, timeout=None)


def version_bump_on_commit(key: str, *, using: str | None = None, then=None) -> None:
    """Move a version counter once the current transaction on ``using`` commits (at once
    outside a transaction; never if it rolls back), then call ``then`` if given. Moved
    before the commit, a request in between could read the old rows and cache them under
    the new version. A cache that is down is logged; the change stands."""

    def bump():
        version_bump(key)
        if then is not None:
            then()

    transaction.on_commit(bump, using=using, robust=True)


def catalogue_version() -> int:
    return version_get(VERSION_KEY)


def catalogue_changed(*, using: str | None = None, **kwargs) -> None:
    """Signal receiver and service call: retire every cached grid, search result and
    anonymous page once the current transaction on ``using`` commits (at once outside a
    transaction; never if it rolls back). A cache that is down is logged, the change stands."""
    version_bump_on_commit(VERSION_KEY, using=using)


def pages_version() -> int:
    return version_get(PAGES_VERSION_KEY)


def pages_changed(*, then=None, **kwargs) -> None:
    """A page was published, unpublished, moved or deleted, or site settings were saved:
    retire cached page lists, menus and anonymous pages when the change commits."""
    version_bump_on_commit(PAGES_VERSION_KEY, then=then)


def stockrecord_saved(sender, instance, **kwargs) -> None:
    """Signal receiver: a stock record write retires the caches only when it changes what a
    product card shows."""
    if instance.shown_changed():
        catalogue_changed(**kwargs)


def grid_cache_key(*, name: str, path: str) -> str:
    # The day is in the key because certifications end at midnight.
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return ":".join(
        [
            "grid",
            name,
            str(catalogue_version()),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            digest,
        ]
    )


def anonymous_page_key(request: HttpRequest) -> str | None:
    """The cache key of the page this request asks for, or None when the page may show
    something of this visitor's own (a session: signed in, messages; a basket)."""
    if request.method != "GET" or not settings.ANONYMOUS_PAGE_CACHE_SECONDS:
        return None
    own = (
        settings.SESSION_COOKIE_NAME,
        settings.OSCAR_BASKET_COOKIE_OPEN,
        CookieStorage.cookie_name,
    )
    if any(name in request.COOKIES for name in own) or request.user.is_authenticated:
        return None
    versions = cache.get_many([VERSION_KEY, PAGES_VERSION_KEY])  # one round trip when set
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return ":".join(
        [
            "page",
            str(versions.get(VERSION_KEY) or catalogue_version()),
            str(versions.get(PAGES_VERSION_KEY) or pages_version()),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            digest,
        ]
    )


Hole = Callable[[HttpRequest], str]


def anonymous_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    holes: Mapping[str, Hole] | None = None,
    served: Callable[[HttpResponse], None] | None = None,
) -> HttpResponse:
    """The page for ``request``: from the cache for a stateless visitor, otherwise
    ``render()``. ``render`` must put ``CSRF_PLACEHOLDER`` where the CSRF token goes when
    ``request.csrf_placeholder`` is set; only a 200 is kept.

    ``holes`` maps further placeholders that ``render`` puts in (also when
    ``request.csrf_placeholder`` is set) to functions giving this request's HTML for them.
    ``served`` is called with each page this function gives a stateless visitor, from the
    cache or just rendered (never with a page ``render()`` gave anyone else, nor with a
    redirect or an error): per-view work that the cached page skips, such as a cookie."""
    key = anonymous_page_key(request)
    if key is None:
        return render()
    html = cache.get(key)
    if html is None:
        request.csrf_placeholder = True
        response = render()
        if response.status_code != 200 or not hasattr(response, "render"):
            return response
        html = response.render().content.decode(response.charset)
        cache.set(key, html, settings.ANONYMOUS_PAGE_CACHE_SECONDS)
    for placeholder, fill in {CSRF_PLACEHOLDER: get_token, **(holes or {})}.items():
        if placeholder in html:
            html = html.replace(placeholder, fill(request))
    response = HttpResponse(html)
    if served is not None:
        served(response)
    return response
