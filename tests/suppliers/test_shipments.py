"""A supplier ships its own lines: partial shipments, never more than is left, nothing saved
on a refusal; the order follows through the shared shipment contract."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from orders.models import OrderStatus
from suppliers.exceptions import (
    ShipmentLineNotFoundError,
    ShipmentQuantityError,
)
from suppliers.services import shipment_create
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order

ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")


def ship(suppliers, order, quantities, partner="tashan", user="user1", **kw):
    return shipment_create(
        partner=suppliers[partner],
        order=order,
        quantities=quantities,
        carrier=kw.get("carrier", "顺丰速运"),
        tracking_number=kw.get("tracking_number", "SF1234567890"),
        user=suppliers[user],
    )


def test_a_partial_shipment_records_supplier_carrier_and_tracking(suppliers, shared_order):
    order, line = shared_order["order"], shared_order["own_line"]
    event = ship(suppliers, order, {line.pk: 2})
    assert (event.partner, event.carrier, event.tracking_number, event.created_by) == (
        suppliers["tashan"],
        "顺丰速运",
        "SF1234567890",
        suppliers["user1"],
    )
    assert event.event_type.code == "shipped"
    assert list(event.line_quantities.values_list("line_id", "quantity")) == [(line.pk, 2)]
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_shipping_more_than_is_left_is_refused_and_nothing_is_saved(suppliers, shared_order):
    order, line = shared_order["order"], shared_order["own_line"]
    ship(suppliers, order, {line.pk: 2})
    with pytest.raises(ShipmentQuantityError, match="最多还能发 1 件，您填写了 2 件"):
        ship(suppliers, order, {line.pk: 2}, tracking_number="SF999")
    assert ShippingEvent.objects.filter(order=order).count() == 1
    assert ShippingEventQuantity.objects.filter(line=line).count() == 1


@pytest.mark.parametrize(
    ("quantities", "kw", "error", "message"),
    [
        ({}, {}, ShipmentQuantityError, "至少填写一个"),
        ({"own": -1}, {}, ShipmentQuantityError, "不能为负数"),
        ({"own": 1}, {"carrier": " "}, ShipmentQuantityError, "承运商和运单号"),
        ({"own": 1}, {"tracking_number": ""}, ShipmentQuantityError, "承运商和运单号"),
        ({"other": 1}, {}, ShipmentLineNotFoundError, "不属于您"),
        ({"own": 1, "other": 1}, {}, ShipmentLineNotFoundError, "不属于您"),
    ],
)
def test_bad_shipments_are_refused(suppliers, shared_order, quantities, kw, error, message):
    ids = {"own": shared_order["own_line"].pk, "other": shared_order["other_line"].pk}
    with pytest.raises(error, match=message):
        ship(suppliers, shared_order["order"], {ids[k]: v for k, v in quantities.items()}, **kw)
    assert ShippingEvent.objects.count() == 0


def test_the_order_is_shipped_when_both_suppliers_have_shipped_everything(suppliers, shared_order):
    order = shared_order["order"]
    ship(suppliers, order, {shared_order["own_line"].pk: 3})
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    ship(suppliers, order, {shared_order["other_line"].pk: 2}, partner="kouzi", user="user2")
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    stock = suppliers["pomegranate"].stockrecords.get()
    assert (stock.num_in_stock, stock.num_allocated) == (47, 0)


def test_an_unpaid_order_is_not_the_suppliers_yet(suppliers):
    order = place_pending_order(UserFactory(email="c@example.com"), (suppliers["pomegranate"], 1))
    line = order.lines.get()
    with pytest.raises(ShipmentLineNotFoundError):
        ship(suppliers, order, {line.pk: 1})
    assert ShippingEvent.objects.count() == 0


def test_shipping_through_the_portal_page(client, suppliers, shared_order):
    order, line = shared_order["order"], shared_order["own_line"]
    client.force_login(suppliers["user1"])
    url = reverse("suppliers:order-detail", kwargs={"number": order.number})
    page = client.get(url).content.decode()
    assert "塔山石榴 6枚装" in page
    assert "口子窖" not in page  # the other supplier's line is not shown
    response = client.post(
        url, {f"qty_{line.pk}": "5", "carrier": "顺丰速运", "tracking_number": "SF1234567890"}
    )
    assert response.status_code == 200
    assert "最多还能发 3 件，您填写了 5 件" in response.content.decode()
    assert ShippingEvent.objects.count() == 0
    response = client.post(
        url, {f"qty_{line.pk}": "1", "carrier": "顺丰速运", "tracking_number": "SF1234567890"}
    )
    assert response.status_code == 302
    assert ShippingEventQuantity.objects.get().quantity == 1
    page = client.get(url).content.decode()
    assert "SF1234567890" in page
