"""Reads for the storefront's Wagtail pages; each runs a fixed number of queries."""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import get_language
from oscar.core.loading import get_model

from core.caching import pages_version
from core.localized import default_language_active
from points.selectors import supermarket_manager_memberships, village_clerk_memberships
from procurement.selectors.units import unit_memberships
from regions.models import Region
from regions.selectors import bureau_staff_memberships
from search.engines.database import product_card_queryset
from suppliers.selectors import supplier_staff_memberships

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")


def home_featured_categories(*, page) -> list:
    chosen = [fc.category for fc in page.featured_categories.select_related("category")]
    if chosen:
        return chosen
    return list(Category.objects.filter(depth=1, is_public=True).order_by("path")[:8])


def home_featured_products(*, page, limit: int = 8) -> list:
    ids = list(page.featured_products.values_list("product_id", flat=True))
    if ids:
        by_id = {p.pk: p for p in product_card_queryset().filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]  # purchasable ones only, in chosen order
    return list(product_card_queryset().order_by("-priority", "-date_created", "-pk")[:limit])


PAVILIONS_CACHE_KEY = "frontend:county-pavilions:v1"
PAVILIONS_CACHE_SECONDS = 300


def county_pavilion_list() -> list[Region]:
    """Counties with the purchasable products and certified suppliers of their subtree.

    The counts are cached for five minutes: they are a teaser, not a report.
    """
    cached = cache.get(PAVILIONS_CACHE_KEY)
    if cached is not None:
        return cached
    counties = list(Region.objects.counties().order_by("code"))
    prefix_len = {len(c.path) for c in counties}
    products = Product.objects.purchasable().values("origin_region__path").annotate(n=Count("pk"))
    suppliers = (
        Partner.objects.filter(certified_until__gte=timezone.localdate())
        .values("region__path")
        .annotate(n=Count("pk"))
    )
    product_counts = _sum_by_prefix(products, "origin_region__path", prefix_len)
    supplier_counts = _sum_by_prefix(suppliers, "region__path", prefix_len)
    for county in counties:
        county.product_count = product_counts.get(county.path, 0)
        county.supplier_count = supplier_counts.get(county.path, 0)
    cache.set(PAVILIONS_CACHE_KEY, counties, PAVILIONS_CACHE_SECONDS)
    return counties


def _sum_by_prefix(rows, key: str, lengths: set[int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        path = row[key] or ""
        for length in lengths:
            totals[path[:length]] = totals.get(path[:length], 0) + row["n"]
    return totals


# ---------------------------------------------------------------------------
# CMS pages
# ---------------------------------------------------------------------------
def pages_localized(pages: list) -> list:
    """``pages`` (of the Chinese tree), each as its published translation in the visitor's
    language where there is one: what lists show to an English visitor. One query, none
    for a Chinese visitor."""
    from wagtail.models import Locale, Page

    pages = list(pages)
    if default_language_active():
        return pages
    try:
        active = Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return pages
    if not pages or all(page.locale_id == active.pk for page in pages):
        return pages
    translations = {
        page.translation_key: page
        for page in Page.objects.live()
        .public()
        .filter(locale=active, translation_key__in=[p.translation_key for p in pages])
        .specific()
    }
    return [translations.get(page.translation_key, page) for page in pages]


def page_in_default_locale(page):
    """The Chinese page that ``page`` translates (``page`` itself when it is Chinese): the
    tree whose children lists show, in the visitor's language (``pages_localized``)."""
    from wagtail.models import Locale

    if default_language_active():
        return page  # a Chinese visitor is only ever routed to Chinese pages
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default) or page


def site_statistics() -> dict:
    """The home page's live figures: the reports app's public statistics (platform sales of
    every channel from the sales facts, certified suppliers, purchasable products, households
    helped), cached there and refreshed by its beat task."""
    from reports.selectors import public_statistics

    return public_statistics()


def product_cards_by_ids(ids: list[int]) -> list:
    """Purchasable products among ``ids``, in that order, card-ready (three queries)."""
    if not ids:
        return []
    by_id = {p.pk: p for p in product_card_queryset().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def user_portal_roles(*, user) -> dict[str, bool]:
    """Which portals ``user`` has a role in: ``supplier`` (supplier staff), ``unit``
    (budget-unit member), ``bureau`` (bureau staff), ``clerk`` (village points clerk),
    ``manager`` (points-supermarket manager). One query; none for a visitor."""
    if user is None or not user.is_authenticated:
        return {}
    roles = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            supplier=Exists(supplier_staff_memberships().filter(user_id=OuterRef("pk"))),
            unit=Exists(unit_memberships().filter(user_id=OuterRef("pk"))),
            bureau=Exists(bureau_staff_memberships().filter(user_id=OuterRef("pk"))),
            clerk=Exists(village_clerk_memberships().filter(user_id=OuterRef("pk"))),
            manager=Exists(supermarket_manager_memberships().filter(user_id=OuterRef("pk"))),
        )
        .values("supplier", "unit", "bureau", "clerk", "manager")
        .first()
    )
    return roles or {}


