from django.core.cache import cache
from django.utils.translation import get_language
from oscar.core.loading import get_model

from core.localized import localized

from .blocks import link_is_safe

Category = get_model("catalogue", "Category")

NAV_CATEGORIES_CACHE_KEY = "frontend:nav-categories:v2:{}"


def _language_key(key: str) -> str:
    """``key`` for the active language: header and footer are cached once per language."""
    return key.format(get_language() or "")


def site_chrome(request):
    """Header navigation: top-level categories in the visitor's language, cached for five
    minutes."""
    key = _language_key(NAV_CATEGORIES_CACHE_KEY)
    categories = cache.get(key)
    if categories is None:
        categories = [
            {"name": c.display_name, "url": c.get_absolute_url()}
            for c in Category.objects.filter(depth=1, is_public=True).order_by("path")[:10]
        ]
        cache.set(key, categories, 300)
    return {"nav_categories": categories}


CMS_CHROME_CACHE_KEY = "frontend:cms-chrome:v2:{}"
CMS_CHROME_SECONDS = 300


def cms_chrome_clear(**kwargs) -> None:
    """Signal receiver: the site settings or a page changed, rebuild header and footer."""
    from django.conf import settings

    cache.delete_many([CMS_CHROME_CACHE_KEY.format(code) for code, _name in settings.LANGUAGES])


def cms_chrome(request):
    """Site name, logo, hotline, footer and main menu from the Wagtail site settings, in the
    visitor's language, as plain values cached for every request (no query on a warm cache)."""
    key = _language_key(CMS_CHROME_CACHE_KEY)
    chrome = cache.get(key)
    if chrome is None:
        chrome = _build_cms_chrome(request)
        cache.set(key, chrome, CMS_CHROME_SECONDS)
    return {"cms": chrome}


def _build_cms_chrome(request) -> dict:
    from wagtail.models import Site

    from .models import SiteChrome

    site = Site.objects.filter(is_default_site=True).first()
    settings = SiteChrome.objects.filter(site=site).select_related("logo").first()
    if settings is None:
        settings = SiteChrome()
    logo_url = ""
    if settings.logo is not None:
        logo_url = settings.logo.get_rendition("fill-88x88").url
    return {
        "site_name": localized(settings, "site_name"),
        "tagline": localized(settings, "tagline"),
        "logo_url": logo_url,
        "hotline": settings.hotline,
        "service_hours": localized(settings, "service_hours"),
        "footer_about": localized(settings, "footer_about"),
        "copyright": localized(settings, "copyright"),
        "icp_number": settings.icp_number,
        "main_menu": _menu(settings.main_menu),
        "footer_links": _menu(settings.footer_links),
    }


def _menu(stream) -> list[dict]:
    items = []
    for child in stream:
        value = child.value
        page = value.get("page")
        url = page.localized.url if page is not None and page.live else ""
        url = url or (value.get("url") or "").strip()
        if url and link_is_safe(url):  # a link stored before the check is left out
            items.append({"label": localized(value, "label"), "url": url})
    return items


def user_chrome(request):
    """The signed-in user's header figures (``frontend.chrome``), in place of Oscar's
    notifications processor, which counted the notices with a query on every page:
    ``num_unread_notifications`` and ``user_chrome`` (roles, ``dashboard_access``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .chrome import user_chrome as chrome_for

    chrome = chrome_for(user)
    return {"user_chrome": chrome, "num_unread_notifications": chrome["unread_notifications"]}
