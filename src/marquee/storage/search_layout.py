"""How the search index lays out its rows: popularity buckets, SQLite rowids, FTS5 shadow tables.

Shared by the index (``search_index``, which keeps it in step with the tables) and the set-based
rebuilds (``search_rebuild``, ``search_rebuild_pg``), which ``search_index.rebuild`` calls: they
import this module, not each other.
"""

from __future__ import annotations

import math

__all__ = [
    "BUCKET_SHIFT",
    "FTS5_SHADOWS",
    "ID_BITS",
    "MAX_NAMES",
    "NAME_BITS",
    "NAME_KEYS",
    "popularity_bucket",
    "split_rowid",
    "title_rowid",
]

# SQLite rowid layout of title_search: bucket (7 bits) | title id (28 bits) | name number (12 bits).
ID_BITS = 28
NAME_BITS = 12
BUCKET_SHIFT = ID_BITS + NAME_BITS
MAX_NAMES = 1 << NAME_BITS
# Each name index's own key column (PostgreSQL; on SQLite the key is packed in the rowid).
NAME_KEYS = {"title_search": "title_key", "person_search": "person_key"}
# FTS5 keeps each virtual table's data in shadow tables named after it.
FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")


def popularity_bucket(votes: int | None) -> int:
    """0..127, rising with votes (a quarter of a doubling per step): orders matches by popularity."""
    if not votes or votes <= 0:
        return 0
    return min(127, 1 + int(math.log2(votes + 1) * 4))


def title_rowid(bucket: int, title_key: int, n: int) -> int:
    """The SQLite rowid of a title's ``n``-th name: popularity first, so rowid order is vote order."""
    if not 0 <= title_key < (1 << ID_BITS):
        raise ValueError(f"title id {title_key} does not fit the search index")
    return (bucket << BUCKET_SHIFT) | (title_key << NAME_BITS) | n


def split_rowid(rowid: int) -> tuple[int, int]:
    """``(title_key, n)`` from a title_search rowid."""
    return (rowid >> NAME_BITS) & ((1 << ID_BITS) - 1), rowid & (MAX_NAMES - 1)
