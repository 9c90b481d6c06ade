"""Races on PostgreSQL: many customers check out the last units at once (exactly the stock is
sold), and the browser return and webhooks report one payment at once (paid exactly once)."""

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from oscar.core.loading import get_model

from orders.exceptions import InsufficientStockError
from orders.models import OrderStatus
from payments import services
from payments.models import StripePayment
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory
from tests.factories.payments import basket_for, place_pending_order, with_strategy

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Line = get_model("order", "Line")

BUYERS = 20
STOCK = 5

# Decided before any database fixture runs, so that SQLite runs skip without a flush.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite lets one writer in at a "
        "time, so it cannot show a race",
    ),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("each", "orders"), [(1, 5), (2, 2)])
def test_parallel_checkouts_of_the_last_units_sell_exactly_the_stock(each, orders):
    product = ProductFactory(stockrecord__num_in_stock=STOCK)
    basket_ids = [basket_for(UserFactory(), (product, each)).pk for _ in range(BUYERS)]
    start = threading.Barrier(BUYERS)
    outcomes = []

    def checkout(basket_id):
        try:
            basket = with_strategy(Basket.objects.select_related("owner").get(pk=basket_id))
            start.wait(timeout=30)
            place_pending_order(basket.owner, basket=basket)
            outcomes.append("ordered")
        except InsufficientStockError:
            outcomes.append("short")
        except Exception as exc:  # anything else fails the test below, with its name
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(pk,)) for pk in basket_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(outcomes) == {"ordered": orders, "short": BUYERS - orders}
    record = product.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (STOCK, orders * each)
    assert Order.objects.count() == orders
    assert sum(Line.objects.values_list("num_allocated", flat=True)) == orders * each
    statuses = Counter(Basket.objects.filter(pk__in=basket_ids).values_list("status", flat=True))
    assert statuses == {Basket.FROZEN: orders, Basket.OPEN: BUYERS - orders}


@pytest.mark.django_db(transaction=True)
def test_the_browser_return_and_webhooks_racing_mark_the_order_paid_once(catalogue):
    order = place_pending_order(UserFactory(), (catalogue["rice"], 1))
    intent = {
        "id": "pi_race",
        "object": "payment_intent",
        "status": "succeeded",
        "amount": 6790,
        "currency": "cny",
        "payment_method": "pm_race",
        "client_secret": "pi_race_secret_x",
        "metadata": {"order_number": order.number},
    }
    start = threading.Barrier(10)
    errors = []

    def report_success():
        try:
            start.wait(timeout=30)
            services.payment_intent_apply(intent=dict(intent))
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=report_success) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert StripePayment.objects.filter(order=order).count() == 1
    assert order.payment_events.filter(event_type__code="paid").count() == 1
    assert order.sources.count() == 1
    assert order.status_changes.count() == 1
    assert len(mail.outbox) == 1
