"""Fingerprints of a store's tables, remembered for SQLite files whose bytes were seen before.

The bad-input tests fingerprint a store before and after each refused command, and every one of
them starts from a copy of the same built file: hashing the file's bytes (milliseconds) finds the
fingerprint already taken, where reading every table again takes a fifth of a second. A file with
a write-ahead log beside it is read through the store, as is every PostgreSQL database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.engine import make_url

from marquee.storage import open_store
from marquee.storage.fingerprint import table_fingerprints

__all__ = ["tables_of"]

_SEEN: dict[str, dict[str, str]] = {}


def _read(url: str) -> dict[str, str]:
    store = open_store(url)
    try:
        return table_fingerprints(store)
    finally:
        store.close()


def _file_key(url: str) -> str | None:
    """A hash of the SQLite file's bytes, or None where they do not hold the whole store."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    wal = path.with_name(path.name + "-wal")
    if not path.is_file() or (wal.exists() and wal.stat().st_size > 0):
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables_of(url: str) -> dict[str, str]:
    """Each table's name to a hash of its rows (``table_fingerprints``) for the store at ``url``."""
    key = _file_key(url)
    if key is None:
        return _read(url)
    if key not in _SEEN:
        _SEEN[key] = _read(url)
    return dict(_SEEN[key])
