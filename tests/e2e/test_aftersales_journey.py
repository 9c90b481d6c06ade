"""After-sales in the browser: consumer@ asks for a refund on a card-paid line, supplier@
agrees, and the refund shows on both order pages and in the bureau's after-sales report.
The card payment and the refund go to localstripe, a real process on this machine."""

import re

import pytest
from playwright.sync_api import expect

from regions.models import BureauLevel, BureauStaff
from tests.e2e.test_supplier_journeys import login
from tests.factories.accounts import UserFactory
from tests.factories.aftersales import card_paid_order

pytestmark = pytest.mark.django_db(transaction=True)


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_consumer_asks_supplier_agrees_refund_shows_for_both_and_in_the_reports(
    page, catalogue, regions, localstripe, screenshot
):
    shopper = UserFactory(email="consumer@example.com")
    seller = UserFactory(email="supplier@example.com")
    catalogue["supplier"].users.add(seller)
    BureauStaff.objects.create(
        user=UserFactory(email="city@example.com"),
        region=regions["淮北市"],
        level=BureauLevel.CITY,
        bureau_name="淮北市乡村振兴局",
    )
    order = card_paid_order(shopper, localstripe.payment_method(), (catalogue["pomegranate"], 1))
    order_url = f"{page.base_url}/shop/accounts/orders/{order.number}/"

    # The shopper, on a phone-sized screen.
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "consumer@example.com")
    page.goto(order_url)
    assert no_horizontal_overflow(page)
    page.locator("#aftersales").get_by_role("link", name="申请售后").click()
    page.get_by_label("仅退款").check()
    page.get_by_label("申请原因").fill("有两个石榴裂开了")
    page.get_by_label("退款金额（元）").fill("20.00")
    assert no_horizontal_overflow(page)
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("[data-case-status]").first).to_have_text("待商家处理")
    screenshot("aftersales-01-asked")

    # The supplier agrees.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "supplier@example.com")
    page.goto(page.base_url + "/supplier/after-sales/")
    page.locator("#aftersales-list a", has_text=re.compile(r"^SH")).first.click()
    page.locator("#case-agree").click()
    expect(page.locator("[data-case-status]").first).to_have_text("已退款")
    expect(page.locator("#case-refund")).to_contain_text("¥20.00")
    page.goto(f"{page.base_url}/supplier/orders/{order.number}/")
    expect(page.locator("#aftersales [data-refund]")).to_contain_text("¥20.00 · 已退款")
    screenshot("aftersales-02-agreed")

    # The shopper sees the refund on the order page.
    login(page, "consumer@example.com")
    page.goto(order_url)
    expect(page.locator("#refunds")).to_contain_text("¥20.00")
    expect(page.locator("#refunds")).to_contain_text("已退款")

    # The bureau's report: one order, one case, ¥20.00 refunded through after-sales.
    login(page, "city@example.com")
    page.goto(page.base_url + "/reports/after-sales/")
    row = page.locator("#aftersales-rates tr", has_text="淮北塔山石榴专业合作社")
    expect(row).to_contain_text("100.0%")
    expect(row).to_contain_text("¥20.00")
    screenshot("aftersales-03-report")
