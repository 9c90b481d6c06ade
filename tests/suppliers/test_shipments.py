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
        tracking_number=kw.get("tracking_number", "SF1234567890123"),
        user=suppliers[user],
    )


def test_a_partial_shipment_records_supplier_carrier_and_tracking(suppliers, shared_order):
    order, line = shared_order["order"], shared_order["own_line"]
    event = ship(suppliers, order, {line.pk: 2})
    assert (event.partner, event.carrier, event.tracking_number, event.created_by) == (
        suppliers["tashan"],
        "顺丰速运",
        "SF1234567890123",
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
        ship(suppliers, order, {line.pk: 2}, tracking_number="SF9999999999999")
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
        url, {f"qty_{line.pk}": "5", "carrier": "sf", "tracking_number": "SF1234567890123"}
    )
    assert response.status_code == 200
    assert "最多还能发 3 件，您填写了 5 件" in response.content.decode()
    assert ShippingEvent.objects.count() == 0
    response = client.post(
        url, {f"qty_{line.pk}": "1", "carrier": "sf", "tracking_number": "SF1234567890123"}
    )
    assert response.status_code == 302
    assert ShippingEventQuantity.objects.get().quantity == 1
    page = client.get(url).content.decode()
    assert "SF1234567890123" in page


@pytest.mark.parametrize(
    ("carrier", "other", "number", "message"),
    [
        ("sf", "", "1234", "不是顺丰速运的运单号格式（如 SF1234567890123）"),
        ("yto", "", "SF1234567890123", "不是圆通速递的运单号格式"),
        ("ems", "", "EA12345678CN", "不是中国邮政 EMS的运单号格式"),
        ("other", "", "AB123456", "请填写承运商名称"),
        ("other", "德邦快递", "单号", "运单号应为 6 至 40 位字母、数字或短横线"),
        ("dhl", "", "SF1234567890123", "请从列表中选择承运商"),
    ],
)
def test_a_tracking_number_not_in_the_carriers_format_is_a_field_error_and_nothing_ships(
    client, suppliers, shared_order, carrier, other, number, message
):
    order, line = shared_order["order"], shared_order["own_line"]
    client.force_login(suppliers["user1"])
    url = reverse("suppliers:order-detail", kwargs={"number": order.number})
    data = {f"qty_{line.pk}": "1", "carrier": carrier, "tracking_number": number}
    data["carrier_other"] = other
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ShippingEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("carrier", "other", "typed", "stored_carrier", "stored_number"),
    [
        ("sf", "", "sf 1234 5678 9012 3", "顺丰速运", "SF1234567890123"),
        ("jd", "", "JDVA12345678901", "京东物流", "JDVA12345678901"),
        ("ems", "", "EA123456789CN", "中国邮政 EMS", "EA123456789CN"),
        ("other", "德邦快递", "DPK-20261206", "德邦快递", "DPK-20261206"),
    ],
)
def test_the_carrier_is_picked_from_the_list_and_the_number_stored_bare(
    client, suppliers, shared_order, carrier, other, typed, stored_carrier, stored_number
):
    order, line = shared_order["order"], shared_order["own_line"]
    client.force_login(suppliers["user1"])
    url = reverse("suppliers:order-detail", kwargs={"number": order.number})
    data = {f"qty_{line.pk}": "1", "carrier": carrier, "carrier_other": other}
    data["tracking_number"] = typed
    assert client.post(url, data).status_code == 302
    event = ShippingEvent.objects.get()
    assert (event.carrier, event.tracking_number) == (stored_carrier, stored_number)


def test_the_service_checks_the_format_too(suppliers, shared_order):
    # The API and the page share the service: a wrong number is refused there as well.
    from suppliers.exceptions import ShipmentTrackingError

    order, line = shared_order["order"], shared_order["own_line"]
    with pytest.raises(ShipmentTrackingError, match="不是中通快递的运单号格式"):
        ship(suppliers, order, {line.pk: 1}, carrier="中通快递", tracking_number="ZT12")
    assert ShippingEvent.objects.count() == 0
