"""Every table of a store, rows sorted: equal dumps mean equal stores (for tests that compare them).

The records of when an import and the index builds ran (``status_rows.VOLATILE_META_KEYS``) differ
between two runs of the same import: they are left out of ``store_meta``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import inspect, text

from marquee.storage import SqlStore
from marquee.storage.status_rows import VOLATILE_META_KEYS

__all__ = ["table_names", "table_rows"]

_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def table_names(store: SqlStore) -> set[str]:
    """The names of the store's tables, as the database lists them now."""
    with store.reading() as conn:
        return set(inspect(conn).get_table_names())


def table_rows(store: SqlStore, leave_out: Collection[str] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """``{table: its rows, sorted}`` for every table but ``leave_out``.

    FTS5 tables are compared by their contents, not by the b-tree pages behind them (their shadow
    tables are left out)."""
    with store.reading() as conn:
        names = set(inspect(conn).get_table_names()) - set(leave_out)
        virtual: set[str] = set()
        if conn.dialect.name == "sqlite":
            virtual = set(
                conn.execute(
                    text("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
                ).scalars()
            )
        shadow = {f"{v}_{s}" for v in virtual for s in _FTS5_SHADOWS}
        out = {}
        for name in sorted(names - shadow):
            columns = "rowid, *" if name in virtual else "*"
            rows = conn.execute(text(f'SELECT {columns} FROM "{name}"')).all()
            if name == "store_meta":  # when the import ran and how long it took differ between runs
                rows = [r for r in rows if r[0] not in VOLATILE_META_KEYS]
            out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out
