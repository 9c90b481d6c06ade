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
catalogue version and the CMS pages version (menus, site settings): the copy is stored with
the versions it was rendered under (read before the database) and read in one round trip
with the current ones. What still differs
between them (the CSRF token, the product page's recently viewed row) is a placeholder in
the cached copy, filled per request. Anyone else gets the page rendered for them, and never
fills this cache.

Within one request each version counter is read from the cache once (``RequestReadsMiddleware``):
a fresh product page asks for the catalogue version in five places (page key, fragments,
cards, related products). Moving a counter forgets what the request read, so a request
that changes something and then renders sees the new version.
"""

import hashlib
import secrets
from collections.abc import Callable, Mapping
from contextvars import ContextVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.module_loading import import_string

VERSION_KEY = "catalogue:version"
PAGES_VERSION_KEY = "frontend:pages:version"
GRID_SECONDS = 300
CSRF_PLACEHOLDER = "__HN_CSRF_TOKEN__"
CSP_NONCE_PLACEHOLDER = "__HN_CSP_NONCE__"
USER_PART_PLACEHOLDER = "__HN_USER_PART:{}__"
# The parts of a page that show the signed-in user's own things (templates).
USER_PARTS = ("oscar/partials/nav_accounts.html", "oscar/partials/mini_basket.html")
SESSION_MESSAGES_KEY = "_messages"  # SessionStorage's key: messages waiting to be shown


# What the current request has read from the cache that it may read again (version counters,
# the user's chrome): None outside a request (tasks, commands), which then read every time.
_request_reads: ContextVar[dict | None] = ContextVar("request_reads", default=None)


def request_reads() -> dict | None:
    """The current request's reads (``RequestReadsMiddleware``), None outside a request."""
    return _request_reads.get()


def request_reads_forget() -> None:
    """Forget what the current request has read: a counter moved."""
    reads = _request_reads.get()
    if reads is not None:
        reads.clear()


class RequestReadsMiddleware:
    """Keeps each request's cache reads of version counters for the rest of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_reads.set({})
        try:
            return self.get_response(request)
        finally:
            _request_reads.reset(token)


def _csp_nonce(request: HttpRequest) -> str:
    return str(getattr(request, "csp_nonce", ""))


def _counter_start() -> int:
    """Where a counter that is not in the cache starts: a random value, so that a counter
    that was evicted or expired and starts again never meets what was stored under one of
    its old values."""
    return secrets.randbelow(2**62) + 1


def version_get(key: str, *, timeout: int | None = None) -> int:
    """The current value of a cache version counter (started at random when missing, kept
    ``timeout`` seconds, for ever by default); read from the cache once per request."""
    reads = _request_reads.get()
    if reads is not None and key in reads:
        return reads[key]
    version = cache.get(key)
    if version is None:
        cache.add(key, _counter_start(), timeout=timeout)
        version = cache.get(key, 1)  # 1 only while the cache is down: nothing is kept
    if reads is not None:
        reads[key] = version
    return version


def versions_get(*keys: str) -> list[int]:
    """``version_get`` of each key, those not read yet in this request in one round trip."""
    reads = _request_reads.get()
    missing = [key for key in keys if reads is None or key not in reads]
    if len(missing) > 1:
        found = cache.get_many(missing)
        if reads is not None:
            reads.update(found)
        else:
            return [found[key] if key in found else version_get(key) for key in keys]
    return [version_get(key) for key in keys]


def versions_from(found: Mapping, keys, *, timeout: int | None = None) -> list[int]:
    """The counters ``keys`` from ``found`` (a ``cache.get_many`` that read them along with
    other things), ``version_get`` for those it lacks."""
    return [found[key] if key in found else version_get(key, timeout=timeout) for key in keys]


def versions_get_many(keys: list[str]) -> dict:
    """``cache.get_many(keys)``, reading in the same round trip the page version counters
    (catalogue, CMS pages) that this request has not read yet, kept as ``version_get``
    keeps them: a signed-in page reads its user's cached things and the versions of its
    cached body at once. Counters that were never set are left for ``version_get``."""
    reads = _request_reads.get()
    counters = (
        [] if reads is None else [k for k in (VERSION_KEY, PAGES_VERSION_KEY) if k not in reads]
    )
    found = cache.get_many([*keys, *counters])
    if reads is not None:
        reads.update({key: found[key] for key in counters if key in found})
    return {key: found[key] for key in keys if key in found}


def version_bump(key: str, *, timeout: int | None = None) -> None:
    """Move a version counter on: everything cached under the old value is retired."""
    request_reads_forget()
    try:
        cache.incr(key)
    except ValueError:  # not set yet (or evicted): a new random start
        cache.add(key, _counter_start(), timeout=timeout)


def version_bump_on_commit(
    key: str, *, using: str | None = None, then=None, timeout: int | None = None
) -> None:
    """Move a version counter once the current transaction on ``using`` commits (at once
    outside a transaction; never if it rolls back), then call ``then`` if given. Moved
    before the commit, a request in between could read the old rows and cache them under
    the new version. A cache that is down is logged; the change stands."""

    def bump():
        version_bump(key, timeout=timeout)
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


def catalogue_key(name: str, *parts) -> str:
    """The cache key of something shown the same to everyone that follows the catalogue:
    ``name``, the catalogue version, the active language and the day (certifications end
    at midnight), then ``parts``. Any change that moves the version retires it."""
    return ":".join(
        [
            name,
            str(catalogue_version()),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            *map(str, parts),
        ]
    )


def grid_cache_key(*, name: str, path: str) -> str:
    return catalogue_key(f"grid:{name}", hashlib.sha256(path.encode()).hexdigest()[:32])


def anonymous_page_key(request: HttpRequest, *, signed_in: bool = False) -> str | None:
    """The cache key of the page this request asks for, or None when the page may show
    something of this visitor's own (a session: signed in, messages; a basket). With
    ``signed_in``, a signed-in user (not staff) without a basket cookie or messages waiting
    gets the key of the signed-in copy, whose own parts (``USER_PARTS``) are filled per request.
    The versions the copy was rendered under are stored with it (``anonymous_page``), not in
    the key, so that the page and the counters are read in one round trip."""
    if request.method != "GET" or not settings.ANONYMOUS_PAGE_CACHE_SECONDS:
        return None
    if any(
        n in request.COOKIES for n in (settings.OSCAR_BASKET_COOKIE_OPEN, CookieStorage.cookie_name)
    ):
        return None
    if request.user.is_authenticated:
        # Staff pages carry edit links.
        if not signed_in or request.user.is_staff or SESSION_MESSAGES_KEY in request.session:
            return None
        variant = "user"
    elif settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    else:
        variant = "visitor"
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return ":".join(
        [
            "page",
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            variant,
            digest,
        ]
    )


def _page_versions_and_get(key: str) -> tuple[tuple[int, int], object]:
    """(catalogue and pages versions, what the cache holds at ``key``), in one round trip
    when this request has not read the versions yet."""
    reads = _request_reads.get()
    counters = [k for k in (VERSION_KEY, PAGES_VERSION_KEY) if reads is None or k not in reads]
    found = cache.get_many([key, *counters])
    if reads is not None:
        reads.update({k: found[k] for k in counters if k in found})
        versions = tuple(versions_get(VERSION_KEY, PAGES_VERSION_KEY))
    else:  # outside a request: the counters just read, or started
        versions = tuple(found[k] if k in found else version_get(k) for k in counters)
    return versions, found.get(key)


def user_parts_hidden(request: HttpRequest) -> bool:
    """Whether the page being rendered is the signed-in copy for the page cache, whose
    ``USER_PARTS`` are placeholders (the ``user_part`` template tag)."""
    return getattr(request, "user_parts_placeholder", False)


def user_part_placeholder(name: str) -> str:
    return USER_PART_PLACEHOLDER.format(name)


def user_part_render(request: HttpRequest, name: str, **extra) -> str:
    """One of ``USER_PARTS`` for this request's user: the template rendered with the
    request, the user, the CSRF token and the context processors of
    ``settings.PAGE_CACHE_USER_CONTEXT`` (the header figures), not all of them; ``extra``
    is added to the context last."""
    context = {"request": request, "user": request.user, "csrf_token": get_token(request)}
    for path in settings.PAGE_CACHE_USER_CONTEXT:
        context.update(import_string(path)(request))
    context.update(extra)
    return get_template(name).render(context)


def user_part(request: HttpRequest, name: str) -> str:
    """One of ``USER_PARTS`` for this request's user, by ``settings.PAGE_CACHE_USER_PART``
    (a function of the request and the part's template name) when set, which may keep
    them per user, or rendered afresh (``user_part_render``)."""
    path = getattr(settings, "PAGE_CACHE_USER_PART", None)
    return import_string(path)(request, name) if path else user_part_render(request, name)


Hole = Callable[[HttpRequest], str]


def anonymous_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    holes: Mapping[str, Hole] | None = None,
    served: Callable[[HttpResponse], None] | None = None,
    signed_in: bool = False,
) -> HttpResponse:
    """The page for ``request``: from the cache for a stateless visitor, otherwise
    ``render()``. ``render`` must put ``CSRF_PLACEHOLDER`` where the CSRF token goes when
    ``request.csrf_placeholder`` is set; only a 200 is kept.

    ``holes`` maps further placeholders that ``render`` puts in (also when
    ``request.csrf_placeholder`` is set) to functions giving this request's HTML for them.
    ``served`` is called with each page this function gives a stateless visitor, from the
    cache or just rendered (never with a page ``render()`` gave anyone else, nor with a
    redirect or an error): per-view work that the cached page skips, such as a cookie.

    With ``signed_in``, signed-in users without a basket cookie or messages waiting share one
    more copy, rendered with ``USER_PARTS`` as placeholders (``user_part`` template tag) that
    are rendered for each request's user (``user_part_render``): their name, notices, portal
    links, basket count and CSRF token are never anyone else's. Only for pages whose body
    shows nothing of the user's own."""
    key = anonymous_page_key(request, signed_in=signed_in)
    if key is None:
        return render()
    versions, stored = _page_versions_and_get(key)
    html = None
    if isinstance(stored, dict) and stored.get("versions") == versions:
        html = stored["html"]
    if html is None:
        response, html = render_for_cache(request, render)
        if html is None:
            return response
        # Stored with the versions read before the database: a change committed while this
        # page rendered moved them on, and the next request renders afresh.
        cache.set(key, {"versions": versions, "html": html}, settings.ANONYMOUS_PAGE_CACHE_SECONDS)
    response = HttpResponse(placeholders_fill(request, html, holes))
    if served is not None:
        served(response)
    return response


def render_for_cache(
    request: HttpRequest, render: Callable[[], HttpResponse]
) -> tuple[HttpResponse, str | None]:
    """``render()`` with the CSRF token and, for a signed-in user, ``USER_PARTS`` as
    placeholders, and the HTML to keep (None when the response is not a page to keep: a
    redirect, an error). The page's inline scripts carry this request's CSP nonce: a
    placeholder in the kept copy, each request's own nonce when served (which also puts it
    in the Content-Security-Policy header); a kept nonce would match no later header."""
    request.csrf_placeholder = True
    request.user_parts_placeholder = request.user.is_authenticated
    response = render()
    if response.status_code != 200 or not hasattr(response, "render"):
        return response, None
    html = response.render().content.decode(response.charset)
    nonce = getattr(request, "_csp_nonce", None)
    if nonce:
        html = html.replace(nonce, CSP_NONCE_PLACEHOLDER)
    return response, html


def placeholders_fill(
    request: HttpRequest, html: str, holes: Mapping[str, Hole] | None = None
) -> str:
    """A kept page for this request: its CSRF token, CSP nonce, a signed-in user's own
    ``USER_PARTS`` and ``holes`` (placeholder: function of the request) put in."""
    fills = {CSRF_PLACEHOLDER: get_token, CSP_NONCE_PLACEHOLDER: _csp_nonce, **(holes or {})}
    if request.user.is_authenticated:
        for name in USER_PARTS:
            fills[user_part_placeholder(name)] = lambda r, name=name: user_part(r, name)
    for placeholder, fill in fills.items():
        if placeholder in html:
            html = html.replace(placeholder, fill(request))
    return html
