"""The unit portal, bureau and supplier pages and the API: what each role sees, and every
refusal answered with a message or a 4xx while the ledger stays where it was."""

import io
import json
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from oscar.core.loading import get_model

from orders.models import OrderStatus
from procurement import services
from procurement.forms import CheckoutDetailsForm
from procurement.models import BudgetUnit, Filing, QuotaEntry, ReminderSent, Settlement
from procurement.services.reminders import procurement_remind_behind
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import CHECKOUT_DETAILS, balance, reviewed, ship, submit

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_portal_shows_the_progress_figures(client, catalogue, unit, purchaser, filing):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 2))
    services.procurement_shipment_accept(shipping_event=ship(order), user=purchaser)
    response = login(client, purchaser).get(reverse("procurement:portal"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="reserved">1,000.00元' in html
    assert 'data-figure="completed" class="pc-em">119.80元' in html
    assert 'data-figure="remaining">880.20元' in html
    assert "<svg" in html and "pc-chart__bar" in html


def test_someone_outside_every_unit_gets_the_no_unit_page(client, unit):
    response = login(client, UserFactory()).get(reverse("procurement:portal"))
    assert response.status_code == 403
    assert "您还不是任何预算单位的成员" in response.content.decode()


def test_filing_form_shows_the_ratio_refusal_and_writes_nothing(
    client, unit, purchaser, policy_year
):
    response = login(client, purchaser).post(
        reverse("procurement:filings"),
        {
            "year": policy_year.year,
            "canteen_budget": "50000",
            "reserved_amount": "4000",
            "union_demand": "0",
            "contact_name": "刘芳",
            "contact_phone": "0561-3012345",
        },
    )
    assert response.status_code == 200
    assert "预留比例 8% 低于" in response.content.decode()
    assert Filing.objects.count() == 0


def test_checkout_orders_beyond_the_reserve(client, catalogue, unit, purchaser, filing):
    # ¥1,360 against a reserve of ¥1,000: the reserve is a floor, the order goes through.
    login(client, purchaser)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": 20})
    form = {"filing": filing.pk, **CHECKOUT_DETAILS, **reviewed(client)}
    response = client.post(reverse("procurement:checkout"), form)
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/orders/{order.number}/")
    assert balance(filing) == (Decimal("1000.00"), Decimal("1360.00"), Decimal("0.00"))
    assert services.quota_reconcile() == []


def test_checkout_places_the_basket_and_refuses_above_the_spending_cap(
    client, catalogue, unit, purchaser, capped_filing
):
    filing = capped_filing
    login(client, purchaser)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": 20})
    form = {
        "filing": filing.pk,
        "canteen": "第一食堂",
        "delivery_address": "淮海西路1号",
        "contact_name": "刘芳",
        "contact_phone": "13812345678",
        "invoice_title": "淮北市第一中学",
        "tax_number": "12340600MB1234567X",
    }
    response = client.post(reverse("procurement:checkout"), {**form, **reviewed(client)})
    assert response.status_code == 200
    assert (
        f"超过本单位 {filing.policy_year.year} 年度采购上限：年度政策以填报的年度食堂食材采购预算"
        " ¥1,000.00 为上限，已占用和已完成 ¥0.00，尚可采购 ¥1,000.00，本次需要 ¥1,360.00。"
    ) in response.content.decode()
    assert (QuotaEntry.objects.count(), Order.objects.count()) == (0, 0)

    basket = Basket.objects.get(owner=purchaser, status=Basket.OPEN)
    basket.lines.update(quantity=5)
    response = client.post(reverse("procurement:checkout"), {**form, **reviewed(client)})
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/orders/{order.number}/")
    assert order.channel == "procurement"
    assert balance(filing) == (Decimal("1000.00"), Decimal("340.00"), Decimal("0.00"))


def test_orders_of_another_unit_are_not_found(client, catalogue, unit, purchaser, filing, regions):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    other = BudgetUnit.objects.create(
        name="濉溪县医院",
        credit_code=make_credit_code(990003),
        region=regions["濉溪县"],
        unit_type="hospital",
    )
    stranger = UserFactory()
    other.memberships.create(user=stranger, role="purchaser")
    login(client, stranger)
    assert client.get(reverse("procurement:order-detail", args=[order.number])).status_code == 404
    response = client.post(reverse("procurement:order-action", args=[order.number, "cancel"]))
    assert response.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    assert balance(filing)[1] == Decimal("59.90")


def test_a_purchaser_posting_an_approval_of_their_own_order_is_refused(
    client, catalogue, unit, purchaser, approver, filing, approval_rule
):
    unit.memberships.create(user=purchaser, role="approver")
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 4))
    login(client, purchaser)
    page = client.get(reverse("procurement:order-detail", args=[order.number])).content.decode()
    assert "同意</button>" not in page
    response = client.post(
        reverse("procurement:order-action", args=[order.number, "approve"]), follow=True
    )
    assert "采购员不能审批自己提交的订单。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_APPROVAL
    login(client, approver)
    client.post(reverse("procurement:order-action", args=[order.number, "approve"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED


def test_accepting_more_than_shipped_on_the_page_changes_nothing(
    client, catalogue, unit, purchaser, filing
):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 2))
    line = order.lines.get()
    event = ship(order)
    login(client, purchaser)
    url = reverse("procurement:order-action-target", args=[order.number, "accept", event.pk])
    response = client.post(url, {f"accepted-{line.pk}": "3"}, follow=True)
    assert "验收合格数量不能超过发货数量" in response.content.decode()
    assert balance(filing) == (Decimal("1000.00"), Decimal("119.80"), Decimal("0.00"))
    client.post(
        url, {f"accepted-{line.pk}": "2", f"short-{line.pk}": "0", f"damaged-{line.pk}": "0"}
    )
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("119.80"))


