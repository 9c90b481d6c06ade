"""Browser journey (Playwright + Debian chromium) of a holiday group order: the union's
purchaser orders gift boxes of two suppliers and uploads six staff addresses from Excel (a
bad list first: its row errors, nothing imported), the union's approver approves, each
supplier ships its parcel to each address with its own waybill, the union accepts every
parcel, and the bureau's "八进" table rises by exactly the order's amount."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from orders.models import OrderStatus, ShipmentAddress
from tests.factories.group_orders import address_rows, address_xlsx

Order = get_model("order", "Order")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/huinong-e2e")


def union_amount(page) -> Decimal:
    """The 工会 row's amount of the bureau's 八进 table (0 while the table has no row)."""
    row = page.locator('#eight-entries-table tr[data-type="union"] [data-figure="amount"]')
    if not row.count():
        return Decimal("0.00")
    return Decimal(re.sub(r"[¥,元\s]", "", row.inner_text()))


def test_union_group_order_ships_to_many_addresses_and_counts_in_the_eight_entries_table(
    contexts,
    catalogue,
    unit,
    union,
    union_buyer,
    union_approver,
    union_rule,
    city_staff,
    policy_year,
    supplier_staff,
    rice_staff,
    tmp_path,
):
    SHOTS.mkdir(exist_ok=True)
    bureau = contexts(city_staff)
    reports_url = f"{bureau.base_url}/reports/?date_from={policy_year.year}-01-01"
    bureau.goto(reports_url)
    before = union_amount(bureau)

    buyer = contexts(union_buyer)
    for product in (catalogue["pomegranate"], catalogue["rice"]):
        buyer.goto(buyer.base_url + product.get_absolute_url())
        buyer.locator("#add_to_basket_form input[name=quantity]").fill("6")
        buyer.locator("#add_to_basket_form button[type=submit]").click()
        buyer.wait_for_load_state()
    buyer.goto(buyer.base_url + "/procurement/checkout/")
    expect(buyer.locator('[data-figure="basket-total"]')).to_have_text("¥767.40")
    buyer.fill("#id_canteen", "工会办公室")
    buyer.fill("#id_delivery_address", "淮北市相山区淮海西路1号")
    buyer.fill("#id_contact_name", "孙丽")
    buyer.fill("#id_contact_phone", "13812345678")
    buyer.fill("#id_invoice_title", "淮北市第一中学工会")
    buyer.fill("#id_tax_number", "81340600MB1234567X")
    buyer.get_by_role("button", name="提交采购订单").click()
    buyer.wait_for_url(re.compile(r"/procurement/orders/\d+"))
    number = buyer.url.rstrip("/").split("/")[-1]

    # A list with a bad mobile and an unknown county: both rows named, nothing imported.
    bad = address_rows(6)
    bad[2] = ("职工003", "1390000", "安徽省", "淮北市", "烈山区", "", "淮海路3号", 1)
    bad[4] = ("职工005", "13900000005", "安徽省", "淮北市", "海淀区", "", "淮海路5号", 1)
    (tmp_path / "bad.xlsx").write_bytes(address_xlsx(bad))
    buyer.set_input_files("input[name=addresses]", str(tmp_path / "bad.xlsx"))
    buyer.get_by_role("button", name="导入地址清单").click()
    errors = buyer.locator("[data-group-errors]")
    expect(errors).to_contain_text("第 4 行：手机号“1390000”不是有效的 11 位手机号")
    expect(errors).to_contain_text("第 6 行：地区“安徽省 淮北市 海淀区”不是有效的省、市、区县")
    buyer.screenshot(path=str(SHOTS / "group-order-row-errors.png"), full_page=True)
    assert ShipmentAddress.objects.count() == 0

    (tmp_path / "good.xlsx").write_bytes(address_xlsx(address_rows(6)))
    buyer.set_input_files("input[name=addresses]", str(tmp_path / "good.xlsx"))
    buyer.get_by_role("button", name="导入地址清单").click()
    expect(buyer.get_by_text("已导入 6 个配送地址")).to_be_visible()
    expect(buyer.locator("[data-group-progress]")).to_contain_text("6 个地址，共 12 个包裹")

    chair = contexts(union_approver)
    chair.goto(f"{chair.base_url}/procurement/orders/{number}/")
    chair.get_by_role("button", name="同意", exact=True).click()
    expect(chair.get_by_text("已审批通过。")).to_be_visible()

    for staff, prefix in ((supplier_staff, "SF20261206"), (rice_staff, "SF20261207")):
        seller = contexts(staff)
        seller.goto(f"{seller.base_url}/supplier/orders/{number}/")
        rows = seller.locator("tr[data-shipment]")
        expect(rows).to_have_count(6)
        for i in range(6):
            form = seller.locator("form[data-ship-form]").first
            form.locator("select[name=carrier]").select_option("sf")
            form.locator("input[name=tracking_number]").fill(f"{prefix}{i:05d}")
            form.get_by_role("button", name="确认发货").click()
            expect(seller.get_by_text("已登记发往")).to_be_visible()
        expect(seller.locator("form[data-ship-form]")).to_have_count(0)
        seller.screenshot(
            path=str(SHOTS / f"group-order-supplier-{prefix[-1]}.png"), full_page=True
        )
    assert Order.objects.get(number=number).status == OrderStatus.SHIPPED

    buyer.goto(f"{buyer.base_url}/procurement/orders/{number}/")
    buyer.locator("[data-parcel] button", has_text="验收").first.click()
    expect(buyer.get_by_text("已验收该包裹。")).to_be_visible()
    buyer.once("dialog", lambda dialog: dialog.accept())
    buyer.locator("[data-accept-all]").click()
    expect(buyer.get_by_text("已验收 11 个包裹。")).to_be_visible()
    buyer.screenshot(path=str(SHOTS / "group-order-union.png"), full_page=True)
    assert Order.objects.get(number=number).status == OrderStatus.ACCEPTED

    bureau.goto(reports_url)
    assert union_amount(bureau) - before == Decimal("767.40")
    bureau.screenshot(path=str(SHOTS / "group-order-eight-entries.png"), full_page=True)
