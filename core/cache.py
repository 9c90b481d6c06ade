"""Django's Redis cache backend, reusing one Redis client per connection pool, incrementing
in one round trip, and degrading to "no cache" while Redis cannot be reached.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call,
and redis-py fills its table of response callbacks (some 170 entries) on each construction:
about 0.25 ms per call, more than the round trip to Redis itself, and a page from the page
cache makes three or four calls. A ``redis.Redis`` holds no connection of its own (it takes
one from the pool per command) and is thread safe, so one per pool serves every call.

Django's ``incr`` asks Redis whether the key exists, then increments it: two round trips
for each page view counted (``catalog.services``). A small Lua script does both in one,
with the same meaning (``ValueError`` for a missing key, which is left missing).

Every page reads the cache (site chrome, pavilions, page cache, search results), and each
of them computes from the database on a miss. So a Redis error is not the request's
failure: it is logged, and the operation answers as an empty cache that keeps nothing
would (``get`` the default, ``add`` False, ``incr`` ``ValueError``...). After a connection
failure the client does not try Redis again for ``DOWN_SECONDS``: a Redis that hangs costs
one timeout per thread in that window, not one per cache call (docs/operations.md).
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.commands.core import Script
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

INCR_IF_EXISTS = Script(
    None,
    b"""
    if redis.call("EXISTS", KEYS[1]) == 0 then return false end
    return redis.call("INCRBY", KEYS[1], ARGV[1])
    """,
)

# Seconds a client serves without Redis after failing to reach it.
DOWN_SECONDS = 5.0


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


# What each operation of the client answers while Redis cannot be reached: the answers of a
# cache that holds nothing and keeps nothing.
UNAVAILABLE_ANSWERS = {
    "add": lambda *args, **kwargs: False,
    "get": lambda key, default: default,
    "set": lambda *args, **kwargs: None,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda *args, **kwargs: False,
    "get_many": lambda *args, **kwargs: {},
    "has_key": lambda *args, **kwargs: False,
    "incr": _missing_key,
    "set_many": lambda *args, **kwargs: None,
    "delete_many": lambda *args, **kwargs: None,
    "clear": lambda *args, **kwargs: False,
}


def _degrading(name: str):
    answer = UNAVAILABLE_ANSWERS[name]

    def operation(self, *args, **kwargs):
        if time.monotonic() < self.down_until:
            return answer(*args, **kwargs)
        try:
            return getattr(super(DegradingRedisCacheClient, self), name)(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            self.down_until = time.monotonic() + DOWN_SECONDS
            logger.warning(
                "Cache unavailable (%s in %s: %s); serving without it for %ss",
                exc.__class__.__name__,
                name,
                exc,
                DOWN_SECONDS,
            )
        except RedisError:
            logger.exception("Cache error in %s; answered as a miss", name)
        return answer(*args, **kwargs)

    operation.__name__ = name
    return operation


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client

    def incr(self, key, delta):
        value = INCR_IF_EXISTS(keys=[key], args=[delta], client=self.get_client(key, write=True))
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def ping(self) -> None:
        """Raise ``RedisError`` unless Redis answers now (for health checks: never degraded)."""
        self.get_client(write=True).ping()


class DegradingRedisCacheClient(RedisCacheClient):
    down_until = 0.0  # monotonic time until which Redis is not tried

    add = _degrading("add")
    get = _degrading("get")
    set = _degrading("set")
    touch = _degrading("touch")
    delete = _degrading("delete")
    get_many = _degrading("get_many")
    has_key = _degrading("has_key")
    incr = _degrading("incr")
    set_many = _degrading("set_many")
    delete_many = _degrading("delete_many")
    clear = _degrading("clear")


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = DegradingRedisCacheClient

    def ping(self) -> None:
        self._cache.ping()
