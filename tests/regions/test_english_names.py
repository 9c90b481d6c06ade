"""Every division of the bundled table has an English name (pinyin and the kind of division),
served beside the table, and English pages show addresses with them."""

import json

from django.contrib.staticfiles import finders
from django.utils import translation

from regions.divisions import (
    DATA,
    ENGLISH_DATA,
    ENGLISH_STATIC_PATH,
    division_by_code,
    region_names,
)


def test_the_english_names_are_bundled_and_served_by_the_site():
    assert finders.find(ENGLISH_STATIC_PATH)


def test_every_province_city_and_county_has_an_ascii_english_name():
    english = json.loads(ENGLISH_DATA.read_text(encoding="utf-8"))
    codes = []
    for province_code, _name, cities in json.loads(DATA.read_text(encoding="utf-8")):
        codes.append(province_code)
        for city_code, _name, counties in cities:
            codes.append(city_code)
            codes.extend(code for code, _name in counties)

    assert set(english) == set(codes)
    assert all(name and name.replace("ü", "u").isascii() for name in english.values())


def test_names_follow_the_usual_pinyin_forms():
    assert division_by_code("340603").names(english=True) == (
        "Anhui",
        "Huaibei",
        "Xiangshan District",
    )
    assert division_by_code("340621").county_en == "Suixi County"
    assert division_by_code("341502").names(english=True)[1] == "Lu'an"
    assert division_by_code("610113").names(english=True) == ("Shaanxi", "Xi'an", "Yanta District")
    assert division_by_code("222401").names(english=True) == (
        "Jilin",
        "Yanbian Korean Autonomous Prefecture",
        "Yanji City",
    )
    assert division_by_code("110101").names(english=True) == (
        "Beijing",
        "Beijing",
        "Dongcheng District",
    )


def test_english_pages_name_an_address_region_in_english_and_free_text_as_typed():
    coded = {"code": "340603", "province": "安徽省", "city": "淮北市", "county": "相山区"}
    typed = {"code": "", "province": "安徽", "city": "淮北", "county": "老城区"}
    with translation.override("en"):
        assert region_names(**coded) == ["Xiangshan District", "Huaibei", "Anhui"]
        assert region_names(**typed) == ["安徽", "淮北", "老城区"]
        assert region_names(code="110101", province="北京市", city="北京市", county="东城区") == [
            "Dongcheng District",
            "Beijing",
        ]
    with translation.override("zh-hans"):
        assert region_names(**coded) == ["安徽省", "淮北市", "相山区"]


def test_a_region_shows_its_english_name_on_english_pages_and_a_town_its_own():
    from regions.models import Region

    county = Region(code="340621", name="濉溪县")
    city = Region(code="340600", name="淮北市")
    province = Region(code="340000", name="安徽省")
    town = Region(code="340621100", name="濉溪镇")
    with translation.override("en"):
        assert [r.display_name for r in (county, city, province, town)] == [
            "Suixi County",
            "Huaibei",
            "Anhui",
            "濉溪镇",
        ]
    with translation.override("zh-hans"):
        assert county.display_name == "濉溪县"
