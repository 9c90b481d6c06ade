"""One behavioural suite, run against both engines (database and Elasticsearch on osmem)."""

import datetime

import pytest
from freezegun import freeze_time

from search.engines import SearchQuery, SortOrder

from .conftest import ids

ALL = ["gift", "family", "pear", "rice10", "rice5", "grapes"]


def found(engine, cat, **kwargs) -> set[str]:
    result = engine.search(SearchQuery(**kwargs), limit=50)
    names = {v.pk: k for k, v in cat.items() if hasattr(v, "upc")}
    assert result.total == len(result.product_ids)
    return {names[pk] for pk in result.product_ids}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("石榴", {"gift", "family"}),
        ("酥梨", {"pear"}),
        ("石榴 礼盒", {"gift"}),
        ("大米 10kg", {"rice10"}),
        ("大米 １０ＫＧ", {"rice10"}),  # full-width and upper case
        ("shiliu", {"gift", "family"}),
        ("ShiLiu", {"gift", "family"}),
        ("sl", {"gift", "family", "pear"}),  # 石榴 tssl, 酥梨 dssl: initials
        ("tssl", {"gift", "family"}),
        ("濉溪", {"rice10", "rice5", "grapes"}),  # a place name: title, origin, county
        ("烈山区", {"gift", "family"}),  # origin county of a product in one of its towns
        ("水果", {"gift", "family", "pear", "grapes"}),  # category, its sub-category too
        ("梨", {"pear"}),  # one character
        ("礼盒", {"gift", "grapes"}),
        ("榴礼", set()),  # not contiguous anywhere
        ("烈山石", set()),  # 烈山 and 山石 both occur (烈山镇, 塔山石榴), never together
        ("石榴礼盒", set()),
        ("苹果", set()),
    ],
)
def test_chinese_and_pinyin_queries(engine, cat, text, expected):
    assert found(engine, cat, text=text) == expected


def test_only_listed_products_of_certified_suppliers_are_found(engine, cat):
    everything = found(engine, cat)
    assert everything == set(ALL)
    assert "uncertified" not in found(engine, cat, text="石榴")
    assert "draft" not in found(engine, cat, text="礼盒")


def test_a_certification_that_ends_hides_its_products_without_reindexing(engine, cat):
    ends = cat["coop"].certified_until
    with freeze_time(ends + datetime.timedelta(days=1)):
        result = engine.search(SearchQuery(text="石榴"))
        everything = engine.search(SearchQuery(), limit=50)
    assert (result.total, result.product_ids) == (0, [])
    assert set(everything.product_ids) == set(ids(cat["pear"], cat["rice10"], cat["rice5"]))
    assert everything.facets.suppliers == {cat["farm"].pk: 3}


def test_facet_counts_over_the_whole_catalogue(engine, cat):
    facets = engine.search(SearchQuery()).facets
    regions = cat["regions"]
    assert facets.categories == {cat["fruit"].pk: 4, cat["pears"].pk: 1, cat["grain"].pk: 2}
    assert facets.counties == {regions["烈山区"].pk: 2, regions["濉溪县"].pk: 3}
    assert facets.suppliers == {cat["coop"].pk: 3, cat["farm"].pk: 3}
    assert facets.flags == {"geo": 1, "green": 2, "organic": 2}
    assert facets.price_ranges == {"0-20": 0, "20-50": 3, "50-100": 2, "100-200": 1, "200-": 0}
    assert facets.in_stock == 5


def test_facets_follow_the_query(engine, cat):
    facets = engine.search(SearchQuery(text="礼盒")).facets
    assert facets.categories == {cat["fruit"].pk: 2}
    assert facets.suppliers == {cat["coop"].pk: 2}
    assert facets.price_ranges == {"0-20": 0, "20-50": 0, "50-100": 1, "100-200": 1, "200-": 0}


