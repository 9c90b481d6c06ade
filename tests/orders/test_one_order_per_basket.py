"""One order per basket on the card checkout: a basket posted again (a double click, a retry)
gets the order the first post placed, never a second order or a second allocation; order
numbers come from the database's counter; the address book counts each order once.

The same posts at once, on PostgreSQL: tests/orders/test_checkout_concurrency.py."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from orders.exceptions import BasketAlreadySubmittedError
from orders.models import OrderNumberTicket, OrderStatus
from tests.factories.accounts import UserFactory
from tests.factories.payments import basket_for, place_pending_order

from .test_checkout import checkout_to_preview, fill_basket, texts

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")


def allocated(product) -> int:
    return product.stockrecords.get().num_allocated or 0


@pytest.fixture
def consumer(client):
    user = UserFactory(email="consumer@example.com")
    client.force_login(user)
    return user


def test_a_second_post_of_the_preview_shows_the_first_order_and_orders_nothing(
    client, consumer, catalogue
):
    fill_basket(client, (catalogue["rice"], 2))
    preview = checkout_to_preview(client)
    basket_id = preview.context["basket"].id
    assert f'name="basket_id" value="{basket_id}"' in preview.content.decode()
    post = {"action": "place_order", "basket_id": basket_id}

    first = client.post(reverse("checkout:preview"), post)
    order = Order.objects.get()
    pay_page = reverse("checkout:pay", kwargs={"order_number": order.number})
    assert (first.status_code, first.url) == (302, pay_page)

    again = client.post(reverse("checkout:preview"), post, follow=True)

    assert again.redirect_chain == [(pay_page, 302)]
    assert f"该购物车已提交为订单 {order.number}，没有重复下单。" in texts(again)
    assert Order.objects.count() == 1
    assert allocated(catalogue["rice"]) == 2
    assert Basket.objects.get(pk=basket_id).status == Basket.FROZEN


def test_a_post_of_a_paid_basket_shows_the_order_page(client, consumer, catalogue):
    fill_basket(client, (catalogue["rice"], 1))
    basket_id = checkout_to_preview(client).context["basket"].id
    client.post(reverse("checkout:preview"), {"action": "place_order", "basket_id": basket_id})
    order = Order.objects.get()
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PAID)
    Basket.objects.filter(pk=basket_id).update(status=Basket.SUBMITTED)

    again = client.post(
        reverse("checkout:preview"), {"action": "place_order", "basket_id": basket_id}
    )

    assert again.url == reverse("customer:order", kwargs={"order_number": order.number})
    assert Order.objects.count() == 1


def test_someone_elses_basket_id_is_not_an_answer(client, consumer, catalogue):
    stranger_order = place_pending_order(UserFactory(), (catalogue["rice"], 1))
    fill_basket(client, (catalogue["grapes"], 1))
    checkout_to_preview(client)

    response = client.post(
        reverse("checkout:preview"),
        {"action": "place_order", "basket_id": stranger_order.basket_id},
    )

    mine = Order.objects.get(user=consumer)
    assert response.url == reverse("checkout:pay", kwargs={"order_number": mine.number})


def test_placing_a_basket_already_placed_raises_with_the_order_and_writes_nothing(catalogue):
    user = UserFactory()
    basket = basket_for(user, (catalogue["rice"], 3))
    first = place_pending_order(user, basket=basket)
    basket.status = Basket.OPEN  # what a request that loaded the basket before still holds
    tickets = OrderNumberTicket.objects.count()

    with pytest.raises(BasketAlreadySubmittedError) as caught:
        place_pending_order(user, basket=basket)

    assert caught.value.order == first
    assert str(caught.value) == f"该购物车已提交为订单 {first.number}，没有重复下单。"
    assert Order.objects.count() == 1
    assert allocated(catalogue["rice"]) == 3
    assert OrderNumberTicket.objects.count() == tickets
    assert user.addresses.get().num_orders_as_shipping_address == 1


def test_order_numbers_come_from_the_counter_one_after_another(catalogue):
    numbers = [place_pending_order(UserFactory(), (catalogue["rice"], 1)).number for _ in range(3)]
    first = int(numbers[0])
    assert numbers == [str(first), str(first + 1), str(first + 2)]
    assert first == OrderNumberTicket.ORDER_NUMBER_BASE + OrderNumberTicket.objects.first().pk


def test_the_counter_starts_past_the_numbers_built_from_basket_ids(catalogue):
    order = place_pending_order(UserFactory(), (catalogue["rice"], 1))
    Order.objects.filter(pk=order.pk).update(number="100950-2")  # an old-style number
    OrderNumberTicket.objects.all().delete()
    migration = importlib.import_module("orders.migrations.0023_order_number_ticket")

    editor = SimpleNamespace(
        connection=connection, execute=lambda sql: connection.cursor().execute(sql)
    )
    migration.counter_past_existing_numbers(apps, editor)

    later = place_pending_order(UserFactory(), (catalogue["grapes"], 1))
    assert later.number == "100951"


def test_orders_to_one_address_count_on_one_address_book_entry(catalogue):
    user = UserFactory()
    place_pending_order(user, (catalogue["rice"], 1))
    place_pending_order(user, (catalogue["grapes"], 1))

    entry = UserAddress.objects.get(user=user)
    assert entry.num_orders_as_shipping_address == 2
