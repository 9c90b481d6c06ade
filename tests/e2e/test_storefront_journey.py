import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_shopper_browses_from_the_home_page_to_a_filled_basket(page, catalogue, screenshot):
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.get_by_text("塔山石榴 精品礼盒 6枚装").first).to_be_visible()
    screenshot("home")

    page.get_by_role("link", name=re.compile("水果")).first.click()
    page.wait_for_url(re.compile(r"/shop/catalogue/category/"))
    expect(page.get_by_text("濉溪葡萄 5斤装").first).to_be_visible()
    assert page.get_by_text("未认定商家的石榴").count() == 0
    screenshot("category")

    page.get_by_role("link", name="塔山石榴 精品礼盒 6枚装").first.click()
    page.wait_for_url(re.compile(r"/shop/catalogue/ta-shan-shi-liu"))
    expect(page.get_by_text("淮北塔山石榴专业合作社").first).to_be_visible()
    expect(page.get_by_text("烈山区烈山镇").first).to_be_visible()
    screenshot("product")

    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(page.base_url + "/shop/basket/")
    expect(page.get_by_text("塔山石榴 精品礼盒 6枚装").first).to_be_visible()
    expect(page.get_by_text("¥68.00").first).to_be_visible()
    screenshot("basket")


def test_the_language_switch_in_the_header_changes_the_page_language(page, catalogue):
    page.goto(page.base_url + "/shop/basket/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"

    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_the_site_search_finds_a_product_from_the_header_box(page, catalogue):
    page.goto(page.base_url + "/")
    box = page.locator("header input[name=q]").first
    box.fill("大米")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/shop/search/"))
    expect(page.get_by_text("濉溪大米 10kg").first).to_be_visible()
    assert page.get_by_text("塔山石榴 精品礼盒 6枚装").count() == 0
