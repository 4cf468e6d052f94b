"""Where films live: the Store interface, and SQLite/PostgreSQL stores opened by URL."""

from __future__ import annotations

from marquee.storage.base import Store
from marquee.storage.sqlstore import SqlStore, open_store

__all__ = ["SqlStore", "Store", "open_store"]
