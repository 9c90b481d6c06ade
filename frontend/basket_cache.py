"""The signed-in basket page, rendered once per basket content and served from the cache.

Rendering the basket page costs some twenty milliseconds (the lines with their products,
stock records and images, the strategy per line, offers, the shipping estimate, the line
formset, the page chrome), and a shopper reloads it unchanged far more often than they
change it. So the whole page, rendered for one signed-in user, is kept in the cache under
that user's id and the language, with ``USER_PARTS`` (the header), the CSRF token and the
CSP nonce as placeholders filled per request (as ``core.caching.anonymous_page`` does for
the signed-in copy of shared pages). It is served only while everything it shows is as it
was rendered:

- the user's baskets (``basket:owner:<user id>``): moved when a basket of theirs, a line, a
  line's options or the vouchers of their basket change (add, remove, quantity, save for
  later, merge, checkout);
- each product on the page (``basket:product:<product id>``): moved when one of the
  product's stock records is saved or deleted, allocations included (the page shows the
  exact number in stock, and a line's price is compared with the price it was added at);
- offers (``basket:offers``): moved when an offer, its condition, benefit or range, a range's
  products, or a voucher changes; while any site offer is open the page is not cached at
  all (an offer starts and ends with the clock, not with a write);
- the basket page's other terms (``basket:terms``): suppliers' shipping rules and budget-unit
  memberships (the 以单位采购结算 button);
- the catalogue version and the CMS pages version (``core.caching``: titles, images,
  suppliers and their certification, menus and site settings) and the day (certifications
  end at midnight).

Counters are ``core.caching`` version counters, moved on when the change commits: a counter
evicted from the cache starts again at a random value that never meets a page stored under
its old one. The
counters are read before the database, so a page rendered while a change commits is stored
under the old values, where nobody looks any more. The page is not cached for staff, for a
request with a query string, a basket cookie to merge, or messages waiting to be shown,
nor when the cache setting ``BASKET_PAGE_CACHE_SECONDS`` is 0. With the cache down every
read misses and every request renders the page from the database.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from core.caching import (
    PAGES_VERSION_KEY,
    SESSION_MESSAGES_KEY,
    VERSION_KEY,
    placeholders_fill,
    render_for_cache,
    version_bump_on_commit,
    version_get,
    versions_from,
    versions_get_many,
)

OWNER_KEY = "basket:owner:{}"
PRODUCT_KEY = "basket:product:{}"
OFFERS_KEY = "basket:offers"
TERMS_KEY = "basket:terms"
PAGE_KEY = "basket:page:{}:{}"
SITE_OFFERS_KEY = "basket:site-offers:{}"
# A product's counter outlives the pages that read it; when it goes, they are retired.
PRODUCT_KEY_SECONDS = 7 * 24 * 3600
SITE_OFFERS_SECONDS = 300


def _tokens(keys: list[str], found: dict, *, timeout=None) -> dict[str, int]:
    """The counters ``keys`` from ``found``, a missing one started at random
    (``core.caching.version_get``)."""
    return dict(zip(keys, versions_from(found, keys, timeout=timeout), strict=True))


# ---------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------
def site_offers_open() -> bool:
    """Whether any site offer is open now or may open with the clock (status open, not
    ended): when not, the basket needs no site offer query. Read once per offers version
    and at most ``SITE_OFFERS_SECONDS`` old."""
    version = version_get(OFFERS_KEY)
    key = SITE_OFFERS_KEY.format(version)
    found = cache.get(key)
    if found is None:
        ConditionalOffer = get_model("offer", "ConditionalOffer")
        found = (
            ConditionalOffer.objects.filter(
                offer_type=ConditionalOffer.SITE, status=ConditionalOffer.OPEN
            )
            .exclude(end_datetime__lt=timezone.now())
            .exists()
        )
        cache.set(key, found, SITE_OFFERS_SECONDS)
    return found


# ---------------------------------------------------------------------------
# The page
# ---------------------------------------------------------------------------
def basket_page_cacheable(request: HttpRequest) -> bool:
    """Whether this request's basket page may come from (and go to) the cache."""
    user = request.user
    return (
        settings.BASKET_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not request.GET
        and user.is_authenticated
        and not user.is_staff
        # (A cookie deleted by the last response may come back empty.)
        and not request.COOKIES.get(settings.OSCAR_BASKET_COOKIE_OPEN)
        and not request.COOKIES.get(CookieStorage.cookie_name)
        and SESSION_MESSAGES_KEY not in request.session
    )


def _page_key(user_id: int) -> str:
    return PAGE_KEY.format(user_id, translation.get_language() or "")


