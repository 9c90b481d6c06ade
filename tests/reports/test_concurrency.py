"""Concurrent syncs on PostgreSQL: increments to one rollup row are never lost, and two
syncs of one order add its facts once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum

from reports import services
from reports.models import SalesDailyRollup, SalesFact
from tests.reports.conftest import at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def run_together(targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def work(target):
        try:
            barrier.wait()
            target()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_concurrent_syncs_lose_no_increment_and_never_double_count(paid_order_factory, catalogue):
    orders = [paid_order_factory((catalogue["rice"], 1), when=at("2025-06-01")) for _ in range(6)]
    targets = [lambda o=o: services.sales_facts_sync(order_id=o.pk) for o in orders]
    targets += [lambda o=orders[0]: services.sales_facts_sync(order_id=o.pk)] * 3
    run_together(targets)

    # Each order was synced once when paid (dated today); the test then dated the payment
    # 1 June 2025, so each resync moved it: -59.90 today, +59.90 on 1 June.
    assert SalesFact.objects.count() == 18
    june = SalesDailyRollup.objects.get(date="2025-06-01")
    assert (june.quantity, june.amount) == (6, Decimal("359.40"))
    today = SalesDailyRollup.objects.exclude(date="2025-06-01").get()
    assert (today.quantity, today.amount) == (0, Decimal("0.00"))
    assert SalesFact.objects.aggregate(a=Sum("amount"))["a"] == Decimal("359.40")
    assert services.rollups_differences() == []
