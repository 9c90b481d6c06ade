"""Writes ``static/regions/divisions.en.json``: the English name of every province, city and
county of ``divisions.json``, by code (``{"34": "Anhui", "3406": "Huaibei", "340603":
"Xiangshan District", ...}``).

A development-time script, run once when the division table changes; the site reads the
JSON and needs no pinyin library. The names follow the usual pinyin forms of the Ministry of
Civil Affairs' English place names: the proper name in pinyin written as one word with an
apostrophe where syllables would run together (Lu'an, Xi'an), then the kind of division in
English (安徽省 → Anhui, 淮北市 → Huaibei, 相山区 → Xiangshan District, 濉溪县 → Suixi County,
延边朝鲜族自治州 → Yanbian Korean Autonomous Prefecture). Readings that a pinyin library
gets wrong for a place (陕西 Shaanxi, 洪洞 Hongtong) are in ``READINGS``.

    python -m venv /tmp/pinyin && /tmp/pinyin/bin/pip install pypinyin
    /tmp/pinyin/bin/python regions/english_names.py
"""

import json
import sys
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static" / "regions"

PROVINCES = {
    "内蒙古自治区": "Inner Mongolia",
    "广西壮族自治区": "Guangxi",
    "西藏自治区": "Xizang",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "陕西省": "Shaanxi",
}

# Place names whose usual reading differs from the library's (polyphonic characters).
READINGS = {
    "陕西": "Shaanxi",
    "洪洞": "Hongtong",
    "涡阳": "Guoyang",
    "朝阳": "Chaoyang",
    "番禺": "Panyu",
    "大城": "Daicheng",
    "尉犁": "Yuli",
    "蚌山": "Bengshan",
    "长垣": "Changyuan",
    "乐清": "Yueqing",
    "枞阳": "Zongyang",
    "六合": "Luhe",
    "会昌": "Huichang",
    "厦门": "Xiamen",
    "重庆": "Chongqing",
    "长沙": "Changsha",
}

WHOLE = {
    "省直辖县级行政区划": "County-level divisions under the province",
    "自治区直辖县级行政区划": "County-level divisions under the autonomous region",
    "中沙群岛的岛礁及其海域": "Zhongsha Islands",
    "单县": "Shan County",
    "浚县": "Xun County",
}

ETHNIC = {
    "朝鲜族": "Korean",
    "土家族": "Tujia",
    "苗族": "Miao",
    "藏族": "Tibetan",
    "羌族": "Qiang",
    "彝族": "Yi",
    "布依族": "Bouyei",
    "侗族": "Dong",
    "哈尼族": "Hani",
    "壮族": "Zhuang",
    "傣族": "Dai",
    "白族": "Bai",
    "景颇族": "Jingpo",
    "傈僳族": "Lisu",
    "回族": "Hui",
    "蒙古族": "Mongol",
    "蒙古": "Mongol",
    "柯尔克孜": "Kirgiz",
    "哈萨克": "Kazak",
    "满族": "Manchu",
    "达斡尔族": "Daur",
    "鄂温克族": "Ewenki",
    "瑶族": "Yao",
    "畲族": "She",
    "黎族": "Li",
    "仫佬族": "Mulao",
    "毛南族": "Maonan",
    "仡佬族": "Gelao",
    "水族": "Sui",
    "纳西族": "Naxi",
    "拉祜族": "Lahu",
    "佤族": "Va",
    "独龙族": "Derung",
    "怒族": "Nu",
    "普米族": "Pumi",
    "布朗族": "Blang",
    "撒拉族": "Salar",
    "保安族": "Bonan",
    "东乡族": "Dongxiang",
    "裕固族": "Yugur",
    "土族": "Tu",
    "塔吉克": "Tajik",
    "锡伯": "Xibe",
    "鄂伦春": "Oroqen",
    "维吾尔": "Uygur",
    "各族": "Multi-ethnic",
    "哈萨克族": "Kazak",
    "京族": "Gin",
    "傣族景颇族": "Dai and Jingpo",
}