def test_county_staff_see_only_their_county(
    client, catalogue, unit, filing, county_staff, city_staff
):
    login(client, county_staff)
    html = client.get(reverse("procurement:bureau-completion")).content.decode()
    assert "淮北市第一中学" not in html
    assert client.get(reverse("procurement:bureau-filing", args=[filing.pk])).status_code == 404
    response = client.post(
        reverse("procurement:bureau-filing", args=[filing.pk]),
        {"action": "adjust", "committed_delta": "0", "completed_delta": "10", "reason": "x"},
    )
    assert response.status_code == 404
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
    login(client, city_staff)
    assert "淮北市第一中学" in client.get(reverse("procurement:bureau-completion")).content.decode()


def test_excel_export_escapes_formula_cells(client, unit, filing, city_staff):
    BudgetUnit.objects.filter(pk=unit.pk).update(supervising_unit='=HYPERLINK("x")')
    response = login(client, city_staff).get(reverse("procurement:bureau-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell.value for cell in sheet[3]]
    assert row[1] == "淮北市第一中学"
    assert row[4] == '\'=HYPERLINK("x")'
    assert row[5] == 1000


def test_bureau_adjustment_page_requires_a_reason(client, filing, city_staff):
    login(client, city_staff)
    url = reverse("procurement:bureau-filing", args=[filing.pk])
    response = client.post(
        url, {"action": "adjust", "committed_delta": "0", "completed_delta": "10", "reason": ""}
    )
    assert response.status_code == 200 and "请填写调整原因。" in response.content.decode()
    assert QuotaEntry.objects.count() == 0


def test_supplier_records_invoice_and_confirms_receipt_only_for_its_own(
    client, catalogue, unit, purchaser, filing
):
    staff, other = UserFactory(), UserFactory()
    catalogue["supplier"].users.add(staff)
    catalogue["rice"].stockrecords.get().partner.users.add(other)
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 1))
    services.procurement_shipment_accept(shipping_event=ship(order), user=purchaser)
    settlement = Settlement.objects.get()
    invoice = {"invoice_number": "34000001", "invoice_date": "2026-05-01", "amount": "68.00"}
    login(client, other)
    url = reverse("procurement:supplier-settlement", args=[settlement.pk, "invoice"])
    assert client.post(url, invoice).status_code == 404
    login(client, staff)
    assert "淮北市第一中学" in client.get(reverse("procurement:supplier-orders")).content.decode()
    client.post(url, invoice)
    settlement.refresh_from_db()
    assert settlement.invoice_number == "34000001"
    order.refresh_from_db()
    assert order.status == OrderStatus.INVOICED


