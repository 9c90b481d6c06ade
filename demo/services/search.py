"""Demo step: the product search documents, rebuilt only when they drifted from the catalogue."""

from search.services import search_index_check, search_index_rebuild_database

from .base import Tally


def seed_search_index(*, tally: Tally) -> int:
    drift = search_index_check()["database"]
    changed = sum(len(ids) for ids in drift.values())
    if changed:
        tally.updated += changed
        return search_index_rebuild_database()
    from search.models import ProductDocument

    return ProductDocument.objects.count()
