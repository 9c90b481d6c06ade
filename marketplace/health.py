"""``/healthz``: whether each part the site runs on answers, and which one does not.

The database is required: without it the answer is 503 ("error"). The cache, the broker and
the search cluster are not (pages compute without the cache, tasks are recorded in the
database until the broker is back, searches fall back to the database engine): while one of
them is down the answer is 200 with status "degraded" and ``down`` naming it.
"""

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BROKER_TIMEOUT_SECONDS = 1.0


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def cache_state() -> dict:
    """Redis answers a PING (``core.cache.RedisCache.ping`` bypasses the degraded mode, which
    would answer as an empty cache); a process-local cache is always up."""
    cache = caches["default"]
    backend = f"{cache.__class__.__module__}.{cache.__class__.__name__}"
    ping = getattr(cache, "ping", None)
    if ping is None:
        return {"status": "ok", "backend": backend}
    try:
        ping()
    except Exception as exc:  # a cache that does not answer, for whatever reason
        return {"status": "error", "backend": backend, "error": exc.__class__.__name__}
    return {"status": "ok", "backend": backend}


def broker_state() -> dict | None:
    """The Celery broker accepts a connection; None without one (tasks run in-process)."""
    if not settings.CELERY_BROKER_URL:
        return None
    from kombu import Connection

    connection_ = Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS)
    transport = connection_.transport_cls
    try:
        connection_.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:  # refused, timed out, bad credentials...
        return {"status": "error", "transport": transport, "error": exc.__class__.__name__}
    finally:
        connection_.release()
    return {"status": "ok", "transport": transport}


@never_cache
@require_GET
def healthz(request):
    from search.health import search_state

    checks = {"database": database_state(), "cache": cache_state()}
    broker = broker_state()
    if broker is not None:
        checks["broker"] = broker
    checks["search"] = search_state()

    down = [name for name, check in checks.items() if check["status"] != "ok"]
    if "database" in down:
        status, code = "error", 503
    elif down:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "down": down, "checks": checks}, status=code)
