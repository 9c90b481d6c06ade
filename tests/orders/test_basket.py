import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def add(client, product, quantity=1):
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}, follow=True
    )


def basket_lines(client):
    response = client.get(reverse("basket:summary"))
    return response, {
        line.product.title: line.quantity for line in response.context["basket"].all_lines()
    }


def formset_data(response, **overrides):
    formset = response.context["formset"]
    data = {
        "form-TOTAL_FORMS": formset.total_form_count(),
        "form-INITIAL_FORMS": formset.initial_form_count(),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = form.instance.pk
        data[f"form-{i}-quantity"] = form.instance.quantity
        data[f"form-{i}-save_for_later"] = ""
    data.update(overrides)
    return data


def test_a_shopper_adds_updates_and_removes_a_basket_line(client, catalogue):
    product = catalogue["pomegranate"]

    add(client, product, 2)
    response, lines = basket_lines(client)
    assert lines == {"塔山石榴 精品礼盒 6枚装": 2}

    client.post(reverse("basket:summary"), formset_data(response, **{"form-0-quantity": 5}))
    response, lines = basket_lines(client)
    assert lines == {"塔山石榴 精品礼盒 6枚装": 5}
    assert str(response.context["basket"].total_incl_tax) == "340.00"

    client.post(reverse("basket:summary"), formset_data(response, **{"form-0-DELETE": "on"}))
    _, lines = basket_lines(client)
    assert lines == {}


@pytest.mark.parametrize("quantity", ["abc", "-1", "0", "100000"])
def test_an_invalid_quantity_is_a_message_not_a_500(client, catalogue, quantity):
    response = add(client, catalogue["rice"], quantity)

    assert response.status_code == 200
    _, lines = basket_lines(client)
    assert lines == {}
    messages = [str(m) for m in response.context["messages"]]
    assert messages, "the shopper is told why nothing was added"


def test_an_uncertified_suppliers_product_cannot_be_added(client, catalogue):
    response = add(client, catalogue["hidden"])

    assert response.status_code in (200, 404)
    _, lines = basket_lines(client)
    assert lines == {}


def test_a_quantity_above_stock_is_refused_with_a_message(client, catalogue):
    response = add(client, catalogue["rice"], 101)  # 100 in stock

    _, lines = basket_lines(client)
    assert lines == {}
    assert any(str(m) for m in response.context["messages"])


def test_the_signed_in_basket_page_runs_at_most_12_queries_for_one_line_or_three(
    client, catalogue, django_assert_max_num_queries
):
    client.force_login(UserFactory())
    add(client, catalogue["rice"])
    client.get(reverse("basket:summary"))  # caches warm
    with CaptureQueriesContext(connection) as one_line:
        assert client.get(reverse("basket:summary")).status_code == 200
    one_line_count = len(one_line)  # the next request resets the connection's query log
    add(client, catalogue["pomegranate"])
    add(client, catalogue["grapes"], 2)

    with django_assert_max_num_queries(one_line_count):
        _, lines = basket_lines(client)

    assert lines == {"濉溪大米 10kg": 1, "塔山石榴 精品礼盒 6枚装": 1, "濉溪葡萄 5斤装": 2}
    # 12, and the session row that production reads from Redis (cached_db sessions).
    assert one_line_count <= 13


def test_a_price_change_shows_in_the_basket_on_the_next_request(client, catalogue):
    client.force_login(UserFactory())
    add(client, catalogue["rice"], 2)
    assert str(basket_lines(client)[0].context["basket"].total_incl_tax) == "119.80"
    record = catalogue["rice"].stockrecords.get()
    record.price = "60.00"
    record.save()

    response, _ = basket_lines(client)

    assert str(response.context["basket"].total_incl_tax) == "120.00"
