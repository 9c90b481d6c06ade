"""A sorl-thumbnail key-value store with a small in-process memory in front of the cache.

A product list shows 24 thumbnails; with sorl's cached-db store each one is a round trip
to the shared cache on every request. Thumbnail records never change for a given source
and geometry (the key is a hash of both), so each worker may keep the recent ones for a
few minutes. Deletions clear the local entry; other workers forget it within the TTL.
"""

import threading
import time
from collections import OrderedDict

from sorl.thumbnail.kvstores.cached_db_kvstore import KVStore as CachedDbKVStore

MEMO_SIZE = 5000
MEMO_SECONDS = 300


class _Memo:
    def __init__(self, size: int, seconds: float):
        self.size = size
        self.seconds = seconds
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            expires, value = item
            if expires < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self.seconds, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


memo = _Memo(MEMO_SIZE, MEMO_SECONDS)


class KVStore(CachedDbKVStore):
    def _get_raw(self, key):
        value = memo.get(key)
        if value is None:
            value = super()._get_raw(key)
            if value is not None:
                memo.set(key, value)
        return value

    def _set_raw(self, key, value):
        super()._set_raw(key, value)
        memo.set(key, value)

    def _delete_raw(self, *keys):
        for key in keys:
            memo.delete(key)
        super()._delete_raw(*keys)

    def clear(self, delete_thumbnails=False):
        memo.clear()
        super().clear(delete_thumbnails)