AUTONOMOUS = {
    "自治州": "Autonomous Prefecture",
    "自治县": "Autonomous County",
    "自治旗": "Autonomous Banner",
}

# Longest first: the first suffix a name ends with names its kind.
KINDS = [
    ("高新技术产业开发区", "High-tech Industrial Development Zone"),
    ("经济技术开发区", "Economic and Technological Development Zone"),
    ("经济开发区", "Economic Development Zone"),
    ("管理区管委会", "Administrative Zone"),
    ("行政委员会", "Administrative Committee"),
    ("风景名胜区", "Scenic Area"),
    ("开发区", "Development Zone"),
    ("示范区", "Demonstration Zone"),
    ("管理区", "Administrative Zone"),
    ("生态园", "Ecological Park"),
    ("园区", "Park"),
    ("新区", "New Area"),
    ("新城", "New Town"),
    ("矿区", "Mining District"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("街道", "Subdistrict"),
    ("群岛", "Islands"),
    ("地区", "Prefecture"),
    ("学院", "College"),
    ("区", "District"),
    ("县", "County"),
    ("旗", "Banner"),
    ("盟", "League"),
    ("镇", "Town"),
    ("港", "Port"),
]


def pinyin(text: str) -> str:
    """``text`` in pinyin as one capitalised word, with the apostrophe before a syllable
    that starts with a, o or e (Xi'an)."""
    from pypinyin import lazy_pinyin

    if not text:
        return ""
    for chinese, reading in READINGS.items():
        if text == chinese:
            return reading
        if text.startswith(chinese):
            return reading + pinyin(text[len(chinese) :]).lower()
    syllables = lazy_pinyin(text, v_to_u=True)
    word = syllables[0]
    for syllable in syllables[1:]:
        word += ("'" if syllable[:1] in "aoe" else "") + syllable
    return word[:1].upper() + word[1:]


def autonomous(name: str, suffix: str) -> str:
    rest, peoples = name[: -len(suffix)], []
    while True:
        for chinese in sorted(ETHNIC, key=len, reverse=True):
            if rest.endswith(chinese) and len(rest) > len(chinese):
                peoples.insert(0, ETHNIC[chinese])
                rest = rest[: -len(chinese)]
                break
        else:
            break
    if len(peoples) > 1:
        peoples = [", ".join(peoples[:-1]) + " and " + peoples[-1]]
    return " ".join([pinyin(rest), *peoples, AUTONOMOUS[suffix]])


def english(name: str, level: str) -> str:
    """The English name of a division; ``level`` is province, city or county."""
    if name in WHOLE:
        return WHOLE[name]
    if level == "province":
        if name in PROVINCES:
            return PROVINCES[name]
        return pinyin(name.removesuffix("省").removesuffix("市"))
    for suffix in AUTONOMOUS:
        if name.endswith(suffix):
            return autonomous(name, suffix)
    if name.endswith("市"):
        # A prefecture-level city is written bare (Huaibei); a county-level one says so.
        base = pinyin(name[:-1])
        return base if level == "city" else f"{base} City"
    for suffix, kind in KINDS:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{pinyin(name[: -len(suffix)])} {kind}"
    return pinyin(name)


def names(table) -> dict[str, str]:
    out = {}
    for province_code, province, cities in table:
        out[province_code] = english(province, "province")
        for city_code, city, counties in cities:
            out[city_code] = english(city, "city")
            for code, county in counties:
                out[code] = english(county, "county")
    return out


def main() -> None:
    table = json.loads((STATIC / "divisions.json").read_text(encoding="utf-8"))
    result = names(table)
    target = STATIC / "divisions.en.json"
    target.write_text(
        json.dumps(result, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    sys.stdout.write(f"{len(result)} names written to {target}\n")


if __name__ == "__main__":
    main()
