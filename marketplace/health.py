from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: answers 200 when the database answers, 503 otherwise; the
    search engine's state is reported ("degraded" while searches fall back to the database)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # any database failure means "not ready"
        checks["database"] = {"status": "error", "error": exc.__class__.__name__}
    healthy = all(c["status"] == "ok" for c in checks.values())
    # Search is not required for readiness: without the cluster the database engine serves.
    from search.health import search_state

    checks["search"] = search_state()
    status = "ok" if healthy else "error"
    if healthy and checks["search"]["status"] != "ok":
        status = "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)
