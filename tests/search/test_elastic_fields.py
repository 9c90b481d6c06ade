"""The Elasticsearch engine's derived fields: word suffixes (substring matching by prefix)
and facet keys (every facet counted by one terms aggregation)."""

import datetime
from decimal import Decimal

from search.documents import BuiltDocument
from search.engines.elastic import facet_keys, facets_from_buckets, word_suffixes
from search.models import ProductDocument

TEXT = "塔山石榴 精品礼盒 6枚装 tashanshiliu tssl"


def test_a_term_is_in_the_text_exactly_when_it_begins_a_word_suffix():
    substrings = {TEXT[i:j] for i in range(len(TEXT)) for j in range(i + 1, len(TEXT) + 1)}
    terms = {s for s in substrings if " " not in s} | {"榴精", "石榴礼盒", "shiliutssl", "xyz"}
    suffixes = word_suffixes(TEXT)
    for term in terms:
        assert any(s.startswith(term) for s in suffixes) == (term in TEXT), term
    assert len(terms) > 100


def test_word_suffixes_are_listed_once():
    assert word_suffixes("aa aa a") == ["aa", "a"]


def _built(**fields) -> BuiltDocument:
    defaults = dict(
        product_id=1,
        county_id=7,
        supplier_id=3,
        price=Decimal("50.00"),
        in_stock=True,
        is_geo_indication=True,
        is_green=False,
        is_organic=True,
        certified_until=datetime.date(2030, 1, 1),
    )
    return BuiltDocument(document=ProductDocument(**{**defaults, **fields}), category_ids=[1, 4])


def test_facet_keys_name_every_facet_value_of_the_product():
    assert facet_keys(_built()) == [
        "category:1",
        "category:4",
        "county:7",
        "supplier:3",
        "flag:geo",
        "flag:organic",
        "stock:1",
        "price:50-100",  # low bound inclusive
    ]
    assert "price:20-50" in facet_keys(_built(price=Decimal("49.99")))
    keys = facet_keys(_built(price=None, county_id=None, in_stock=False))
    assert not [k for k in keys if k.split(":")[0] in ("price", "county", "stock")]


def test_facets_are_read_back_from_the_aggregation_buckets():
    buckets = [{"key": k, "doc_count": n} for k, n in [*((k, 2) for k in facet_keys(_built()))]]
    buckets.append({"key": "supplier:9", "doc_count": 1})

    facets = facets_from_buckets(buckets)

    assert facets.categories == {1: 2, 4: 2}
    assert facets.counties == {7: 2}
    assert facets.suppliers == {3: 2, 9: 1}
    assert facets.flags == {"geo": 2, "green": 0, "organic": 2}
    assert facets.price_ranges == {"0-20": 0, "20-50": 0, "50-100": 2, "100-200": 0, "200-": 0}
    assert facets.in_stock == 2
