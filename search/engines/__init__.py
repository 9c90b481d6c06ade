"""The configured product search engine, with the database engine as its fallback.

With no ``SEARCH_URL`` the database engine serves. With one, the Elasticsearch engine serves
and any failure to reach the cluster is logged and answered by the database engine instead
(never an error page); after a failure the cluster is left alone for ``RETRY_SECONDS`` so
that pages are not slowed down by a timeout on every request.
"""

import logging
import time

from django.conf import settings

from .base import (
    PRICE_RANGES,
    Facets,
    Flag,
    SearchEngine,
    SearchQuery,
    SearchResult,
    SearchUnavailableError,
    SortOrder,
    Suggestion,
)
from .database import DatabaseEngine

logger = logging.getLogger("search")

RETRY_SECONDS = 30.0
_state = {"down_until": 0.0}
_clients: dict[tuple, SearchEngine] = {}


def cluster_engine() -> SearchEngine | None:
    """The Elasticsearch engine if one is configured (one client per process)."""
    if not settings.SEARCH_URL:
        return None
    key = (settings.SEARCH_URL, settings.SEARCH_FLAVOR, settings.SEARCH_INDEX_PREFIX)
    if key not in _clients:
        from .elastic import ElasticsearchEngine

        _clients[key] = ElasticsearchEngine()
    return _clients[key]


def mark_down(error: Exception) -> None:
    logger.warning("search cluster unavailable, using the database engine: %s", error)
    _state["down_until"] = time.monotonic() + RETRY_SECONDS


def reset_state() -> None:
    _state["down_until"] = 0.0


class FallbackEngine(SearchEngine):
    """Asks the cluster first and the database when the cluster does not answer."""

    def __init__(self, primary: SearchEngine, fallback: SearchEngine):
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    def _run(self, method: str, *args, **kwargs):
        if time.monotonic() >= _state["down_until"]:
            try:
                return getattr(self.primary, method)(*args, **kwargs)
            except SearchUnavailableError as error:
                mark_down(error)
        return getattr(self.fallback, method)(*args, **kwargs)

    def search(self, query, *, offset=0, limit=24):
        return self._run("search", query, offset=offset, limit=limit)

    def suggest(self, text, *, limit=8):
        return self._run("suggest", text, limit=limit)

    def index_products(self, product_ids):
        self.primary.index_products(product_ids)

    def state(self):
        return self.primary.state()


def get_engine() -> SearchEngine:
    """The engine pages and the API search with."""
    primary = cluster_engine()
    if primary is None:
        return DatabaseEngine()
    return FallbackEngine(primary, DatabaseEngine())


__all__ = [
    "PRICE_RANGES",
    "DatabaseEngine",
    "Facets",
    "Flag",
    "SearchEngine",
    "SearchQuery",
    "SearchResult",
    "SearchUnavailableError",
    "SortOrder",
    "Suggestion",
    "cluster_engine",
    "get_engine",
]
