import pytest
from django.db import IntegrityError, transaction

from orders.exceptions import InsufficientStockError
from tests.factories.catalog import ProductFactory

pytestmark = pytest.mark.django_db


def stockrecord(num_in_stock=3):
    return ProductFactory(stockrecord__num_in_stock=num_in_stock).stockrecords.get()


def test_allocation_reserves_free_stock():
    record = stockrecord(3)

    record.allocate(2)
    record.allocate(1)

    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated, record.net_stock_level) == (3, 3, 0)


def test_allocating_more_than_is_free_is_refused_and_changes_nothing():
    record = stockrecord(3)
    record.allocate(2)

    with pytest.raises(InsufficientStockError) as exc:
        record.allocate(2)

    assert (exc.value.requested, exc.value.available) == (2, 1)
    assert "库存不足" in str(exc.value)
    record.refresh_from_db()
    assert record.num_allocated == 2


def test_the_database_refuses_allocations_beyond_stock_written_directly():
    record = stockrecord(3)

    with pytest.raises(IntegrityError), transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(num_allocated=4)
