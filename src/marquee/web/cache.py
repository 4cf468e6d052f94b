"""A small in-memory cache of rendered pages: least recently used, each entry for a limited time.

Why: a film page is ~15 queries and a template render; most traffic asks for the same
popular pages again. Writes made through the site call ``invalidate``; writes made by
another process (an import) show after ``ttl`` seconds at most.

Several workers, several hosts: with ``versions`` (the store's per-film page version, see
``storage/shared_state.py``; SQLite) a film's entries (keys ``("title", film_id, …)``) are served only
while the store still holds the version read before the page was rendered; a write on any worker
bumps it, so every worker renders the page afresh at once. The check is one primary-key read per
hit (~7 µs on SQLite). On PostgreSQL a read is a network round trip (~200 µs), so there the app
calls ``invalidate`` from a LISTEN thread instead (``SharedState.listen``) and a hit costs nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from marquee.storage.shared_state import ANY_FILM

__all__ = ["CHART", "HOME", "SITE_WIDE", "PageCache"]

V = TypeVar("V")

_VERSIONED = "title"  # keys ("title", film_id, form): a film's pages, versioned in the store
# Keys (kind, …) of views over many films (the home page's context, the charts): versioned by the
# store's row for any film (``storage.shared_state.ANY_FILM``), bumped with every film's.
HOME = "home"
CHART = "chart"
SITE_WIDE = (HOME, CHART)
_MAX_PENDING = 10_000


def _version_id(key: Hashable) -> str | None:
    """Whose version a key's entry is served under: its film's, ``ANY_FILM``'s, or none."""
    if not isinstance(key, tuple) or not key:
        return None
    if key[0] == _VERSIONED and len(key) >= 2:
        return str(key[1])
    return ANY_FILM if key[0] in SITE_WIDE else None


class PageCache(Generic[V]):
    """LRU + time-to-live, safe to share between the event loop and worker threads."""

    def __init__(self, size: int, ttl: float, versions: Callable[[str], int] | None = None) -> None:
        self.size = size
        self.ttl = ttl
        self.versions = versions
        self._entries: OrderedDict[Hashable, tuple[float, int, V]] = OrderedDict()
        # The version a miss saw, for the put that follows it (the page is rendered after the read,
        # so it is at least as fresh as that version).
        self._pending: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def _version(self, key: Hashable) -> int | None:
        """The store's version of a versioned key (``_version_id``); None for other keys (or no versions)."""
        versioned = _version_id(key)
        if self.versions is None or versioned is None:
            return None
        return self.versions(versioned)

    def get(self, key: Hashable) -> V | None:
        """The value if present and fresh, else None."""
        if self.size <= 0:
            return None
        version = self._version(key)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                stored_at, stored_version, value = entry
                if time.monotonic() - stored_at <= self.ttl and (
                    version is None or version == stored_version >= 0
                ):
                    self._entries.move_to_end(key)
                    return value
                del self._entries[key]
            if version is None and self.versions is None and _version_id(key) is not None:
                version = 0  # no versions (PostgreSQL listens): only "invalidated since" (-1) matters
            if version is not None and version >= 0:
                if len(self._pending) >= _MAX_PENDING:
                    self._pending.clear()
                seen = self._pending.get(key)
                self._pending[key] = version if seen is None else min(seen, version)
            return None

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The fresh value kept under ``key``, else ``make()``'s, kept for next time."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value``; the least recently used entry goes when full."""
        if self.size <= 0:
            return
        with self._lock:
            version = self._pending.pop(key, None)
        if version == -1:
            return  # the film was written while this page was rendered: it may be stale, keep nothing
        if version is None:  # a put without a miss before it (tests, warm-ups): the version now
            version = self._version(key)
        with self._lock:
            self._entries[key] = (time.monotonic(), -1 if version is None else version, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def invalidate(self, prefix: Hashable | None = None) -> None:
        """Forget entries whose key is ``prefix`` or a tuple starting with it (all when None)."""
        with self._lock:
            if prefix is None:
                self._entries.clear()
                self._pending.clear()
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
            # A render that began before the write must not be served after it.
            for key in self._pending:
                if key == prefix or (
                    isinstance(key, tuple) and isinstance(prefix, tuple) and key[: len(prefix)] == prefix
                ):
                    self._pending[key] = -1
