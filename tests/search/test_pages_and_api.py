"""The search page, list pages with facets, suggestions, the API and /healthz."""

import logging

import pytest
from django.urls import reverse

from search.engines import reset_state

SEARCH = "/shop/search/"


def titles(response) -> list[str]:
    return [p.title for p in response.context["products"]]


@pytest.fixture(autouse=True)
def _fresh_engine_state():
    reset_state()
    yield
    reset_state()


def test_the_search_page_finds_by_chinese_and_pinyin_and_marks_the_match(client, cat):
    for q in ("石榴", "shiliu", "SL 礼盒"):
        response = client.get(SEARCH, {"q": q})
        assert response.status_code == 200
        assert response.context["search_engine"] == "database"
    response = client.get(SEARCH, {"q": "shiliu"})
    assert sorted(titles(response)) == ["塔山石榴 家庭装 5斤", "塔山石榴 精品礼盒 6枚装"]
    html = response.content.decode()
    assert "塔山<mark>石榴</mark> 精品礼盒 6枚装" in html
    assert "共 <strong>2</strong> 件商品" in html


def test_facet_links_carry_counts_that_match_the_page_they_lead_to(client, cat):
    response = client.get(SEARCH, {"q": "濉溪"})
    counties = {o.label: o for o in response.context["facets"]["counties"]}
    assert {k: o.count for k, o in counties.items()} == {"濉溪县": 3}
    suppliers = {o.label: o.count for o in response.context["facets"]["suppliers"]}
    assert suppliers == {"濉溪县濉河农业发展有限公司": 2, "淮北塔山石榴专业合作社": 1}
    farm = cat["farm"]
    html = response.content.decode()
    assert f"supplier={farm.pk}" in html

    narrowed = client.get(SEARCH, {"q": "濉溪", "supplier": farm.pk})
    assert narrowed.context["paginator"].count == 2
    assert sorted(titles(narrowed)) == ["濉溪大米 10kg", "濉溪大米 5kg"]


def test_flags_price_and_stock_filters_on_the_catalogue_page(client, cat):
    url = reverse("catalogue:index")
    assert titles(client.get(url, {"flag": ["green", "organic"]})) == ["濉溪大米 10kg"]
    response = client.get(url, {"price": "20-50", "sort_by": "price-asc"})
    assert titles(response) == ["砀山酥梨 5斤装", "濉溪大米 5kg", "塔山石榴 家庭装 5斤"]
    in_stock = client.get(url, {"in_stock": "1"})
    assert in_stock.context["paginator"].count == 5
    assert "塔山石榴 家庭装 5斤" not in titles(in_stock)


def test_invalid_filter_values_are_ignored_not_errors(client, cat):
    response = client.get(SEARCH, {"q": "石榴", "price": "abc", "flag": "x", "supplier": "-3"})
    assert response.status_code == 200
    assert response.context["paginator"].count == 2


def test_a_category_page_counts_its_sub_categories(client, cat):
    response = client.get(cat["fruit"].get_absolute_url())
    assert response.context["paginator"].count == 4
    options = response.context["facets"]["categories"]
    assert [(o.label, o.count) for o in options] == [("梨果类", 1)]
    assert options[0].url == cat["pears"].get_absolute_url()


def test_the_search_page_narrows_by_category(client, cat):
    response = client.get(SEARCH, {"q": "礼盒", "category": cat["fruit"].pk})
    assert sorted(titles(response)) == ["塔山石榴 精品礼盒 6枚装", "濉溪葡萄 礼盒 3kg"]
    top = client.get(SEARCH, {"q": "濉溪"})
    assert [(o.label, o.count) for o in top.context["facets"]["categories"]] == [
        ("水果", 1),
        ("粮油米面", 2),
    ]


def test_suggestions_answer_json_for_chinese_and_pinyin(client, cat):
    response = client.get(reverse("search:suggest"), {"q": "shil"})
    assert response.status_code == 200
    body = response.json()
    assert [s["title"] for s in body["suggestions"]] == [
        "塔山石榴 精品礼盒 6枚装",
        "塔山石榴 家庭装 5斤",
    ]
    assert body["suggestions"][0]["url"] == cat["gift"].get_absolute_url()
    assert body["suggestions"][0]["html"] == "塔山<mark>石榴</mark> 精品礼盒 6枚装"
    assert client.get(reverse("search:suggest"), {"q": ""}).json()["suggestions"] == []