def product_cards_latest(*, region: Region | None = None, limit: int = 8) -> list:
    """The newest purchasable products, of ``region``'s subtree when given (three queries)."""
    products = product_card_queryset()
    if region is not None:
        products = products.filter(origin_region__path__startswith=region.path)
    return list(products.order_by("-date_created", "-pk")[:limit])


def pavilion_suppliers(*, region: Region) -> list:
    """Suppliers of the region's subtree holding a valid certification, largest first."""
    return list(
        Partner.objects.filter(
            region__path__startswith=region.path, certified_until__gte=timezone.localdate()
        )
        .select_related("region")
        .order_by("-households_helped", "name")
    )


def pavilion_product_count(*, region: Region) -> int:
    return Product.objects.purchasable().filter(origin_region__path__startswith=region.path).count()


NEWS_THUMBNAIL = "fill-240x160"  # as in frontend/partials/news_list.html
PAGES_CACHE_SECONDS = 300


def latest_news(*, limit: int = 4, category: str = "") -> list:
    """Published news, newest first, in the visitor's language where translated, with cover
    renditions; cached until a page changes."""
    from wagtail.models import Locale

    from .models import NewsPage

    language = get_language() or ""
    key = f"frontend:latest-news:{pages_version()}:{language}:{limit}:{category}"
    news = cache.get(key)
    if news is None:
        pages = (
            NewsPage.objects.live()
            .public()
            .filter(locale=Locale.get_default())
            .select_related("cover_image")
            .prefetch_related("cover_image__renditions")
        )
        if category:
            pages = pages.filter(category=category)
        news = pages_localized(pages.order_by("-date", "-first_published_at", "-pk")[:limit])
        for page in news:
            # Made now, the rendition travels with the cached list: no query when shown.
            if page.cover_image is not None:
                page.cover_image.get_rendition(NEWS_THUMBNAIL)
        cache.set(key, news, PAGES_CACHE_SECONDS)
    return news


def pavilion_page_urls() -> dict[int, str]:
    """County region id -> path of its published pavilion page; cached until a page changes."""
    from wagtail.models import Locale

    from .models import CountyPavilionPage

    key = f"frontend:pavilion-urls:{pages_version()}"  # the addresses of both languages
    urls = cache.get(key)
    if urls is None:
        pages = (
            CountyPavilionPage.objects.live()
            .public()
            .filter(locale=Locale.get_default())
            .only("url_path", "region_id")
        )
        urls = {page.region_id: page.get_url() for page in pages}
        cache.set(key, urls, PAGES_CACHE_SECONDS)
    return urls


def news_index_page():
    """The published news index (for "more news" links, the same address in both languages);
    cached until a page changes."""
    from wagtail.models import Locale

    from .models import NewsIndexPage

    key = f"frontend:news-index:{pages_version()}"
    page = cache.get(key)
    if page is None:
        page = NewsIndexPage.objects.live().filter(locale=Locale.get_default()).first() or False
        cache.set(key, page, PAGES_CACHE_SECONDS)
    return page or None


def page_search(*, text: str, limit: int = 5) -> list:
    """Published pages matching ``text`` (Chinese-aware, see ``frontend.search``), best first;
    a page and its translation count once, in the visitor's language where translated."""
    from wagtail.models import Page

    from .search import cjk_query

    query = cjk_query(text)
    if not query:
        return []
    results = (
        Page.objects.live().public().filter(depth__gt=2).specific().search(query, operator="and")
    )
    found = {}
    for page in results[: limit * 2]:
        found.setdefault(page.translation_key, page)
    return pages_localized(list(found.values())[:limit])
