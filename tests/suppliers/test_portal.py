"""Portal home KPIs, the sales report and its CSV, the stock API's updates, the review
queues; query counts that do not grow with the rows."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model
from wagtail.models import APIToken

from suppliers.models import CertificationStatus
from suppliers.selectors import supplier_kpis
from suppliers.services import shipment_create
from suppliers.views.portal import csv_safe
from tests.factories.accounts import UserFactory
from tests.factories.catalog import ProductFactory, SupplierFactory

from .conftest import paid_order

Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")


def test_home_kpis_count_only_the_suppliers_own_paid_lines(suppliers, shared_order):
    buyer = UserFactory(email="b2@example.com")
    paid_order(buyer, (suppliers["pomegranate"], 1))
    StockRecord.objects.filter(product=suppliers["pomegranate"]).update(low_stock_threshold=46)
    kpis = supplier_kpis(partner=suppliers["tashan"])
    assert kpis.sales_month == Decimal("272.00")  # 3 × 68 + 1 × 68
    assert kpis.sales_month_orders == 2
    assert kpis.orders_to_ship == 2
    assert kpis.low_stock == 1  # 50 in stock, 4 held, threshold 46
    assert (kpis.products_listed, kpis.products_pending) == (1, 0)
    assert kpis.certification.status == CertificationStatus.CERTIFIED

    shipment_create(
        partner=suppliers["tashan"],
        order=shared_order["order"],
        quantities={shared_order["own_line"].pk: 3},
        carrier="顺丰速运",
        tracking_number="SF1234567890123",
        user=suppliers["user1"],
    )
    assert supplier_kpis(partner=suppliers["tashan"]).orders_to_ship == 1
    other = supplier_kpis(partner=suppliers["kouzi"])
    assert (other.sales_month, other.orders_to_ship) == (Decimal("256.00"), 1)


def test_the_home_page_shows_the_kpis(client, suppliers, shared_order):
    client.force_login(suppliers["user1"])
    page = client.get(reverse("suppliers:home")).content.decode()
    assert '<p class="sp-kpi__value" data-kpi="sales">¥204.00</p>' in page
    assert 'data-kpi="to-ship">1</p>' in page
    assert shared_order["order"].number in page


def _orders(suppliers, n):
    for i in range(n):
        paid_order(UserFactory(email=f"q{i}@example.com"), (suppliers["pomegranate"], 1))


def _extra_products(suppliers, n, start):
    for i in range(n):
        ProductFactory(title=f"加量商品{start + i}", stockrecord__partner=suppliers["tashan"])


@pytest.mark.parametrize(
    "name", ["suppliers:home", "suppliers:order-list", "suppliers:product-list", "suppliers:sales"]
)
def test_portal_pages_run_a_constant_number_of_queries(
    client, suppliers, django_assert_max_num_queries, name
):
    client.force_login(suppliers["user1"])
    _orders(suppliers, 2)
    _extra_products(suppliers, 2, 0)
    url = reverse(name) + ("?state=all" if name == "suppliers:order-list" else "")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # caches warm (the header figures)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    # At most 15 (the bench's portal target), and the session row that production reads
    # from Redis.
    assert len(few.captured_queries) <= 16
    _orders(suppliers, 6)
    _extra_products(suppliers, 8, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_sales_csv_escapes_formulas(client, suppliers):
    product = ProductFactory(
        title='=HYPERLINK("http://evil")',
        stockrecord__partner=suppliers["tashan"],
        stockrecord__price="10.00",
    )
    StockRecord.objects.filter(product=product).update(partner_sku="-2+3")
    product.refresh_from_db()
    paid_order(UserFactory(email="csv@example.com"), (product, 2))
    client.force_login(suppliers["user1"])
    response = client.get(reverse("suppliers:sales") + "?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["日期", "订单号", "渠道", "商品", "SKU", "数量", "金额", "说明"]
    assert len(rows) == 2
    assert rows[1][2:] == [
        "消费者网购",
        '\'=HYPERLINK("http://evil")',
        "'-2+3",
        "2",
        "20.00",
        "计入销售",
    ]
    assert [csv_safe(v) for v in ("@SUM(1)", "+1", "正常", "a=b")] == [
        "'@SUM(1)",
        "'+1",
        "正常",
        "a=b",
    ]


def test_the_sales_report_sums_a_date_range(client, suppliers, shared_order):
    client.force_login(suppliers["user1"])
    response = client.get(
        reverse("suppliers:sales"), {"date_from": "2000-01-01", "date_to": "2000-01-31"}
    )
    assert 'data-kpi="amount">¥0.00<' in response.content.decode()
    response = client.get(
        reverse("suppliers:sales"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "结束日期不能早于开始日期。" in response.content.decode()


def test_the_stock_api_updates_prices_and_stock_in_bulk(client, suppliers):
    _token, key = APIToken.create_token(user=suppliers["user1"], name="erp")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    second = ProductFactory(title="石榴汁", stockrecord__partner=suppliers["tashan"])
    skus = [
        suppliers["pomegranate"].stockrecords.get().partner_sku,
        second.stockrecords.get().partner_sku,
    ]
    body = {
        "items": [
            {"sku": skus[0], "price": "66.50", "num_in_stock": 80},
            {"sku": skus[1], "num_in_stock": 5},
        ]
    }
    response = client.patch(
        "/api/v1/supplier/stock", json.dumps(body), content_type="application/json", **headers
    )
    assert response.status_code == 200
    assert [(r["sku"], r["price"], r["num_in_stock"]) for r in response.json()["updated"]] == [
        (skus[0], "66.50", 80),
        (skus[1], "39.90", 5),
    ]
    record = StockRecord.objects.get(partner_sku=skus[0])
    assert (record.price, record.num_in_stock) == (Decimal("66.50"), 80)


@pytest.mark.parametrize(
    ("item", "error"),
    [
        ({"price": "-1"}, "价格不能为负数。"),
        ({"num_in_stock": -3}, "库存不能为负数。"),
        ({"num_in_stock": 10**30}, "库存不能超过 10,000,000 件。"),
        ({"price": "10000000"}, "价格不能超过 9,999,999.99 元。"),
        ({"price": "1.005"}, "价格最多保留两位小数。"),
        ({}, "请给出价格或库存。"),
    ],
)
def test_the_stock_api_refuses_bad_rows_and_changes_nothing(client, suppliers, item, error):
    _token, key = APIToken.create_token(user=suppliers["user1"], name="erp")
    sku = suppliers["pomegranate"].stockrecords.get().partner_sku
    body = {"items": [{"sku": sku, **item}]}
    response = client.patch(
        "/api/v1/supplier/stock",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400
    assert response.json()["problems"] == [{"index": 0, "sku": sku, "error": error}]
    record = StockRecord.objects.get(partner_sku=sku)
    assert (record.price, record.num_in_stock) == (Decimal("68.00"), 50)


def test_the_stock_api_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/supplier/stock"]) == {"get", "patch"}
    assert "/api/v1/supplier/stock/{sku}" in paths


def test_review_queues_are_scoped_to_the_reviewers_region(client, suppliers, reviewers, regions):
    from suppliers.models import Certification

    far = SupplierFactory(name="烈山区申请中合作社", region=regions["烈山镇"], certified_until=None)
    near = SupplierFactory(name="濉溪县申请中农场", region=regions["濉溪镇"], certified_until=None)
    Certification.objects.create(partner=far)
    mine = Certification.objects.create(partner=near)
    client.force_login(reviewers["county"])
    page = client.get(reverse("suppliers:review-queue")).content.decode()
    assert "濉溪县申请中农场" in page
    assert "烈山区申请中合作社" not in page
    far_cert = far.certifications.get()
    assert (
        client.get(reverse("suppliers:review-detail", kwargs={"pk": far_cert.pk})).status_code
        == 404
    )
    response = client.post(
        reverse("suppliers:review-detail", kwargs={"pk": far_cert.pk}), {"action": "recommend"}
    )
    assert response.status_code == 404
    far_cert.refresh_from_db()
    assert far_cert.status == CertificationStatus.APPLIED
    response = client.post(
        reverse("suppliers:review-detail", kwargs={"pk": mine.pk}),
        {"action": "return", "reason": ""},
    )
    assert "退回、不予认定或撤销时必须填写理由。" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == CertificationStatus.APPLIED
    # the city sees both, waiting for the county
    client.force_login(reviewers["city"])
    page = client.get(reverse("suppliers:review-queue") + "?status=applied").content.decode()
    assert "濉溪县申请中农场" in page and "烈山区申请中合作社" in page


def test_a_supplier_is_refused_the_review_pages(client, suppliers):
    client.force_login(suppliers["user1"])
    assert client.get(reverse("suppliers:review-queue")).status_code == 403
    assert client.get(reverse("suppliers:review-listings")).status_code == 403


def test_the_header_links_each_role_to_its_pages(client, suppliers, reviewers, home_page):
    client.force_login(suppliers["user1"])
    page = client.get(reverse("basket:summary")).content.decode()
    assert 'href="/supplier/"' in page and "认定审核" not in page
    client.force_login(reviewers["county"])
    page = client.get(reverse("basket:summary")).content.decode()
    assert 'href="/supplier/review/"' in page and "供应商中心" not in page
    client.force_login(UserFactory(email="shopper@example.com"))
    page = client.get(reverse("basket:summary")).content.decode()
    assert 'href="/supplier/' not in page


def test_the_supplier_sales_page_shows_its_range_in_the_pickers(client, suppliers):
    client.force_login(suppliers["user1"])
    today = timezone.localdate()
    with translation.override("zh-hans"):
        response = client.get(reverse("suppliers:sales"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert f'name="date_from" value="{today.replace(day=1).isoformat()}"' in html
    assert f'name="date_to" value="{today.isoformat()}"' in html
