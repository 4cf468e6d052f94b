"""The store's side of a re-import (issue 20): merge only the changed keys of a newer dump, in one
transaction.

``services.imdb_reimport`` found, per file, the keys whose lines changed since the last import
(``imdb_line_hashes``) and staged only those lines (SQLite files, as a full import stages them).
Here they are merged as a full dump would merge them (``imdb_merge.merge_staged`` with a ``Delta``:
each file's removed keys, and the titles whose credits are rebuilt), then the search and browse
indexes are refreshed for the titles and people that changed, instead of rebuilt, and the new hashes
are written; all in one transaction, so a failure leaves the store as it was.

On PostgreSQL the staged SQLite files are copied (COPY) into tables of a private schema made and
dropped inside that transaction, and the temporary id lists are temporary tables dropped at commit.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.formats.imdb_tsv import STAGE_KEYS
from marquee.storage import imdb_line_hashes, search_index
from marquee.storage.base import Store
from marquee.storage.engine import engine_of
from marquee.storage.imdb_line_hashes import KeyColumns
from marquee.storage.imdb_load import (
    META_KEY,
    PG_STAGE_PREFIX,
    MergeHook,
    all_tables,
    pg_session,
    sqlite_store_file,
    timed,
)
from marquee.storage.imdb_merge import Delta, MergeCounts, merge_staged
from marquee.storage.imdb_stage import STAGE_NAMES, pg_stage_ddl

__all__ = ["DeltaPlan", "merge_delta"]


@dataclass
class DeltaPlan:
    """What a re-import merges: staged files, removed keys, what to re-index, the new hashes."""

    files: dict[str, Path]  # dataset -> staging SQLite file (only the changed keys' lines)
    removed: dict[str, list[int]]  # dataset -> keys the newer file lacks
    credit_scope: set[int]  # titles whose credits are rebuilt (both credit files staged whole for them)
    titles: set[int]  # titles whose search and browse rows are rewritten
    votes: set[int]  # titles whose votes change (a rating changed, or the title came or went)
    people: set[int]  # people whose search rows are rewritten (credited ones are added here)
    hashes: dict[str, tuple[list[int], KeyColumns]]  # dataset -> the newer file's mark and keys (files read)
    staged: dict[str, int] = field(default_factory=dict)  # rows staged per file (the import record)


def _temp_ids(raw: Any, name: str, ids: Iterable[int]) -> str:
    """A temporary table ``name`` of these ids (``id``); its name to read it by."""
    if isinstance(raw, sqlite3.Connection):
        raw.execute(f"DROP TABLE IF EXISTS temp.{name}")
        raw.execute(f"CREATE TEMP TABLE {name} (id INTEGER PRIMARY KEY)")
        raw.executemany(f"INSERT OR IGNORE INTO temp.{name} (id) VALUES (?)", ((i,) for i in ids))
        return f"temp.{name}"
    raw.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
    raw.execute(f"CREATE TEMP TABLE {name} (id integer PRIMARY KEY) ON COMMIT DROP")
    with raw.cursor() as cur, cur.copy(f"COPY pg_temp.{name} (id) FROM STDIN") as copy:
        for i in set(ids):
            copy.write_row((i,))
    raw.execute(f"ANALYZE pg_temp.{name}")
    return f"pg_temp.{name}"


def _credited(raw: Any, scope: str) -> set[int]:
    """People credited on the titles of ``scope`` (read before and after: both lose or gain a credit)."""
    sql = f"SELECT DISTINCT person_key FROM credits WHERE title_key IN (SELECT id FROM {scope})"
    return {int(pid) for (pid,) in raw.execute(sql)}


def merge_delta(
    store: Store, plan: DeltaPlan, *, trace: bool = False, hook: MergeHook | None = None
) -> MergeCounts:
    """Merge a re-import's staged changes, refresh the indexes for them, record the new hashes; one
    transaction (``hook`` as ``imdb_load.merge_sqlite``'s)."""
    if engine_of(store).dialect.name == "postgresql":
        return _merge_delta_postgresql(store, plan, trace=trace, hook=hook)
    sqlite_store_file(store)  # a store in a file, as every import
    stage = {ds: f"s_{STAGE_NAMES[ds]}.stage" for ds in plan.files}
    with engine_of(store).connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        attached = []
        try:
            for ds, path in plan.files.items():
                raw.execute(f"ATTACH DATABASE ? AS s_{STAGE_NAMES[ds]}", (str(path),))
                attached.append(f"s_{STAGE_NAMES[ds]}")
            with conn.begin():
                raw.execute("DELETE FROM main.store_meta WHERE 0")  # the write lock, now
                after = hook(conn) if hook is not None else None
                counts = _merge(conn, raw, timed(raw.execute, trace), plan, stage)
                if after is not None:
                    after(conn)
        finally:
            for schema_name in attached:
                raw.execute(f"DETACH DATABASE {schema_name}")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def _merge_delta_postgresql(
    store: Store, plan: DeltaPlan, *, trace: bool, hook: MergeHook | None
) -> MergeCounts:
    """``merge_delta`` on PostgreSQL: the staged files copied into a private schema, all in one
    transaction (one import at a time, as a full import)."""
    schema = f"{PG_STAGE_PREFIX}{os.getpid()}_delta"
    with engine_of(store).connect() as conn, conn.begin():
        run = pg_session(conn, trace)
        raw: Any = conn.connection.driver_connection
        raw.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        raw.execute(f"CREATE SCHEMA {schema}")
        stage = {ds: _copy_staged(raw, schema, ds, path) for ds, path in plan.files.items()}
        after = hook(conn) if hook is not None else None
        counts = _merge(conn, raw, run, plan, stage)
        if after is not None:
            after(conn)
        raw.execute(f"DROP SCHEMA {schema} CASCADE")
    return counts


def _copy_staged(raw: Any, schema: str, dataset: str, path: Path) -> str:
    """Copy one staged SQLite file's rows into its PostgreSQL staging table; the table's name."""
    for ddl in pg_stage_ddl(dataset, schema):
        raw.execute(ddl)
    table = f"{schema}.{STAGE_NAMES[dataset]}"
    source = sqlite3.connect(path)
    try:
        rows = source.execute("SELECT * FROM stage")
        columns = ", ".join(d[0] for d in rows.description)
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        source.close()
    raw.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({', '.join(STAGE_KEYS[dataset])})")
    raw.execute(f"ANALYZE {table}")
    return table


def _merge(conn: Connection, raw: Any, run: Any, plan: DeltaPlan, stage: dict[str, str]) -> MergeCounts:
    removed = {
        ds: _temp_ids(raw, f"imdb_removed_{STAGE_NAMES[ds]}", ids) for ds, ids in plan.removed.items() if ids
    }
    scope = _temp_ids(raw, "imdb_credit_scope", plan.credit_scope) if plan.credit_scope else ""
    # People whose row changes: their credits (before and after) or those titles' votes changed.
    credited = _temp_ids(raw, "imdb_credited_titles", plan.credit_scope | plan.votes)
    people = plan.people | _credited(raw, credited)
    counts = merge_staged(
        run, conn.dialect.name, stage, lambda: all_tables(conn), delta=Delta(removed, scope)
    )
    people |= _credited(raw, credited)
    search_index.refresh_titles(conn, plan.titles, people=False)
    search_index.refresh_people(conn, people)
    for ds, (mark, keys) in plan.hashes.items():
        imdb_line_hashes.write_file(conn, ds, mark, keys)
    if plan.staged or plan.removed:  # the same dump again changes nothing, its record included
        _record(conn, plan.staged, counts)
    return counts


def _record(conn: Connection, staged: dict[str, int], counts: MergeCounts) -> None:
    """The import record in ``store_meta`` (as ``imdb_load``'s): rows staged per file, written per table."""
    record = json.dumps({"files": staged, "written": counts.written, "reimport": True}, sort_keys=True)
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": META_KEY})
    conn.execute(text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": META_KEY, "v": record})
