"""supplier@example.com can never read or change supplier2@example.com's products, stock,
orders or documents, by any URL or API call: each refusal is a 404/403 and changes nothing."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.models import APIToken

from catalog.models import ListingDecision
from suppliers.models import DocumentKind
from suppliers.services import document_check
from suppliers.services.certifications import _documents_add
from tests.factories.accounts import UserFactory

from .conftest import PDF_BYTES, paid_order, upload

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ShippingEvent = get_model("order", "ShippingEvent")
SupplierShippingRule = get_model("shipping", "SupplierShippingRule")


def snapshot(product):
    product = Product.objects.get(pk=product.pk)
    record = product.stockrecords.get()
    return (
        product.title,
        product.listing_status,
        product.date_updated,
        record.partner_sku,
        record.price,
        record.num_in_stock,
        ListingDecision.objects.filter(product=product).count(),
    )


@pytest.fixture
def other(suppliers):
    """supplier@ logged in; 口子's (supplier2's) product, order and document."""
    liquor = suppliers["liquor"]
    order = paid_order(UserFactory(email="buyer@example.com"), (liquor, 1))
    cert = suppliers["kouzi"].certifications.get()
    _documents_add(
        certification=cert,
        documents=[(DocumentKind.BUSINESS_LICENSE, document_check(upload("l.pdf", PDF_BYTES)))],
        user=suppliers["user2"],
    )
    return {"product": liquor, "order": order, "document": cert.documents.get()}


PRODUCT_POST = {
    "title": "被篡改的标题",
    "spec": "1瓶",
    "partner_sku": "HACK-1",
    "price": "1.00",
    "num_in_stock": "0",
    "min_order_quantity": "1",
    "order_increment": "1",
}


@pytest.mark.parametrize(
    ("method", "name", "kwargs_key"),
    [
        ("get", "suppliers:product-edit", "product"),
        ("post", "suppliers:product-edit", "product"),
        ("post", "suppliers:product-submit", "product"),
        ("post", "suppliers:product-delist", "product"),
        ("get", "suppliers:order-detail", "order"),
        ("post", "suppliers:order-detail", "order"),
        ("get", "suppliers:document", "document"),
    ],
)
def test_another_suppliers_pages_are_not_found_and_nothing_changes(
    client, suppliers, other, method, name, kwargs_key
):
    client.force_login(suppliers["user1"])
    target = other[kwargs_key]
    kwargs = {"number": target.number} if kwargs_key == "order" else {"pk": target.pk}
    before = snapshot(other["product"])
    data = dict(
        PRODUCT_POST,
        category=suppliers["fruit"].pk,
        origin_region=suppliers["kouzi"].region_id,
    )
    if kwargs_key == "order":
        line = target.lines.get()
        data = {f"qty_{line.pk}": "1", "carrier": "sf", "tracking_number": "SF1234567890123"}
    response = getattr(client, method)(reverse(name, kwargs=kwargs), data)
    assert response.status_code == 404
    assert snapshot(other["product"]) == before
    assert ShippingEvent.objects.count() == 0


def test_lists_show_only_the_suppliers_own_products_and_orders(client, suppliers, other):
    client.force_login(suppliers["user1"])
    products = client.get(reverse("suppliers:product-list")).content.decode()
    assert "塔山石榴 6枚装" in products
    assert "口子窖" not in products
    orders = client.get(reverse("suppliers:order-list") + "?state=all").content.decode()
    assert other["order"].number not in orders


def test_the_sales_export_holds_only_own_lines(client, suppliers, other, shared_order):
    client.force_login(suppliers["user1"])
    response = client.get(reverse("suppliers:sales") + "?format=csv")
    body = response.content.decode("utf-8-sig")
    assert "塔山石榴 6枚装" in body
    assert "口子窖" not in body
    assert other["order"].number not in body


@pytest.fixture
def token_of(suppliers):
    def make(user):
        _token, key = APIToken.create_token(user=user, name="erp")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make


def test_the_api_refuses_another_suppliers_sku_and_changes_nothing(client, suppliers, token_of):
    headers = token_of(suppliers["user1"])
    other_sku = suppliers["liquor"].stockrecords.get().partner_sku
    own_sku = suppliers["pomegranate"].stockrecords.get().partner_sku
    before = snapshot(suppliers["liquor"]), snapshot(suppliers["pomegranate"])

    assert client.get(f"/api/v1/supplier/stock/{other_sku}", **headers).status_code == 404
    listed = client.get("/api/v1/supplier/stock", **headers).json()
    assert [row["sku"] for row in listed] == [own_sku]
    assert client.get(f"/api/v1/supplier/stock?sku={other_sku}", **headers).json() == []

    response = client.patch(
        "/api/v1/supplier/stock",
        json.dumps(
            {
                "items": [
                    {"sku": own_sku, "price": "70.00"},
                    {"sku": other_sku, "price": "0.01", "num_in_stock": 0},
                ]
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    assert response.json()["problems"] == [
        {"index": 1, "sku": other_sku, "error": "没有这个 SKU 的商品。"}
    ]
    assert (snapshot(suppliers["liquor"]), snapshot(suppliers["pomegranate"])) == before


def test_a_user_who_is_no_supplier_gets_403_from_the_stock_api(client, reviewers, token_of):
    response = client.get("/api/v1/supplier/stock", **token_of(reviewers["county"]))
    assert response.status_code == 403
    assert response.json() == {"detail": "您不是供应商的工作人员。"}


def test_the_api_without_credentials_is_401(client, suppliers):
    assert client.get("/api/v1/supplier/stock").status_code == 401


def test_suppliers_are_kept_out_of_oscars_dashboard(client, suppliers, shared_order):
    """Oscar's dashboard would show a partner user every line of an order: suppliers get no
    dashboard access at all and use /supplier/ instead."""
    client.force_login(suppliers["user1"])
    for path in (
        "/dashboard/",
        "/dashboard/orders/",
        f"/dashboard/orders/{shared_order['order'].number}/",
        "/dashboard/catalogue/",
    ):
        response = client.get(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert "/login/" in response["Location"]


def test_a_user_of_no_supplier_is_sent_to_apply(client, reviewers):
    client.force_login(reviewers["city"])
    response = client.get(reverse("suppliers:product-list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:apply")
    response = client.post(reverse("suppliers:shipping"), {"fee": "0"})
    assert response.status_code == 403
    assert SupplierShippingRule.objects.count() == 0


def test_a_supplier_sets_its_own_shipping_fee_and_a_negative_one_is_refused(client, suppliers):
    client.force_login(suppliers["user1"])
    response = client.post(reverse("suppliers:shipping"), {"fee": "-1", "free_threshold": ""})
    assert (
        "运费不能为负数" in response.content.decode() or "不能为负数" in response.content.decode()
    )
    assert SupplierShippingRule.objects.count() == 0
    response = client.post(reverse("suppliers:shipping"), {"fee": "6.00", "free_threshold": "59"})
    assert response.status_code == 302
    rule = SupplierShippingRule.objects.get()
    assert (rule.partner, rule.fee, rule.free_threshold) == (
        suppliers["tashan"],
        Decimal("6.00"),
        Decimal("59.00"),
    )
