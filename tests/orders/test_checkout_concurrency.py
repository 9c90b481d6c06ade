"""Races on PostgreSQL: many customers check out the last units at once (exactly the stock is
sold), one customer's basket is posted many times at once (one order), the browser return and
webhooks report one payment at once (paid exactly once)."""

import functools
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from orders.exceptions import InsufficientStockError
from orders.models import OrderStatus
from payments import services
from payments.models import StripePayment
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory
from tests.factories.payments import basket_for, place_pending_order, with_strategy
from tests.support.threads import at_once, posts_at_once

from .test_checkout import checkout_to_preview, fill_basket

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
UserAddress = get_model("address", "UserAddress")

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
def test_one_basket_posted_twenty_times_at_once_places_one_order(client, catalogue):
    user = UserFactory(email="double-click@example.com")
    client.force_login(user)
    fill_basket(client, (catalogue["rice"], 2), (catalogue["grapes"], 1))
    basket_id = checkout_to_preview(client).context["basket"].id

    responses = posts_at_once(
        client,
        reverse("checkout:preview"),
        {"action": "place_order", "basket_id": basket_id},
        BUYERS,
    )

    order = Order.objects.get()
    pay_page = reverse("checkout:pay", kwargs={"order_number": order.number})
    assert [getattr(r, "status_code", r) for r in responses] == [302] * BUYERS
    assert {r.url for r in responses} == {pay_page}
    assert (order.basket_id, order.status) == (basket_id, OrderStatus.PENDING)
    assert Basket.objects.get(pk=basket_id).status == Basket.FROZEN
    # One allocation per line, on one order.
    assert sorted(Line.objects.values_list("num_allocated", flat=True)) == [1, 2]
    assert catalogue["rice"].stockrecords.get().num_allocated == 2
    assert catalogue["grapes"].stockrecords.get().num_allocated == 1
    assert UserAddress.objects.get(user=user).num_orders_as_shipping_address == 1


@pytest.mark.django_db(transaction=True)
def test_orders_to_one_new_address_at_once_share_one_address_book_entry(catalogue):
    # Two tabs, two baskets, one new address: the loser of the insert counts on the winner's row.
    user = UserFactory()
    baskets = [basket_for(user, (catalogue["rice"], 1)) for _ in range(10)]

    def checkout(basket):
        place_pending_order(user, basket=basket)
        return "ordered"

    outcomes = at_once([functools.partial(checkout, basket) for basket in baskets])

    assert outcomes == ["ordered"] * 10
    assert len(set(Order.objects.values_list("number", flat=True))) == 10
    assert UserAddress.objects.get(user=user).num_orders_as_shipping_address == 10


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
