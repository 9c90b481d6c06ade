"""The catalogue version (core.caching), which retires cached grids, search results and
anonymous pages, moves when what a visitor sees changes, and only once that change commits.

A stock record write counts only when it changes the supplier, the price, in stock or sold
out, or whether the minimum order quantity can be bought (StockRecord.shown_changed): most
stock allocations of a checkout do not, and keep the caches and the search documents."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from core.caching import VERSION_KEY, catalogue_version
from search.models import ProductDocument, SearchOutbox
from search.services import search_sales_refresh
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory
from tests.factories.payments import place_pending_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

SEARCH = reverse("search:search") + "?q=%E7%9F%B3%E6%A6%B4"  # ?q=石榴
ProductRecord = get_model("analytics", "ProductRecord")


def record_of(product, *, num_in_stock=None):
    record = product.stockrecords.get()
    if num_in_stock is not None:
        type(record).objects.filter(pk=record.pk).update(num_in_stock=num_in_stock)
        record.refresh_from_db()
    return record


def indexed_at(product):
    return ProductDocument.objects.get(product=product).indexed_at


def test_an_allocation_that_leaves_the_product_in_stock_keeps_the_cached_page(catalogue, committed):
    record = record_of(catalogue["pomegranate"], num_in_stock=5)
    Client().get(SEARCH)  # fills the cache
    version, indexed = catalogue_version(), indexed_at(catalogue["pomegranate"])
    pending = SearchOutbox.objects.count()

    with committed():
        record.allocate(2)
        assert SearchOutbox.objects.count() == pending  # no re-index asked for

    response = Client().get(SEARCH)
    assert catalogue_version() == version
    assert response.context is None  # served from the cache
    assert indexed_at(catalogue["pomegranate"]) == indexed  # no search index work either
    assert (record.num_in_stock, record.num_allocated) == (5, 2)


def test_a_whole_checkout_that_leaves_its_products_in_stock_keeps_the_version(catalogue, committed):
    version = catalogue_version()

    with committed():
        order = place_pending_order(
            UserFactory(), (catalogue["pomegranate"], 1), (catalogue["rice"], 2)
        )

    assert order.lines.count() == 2
    assert record_of(catalogue["rice"]).num_allocated == 2
    assert catalogue_version() == version


def test_selling_out_retires_the_cached_page_and_refreshes_the_search_document(
    catalogue, committed
):
    product = catalogue["pomegranate"]
    record = record_of(product, num_in_stock=3)
    assert 'action="{}"'.format(reverse("basket:add", kwargs={"pk": product.pk})) in (
        Client().get(SEARCH).content.decode()
    )
    version = catalogue_version()

    with committed():
        record.allocate(3)

    response = Client().get(SEARCH)
    assert catalogue_version() > version
    assert response.context is not None  # rendered again
    page = response.content.decode()
    assert 'action="{}"'.format(reverse("basket:add", kwargs={"pk": product.pk})) not in page
    assert ProductDocument.objects.get(product=product).in_stock is False


def test_restocking_a_sold_out_product_retires_the_caches(catalogue, committed):
    product = catalogue["pomegranate"]
    record = record_of(product, num_in_stock=2)
    with committed():
        record.allocate(2)
    version = catalogue_version()

    record.num_in_stock = 10
    with committed():
        record.save()

    assert catalogue_version() > version
    assert ProductDocument.objects.get(product=product).in_stock is True


def test_a_cancelled_allocation_of_a_sold_out_product_retires_the_caches(catalogue, committed):
    record = record_of(catalogue["pomegranate"], num_in_stock=2)
    with committed():
        record.allocate(2)
    version = catalogue_version()

    with committed():
        record.cancel_allocation(1)

    assert catalogue_version() > version
    assert ProductDocument.objects.get(product=catalogue["pomegranate"]).in_stock is True


def test_shipping_an_allocation_keeps_the_version(catalogue, committed):
    record = record_of(catalogue["pomegranate"], num_in_stock=5)
    with committed():
        record.allocate(2)
    version = catalogue_version()

    with committed():
        record.consume_allocation(2)

    assert (record.num_in_stock, record.num_allocated) == (3, 0)
    assert catalogue_version() == version


@pytest.mark.parametrize(
    "change, bumps",
    [
        ({"price": Decimal("75.00")}, True),
        ({"price": Decimal("68.00")}, False),  # saved as it was
        ({"num_in_stock": 60}, False),  # more units, still in stock
        ({"num_in_stock": 0}, True),
        ({"low_stock_threshold": 5}, False),  # not shown
    ],
)
def test_a_stock_record_save_retires_the_caches_only_for_a_change_shoppers_see(
    catalogue, committed, change, bumps
):
    product = catalogue["pomegranate"]
    record = record_of(product)
    version, indexed = catalogue_version(), indexed_at(product)

    for name, value in change.items():
        setattr(record, name, value)
    with committed():
        record.save()

    assert (catalogue_version() > version) is bumps
    assert (indexed_at(product) > indexed) is bumps


def test_falling_below_the_minimum_order_quantity_retires_the_caches(catalogue, committed):
    product = catalogue["pomegranate"]
    product.min_order_quantity = 5
    with committed():
        product.save()
    record = record_of(product, num_in_stock=8)
    version = catalogue_version()

    with committed():
        record.allocate(2)  # 6 left: 5 can still be bought
    assert catalogue_version() == version

    with committed():
        record.allocate(2)  # 4 left: the card's basket button goes
    assert catalogue_version() > version


def test_the_version_moves_when_the_change_commits_not_before(catalogue, committed):
    record = record_of(catalogue["pomegranate"])
    version = catalogue_version()

    with committed():
        record.price = Decimal("75.00")
        record.save()
        # A request reading the old price now caches it under the old version.
        assert cache.get(VERSION_KEY) == version

    assert catalogue_version() > version


@pytest.mark.django_db(transaction=True)
def test_with_a_real_database_transaction_the_version_moves_at_commit_and_not_on_rollback():
    record = ProductFactory(stockrecord__price="68.00").stockrecords.get()
    version = catalogue_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        record.price = Decimal("70.00")
        record.save()
        raise RuntimeError("rolled back")
    assert catalogue_version() == version

    with transaction.atomic():
        record.price = Decimal("75.00")
        record.save()
        assert catalogue_version() == version  # not before the commit
    assert catalogue_version() > version

    bumped = catalogue_version()
    record.price = Decimal("76.00")
    record.save()  # autocommit: at once
    assert catalogue_version() > bumped


def test_a_rolled_back_change_keeps_the_version(catalogue, committed):
    record = record_of(catalogue["pomegranate"])
    version = catalogue_version()

    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            record.price = Decimal("75.00")
            record.save()
            raise RuntimeError("the order failed")

    assert catalogue_version() == version
    record.refresh_from_db()
    assert record.price == Decimal("68.00")


def test_sales_reach_the_search_documents_in_one_batch(catalogue, committed):
    product = catalogue["pomegranate"]
    assert ProductDocument.objects.get(product=product).num_sold == 0
    ProductRecord.objects.update_or_create(product=product, defaults={"num_purchases": 7})
    version = catalogue_version()

    with committed():
        marked = search_sales_refresh()

    assert marked == 1
    assert ProductDocument.objects.get(product=product).num_sold == 7
    assert catalogue_version() > version
    assert search_sales_refresh() == 0


def test_a_counter_that_is_lost_starts_again_where_no_old_value_can_meet_it():
    """A counter evicted from (or expired in) the cache starts again at random, not at 1:
    a page or figures stored under one of its old values are never served again."""
    seen = set()
    for _ in range(5):
        seen.add(catalogue_version())
        cache.delete(VERSION_KEY)
    assert len(seen) == 5
    assert 1 not in seen