def test_suppliers_see_procurement_orders_only_after_approval(
    client, catalogue, unit, purchaser, approver, filing, approval_rule
):
    staff = UserFactory()
    catalogue["supplier"].users.add(staff)
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 4))
    login(client, staff)
    assert order.number not in client.get(reverse("procurement:supplier-orders")).content.decode()
    services.procurement_order_approve(order=order, user=approver)
    assert order.number in client.get(reverse("procurement:supplier-orders")).content.decode()


# ---------------------------------------------------------------------------- API
def api_post(client, payload):
    return client.post(
        "/api/v1/procurement/orders", json.dumps(payload), content_type="application/json"
    )


def order_payload(unit, filing, product, quantity):
    return {
        "unit_id": unit.pk,
        "filing_id": filing.pk,
        "items": [{"product_id": product.pk, "quantity": quantity}],
        "canteen": "第一食堂",
        "delivery_address": "淮海西路1号",
        "contact_name": "刘芳",
        "contact_phone": "13812345678",
        "invoice_title": "淮北市第一中学",
        "tax_number": "12340600MB1234567X",
    }


def test_api_submits_an_order_and_reports_the_balance(client, catalogue, unit, purchaser, filing):
    login(client, purchaser)
    response = api_post(client, order_payload(unit, filing, catalogue["rice"], 3))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["total"]) == ("已审批", "179.70")
    assert body["lines"][0]["unit_price"] == "59.90"
    balance_body = client.get(f"/api/v1/procurement/filings/{filing.pk}/balance").json()
    assert (balance_body["committed"], balance_body["remaining"]) == ("179.70", "820.30")
    orders = client.get(f"/api/v1/procurement/units/{unit.pk}/orders").json()
    assert [o["number"] for o in orders] == [body["number"]]


def test_api_refusals_are_4xx_with_a_reason_and_write_nothing(
    client, catalogue, unit, purchaser, approver, capped_filing
):
    filing = capped_filing
    login(client, purchaser)
    response = api_post(client, order_payload(unit, filing, catalogue["pomegranate"], 15))
    assert response.status_code == 409
    assert response.json()["detail"].endswith("尚可采购 ¥1,000.00，本次需要 ¥1,020.00。")
    response = api_post(client, order_payload(unit, filing, catalogue["hidden"], 1))
    assert response.status_code == 400 and "不能采购" in response.json()["detail"]
    login(client, approver)
    response = api_post(client, order_payload(unit, filing, catalogue["rice"], 1))
    assert response.status_code == 403
    assert response.json()["detail"] == "您不是该预算单位的采购员，不能以该单位名义下单。"
    login(client, UserFactory())
    assert api_post(client, order_payload(unit, filing, catalogue["rice"], 1)).status_code == 404
    assert client.get(f"/api/v1/procurement/units/{unit.pk}/filings").status_code == 404
    assert (QuotaEntry.objects.count(), Order.objects.count(), Basket.objects.count()) == (0, 0, 0)
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_api_requires_authentication(client, unit):
    response = client.get("/api/v1/procurement/units")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录，或在请求头中提供有效的 API 令牌。"}


def nothing_written(filing):
    return (QuotaEntry.objects.count(), Order.objects.count(), Basket.objects.count()) == (
        0,
        0,
        0,
    ) and balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def checkout_page_errors(client, filing, product, fields):
    """The field errors the checkout page shows for the same delivery and invoice fields."""
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    response = client.post(reverse("procurement:checkout"), {"filing": filing.pk, **fields})
    assert response.status_code == 200
    Basket.objects.all().delete()
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def test_api_checks_delivery_and_invoice_fields_with_the_checkout_page_form(
    client, catalogue, unit, purchaser, filing
):
    login(client, purchaser)
    fields = {
        "canteen": "",
        "delivery_address": "  ",
        "contact_name": "",
        "contact_phone": "13812345678",
        "invoice_title": "淮北市第一中学" * 20,
        "tax_number": "1234",
        "note": "备" * 301,
    }
    response = api_post(client, {**order_payload(unit, filing, catalogue["rice"], 1), **fields})
    assert response.status_code == 422, response.content
    body = response.json()
    assert (
        body["detail"]
        == "收货与开票信息有误：收货食堂、收货地址、收货人、发票抬头、纳税人识别号、备注。"
    )
    assert body["errors"] == {
        "canteen": ["必需字段"],
        "delivery_address": ["必需字段"],
        "contact_name": ["必需字段"],
        "invoice_title": ["确保该变量包含不超过 100 字符 (目前字符数 140)。"],
        "tax_number": ["纳税人识别号应为 15–20 位数字或大写字母。"],
        "note": ["确保该变量包含不超过 300 字符 (目前字符数 301)。"],
    }
    assert nothing_written(filing)
    assert checkout_page_errors(client, filing, catalogue["rice"], fields) == body["errors"]


