"""The group order's address import over the API (/api/v1/procurement/orders/{number}/
addresses): the page's rules, 400 with every row's errors and nothing written, 403 for a
member who is not a purchaser, 404 for another unit's order, 409 once shipping started."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from orders.models import Shipment, ShipmentAddress
from tests.factories.group_orders import address_rows, address_xlsx
from tests.factories.procurement import procurement_order_submit
from tests.factories.procurement import shipment as ship

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(catalogue, union, union_buyer):
    return procurement_order_submit(
        union_buyer, union, None, (catalogue["pomegranate"], 4), (catalogue["rice"], 4)
    )


def upload(client, order, data):
    return client.post(
        f"/api/v1/procurement/orders/{order.number}/addresses",
        {"file": SimpleUploadedFile("addresses.xlsx", data)},
    )


def test_the_api_imports_the_list_and_lists_the_parcels(client, order, union_buyer):
    client.force_login(union_buyer)

    response = upload(client, order, address_xlsx(address_rows(4)))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["addresses"], body["parcels"], body["shipped"], body["accepted"]) == (4, 8, 0, 0)
    first = body["results"][0]
    assert (first["row"], first["recipient"], first["mobile"], first["region_code"]) == (
        2,
        "职工001",
        "13900000001",
        "340602",
    )
    assert [p["status"] for p in first["parcels"]] == ["waiting", "waiting"]
    listed = client.get(f"/api/v1/procurement/orders/{order.number}/addresses").json()
    assert listed["addresses"] == 4 and len(listed["results"]) == 4


def test_bad_rows_answer_400_with_each_row_and_write_nothing(client, order, union_buyer):
    client.force_login(union_buyer)
    rows = address_rows(4)
    rows[1] = ("职工002", "12345", "安徽省", "淮北市", "相山区", "", "淮海路2号", 1)
    rows[3] = ("", "13900000004", "安徽省", "淮北市", "月亮区", "", "淮海路4号", "两")

    response = upload(client, order, address_xlsx(rows))

    assert response.status_code == 400
    assert response.json() == {
        "detail": "地址清单有 4 处错误，未导入任何地址。",
        "errors": [
            {"row": 3, "message": "手机号“12345”不是有效的 11 位手机号"},
            {"row": 5, "message": "收货人未填写"},
            {"row": 5, "message": "地区“安徽省 淮北市 月亮区”不是有效的省、市、区县"},
            {"row": 5, "message": "份数“两”应为正整数"},
        ],
    }
    assert (ShipmentAddress.objects.count(), Shipment.objects.count()) == (0, 0)


def test_the_apis_refusals_write_nothing(
    client, order, union_approver, purchaser, union_buyer, catalogue, supplier_staff
):
    data = address_xlsx(address_rows(4))
    client.force_login(union_approver)
    assert upload(client, order, data).status_code == 403
    client.force_login(purchaser)  # another unit's purchaser
    response = upload(client, order, data)
    assert (response.status_code, response.json()["detail"]) == (404, "没有找到该订单。")
    assert client.get(f"/api/v1/procurement/orders/{order.number}/addresses").status_code == 404
    ship(order, partner=catalogue["supplier"], user=supplier_staff)
    client.force_login(union_buyer)
    assert upload(client, order, data).status_code == 409
    assert ShipmentAddress.objects.count() == 0


def test_the_schema_documents_the_import(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/procurement/orders/{number}/addresses"]["post"]
    assert set(operation["responses"]) >= {"200", "400", "403", "404", "409"}
    assert "multipart/form-data" in operation["requestBody"]["content"]
