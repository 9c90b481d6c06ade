"""The search suite: one catalogue committed once per module, indexed by both engines.

``engine`` is parametrised over the database engine and the Elasticsearch engine against
osmem-server (an in-process OpenSearch-compatible server) on a free port, as a real HTTP
server; the Elasticsearch client's compatibility headers go out as plain JSON
(``search.engines.elastic.PlainJsonNode``, flavour "opensearch").
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from search.engines import DatabaseEngine, reset_state
from search.engines.elastic import ElasticsearchEngine
from search.models import ProductDocument, ProductDocumentCategory, SearchOutbox
from search.services import search_index_rebuild_database
from tests.factories.catalog import CategoryFactory, ProductFactory, SupplierFactory
from tests.factories.regions import region_tree

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
Category = get_model("catalogue", "Category")
ProductRecord = get_model("analytics", "ProductRecord")

_prefixes = itertools.count(1)


@pytest.fixture(scope="session")
def osmem():
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False)
    yield server
    server.close()


def es_engine(osmem, prefix: str) -> ElasticsearchEngine:
    return ElasticsearchEngine(url=osmem.url, flavor="opensearch", prefix=prefix)


def _build_catalogue() -> dict:
    regions = region_tree()
    fruit = CategoryFactory(name="水果", slug="s-fruit")
    pears = fruit.add_child(name="梨果类", slug="s-pears")
    grain = CategoryFactory(name="粮油米面", slug="s-grain")
    coop = SupplierFactory(name="淮北塔山石榴专业合作社", region=regions["烈山镇"])
    farm = SupplierFactory(
        name="濉溪县濉河农业发展有限公司",
        region=regions["濉溪镇"],
        certified_until=timezone.localdate() + datetime.timedelta(days=730),
    )
    uncertified = SupplierFactory(name="未认定合作社", certified_until=None)

    def product(key, title, **kwargs):
        return key, ProductFactory(title=title, **kwargs)

    items = dict(
        [
            product(
                "gift",
                "塔山石榴 精品礼盒 6枚装",
                origin_region=regions["烈山镇"],
                is_geo_indication=True,
                categories=[fruit],
                stockrecord__partner=coop,
                stockrecord__price="68.00",
            ),
            product(
                "family",
                "塔山石榴 家庭装 5斤",
                origin_region=regions["烈山区"],
                is_green=True,
                categories=[fruit],
                stockrecord__partner=coop,
                stockrecord__price="39.90",
                stockrecord__num_in_stock=0,
            ),
            product(
                "pear",
                "砀山酥梨 5斤装",
                origin_detail="砀山县",
                is_organic=True,
                categories=[pears],
                stockrecord__partner=farm,
                stockrecord__price="29.90",
            ),
            product(
                "rice10",
                "濉溪大米 10kg",
                origin_region=regions["濉溪县"],
                is_green=True,
                is_organic=True,
                categories=[grain],
                stockrecord__partner=farm,
                stockrecord__price="59.90",
            ),
            product(
                "rice5",
                "濉溪大米 5kg",
                origin_region=regions["濉溪镇"],
                categories=[grain],
                stockrecord__partner=farm,
                stockrecord__price="32.00",
            ),
            product(
                "grapes",
                "濉溪葡萄 礼盒 3kg",
                origin_region=regions["濉溪县"],
                categories=[fruit],
                stockrecord__partner=coop,
                stockrecord__price="188.00",
            ),
            product(
                "uncertified",
                "未认定商家的石榴",
                categories=[fruit],
                stockrecord__partner=uncertified,
            ),
            product(
                "draft",
                "草稿石榴 礼盒",
                categories=[fruit],
                listing_status="draft",
                stockrecord__partner=coop,
            ),
        ]
    )
    base = timezone.now() - datetime.timedelta(days=30)
    for days, key in enumerate(["gift", "family", "pear", "rice10", "rice5", "grapes"]):
        Product.objects.filter(pk=items[key].pk).update(
            date_created=base + datetime.timedelta(days=days)
        )
    for key, sold in [("rice10", 50), ("gift", 30), ("pear", 10)]:
        ProductRecord.objects.update_or_create(product=items[key], defaults={"num_purchases": sold})
    search_index_rebuild_database()
    SearchOutbox.objects.all().delete()
    return {
        **{key: Product.objects.get(pk=p.pk) for key, p in items.items()},
        "regions": regions,
        "fruit": fruit,
        "pears": Category.objects.get(pk=pears.pk),
        "grain": grain,
        "coop": coop,
        "farm": farm,
    }


def _clean_all() -> None:
    from regions.models import Region

    ProductDocumentCategory.objects.all().delete()
    ProductDocument.objects.all().delete()
    SearchOutbox.objects.all().delete()
    ProductRecord.objects.all().delete()
    Product.objects.all().delete()
    Partner.objects.all().delete()
    Category.objects.all().delete()
    Region.objects.all().delete()


@pytest.fixture(scope="module")
def search_catalogue(django_db_setup, django_db_blocker):
    """Committed for the module (tests roll back their own changes on top of it)."""
    with django_db_blocker.unblock():
        catalogue = _build_catalogue()
    yield catalogue
    with django_db_blocker.unblock():
        _clean_all()


@pytest.fixture(scope="module")
def es_index(search_catalogue, osmem, django_db_blocker):
    """The module's catalogue in a fresh osmem index (its own alias prefix)."""
    engine = es_engine(osmem, f"t{next(_prefixes)}")
    with django_db_blocker.unblock():
        engine.rebuild()
    return engine


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request, search_catalogue, db):
    reset_state()
    if request.param == "database":
        return DatabaseEngine()
    return request.getfixturevalue("es_index")


@pytest.fixture
def cat(search_catalogue, db):
    return search_catalogue


def ids(*products) -> list[int]:
    return [p.pk for p in products]


PRICE = Decimal
