"""Delivery addresses are picked from the bundled national division table and keep the
county's code with the names; old free-text addresses still display."""

import pytest
from django.contrib.staticfiles import finders

from payments.checkout.forms import ShippingAddressForm
from regions.divisions import STATIC_PATH, division_by_code, division_by_names
from tests.factories.payments import shipping_address

BASE = {
    "first_name": "王小明",
    "phone_number": "13812345678",
    "line1": "烈山镇榴园路 8 号",
    "postcode": "",
    "notes": "",
}


def test_the_table_is_bundled_and_served_by_the_site():
    assert finders.find(STATIC_PATH)
    assert division_by_code("340604") == division_by_names("安徽省", "淮北市", "烈山区")
    # A municipality's districts sit under a city named after it, as addresses write it.
    assert division_by_code("110101").city == "北京市"
    assert division_by_names("重庆市", "重庆市", "城口县").code == "500229"
    assert division_by_code("999999") is None


def form(**fields):
    return ShippingAddressForm(data={**BASE, **fields})


@pytest.mark.django_db
def test_the_picker_sends_the_code_with_its_names():
    f = form(region_code="340621", state="安徽省", line4="淮北市", line3="濉溪县")
    assert f.is_valid(), f.errors
    assert [f.cleaned_data[k] for k in ("state", "line4", "line3", "region_code")] == [
        "安徽省",
        "淮北市",
        "濉溪县",
        "340621",
    ]


@pytest.mark.django_db
def test_without_javascript_the_names_must_name_one_county():
    f = form(state="安徽省", line4="淮北市", line3="烈山区")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["region_code"] == "340604"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"state": "安徽省", "line4": "淮北市", "line3": "朝阳区"}, "line3"),
        ({"state": "安徽", "line4": "淮北", "line3": "烈山"}, "line3"),
    ],
)
def test_a_county_not_in_the_table_is_a_field_error(fields, field):
    f = form(**fields)
    assert not f.is_valid()
    assert "请从列表中选择省、市和区/县" in " ".join(f.errors[field])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("999999", "“999999”不是区/县的区划代码"),
        ("340600", "“340600”不是区/县的区划代码"),  # 淮北市 itself, not a county
        ("3406", "“3406”不是区/县的区划代码"),
        ("340621", "所选的省、市、区/县与区划代码不一致"),  # 濉溪县's code, 烈山区's names
    ],
)
def test_a_code_that_is_not_a_county_or_not_the_names_county_is_refused(code, message):
    f = form(region_code=code, state="安徽省", line4="淮北市", line3="烈山区")
    assert not f.is_valid()
    assert message in " ".join(f.errors["line3"])


@pytest.mark.django_db
def test_a_saved_address_gets_its_code_from_its_names_and_free_text_still_displays():
    named = shipping_address()
    named.save()
    assert named.region_code == "340604"
    typed = shipping_address(state="安徽", line4="淮北", line3="老城区")
    typed.save()
    assert typed.region_code == ""
    assert (typed.state, typed.line4, typed.line3) == ("安徽", "淮北", "老城区")
