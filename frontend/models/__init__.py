from .home import HomeFeaturedCategory, HomeFeaturedProduct, HomePage
from .pages import (
    CountyPavilionPage,
    NewsAttachment,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    PavilionIndexPage,
    StandardPage,
    StoryIndexPage,
    StoryPage,
    StoryProduct,
)
from .settings import SiteChrome

__all__ = [
    "CountyPavilionPage",
    "HomeFeaturedCategory",
    "HomeFeaturedProduct",
    "HomePage",
    "NewsAttachment",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "PavilionIndexPage",
    "SiteChrome",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
    "StoryProduct",
]
