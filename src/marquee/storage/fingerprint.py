"""A store's fingerprint: one hash over every row of every table, to show that nothing changed.

A failed import must leave the store as it was; ``store_fingerprint`` before and after says so (the
bad-input tests use it, and so can an operator). Tables are read whole, so this is for stores of test
or audit size, not for a full IMDb catalogue.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, Select, inspect, literal_column, select, table

from marquee.storage.base import Store

__all__ = ["store_fingerprint", "table_fingerprints"]

# Bookkeeping that changes without the data changing (SQLite's statistics, FTS5's own counters).
_SKIPPED_PREFIXES = ("sqlite_",)
_SKIPPED_SUFFIXES = ("_config",)


def table_fingerprints(store: Store) -> dict[str, str]:
    """Each table's name to a hash of its rows (in a canonical order, whatever the storage order).

    SQLite's rows are hashed here; PostgreSQL hashes its own, every table in one statement (a
    round trip a table and the rows' transfer cost ~3x as much on the test catalogue). The two give
    different hashes for the same rows: compare a store's fingerprints with its own."""
    with store.reading() as conn:
        # Names only (reflecting every column would cost more than reading these small tables).
        names = [
            name
            for name in sorted(inspect(conn).get_table_names())
            if not (name.startswith(_SKIPPED_PREFIXES) or name.endswith(_SKIPPED_SUFFIXES))
        ]
        if conn.dialect.name == "postgresql":
            return _hashed_by_postgresql(conn, names)
        hashes: dict[str, str] = {}
        for name in names:
            every_row: Select[Any] = select(literal_column("*")).select_from(table(name))
            rows = sorted(repr(tuple(row)) for row in conn.execute(every_row))
            hashes[name] = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
    return hashes


def _hashed_by_postgresql(conn: Connection, names: list[str]) -> dict[str, str]:
    """Each table's rows hashed by the server: the md5 of each row's text, sorted, hashed together."""
    if not names:
        return {}
    quote = conn.dialect.identifier_preparer.quote
    parts = [
        f"SELECT {n}, (SELECT md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
        f"FROM (SELECT md5(t::text) AS h FROM {quote(name)} AS t) AS rows_of)"
        for n, name in enumerate(names)
    ]
    found: dict[int, str] = {int(n): str(h) for n, h in conn.exec_driver_sql(" UNION ALL ".join(parts))}
    return {name: found[n] for n, name in enumerate(names)}


def store_fingerprint(store: Store) -> str:
    """One hash over every table's rows: equal before and after means the store is unchanged."""
    joined = "\n".join(f"{name} {digest}" for name, digest in table_fingerprints(store).items())
    return hashlib.sha256(joined.encode("ascii")).hexdigest()
