import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from tests.factories.catalog import CategoryFactory, ProductFactory, SupplierFactory
from tests.support.browser import browser  # noqa: F401
from tests.support.localstripe import localstripe, localstripe_server, stripe_down  # noqa: F401


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (Chinese): the locale middleware leaves the
    language of a request (an English cookie in an earlier test) active in the thread, where
    a service called directly would then write its messages in English."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def regions(db):
    from tests.factories.regions import region_tree

    return region_tree()


@pytest.fixture
def catalogue(regions, home_page):
    """Two categories, a certified supplier in 烈山区 with three products, one uncertified."""
    fruit = CategoryFactory(name="水果", slug="shui-guo")
    grain = CategoryFactory(name="粮油米面", slug="liang-you-mi-mian")
    supplier = SupplierFactory(
        name="淮北塔山石榴专业合作社", region=regions["烈山镇"], households_helped=36
    )
    pomegranate = ProductFactory(
        title="塔山石榴 精品礼盒 6枚装",
        origin_region=regions["烈山区"],
        origin_detail="烈山区烈山镇",
        is_geo_indication=True,
        categories=[fruit],
        stockrecord__partner=supplier,
        stockrecord__price="68.00",
    )
    rice = ProductFactory(
        title="濉溪大米 10kg",
        origin_region=regions["濉溪县"],
        origin_detail="濉溪县濉溪镇",
        categories=[grain],
        stockrecord__partner=SupplierFactory(name="濉溪县濉河农业发展有限公司"),
        stockrecord__price="59.90",
    )
    grapes = ProductFactory(
        title="濉溪葡萄 5斤装",
        origin_region=regions["濉溪县"],
        categories=[fruit],
        stockrecord__partner=supplier,
    )
    hidden = ProductFactory(
        title="未认定商家的石榴",
        categories=[fruit],
        stockrecord__partner=SupplierFactory(name="未认定合作社", certified_until=None),
    )
    return {
        "fruit": fruit,
        "grain": grain,
        "supplier": supplier,
        "pomegranate": pomegranate,
        "rice": rice,
        "grapes": grapes,
        "hidden": hidden,
    }


@pytest.fixture
def home_page(db):
    """The shop's home page, as the frontend migration makes it (an earlier transactional test
    may have flushed the database, Wagtail's page tree and root collection included)."""
    from wagtail.models import Locale, Page, Site

    from frontend.models import HomePage
    from tests.support.wagtail import root_collection

    root_collection()  # images and documents need it
    Locale.objects.get_or_create(language_code="en")  # as the frontend migration makes it
    home = HomePage.objects.filter(locale__language_code="zh-hans").first()
    if home is None:
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(
            instance=HomePage(
                title="惠农集市", slug="home", hero_title="惠农集市", hero_button_text="去逛逛"
            )
        )
        Site.objects.filter(is_default_site=True).delete()
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="惠农集市",
        )
    return home


@pytest.fixture
def page_cache_on(settings):
    """Whole pages served from the cache to stateless visitors (off in the other tests, which
    read the response's template context)."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block and then its on-commit work, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