@pytest.mark.parametrize("phone", ["abc", "1381234567", "12345678901", "0561-30123"])
def test_api_and_checkout_page_refuse_a_phone_nobody_can_call(
    client, catalogue, unit, purchaser, filing, phone
):
    login(client, purchaser)
    payload = {**order_payload(unit, filing, catalogue["rice"], 1), "contact_phone": phone}
    response = api_post(client, payload)
    assert response.status_code == 422, response.content
    errors = {"contact_phone": ["请填写手机号或带区号的固定电话，如 0561-4611208。"]}
    assert response.json() == {"detail": "收货与开票信息有误：联系电话。", "errors": errors}
    assert nothing_written(filing)
    fields = {name: payload[name] for name in CheckoutDetailsForm.base_fields if name in payload}
    assert checkout_page_errors(client, filing, catalogue["rice"], fields) == errors


@pytest.mark.parametrize(
    "phone", ["13812345678", "+86 138-1234-5678", "0561-3012345", "05613012345"]
)
def test_api_takes_mobile_and_landline_numbers(client, catalogue, unit, purchaser, filing, phone):
    login(client, purchaser)
    payload = {**order_payload(unit, filing, catalogue["rice"], 1), "contact_phone": phone}
    assert api_post(client, payload).status_code == 201
    assert Order.objects.get().procurement.contact_phone == phone


def test_api_refuses_a_tax_number_longer_than_the_order_keeps(
    client, catalogue, unit, purchaser, filing
):
    login(client, purchaser)
    payload = {**order_payload(unit, filing, catalogue["rice"], 1), "tax_number": "1" * 21}
    response = api_post(client, payload)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "tax_number": ["纳税人识别号应为 15–20 位数字或大写字母。"]
    }
    assert nothing_written(filing)


def test_api_stores_the_fields_as_the_page_cleans_them(client, catalogue, unit, purchaser, filing):
    login(client, purchaser)
    payload = {**order_payload(unit, filing, catalogue["rice"], 1), "canteen": "  第一食堂 "}
    assert api_post(client, payload).status_code == 201
    assert Order.objects.get().procurement.canteen == "第一食堂"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"quantity": 10**30}, {"items.0.quantity": ["须不大于 100000。"]}),
        ({"quantity": 0}, {"items.0.quantity": ["须大于 0。"]}),
        ({"product_id": 10**30}, {"items.0.product_id": ["须不大于 2147483647。"]}),
        ({"unit_id": 2**31}, {"unit_id": ["须不大于 2147483647。"]}),
        ({"filing_id": -1}, {"filing_id": ["须大于 0。"]}),
        ({"items": []}, {"items": ["至少须有 1 项。"]}),
        ({"quantity": "两箱"}, {"items.0.quantity": ["须为整数。"]}),
        ({"contact_phone": None}, {"contact_phone": ["须为字符串。"]}),
        ({"tax_number": "missing"}, {"tax_number": ["此项为必填项。"]}),
    ],
)
def test_api_refuses_out_of_range_and_malformed_order_fields_in_chinese(
    client, catalogue, unit, purchaser, filing, change, errors
):
    login(client, purchaser)
    payload = order_payload(unit, filing, catalogue["rice"], 1)
    for name, value in change.items():
        if name in ("quantity", "product_id"):
            payload["items"][0][name] = value
        elif value == "missing":
            del payload[name]
        else:
            payload[name] = value
    response = api_post(client, payload)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["errors"] == errors
    key, (message,) = next(iter(errors.items()))
    assert body["detail"] == f"请求内容有误：{key} {message}"
    assert nothing_written(filing)


