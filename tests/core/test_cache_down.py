"""With Redis unreachable every page renders from the database (issue #14): cache errors are
logged by the cache backend (core.cache), never a 500."""

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories.accounts import UserFactory
from tests.support.redis import cache_down, closed_port  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def down(cache_down, catalogue, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING, logger="core.cache")
    return catalogue


def test_the_cache_answers_as_an_empty_cache_that_keeps_nothing(cache_down):  # noqa: F811
    assert cache.set("k", 1) is None
    assert cache.get("k") is None
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("k", 1) is False
    assert cache.get_many(["k", "j"]) == {}
    assert cache.has_key("k") is False
    assert cache.delete("k") is False
    assert cache.get_or_set("k", 7) == 7
    with pytest.raises(ValueError):
        cache.incr("k")


def test_an_unreachable_redis_is_logged_once_and_then_skipped(cache_down, caplog):  # noqa: F811
    caplog.set_level(logging.WARNING, logger="core.cache")
    cache.get("a")
    cache.get("b")
    cache.set("c", 1)

    warnings = [r for r in caplog.records if r.name == "core.cache"]
    assert len(warnings) == 1
    assert "Cache unavailable (ConnectionError in get" in warnings[0].getMessage()


STOREFRONT = [
    "/",
    "/shop/",
    "/shop/catalogue/",
    "/shop/search/?q=石榴",
    "/shop/search/suggest/?q=石",
    "/stats/",
    "/shop/accounts/login/",
]


@pytest.mark.parametrize("page_cache_seconds", [0, 300])
def test_the_storefront_renders_from_the_database(client, down, settings, page_cache_seconds):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = page_cache_seconds
    paths = [*STOREFRONT, down["fruit"].get_absolute_url(), down["pomegranate"].get_absolute_url()]

    statuses = {path: client.get(path, follow=True).status_code for path in paths}

    assert statuses == dict.fromkeys(paths, 200)


def test_the_pages_show_what_the_database_holds(client, down, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300

    category = client.get(down["fruit"].get_absolute_url()).content.decode()
    product = client.get(down["pomegranate"].get_absolute_url()).content.decode()
    search = client.get("/shop/search/", {"q": "石榴"})

    assert "塔山石榴 精品礼盒 6枚装" in category
    assert "濉溪葡萄 5斤装" in category
    assert "淮北塔山石榴专业合作社" in product
    assert [p.title for p in search.context["products"]] == ["塔山石榴 精品礼盒 6枚装"]


def test_the_public_api_answers_json(client, down, caplog):
    paths = [
        "/api/v1/products/search?q=石榴",
        "/api/v1/products/suggest?q=石",
        "/api/v1/reports/public",
        "/api/v1/openapi.json",
    ]

    responses = {path: client.get(path) for path in paths}

    assert {path: r.status_code for path, r in responses.items()} == dict.fromkeys(paths, 200)
    assert all(r["Content-Type"].startswith("application/json") for r in responses.values())
    assert responses["/api/v1/products/search?q=石榴"].json()["total"] == 1


def test_a_shopper_signs_in_and_stays_signed_in(client, down):
    user = UserFactory(email="cache.down@example.com")

    response = client.post(
        reverse("customer:login"),
        {
            "login-username": "cache.down@example.com",
            "login-password": "huinong-test",
            "login_submit": "1",
        },
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("customer:profile-view")).status_code == 200
