"""The search engine's state for /healthz."""

from django.db import DatabaseError

from .engines import cluster_engine
from .models import SearchOutbox


def search_state() -> dict:
    """{"status": "ok" | "error", "engine": ..., "outbox": pending updates, ...}; when the
    cluster is down the storefront searches with the database engine ("fallback")."""
    try:
        pending = SearchOutbox.objects.count()
    except DatabaseError:
        pending = None
    cluster = cluster_engine()
    if cluster is None:
        return {"status": "ok", "engine": "database", "outbox": pending}
    state = cluster.state() | {"outbox": pending}
    if state["status"] != "ok":
        state["fallback"] = "database"
    return state
