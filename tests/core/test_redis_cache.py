"""The project's Redis cache backend (core.cache) against a real Redis: one client per
connection pool, and ``incr`` (a Lua script) with Django's meaning on any Redis, a fresh one
included: nothing a test relies on may be left in Redis by an earlier run (issue #14)."""

import os
import uuid

import pytest
import redis

from core.cache import RedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many(["n", "missing", "timed"])


def test_every_call_uses_the_same_client_of_the_pool(cache):
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_incr_adds_to_an_existing_key(cache):
    cache.set("n", 5)

    assert cache.incr("n") == 6
    assert cache.incr("n", 10) == 16
    assert cache.decr("n", 3) == 13
    assert cache.get("n") == 13


def test_incr_works_on_a_redis_that_has_no_script_cached(cache):
    """A fresh Redis (or one restarted, or whose scripts were flushed) knows no script."""
    cache.set("n", 1)
    cache._cache.get_client(write=True).script_flush()

    assert cache.incr("n", 2) == 3
    assert cache.get("n") == 3


def test_incr_of_a_missing_key_raises_and_leaves_it_missing(cache):
    with pytest.raises(ValueError):
        cache.incr("missing")

    assert cache.get("missing") is None
    assert cache.add("missing", 0) is True


def test_incr_keeps_the_expiry(cache):
    cache.set("timed", 1, timeout=100)

    cache.incr("timed")

    assert 0 < cache._cache.get_client().ttl(cache.make_key("timed")) <= 100
