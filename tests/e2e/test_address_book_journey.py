"""A shopper keeps addresses in the account's address book on a phone: province, city and
county from the cascading picker (stored as code and names), in Chinese and in English, and
the default entry goes into checkout with its code."""

import pytest
from django.conf import settings
from oscar.core.loading import get_model
from playwright.sync_api import expect

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WIDTHS = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"


def fill_entry(page, province, city, county):
    page.fill("#id_first_name", "王小明")
    page.fill("#id_phone_number", "138 1234 5678")
    page.select_option("select#id_state", label=province)
    page.select_option("select#id_line4", label=city)
    page.select_option("select#id_line3", label=county)
    page.fill("#id_line1", "人民路 99 号")


def test_a_shopper_adds_and_edits_addresses_with_the_picker_on_a_phone_in_both_languages(
    contexts, live_server, catalogue
):
    UserAddress = get_model("address", "UserAddress")
    shopper = UserFactory(email="shopper@example.com")
    page = contexts(shopper, **PHONE)

    page.goto(page.base_url + "/shop/accounts/addresses/add/")
    expect(page.locator("select#id_state")).to_be_visible()
    fill_entry(page, "安徽省", "淮北市", "濉溪县")
    assert page.locator("input[name=region_code]").input_value() == "340621"
    page.screenshot(path="/tmp/huinong-e2e-addr-add.png", full_page=True)
    page.click("form.hn-address-form button[type=submit]")
    page.wait_for_url("**/shop/accounts/addresses/")
    expect(page.locator(".hn-address-book")).to_contain_text("安徽省 淮北市 濉溪县 人民路 99 号")
    assert page.evaluate(WIDTHS) == [390, 390]
    address = UserAddress.objects.get(user=shopper)
    assert (address.line3, address.region_code) == ("濉溪县", "340621")

    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(page.base_url + f"/shop/accounts/addresses/{address.pk}/")
    expect(page.locator("select#id_state option:checked")).to_have_text("Anhui")
    expect(page.locator("select#id_line3 option:checked")).to_have_text("Suixi County")
    assert page.locator("#id_phone_number").input_value() == "138 1234 5678"
    page.select_option("select#id_line3", label="Xiangshan District")
    assert page.evaluate(WIDTHS) == [390, 390]
    page.screenshot(path="/tmp/huinong-e2e-addr-edit-en.png", full_page=True)
    page.click("form.hn-address-form button[type=submit]")
    page.wait_for_url("**/shop/accounts/addresses/")
    expect(page.locator(".hn-address-book")).to_contain_text(
        "人民路 99 号, Xiangshan District, Huaibei, Anhui"
    )
    assert page.evaluate(WIDTHS) == [390, 390]
    page.screenshot(path="/tmp/huinong-e2e-addr-list-en.png", full_page=True)
    address.refresh_from_db()
    assert (address.line3, address.region_code) == ("相山区", "340603")
