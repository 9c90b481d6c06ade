"""Browser journey (Playwright + Debian chromium): the purchaser files, the bureau approves
the filing, the purchaser orders, the approver approves, the supplier ships in the supplier
portal, the unit accepts part of it, and the unit's completion rises by exactly the accepted
amount."""

import re
from decimal import Decimal

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from orders.models import OrderStatus
from procurement.models import Filing
from tests.factories.accounts import UserFactory

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def figure(page, name) -> Decimal:
    text = page.locator(f'[data-figure="{name}"]').inner_text()
    return Decimal(re.sub(r"[¥,元]", "", text))


def test_purchaser_to_approver_to_supplier_to_acceptance_raises_completion(
    contexts, catalogue, unit, purchaser, approver, city_staff, policy_year, approval_rule, tmp_path
):
    shots = __import__("pathlib").Path("/tmp/huinong-e2e")
    shots.mkdir(exist_ok=True)
    buyer = contexts(purchaser)
    buyer.goto(buyer.base_url + "/procurement/filings/")
    buyer.fill("#id_canteen_budget", "20000")
    buyer.fill("#id_reserved_amount", "1500")  # 7.5%: below the 10% minimum
    buyer.fill("#id_contact_name", "刘芳")
    buyer.fill("#id_contact_phone", "0561-3012345")
    buyer.get_by_role("button", name="提交审核").click()
    expect(buyer.get_by_text("预留比例 7.5% 低于")).to_be_visible()
    assert Filing.objects.count() == 0
    buyer.fill("#id_reserved_amount", "3000")
    buyer.get_by_role("button", name="提交审核").click()
    expect(buyer.get_by_text("填报已提交，等待")).to_be_visible()

    bureau = contexts(city_staff)
    bureau.goto(bureau.base_url + "/procurement/bureau/filings/")
    bureau.get_by_role("link", name="审核", exact=True).click()
    bureau.get_by_role("button", name="通过 v1").click()
    expect(bureau.get_by_text("已通过该填报。")).to_be_visible()
    bureau.screenshot(path=str(shots / "procurement-bureau-filing.png"), full_page=True)

    buyer.goto(buyer.base_url + catalogue["pomegranate"].get_absolute_url())
    buyer.locator("#add_to_basket_form input[name=quantity]").fill("5")
    buyer.locator("#add_to_basket_form button[type=submit]").click()
    buyer.wait_for_load_state()
    buyer.goto(buyer.base_url + "/procurement/checkout/")
    expect(buyer.locator('[data-figure="basket-total"]')).to_have_text("¥340.00")
    buyer.fill("#id_canteen", "第一食堂")
    buyer.fill("#id_delivery_address", "淮北市相山区淮海西路1号")
    buyer.fill("#id_contact_name", "刘芳")
    buyer.fill("#id_contact_phone", "13812345678")
    buyer.fill("#id_invoice_title", "淮北市第一中学")
    buyer.fill("#id_tax_number", "12340600MB1234567X")
    buyer.screenshot(path=str(shots / "procurement-checkout.png"), full_page=True)
    buyer.get_by_role("button", name="提交采购订单").click()
    buyer.wait_for_url(re.compile(r"/procurement/orders/\d+"))
    expect(buyer.get_by_text("等待审批人审批").first).to_be_visible()
    number = buyer.url.rstrip("/").split("/")[-1]

    boss = contexts(approver)
    boss.goto(boss.base_url + "/procurement/")
    boss.get_by_role("link", name=re.compile(number)).first.click()
    boss.get_by_role("button", name="同意", exact=True).click()
    expect(boss.get_by_text("已审批通过。")).to_be_visible()

    order = Order.objects.get(number=number)
    line = order.lines.get()
    seller_user = UserFactory(email="tashan-staff@example.com")
    line.partner.users.add(seller_user)
    seller = contexts(seller_user)
    seller.goto(seller.base_url + "/supplier/")
    seller.get_by_role("link", name=re.compile("订单发货")).first.click()
    seller.get_by_role("link", name=number).click()
    seller.fill(f"#id_qty_{line.pk}", "5")
    seller.select_option("#id_carrier", "sf")
    seller.fill("#id_tracking_number", "SF2026112801123")
    seller.get_by_role("button", name="确认发货").click()
    seller.wait_for_load_state()
    expect(seller.get_by_text("已登记发货").first).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    buyer.goto(buyer.base_url + "/procurement/")
    before = figure(buyer, "completed")
    assert before == Decimal("0.00")
    assert figure(buyer, "committed") == Decimal("340.00")
    buyer.get_by_role("link", name=re.compile(number)).first.click()
    buyer.fill(f"input[name=accepted-{line.pk}]", "4")
    buyer.fill(f"input[name=damaged-{line.pk}]", "1")
    buyer.get_by_role("button", name="确认验收").click()
    expect(buyer.get_by_text("验收完成。")).to_be_visible()
    buyer.screenshot(path=str(shots / "procurement-order.png"), full_page=True)

    buyer.goto(buyer.base_url + "/procurement/")
    assert figure(buyer, "completed") - before == Decimal("272.00")  # 4 x ¥68, the accepted part
    assert figure(buyer, "committed") == Decimal("0.00")  # the damaged ¥68 was released
    assert figure(buyer, "remaining") == Decimal("2728.00")
    buyer.screenshot(path=str(shots / "procurement-portal.png"), full_page=True)