def test_the_api_searches_with_the_same_parameters_and_facets(client, cat):
    response = client.get(
        "/api/v1/products/search", {"q": "石榴", "sort": "price-asc", "page_size": 1}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["pages"], body["engine"]) == (2, 2, "database")
    hit = body["results"][0]
    assert hit["title"] == "塔山石榴 家庭装 5斤"
    assert hit["title_highlighted"] == "塔山<mark>石榴</mark> 家庭装 5斤"
    assert (hit["price"], hit["currency"]) == ("39.90", "CNY")
    assert hit["supplier"] == "淮北塔山石榴专业合作社"
    assert body["facets"]["in_stock"] == 1
    assert {f["value"]: f["count"] for f in body["facets"]["flags"]} == {
        "geo": 1,
        "green": 1,
        "organic": 0,
    }
    second = client.get(
        "/api/v1/products/search", {"q": "石榴", "sort": "price-asc", "page_size": 1, "page": 2}
    )
    assert second.json()["results"][0]["title"] == "塔山石榴 精品礼盒 6枚装"


def test_the_api_filters_by_flag_origin_and_category(client, cat):
    body = client.get(
        "/api/v1/products/search",
        {"flag": "organic", "origin": "340621", "category": cat["grain"].pk},
    ).json()
    assert [r["title"] for r in body["results"]] == ["濉溪大米 10kg"]


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({"category": 999999}, 400, "分类不存在"),
        ({"origin": "999999"}, 400, "产地区划代码不存在"),
        ({"price": "1-2"}, 400, "价格区间无效"),
        ({"page_size": 500}, 422, ""),
        ({"sort": "cheapest"}, 422, ""),
    ],
)
def test_the_api_refuses_bad_parameters_with_a_reason(client, cat, params, status, reason):
    response = client.get("/api/v1/products/search", params)
    assert response.status_code == status
    assert reason in str(response.json()["detail"])


def test_the_api_suggests(client, cat):
    body = client.get("/api/v1/products/suggest", {"q": "酥"}).json()
    assert [s["title"] for s in body["suggestions"]] == ["砀山酥梨 5斤装"]
    assert body["suggestions"][0]["url"].startswith("http://testserver/shop/catalogue/")


def test_the_openapi_schema_documents_the_search(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/products/search" in schema["paths"]
    assert "/api/v1/products/suggest" in schema["paths"]


def test_pages_fall_back_to_the_database_when_the_cluster_is_unreachable(
    client, cat, settings, caplog
):
    settings.SEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_FLAVOR = "opensearch"
    with caplog.at_level(logging.WARNING, logger="search"):
        response = client.get(SEARCH, {"q": "石榴"})
        api = client.get("/api/v1/products/search", {"q": "shiliu"})
        suggest = client.get(reverse("search:suggest"), {"q": "石榴"})

    assert response.status_code == 200
    assert response.context["search_engine"] == "database"
    assert sorted(titles(response)) == ["塔山石榴 家庭装 5斤", "塔山石榴 精品礼盒 6枚装"]
    assert (api.status_code, api.json()["total"]) == (200, 2)
    assert len(suggest.json()["suggestions"]) == 2
    assert "search cluster unavailable" in caplog.text


def test_health_reports_the_search_engine(client, cat, settings):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["search"] == {"status": "ok", "engine": "database", "outbox": 0}

    settings.SEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_FLAVOR = "opensearch"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["search"]["status"] == "error"
    assert body["checks"]["search"]["fallback"] == "database"


def test_health_reports_a_live_cluster(client, cat, settings, es_index):
    settings.SEARCH_URL = es_index.url
    settings.SEARCH_FLAVOR = "opensearch"
    settings.SEARCH_INDEX_PREFIX = es_index.alias.removesuffix("-products")
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["checks"]["search"]["documents"] == 6
    assert body["checks"]["search"]["engine"] == "elasticsearch"
