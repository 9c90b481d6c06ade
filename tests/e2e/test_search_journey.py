"""The header box suggests as you type; search results narrow with facets."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_header_box_suggests_by_pinyin_and_opens_the_product(page, catalogue, screenshot):
    page.goto(page.base_url + "/")
    box = page.locator("header input[name=q]").first
    box.press_sequentially("shil", delay=60)
    suggestion = page.locator(".hn-suggest__item a", has_text="塔山石榴 精品礼盒 6枚装")
    suggestion.wait_for()
    assert page.locator(".hn-suggest__item").count() == 1
    screenshot("search-suggest")

    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/shop/catalogue/ta-shan-shi-liu"))
    expect(page.get_by_text("淮北塔山石榴专业合作社").first).to_be_visible()


def test_search_results_mark_the_match_and_facets_narrow_them(page, catalogue, screenshot):
    page.goto(page.base_url + "/shop/search/?q=" + "濉溪")
    expect(page.locator(".hn-listhead__count")).to_have_text("共 2 件商品")
    expect(page.locator(".hn-card__title mark").first).to_have_text("濉溪")
    screenshot("search-results")

    page.locator(".hn-filter__opts a", has_text="粮油米面").click()
    page.wait_for_url(re.compile(r"category="))
    expect(page.locator(".hn-listhead__count")).to_have_text("共 1 件商品")
    expect(page.get_by_text("濉溪大米 10kg").first).to_be_visible()
    assert page.get_by_text("濉溪葡萄 5斤装").count() == 0
    screenshot("search-facet")


def test_the_search_page_is_usable_on_a_phone(browser, live_server, catalogue):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(live_server.url + "/shop/search/?q=shiliu")
    expect(phone.get_by_text("塔山石榴 精品礼盒 6枚装").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone.screenshot(path="/tmp/shots-6/search-phone.png", full_page=True)
    context.close()