def _narrowed(text: str, kind: str, value, regions_by_pk) -> SearchQuery:
    fields = {
        "categories": lambda: {"category_ids": (value,)},
        "counties": lambda: {"origin_region_path": regions_by_pk[value].path},
        "suppliers": lambda: {"supplier_id": value},
        "flags": lambda: {"flags": (value,)},
        "price_ranges": lambda: {"price_range": value},
    }[kind]()
    return SearchQuery(text=text, **fields)


@pytest.mark.parametrize("text", ["", "石榴", "濉溪", "sl"])
def test_every_facet_count_is_the_number_of_results_after_choosing_it(engine, cat, text):
    regions_by_pk = {r.pk: r for r in cat["regions"].values()}
    base = SearchQuery(text=text)
    facets = engine.search(base).facets
    checked = 0
    for kind in ("categories", "counties", "suppliers", "flags", "price_ranges"):
        for value, count in getattr(facets, kind).items():
            narrowed = _narrowed(text, kind, value, regions_by_pk)
            assert engine.search(narrowed).total == count, (kind, value)
            checked += 1
    in_stock = engine.search(SearchQuery(text=text, in_stock=True)).total
    assert in_stock == facets.in_stock
    assert checked >= 8


def test_filters_combine(engine, cat):
    assert found(engine, cat, flags=("green", "organic")) == {"rice10"}
    assert found(engine, cat, text="石榴", in_stock=True) == {"gift"}
    assert found(engine, cat, category_ids=(cat["fruit"].pk,), price_range="20-50") == {
        "family",
        "pear",
    }
    assert found(engine, cat, supplier_id=cat["farm"].pk, text="大米") == {"rice10", "rice5"}
    path = cat["regions"]["濉溪县"].path
    assert found(engine, cat, origin_region_path=path, price_range="100-200") == {"grapes"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (SortOrder.PRICE_ASC, ["pear", "rice5", "family", "rice10", "gift", "grapes"]),
        (SortOrder.PRICE_DESC, ["grapes", "gift", "rice10", "family", "rice5", "pear"]),
        (SortOrder.SALES, ["rice10", "gift", "pear", "grapes", "rice5", "family"]),
        (SortOrder.NEWEST, ["grapes", "rice5", "rice10", "pear", "family", "gift"]),
        (SortOrder.RELEVANCE, ["grapes", "rice5", "rice10", "pear", "family", "gift"]),
    ],
)
def test_sorting(engine, cat, sort, expected):
    result = engine.search(SearchQuery(sort=sort))
    assert result.product_ids == [cat[k].pk for k in expected]


def test_relevance_puts_title_matches_first(engine, cat):
    result = engine.search(SearchQuery(text="濉溪"))
    # All three have 濉溪 in the title; rice10 and grapes share the newest-first tie-break.
    assert set(result.product_ids) == set(ids(cat["rice10"], cat["rice5"], cat["grapes"]))
    result = engine.search(SearchQuery(text="水果"))
    assert len(result.product_ids) == 4


def test_pagination_walks_every_result_once(engine, cat):
    query = SearchQuery(sort=SortOrder.PRICE_ASC)
    pages = [engine.search(query, offset=offset, limit=4) for offset in (0, 4, 8)]
    assert [p.total for p in pages] == [6, 6, 6]
    assert [len(p.product_ids) for p in pages] == [4, 2, 0]
    walked = pages[0].product_ids + pages[1].product_ids
    assert walked == engine.search(query, limit=10).product_ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("石", ["塔山石榴 精品礼盒 6枚装", "塔山石榴 家庭装 5斤"]),
        ("shil", ["塔山石榴 精品礼盒 6枚装", "塔山石榴 家庭装 5斤"]),
        ("dami", ["濉溪大米 10kg", "濉溪大米 5kg"]),
        ("xyz", []),
    ],
)
def test_suggestions_for_chinese_and_pinyin_prefixes(engine, cat, text, expected):
    assert [s.title for s in engine.suggest(text)] == expected
