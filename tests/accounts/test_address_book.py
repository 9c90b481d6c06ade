"""The account's address book (/accounts/addresses/) asks for province, city and county as
checkout does: picked from the division table, kept as the county's code and the names, old
free-text entries still displayed, and the default entry carried into checkout with its code."""

import pytest
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from regions.addresses import country_cn
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

UserAddress = get_model("address", "UserAddress")
UserAddressForm = get_class("address.forms", "UserAddressForm")

ENTRY = {
    "first_name": "王小明",
    "phone_number": "138 1234 5678",
    "state": "安徽省",
    "line4": "淮北市",
    "line3": "相山区",
    "line1": "人民路 99 号",
    "postcode": "",
    "notes": "",
    "region_code": "340603",
}


@pytest.fixture
def shopper(client):
    user = UserFactory(email="shopper@example.com")
    client.force_login(user)
    return user


def entry(user, **fields):
    values = {k: v for k, v in ENTRY.items() if k not in ("postcode", "notes")}
    values.update(phone_number="+8613812345678", country=country_cn(), **fields)
    return UserAddress.objects.create(user=user, **values)


def test_the_form_keeps_the_pickers_code_and_the_tables_names(shopper):
    form = UserAddressForm(shopper, data=ENTRY)

    assert form.is_valid(), form.errors
    address = form.save()
    assert (address.state, address.line4, address.line3, address.region_code) == (
        "安徽省",
        "淮北市",
        "相山区",
        "340603",
    )
    assert (address.user, address.country.iso_3166_1_a2, str(address.phone_number)) == (
        shopper,
        "CN",
        "+8613812345678",
    )
    assert "country" not in form.fields


def test_without_javascript_the_typed_names_find_the_code(shopper):
    form = UserAddressForm(shopper, data={**ENTRY, "region_code": "", "line3": "濉溪县"})

    assert form.is_valid(), form.errors
    assert form.save().region_code == "340621"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"region_code": "340600"}, "“340600”不是区/县的区划代码，请从列表中选择区/县。"),
        ({"region_code": "34"}, "“34”不是区/县的区划代码，请从列表中选择区/县。"),
        ({"region_code": "340621"}, "所选的省、市、区/县与区划代码不一致，请重新选择。"),
        (
            {"region_code": "", "line3": "朝阳区"},
            "请从列表中选择省、市和区/县（如：安徽省 淮北市 烈山区）。",
        ),
    ],
)
def test_a_code_that_is_not_a_county_or_not_the_chosen_one_is_refused_in_chinese(
    shopper, fields, message
):
    form = UserAddressForm(shopper, data={**ENTRY, **fields})

    assert not form.is_valid()
    assert form.errors["line3"] == [message]
    assert UserAddress.objects.count() == 0


def test_missing_fields_and_a_bad_mobile_are_chinese_field_errors(shopper):
    form = UserAddressForm(
        shopper, data={**ENTRY, "state": "", "line4": "", "line3": "", "phone_number": "12345"}
    )

    assert not form.is_valid()
    assert form.errors["phone_number"] == ["请输入正确的 11 位手机号码，如 13812345678。"]
    assert form.errors["state"] == ["必需字段"]


def test_adding_an_entry_on_the_page_stores_code_and_names(client, shopper):
    page = client.get(reverse("customer:address-create"))
    html = page.content.decode()
    assert 'data-region-picker="/static/regions/divisions.json"' in html
    assert "data-region-names" not in html  # Chinese pages show the stored names
    assert 'name="region_code"' in html

    response = client.post(reverse("customer:address-create"), ENTRY)

    assert response.status_code == 302
    address = UserAddress.objects.get(user=shopper)
    assert (address.line3, address.region_code) == ("相山区", "340603")
    listing = client.get(reverse("customer:address-list")).content.decode()
    assert "安徽省 淮北市 相山区 人民路 99 号" in listing


def test_editing_an_entry_to_another_county_moves_its_code(client, shopper):
    address = entry(shopper)
    page = client.get(reverse("customer:address-detail", kwargs={"pk": address.pk}))
    assert page.context["form"]["phone_number"].value() == "138 1234 5678"

    response = client.post(
        reverse("customer:address-detail", kwargs={"pk": address.pk}),
        {**ENTRY, "line3": "濉溪县", "region_code": "340621"},
    )

    assert response.status_code == 302
    address.refresh_from_db()
    assert (address.line3, address.region_code) == ("濉溪县", "340621")


def test_a_refused_edit_changes_nothing(client, shopper):
    address = entry(shopper)

    response = client.post(
        reverse("customer:address-detail", kwargs={"pk": address.pk}),
        {**ENTRY, "line3": "濉溪县", "region_code": "340600"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["line3"] == [
        "“340600”不是区/县的区划代码，请从列表中选择区/县。"
    ]
    address.refresh_from_db()
    assert (address.line3, address.region_code) == ("相山区", "340603")


def test_an_old_free_text_entry_still_displays_as_typed(client, shopper):
    entry(shopper, state="安徽", line4="淮北", line3="老城区", region_code="")
    assert UserAddress.objects.get().region_code == ""

    listing = client.get(reverse("customer:address-list")).content.decode()

    assert "安徽 淮北 老城区 人民路 99 号" in listing


def test_english_pages_name_the_regions_in_english(client, shopper):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    entry(shopper)
    entry(
        shopper,
        line1="东城大街 1 号",
        state="北京市",
        line4="北京市",
        line3="东城区",
        region_code="110101",
    )
    entry(shopper, state="安徽", line4="淮北", line3="老城区", region_code="", line1="旧地址")

    listing = client.get(reverse("customer:address-list")).content.decode()
    form = client.get(reverse("customer:address-create")).content.decode()

    assert "人民路 99 号, Xiangshan District, Huaibei, Anhui" in listing
    assert "东城大街 1 号, Dongcheng District, Beijing" in listing
    assert "安徽 淮北 老城区 旧地址" in listing
    assert 'data-region-names="/static/regions/divisions.en.json"' in form


def test_the_default_entry_goes_into_checkout_with_its_code(client, shopper, catalogue):
    address = entry(shopper, is_default_for_shipping=True)
    client.post(reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": 1})

    page = client.get(reverse("checkout:shipping-address"))
    assert list(page.context["addresses"]) == [address]
    response = client.post(
        reverse("checkout:shipping-address"), {"action": "ship_to", "address_id": address.pk}
    )
    assert response.status_code == 302
    client.get(reverse("checkout:shipping-method"))
    preview = client.get(reverse("checkout:preview"))

    shipping = preview.context["shipping_address"]
    assert (shipping.line3, shipping.region_code, shipping.line1) == (
        "相山区",
        "340603",
        "人民路 99 号",
    )


def test_the_saved_message_writes_the_address_the_chinese_way(client, shopper):
    response = client.post(reverse("customer:address-create"), ENTRY, follow=True)

    messages = [str(message) for message in response.context["messages"]]
    assert any("王小明 安徽省 淮北市 相山区 人民路 99 号" in text for text in messages), messages
    assert not any("中国" in text or ", " in text for text in messages), messages
