from .base import SearchQuery, SearchResult, SortOrder
from .database import DatabaseEngine


def get_engine():
    """The configured product search engine."""
    return DatabaseEngine()


__all__ = ["DatabaseEngine", "SearchQuery", "SearchResult", "SortOrder", "get_engine"]