@pytest.mark.parametrize(
    ("url", "errors"),
    [
        ("/api/v1/procurement/units/abc/orders", {"unit_id": ["须为整数。"]}),
        ("/api/v1/procurement/units/2147483648/filings", {"unit_id": ["须不大于 2147483647。"]}),
        ("/api/v1/procurement/units/0/orders", {"unit_id": ["须大于 0。"]}),
        (f"/api/v1/procurement/filings/{10**30}/balance", {"filing_id": ["须不大于 2147483647。"]}),
    ],
)
def test_api_refuses_out_of_range_and_malformed_ids_in_the_path_in_chinese(
    client, purchaser, url, errors
):
    login(client, purchaser)
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["errors"] == errors


def test_api_refuses_a_body_that_is_not_json_in_chinese(client, unit, purchaser, filing):
    login(client, purchaser)
    response = client.post(
        "/api/v1/procurement/orders", "{unit_id: 1", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}
    assert nothing_written(filing)


def test_api_refuses_a_product_without_a_price_in_chinese(
    client, catalogue, unit, purchaser, filing
):
    from tests.factories.catalog import ProductFactory

    unpriced = ProductFactory(title="无价商品", stockrecord=False)
    login(client, purchaser)
    response = api_post(client, order_payload(unit, filing, unpriced, 1))
    assert response.status_code == 400
    assert response.json() == {"detail": "以下商品没有售价，不能采购：无价商品。"}
    assert nothing_written(filing)


def test_api_answers_one_chinese_404_for_missing_inactive_and_other_units(
    client, catalogue, unit, purchaser, filing, regions
):
    other = BudgetUnit.objects.create(
        name="濉溪县医院",
        credit_code=make_credit_code(990003),
        region=regions["濉溪县"],
        unit_type="hospital",
    )
    other_filing = Filing.objects.create(
        unit=other, policy_year=filing.policy_year, canteen_budget=1, reserved_amount=1
    )
    closed = BudgetUnit.objects.create(
        name="已撤销的单位",
        credit_code=make_credit_code(990004),
        region=regions["濉溪县"],
        unit_type="hospital",
        is_active=False,
    )
    closed.memberships.create(user=purchaser, role="purchaser")
    closed_filing = Filing.objects.create(
        unit=closed, policy_year=filing.policy_year, canteen_budget=1, reserved_amount=1
    )
    login(client, purchaser)
    unit_missing = {"detail": "没有找到该预算单位。"}
    filing_missing = {"detail": "没有找到该填报。"}
    for unit_id in (999999, other.pk, closed.pk):
        for url in (f"units/{unit_id}/orders", f"units/{unit_id}/filings"):
            response = client.get(f"/api/v1/procurement/{url}")
            assert (response.status_code, response.json()) == (404, unit_missing), url
        response = api_post(
            client, {**order_payload(unit, filing, catalogue["rice"], 1), "unit_id": unit_id}
        )
        assert (response.status_code, response.json()) == (404, unit_missing)
    for filing_id in (999999, other_filing.pk, closed_filing.pk):
        response = client.get(f"/api/v1/procurement/filings/{filing_id}/balance")
        assert (response.status_code, response.json()) == (404, filing_missing), filing_id
    assert nothing_written(filing)


def test_api_documents_its_refusals_and_the_docs_render(client, purchaser):
    login(client, purchaser)
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    submit_op = schema["paths"]["/api/v1/procurement/orders"]["post"]
    assert set(submit_op["responses"]) == {"201", "400", "401", "403", "404", "409", "422"}
    balance_op = schema["paths"]["/api/v1/procurement/filings/{filing_id}/balance"]["get"]
    (param,) = balance_op["parameters"]
    assert (param["schema"]["exclusiveMinimum"], param["schema"]["maximum"]) == (0, 2**31 - 1)


# ------------------------------------------------------------------------ reminder
def test_units_behind_schedule_are_reminded_once_a_month(unit, purchaser, approver, filing):
    import datetime

    year = filing.policy_year.year
    assert procurement_remind_behind(today=datetime.date(year, 7, 1)) == ["淮北市第一中学"]
    assert procurement_remind_behind(today=datetime.date(year, 7, 1)) == []
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["boss@example.com", "buyer@example.com"]
    assert "低于按月均衡进度 50%" in mail.outbox[0].body
    assert ReminderSent.objects.get().month == 7
