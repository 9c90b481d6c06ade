"""首页与站点: the sites framework record and the Wagtail home page."""

from django.contrib.sites.models import Site
from oscar.core.loading import get_model
from wagtail.models import Locale

from frontend.models import HomeFeaturedCategory, HomeFeaturedProduct, HomePage

from .. import data
from ..exceptions import DemoHomePageMissingError
from .base import Tally, upsert

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


def seed_site(*, tally: Tally) -> Site:
    """The sites framework's current site (SITE_ID 1): the domain in e-mails and links."""
    return upsert(Site, {"pk": 1}, dict(data.SITE), tally)


def seed_home_page(
    *, categories: dict[str, Category], products: dict[str, Product], tally: Tally
) -> HomePage:
    """The Wagtail home page's content and featured items, published when it changed."""
    page = HomePage.objects.filter(locale=Locale.get_default()).first()
    if page is None:
        raise DemoHomePageMissingError("首页不存在：请先运行 manage.py migrate。")
    content = data.HOME_PAGE
    fields = {
        k: v for k, v in content.items() if k not in ("featured_categories", "featured_products")
    }
    category_ids = [categories[name].pk for name in content["featured_categories"]]
    product_ids = [products[title].pk for title in content["featured_products"]]
    unchanged = (
        page.live
        and not page.has_unpublished_changes
        and all(getattr(page, k) == v for k, v in fields.items())
        and list(page.featured_categories.values_list("category_id", flat=True)) == category_ids
        and list(page.featured_products.values_list("product_id", flat=True)) == product_ids
    )
    if not unchanged:
        for key, value in fields.items():
            setattr(page, key, value)
        page.featured_categories = [
            HomeFeaturedCategory(category_id=pk, sort_order=i) for i, pk in enumerate(category_ids)
        ]
        page.featured_products = [
            HomeFeaturedProduct(product_id=pk, sort_order=i) for i, pk in enumerate(product_ids)
        ]
        page.save_revision().publish()
        page.refresh_from_db()
        tally.updated += 1
    return page
