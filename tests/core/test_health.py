"""/healthz names the part that is down: the database is required (503), the cache, the
broker and the search cluster are not (200, "degraded"). Parts that are down are local ports
that refuse connections (tests/support/redis.py)."""

from unittest import mock

import pytest
from django.db import OperationalError

from tests.support.redis import cache_down, closed_port  # noqa: F401

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/1"


def test_everything_up_is_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["down"]) == ("ok", [])
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert "broker" not in body["checks"]  # no broker configured: tasks run in-process


def test_the_database_down_is_a_503_naming_it(client):
    with mock.patch("marketplace.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["down"]) == ("error", ["database"])
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}


def test_a_live_redis_cache_is_ok(client, settings):
    settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS}}

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["checks"]["cache"] == {"status": "ok", "backend": "core.cache.RedisCache"}


def test_the_cache_down_is_degraded_naming_the_cache(client, cache_down):  # noqa: F811
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["down"]) == ("degraded", ["cache"])
    assert body["checks"]["cache"] == {
        "status": "error",
        "backend": "core.cache.RedisCache",
        "error": "ConnectionError",
    }
    assert body["checks"]["database"]["status"] == "ok"


def test_a_live_broker_is_ok(client, settings):
    settings.CELERY_BROKER_URL = REDIS

    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["checks"]["broker"] == {"status": "ok", "transport": "redis"}


def test_the_broker_down_is_degraded_naming_the_broker(client, settings, closed_port):  # noqa: F811
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/1"

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["down"]) == ("degraded", ["broker"])
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["broker"]["transport"] == "redis"


def test_the_search_cluster_down_is_degraded_naming_search(client, settings, closed_port):  # noqa: F811
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"
    settings.SEARCH_FLAVOR = "opensearch"

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["down"]) == ("degraded", ["search"])
    assert body["checks"]["search"]["status"] == "error"
    assert body["checks"]["search"]["fallback"] == "database"


def test_every_part_but_the_database_down_is_degraded_naming_each(
    client,
    settings,
    cache_down,  # noqa: F811
    closed_port,  # noqa: F811
):
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port}//"
    settings.SEARCH_URL = f"http://127.0.0.1:{closed_port}"

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["down"]) == ("degraded", ["cache", "broker", "search"])
    assert body["checks"]["broker"]["transport"] == "amqp"
