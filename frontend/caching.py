"""Rendered product grids cached for everyone, keyed by a catalogue version.

A product card shows the same thing to every visitor (prices are the same for all, and the
basket is not part of it), so a grid rendered once can serve every request for the same
list, page and language. Any saved or deleted product, stock record, supplier, image or
category assignment moves the catalogue version on, which retires every cached grid at once;
stock allocation goes through ``StockRecord.allocate()``, which sends ``post_save`` too.
The per-request CSRF token is put in after the cache, so cached forms stay valid.
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone, translation

VERSION_KEY = "catalogue:version"
GRID_SECONDS = 300
CSRF_PLACEHOLDER = "__HN_CSRF_TOKEN__"


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def catalogue_changed(**kwargs) -> None:
    """Signal receiver: retire every cached grid."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet
        cache.add(VERSION_KEY, 2, timeout=None)


def grid_cache_key(*, name: str, path: str) -> str:
    # The day is in the key because certifications end at midnight.
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return ":".join(
        [
            "grid",
            name,
            str(catalogue_version()),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            digest,
        ]
    )
