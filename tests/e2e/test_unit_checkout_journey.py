"""Browser journey (issue #18): a purchaser goes from the basket to 以单位采购结算, reviews
the order, a second tab adds a line before the submit, the submit is refused with the new
review shown, and the second submit orders exactly what that review showed."""

import re

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Order = get_model("order", "Order")


def add_to_basket(page, product, quantity):
    page.goto(page.base_url + product.get_absolute_url())
    page.locator("#add_to_basket_form input[name=quantity]").fill(str(quantity))
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()


def test_basket_to_unit_checkout_review_and_submit_of_what_was_reviewed(
    contexts, catalogue, unit, purchaser, filing
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    buyer = contexts(purchaser)
    add_to_basket(buyer, catalogue["rice"], 2)

    buyer.goto(buyer.base_url + "/shop/basket/")
    expect(buyer.get_by_role("link", name="个人结算")).to_be_visible()
    buyer.get_by_role("link", name="以单位采购结算").click()
    buyer.wait_for_url(re.compile(r"/procurement/checkout/$"))
    expect(buyer.locator('[data-figure="basket-total"]')).to_have_text("¥119.80")
    buyer.fill("#id_canteen", "第一食堂")
    buyer.fill("#id_delivery_address", "淮北市相山区淮海西路1号")
    buyer.fill("#id_contact_name", "刘芳")
    buyer.fill("#id_contact_phone", "13812345678")
    buyer.fill("#id_tax_number", "12340600MB1234567X")

    # A second tab of the same account adds a line after the review was shown.
    other_tab = buyer.context.new_page()
    other_tab.base_url = buyer.base_url
    add_to_basket(other_tab, catalogue["pomegranate"], 1)

    buyer.get_by_role("button", name="提交采购订单").click()
    expect(buyer.get_by_text("购物车在您核对之后有变动")).to_be_visible()
    expect(buyer.locator('[data-figure="basket-total"]')).to_have_text("¥187.80")
    expect(buyer.get_by_role("cell", name="塔山石榴 精品礼盒 6枚装")).to_be_visible()
    assert Order.objects.count() == 0
    buyer.screenshot(path=str(SCREENSHOTS / "unit-checkout-basket-changed.png"), full_page=True)

    buyer.get_by_role("button", name="提交采购订单").click()
    buyer.wait_for_url(re.compile(r"/procurement/orders/\d+/$"))
    expect(buyer.get_by_text("已提交，供应商将按单发货")).to_be_visible()
    buyer.screenshot(path=str(SCREENSHOTS / "unit-checkout-order.png"), full_page=True)

    order = Order.objects.get()
    assert order.total_incl_tax == catalogue["rice"].stockrecords.get().price * 2 + 68
    assert sorted((line.title, line.quantity) for line in order.lines.all()) == [
        ("塔山石榴 精品礼盒 6枚装", 1),
        ("濉溪大米 10kg", 2),
    ]
