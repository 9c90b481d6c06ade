from django.urls import URLPattern, URLResolver
from oscar.config import Shop


class MarketplaceShop(Shop):
    """Oscar's shop without the dashboard: the dashboard is mounted at /dashboard/."""

    def get_urls(self) -> list[URLPattern | URLResolver]:
        return [
            url
            for url in super().get_urls()
            if not (isinstance(url, URLResolver) and str(url.pattern) == "dashboard/")
        ]
