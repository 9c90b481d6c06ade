"""One order per basket on the unit checkout: a basket submitted again (a double click, a
retry) gets the order the first submit placed, never a second order, a second commitment or
a second allocation.

The same posts at once, on PostgreSQL: tests/procurement/test_concurrency.py."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from orders.exceptions import BasketAlreadySubmittedError
from procurement.models import QuotaEntry
from tests.factories.payments import basket_for

from .conftest import CHECKOUT_DETAILS, balance, reviewed, submit

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


def texts(response):
    return [str(m) for m in response.context["messages"]]


def test_a_second_submit_of_the_reviewed_basket_shows_the_first_order(
    client, catalogue, unit, purchaser, filing
):
    client.force_login(purchaser)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": 3})
    form = {"filing": filing.pk, **CHECKOUT_DETAILS, **reviewed(client)}

    first = client.post(reverse("procurement:checkout"), form)
    order = Order.objects.get()
    detail = reverse("procurement:order-detail", kwargs={"number": order.number})
    assert (first.status_code, first.url) == (302, detail)

    again = client.post(reverse("procurement:checkout"), form, follow=True)

    assert again.redirect_chain == [(detail, 302)]
    assert f"该购物车已提交为订单 {order.number}，没有重复下单。" in texts(again)
    assert Order.objects.count() == 1
    assert QuotaEntry.objects.count() == 1
    assert balance(filing) == (Decimal("1000.00"), Decimal("204.00"), Decimal("0.00"))
    assert catalogue["pomegranate"].stockrecords.get().num_allocated == 3


def test_submitting_a_basket_already_submitted_raises_with_the_order_and_writes_nothing(
    catalogue, unit, purchaser, filing
):
    basket = basket_for(purchaser, (catalogue["rice"], 2))
    first = submit(purchaser, unit, filing, basket=basket)
    basket.status = Basket.OPEN  # what a request that loaded the basket before still holds

    with pytest.raises(BasketAlreadySubmittedError) as caught:
        submit(purchaser, unit, filing, basket=basket)

    assert caught.value.order == first
    assert Order.objects.count() == 1
    assert QuotaEntry.objects.count() == 1
    assert balance(filing) == (Decimal("1000.00"), Decimal("119.80"), Decimal("0.00"))
    assert catalogue["rice"].stockrecords.get().num_allocated == 2
