"""The unit checkout from the basket (issue #18): a purchaser's basket offers 以单位采购结算
beside 个人结算, and the submit orders exactly what the review page showed (the fingerprint
of its lines, quantities and prices) or is refused with the new review; the API likewise."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from procurement.models import BudgetUnitMember, QuotaEntry
from procurement.review import lines_fingerprint
from tests.factories.accounts import UserFactory

from .conftest import CHECKOUT_DETAILS, balance, reviewed

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

CHANGED = (
    "购物车在您核对之后有变动（商品、数量或价格），订单未提交。"
    "请核对下方最新的商品和金额后重新提交。"
)


def add(client, product, quantity):
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def nothing_written(filing, purchaser):
    return (
        Order.objects.count() == QuotaEntry.objects.count() == 0
        and balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
        and Basket.objects.filter(owner=purchaser, status=Basket.OPEN).count() == 1
    )


# ---------------------------------------------------------------------------
# The basket page
# ---------------------------------------------------------------------------
def test_a_purchasers_basket_offers_the_personal_and_the_unit_checkout(
    client, catalogue, unit, purchaser
):
    client.force_login(purchaser)
    add(client, catalogue["rice"], 1)

    html = client.get(reverse("basket:summary")).content.decode()

    assert f'href="{reverse("checkout:index")}">个人结算</a>' in html
    assert f'href="{reverse("procurement:checkout")}">以单位采购结算</a>' in html
    assert "去结算" not in html


@pytest.mark.parametrize("role", [None, "approver"])
def test_others_see_only_the_card_checkout(client, catalogue, unit, role):
    user = UserFactory()
    if role:
        BudgetUnitMember.objects.create(unit=unit, user=user, role=role)
    client.force_login(user)
    add(client, catalogue["rice"], 1)

    html = client.get(reverse("basket:summary")).content.decode()

    assert f'href="{reverse("checkout:index")}">去结算</a>' in html
    assert "以单位采购结算" not in html and "个人结算" not in html


# ---------------------------------------------------------------------------
# The review and the submit
# ---------------------------------------------------------------------------
def test_the_review_carries_the_fingerprint_of_its_lines_and_prices(
    client, catalogue, unit, purchaser, filing
):
    client.force_login(purchaser)
    add(client, catalogue["rice"], 2)
    rice = catalogue["rice"].stockrecords.get()

    hidden = reviewed(client)

    assert hidden["fingerprint"] == lines_fingerprint(
        [(catalogue["rice"].pk, rice.pk, 2, Decimal("59.90"))]
    )
    assert hidden["basket_id"] == str(Basket.objects.get(owner=purchaser).pk)


def test_a_line_added_after_the_review_is_refused_with_the_new_review_then_ordered_as_shown(
    client, catalogue, unit, purchaser, filing
):
    client.force_login(purchaser)
    add(client, catalogue["rice"], 2)  # reviewed: ¥119.80
    form = {"filing": filing.pk, **CHECKOUT_DETAILS, **reviewed(client)}
    add(client, catalogue["pomegranate"], 5)  # another tab: + ¥340.00

    response = client.post(reverse("procurement:checkout"), form)

    html = response.content.decode()
    assert response.status_code == 409
    assert CHANGED in html
    assert "塔山石榴 精品礼盒 6枚装" in html
    assert 'data-figure="basket-total">¥459.80' in html
    assert nothing_written(filing, purchaser)
    again = reviewed(client)
    assert again["fingerprint"] != form["fingerprint"]
    assert f'value="{again["fingerprint"]}"' in html  # the new review is the page shown

    response = client.post(reverse("procurement:checkout"), {**form, **again})

    order = Order.objects.get()
    assert response.url == reverse("procurement:order-detail", kwargs={"number": order.number})
    assert sorted((line.title, line.quantity) for line in order.lines.all()) == [
        ("塔山石榴 精品礼盒 6枚装", 5),
        ("濉溪大米 10kg", 2),
    ]
    assert balance(filing) == (Decimal("1000.00"), Decimal("459.80"), Decimal("0.00"))


def test_a_quantity_changed_after_the_review_is_refused(client, catalogue, unit, purchaser, filing):
    client.force_login(purchaser)
    add(client, catalogue["rice"], 2)
    form = {"filing": filing.pk, **CHECKOUT_DETAILS, **reviewed(client)}
    Basket.objects.get(owner=purchaser).lines.update(quantity=9)

    response = client.post(reverse("procurement:checkout"), form)

    assert response.status_code == 409 and CHANGED in response.content.decode()
    assert nothing_written(filing, purchaser)


def test_a_price_changed_after_the_review_is_refused(client, catalogue, unit, purchaser, filing):
    client.force_login(purchaser)
    add(client, catalogue["rice"], 2)
    form = {"filing": filing.pk, **CHECKOUT_DETAILS, **reviewed(client)}
    catalogue["rice"].stockrecords.update(price=Decimal("79.90"))

    response = client.post(reverse("procurement:checkout"), form)

    assert response.status_code == 409 and CHANGED in response.content.decode()
    assert 'data-figure="basket-total">¥159.80' in response.content.decode()
    assert nothing_written(filing, purchaser)


def test_a_submit_without_a_review_is_refused(client, catalogue, unit, purchaser, filing):
    client.force_login(purchaser)
    add(client, catalogue["rice"], 2)

    response = client.post(
        reverse("procurement:checkout"), {"filing": filing.pk, **CHECKOUT_DETAILS}
    )

    assert response.status_code == 409 and CHANGED in response.content.decode()
    assert nothing_written(filing, purchaser)


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------
def api(client, path, payload):
    return client.post(
        f"/api/v1/procurement/{path}", json.dumps(payload), content_type="application/json"
    )


def test_api_preview_prices_the_items_and_writes_nothing(client, catalogue, unit, purchaser):
    client.force_login(purchaser)
    rice = catalogue["rice"]

    response = api(
        client,
        "orders/preview",
        {"unit_id": unit.pk, "items": [{"product_id": rice.pk, "quantity": 2}]},
    )

    assert response.status_code == 200
    assert response.json() == {
        "lines": [
            {
                "product_id": rice.pk,
                "title": "濉溪大米 10kg",
                "quantity": 2,
                "unit_price": "59.90",
                "line_total": "119.80",
            }
        ],
        "total": "119.80",
        "fingerprint": lines_fingerprint(
            [(rice.pk, rice.stockrecords.get().pk, 2, Decimal("59.90"))]
        ),
    }
    assert Basket.objects.count() == 0


def test_api_submit_with_the_previewed_fingerprint_orders_or_answers_409(
    client, catalogue, unit, purchaser, filing
):
    client.force_login(purchaser)
    items = [{"product_id": catalogue["rice"].pk, "quantity": 2}]
    order = {"unit_id": unit.pk, "filing_id": filing.pk, "items": items, **CHECKOUT_DETAILS}
    preview = api(client, "orders/preview", {"unit_id": unit.pk, "items": items}).json()
    catalogue["rice"].stockrecords.update(price=Decimal("79.90"))

    refused = api(client, "orders", {**order, "fingerprint": preview["fingerprint"]})

    assert refused.status_code == 409
    assert refused.json() == {"detail": CHANGED}
    assert Order.objects.count() == QuotaEntry.objects.count() == Basket.objects.count() == 0

    fresh = api(client, "orders/preview", {"unit_id": unit.pk, "items": items}).json()
    placed = api(client, "orders", {**order, "fingerprint": fresh["fingerprint"]})

    assert placed.status_code == 201
    assert placed.json()["total"] == "159.80"
    assert balance(filing) == (Decimal("1000.00"), Decimal("159.80"), Decimal("0.00"))


def test_api_submit_without_a_fingerprint_orders_at_the_prices_of_the_moment(
    client, catalogue, unit, purchaser, filing
):
    client.force_login(purchaser)
    payload = {
        "unit_id": unit.pk,
        "filing_id": filing.pk,
        "items": [{"product_id": catalogue["rice"].pk, "quantity": 1}],
        **CHECKOUT_DETAILS,
    }

    response = api(client, "orders", payload)

    assert response.status_code == 201 and response.json()["total"] == "59.90"


def test_api_preview_of_a_unit_that_is_not_yours_is_not_found(client, catalogue, unit):
    client.force_login(UserFactory())

    response = api(
        client,
        "orders/preview",
        {"unit_id": unit.pk, "items": [{"product_id": catalogue["rice"].pk, "quantity": 1}]},
    )

    assert response.status_code == 404
    assert Basket.objects.count() == 0
