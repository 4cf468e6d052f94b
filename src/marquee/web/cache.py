"""A small in-memory cache of rendered pages: least recently used, each entry for a limited time.

Why: a film page is ~15 queries and a template render; most traffic asks for the same
popular pages again. Writes made through the site call ``invalidate``; writes made by
another process (an import) show after ``ttl`` seconds at most.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["PageCache"]

V = TypeVar("V")


class PageCache(Generic[V]):
    """LRU + time-to-live, safe to share between the event loop and worker threads."""

    def __init__(self, size: int, ttl: float) -> None:
        self.size = size
        self.ttl = ttl
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value if present and fresh, else None."""
        if self.size <= 0:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, value = entry
            if time.monotonic() - stored_at > self.ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value``; the least recently used entry goes when full."""
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def invalidate(self, prefix: Hashable | None = None) -> None:
        """Forget entries whose key is ``prefix`` or a tuple starting with it (all when None)."""
        with self._lock:
            if prefix is None:
                self._entries.clear()
                return
            doomed = [
                key
                for key in self._entries
                if key == prefix
                or (isinstance(key, tuple) and key and key[0] == prefix)
                or (isinstance(key, tuple) and isinstance(prefix, tuple) and key[: len(prefix)] == prefix)
            ]
            for key in doomed:
                del self._entries[key]
