from django.core.cache import cache
from oscar.core.loading import get_model

from .blocks import link_is_safe

Category = get_model("catalogue", "Category")

NAV_CATEGORIES_CACHE_KEY = "frontend:nav-categories:v1"


def site_chrome(request):
    """Header navigation: top-level categories, cached for five minutes."""
    categories = cache.get(NAV_CATEGORIES_CACHE_KEY)
    if categories is None:
        categories = [
            {"name": c.name, "url": c.get_absolute_url()}
            for c in Category.objects.filter(depth=1, is_public=True).order_by("path")[:10]
        ]
        cache.set(NAV_CATEGORIES_CACHE_KEY, categories, 300)
    return {"nav_categories": categories}


CMS_CHROME_CACHE_KEY = "frontend:cms-chrome:v1"
CMS_CHROME_SECONDS = 300


def cms_chrome_clear(**kwargs) -> None:
    """Signal receiver: the site settings or a page changed, rebuild header and footer."""
    cache.delete(CMS_CHROME_CACHE_KEY)


def cms_chrome(request):
    """Site name, logo, hotline, footer and main menu from the Wagtail site settings, as plain
    values cached for every request (no query on a warm cache)."""
    chrome = cache.get(CMS_CHROME_CACHE_KEY)
    if chrome is None:
        chrome = _build_cms_chrome(request)
        cache.set(CMS_CHROME_CACHE_KEY, chrome, CMS_CHROME_SECONDS)
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
        "site_name": settings.site_name,
        "tagline": settings.tagline,
        "logo_url": logo_url,
        "hotline": settings.hotline,
        "service_hours": settings.service_hours,
        "footer_about": settings.footer_about,
        "copyright": settings.copyright,
        "icp_number": settings.icp_number,
        "main_menu": _menu(settings.main_menu),
        "footer_links": _menu(settings.footer_links),
    }


def _menu(stream) -> list[dict]:
    items = []
    for child in stream:
        value = child.value
        page = value.get("page")
        url = page.url if page is not None and page.live else ""
        url = url or (value.get("url") or "").strip()
        if url and link_is_safe(url):  # a link stored before the check is left out
            items.append({"label": value["label"], "url": url})
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
