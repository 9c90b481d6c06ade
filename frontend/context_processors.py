from django.core.cache import cache
from oscar.core.loading import get_model

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