def _shown_products(user) -> list[int]:
    """The products of the user's open and saved baskets: those the page shows."""
    Line = get_model("basket", "Line")
    Basket = get_model("basket", "Basket")
    return sorted(
        set(
            Line.objects.filter(
                basket__owner=user, basket__status__in=(Basket.OPEN, Basket.SAVED)
            ).values_list("product_id", flat=True)
        )
    )


def basket_page(
    request: HttpRequest,
    render: Callable[[], HttpResponse],
    *,
    cacheable_render: Callable[[HttpResponse], bool],
) -> HttpResponse:
    """The basket page for ``request``: from the cache when nothing it shows changed since
    it was rendered for this user, otherwise ``render()`` (kept when
    ``cacheable_render(response)`` says the page depends on nothing but the counters).

    ``render`` must put ``CSRF_PLACEHOLDER`` in place of the CSRF token when
    ``request.csrf_placeholder`` is set; the ``user_part`` tag puts placeholders for
    ``USER_PARTS`` when ``request.user_parts_placeholder`` is."""
    if not basket_page_cacheable(request):
        return render()
    user = request.user
    key = _page_key(user.pk)
    owner_key = OWNER_KEY.format(user.pk)
    version_keys = [owner_key, OFFERS_KEY, TERMS_KEY]
    # With the catalogue and CMS counters, when this request has not read them yet.
    found = versions_get_many([*version_keys, key])
    tokens = _tokens(version_keys, found)
    versions = (
        *(tokens[k] for k in version_keys),
        version_get(VERSION_KEY),
        version_get(PAGES_VERSION_KEY),
        timezone.localdate().isoformat(),
    )
    stored = found.get(key)
    if stored is not None and stored["versions"] == versions:
        product_keys = [PRODUCT_KEY.format(pk) for pk in stored["products"]]
        if not product_keys or cache.get_many(product_keys) == stored["stamps"]:
            return HttpResponse(placeholders_fill(request, stored["html"]))

    # Read the products' counters before the database, as the versions above.
    products = _shown_products(user)
    product_keys = [PRODUCT_KEY.format(pk) for pk in products]
    stamps = _tokens(product_keys, cache.get_many(product_keys), timeout=PRODUCT_KEY_SECONDS)
    response, html = render_for_cache(request, render)
    if html is None:
        return response
    if cacheable_render(response):  # (a cache that is down keeps nothing)
        entry = {"versions": versions, "products": products, "stamps": stamps, "html": html}
        cache.set(key, entry, settings.BASKET_PAGE_CACHE_SECONDS)
    return HttpResponse(placeholders_fill(request, html))


# ---------------------------------------------------------------------------
# Signal receivers (connected in frontend.basket_apps.BasketConfig.ready)
# ---------------------------------------------------------------------------
def owner_changed(*, user_id: int | None) -> None:
    """Retire the user's cached basket page when the current transaction commits."""
    if user_id is not None:
        version_bump_on_commit(OWNER_KEY.format(user_id))


def basket_saved(sender, instance, **kwargs) -> None:
    owner_changed(user_id=instance.owner_id)


def _line_owner_id(line) -> int | None:
    Line = get_model("basket", "Line")
    Basket = get_model("basket", "Basket")
    basket = Line._meta.get_field("basket").get_cached_value(line, None)
    if basket is not None:
        return basket.owner_id
    return Basket.objects.filter(pk=line.basket_id).values_list("owner_id", flat=True).first()


def line_saved(sender, instance, **kwargs) -> None:
    owner_changed(user_id=_line_owner_id(instance))


def line_attribute_saved(sender, instance, **kwargs) -> None:
    Line = get_model("basket", "Line")
    line = Line.objects.filter(pk=instance.line_id).select_related("basket").first()
    if line is not None:
        owner_changed(user_id=line.basket.owner_id)


def basket_vouchers_changed(sender, instance, action, reverse, **kwargs) -> None:
    """``m2m_changed`` of a basket's vouchers: that basket's owner, or every basket page
    when changed from the voucher's side."""
    if not action.startswith("post_"):
        return
    if reverse:
        offers_changed()
    else:
        owner_changed(user_id=instance.owner_id)


def stockrecord_saved(sender, instance, **kwargs) -> None:
    """Any write of a stock record, allocations included: the basket shows the exact stock."""
    version_bump_on_commit(PRODUCT_KEY.format(instance.product_id), timeout=PRODUCT_KEY_SECONDS)


def offers_changed(*args, **kwargs) -> None:
    version_bump_on_commit(OFFERS_KEY)


def offer_links_changed(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        offers_changed()


def terms_changed(*args, **kwargs) -> None:
    version_bump_on_commit(TERMS_KEY)
