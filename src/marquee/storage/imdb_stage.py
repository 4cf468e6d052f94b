"""Staging tables of one IMDb file: their DDL, and the sinks that load mapped rows into them.

A staging table holds one file's mapped rows plus their line numbers. Duplicate keys are
caught by the database, never by a Python set (bounded memory at any scale):

* SQLite: each file gets its own throwaway database file (so two worker processes write in
  parallel without sharing a lock), journal off; ``INSERT OR IGNORE`` into a table ``stage`` keyed by
  the file's key; when a batch inserts fewer rows than it holds, the stored line number of
  each key shows which rows were the repeats.
* PostgreSQL: ``COPY`` into an unlogged table; afterwards one ``GROUP BY key HAVING
  count(*) > 1`` finds repeats, which are removed (the first line wins) before the key is
  added as a primary key.

Reading the files, reporting bad rows and deciding what to do with them is
``services.imdb_stage``'s; this module only writes and reads the staging tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marquee.formats.imdb_tsv import STAGE_COLUMNS, STAGE_KEYS
from marquee.storage.imdb_fast_stage import stage_fast

__all__ = [
    "STAGE_NAMES",
    "PgStage",
    "Repeat",
    "SqliteStage",
    "die_with_parent",
    "pg_held_table",
    "pg_stage_ddl",
    "sqlite_stage_ddl",
    "stage_sqlite_fast",
]

# Short table names of the staged files (SQLite: attached schema names; PostgreSQL: tables).
STAGE_NAMES = {
    "title.basics": "basics",
    "title.akas": "akas",
    "title.crew": "crew",
    "title.episode": "episode",
    "title.principals": "principals",
    "title.ratings": "ratings",
    "name.basics": "names",
}


@dataclass(frozen=True)
class Repeat:
    """A staged row whose key was already staged from an earlier line (that first line stands)."""

    key: str  # the key's values joined by "/"
    line: int
    first: int

    @property
    def reason(self) -> str:
        return f"duplicate key {self.key} (first on line {self.first})"


def sqlite_stage_ddl(dataset: str) -> list[str]:
    """DDL of the SQLite staging table ``stage`` of one file (keyed, so repeats are refused)."""
    cols = [*STAGE_COLUMNS[dataset], "line"]
    key = STAGE_KEYS[dataset]
    held = "CREATE TABLE held (id INTEGER PRIMARY KEY)"  # titles/people named by rejected rows
    if len(key) == 1:
        body = ", ".join(f"{c} INTEGER PRIMARY KEY" if c == key[0] else c for c in cols)
        return [f"CREATE TABLE stage ({body})", held]
    return [f"CREATE TABLE stage ({', '.join(cols)}, PRIMARY KEY ({', '.join(key)})) WITHOUT ROWID", held]


_PG_TYPES = {
    "id": "integer",
    "title_key": "integer",
    "person_key": "integer",
    "ordering": "integer",
    "start_year": "integer",
    "end_year": "integer",
    "runtime_minutes": "integer",
    "birth_year": "integer",
    "death_year": "integer",
    "season": "integer",
    "episode": "integer",
    "votes": "integer",
    "line": "bigint",
    "average": "double precision",
    "is_adult": "boolean",
    "is_original": "boolean",
}


def pg_held_table(dataset: str, schema: str) -> str:
    """The PostgreSQL table of the titles/people named by a file's rejected rows."""
    return f"{schema}.{STAGE_NAMES[dataset]}_held"


def pg_stage_ddl(dataset: str, schema: str) -> list[str]:
    """DDL of the PostgreSQL staging table of one file (unlogged, no key until loaded), and its held ids."""
    cols = [*STAGE_COLUMNS[dataset], "line"]
    body = ", ".join(f"{c} {_PG_TYPES.get(c, 'text')}" for c in cols)
    return [
        f"CREATE UNLOGGED TABLE {schema}.{STAGE_NAMES[dataset]} ({body})",
        f"CREATE UNLOGGED TABLE {pg_held_table(dataset, schema)} (id integer PRIMARY KEY)",
    ]


def _sqlite_stage_db(path: Path, dataset: str) -> sqlite3.Connection:
    """A new private SQLite file with the empty table ``stage``, in a transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    # A throwaway file: no journal, no syncs. A crash just leaves a file to delete.
    # 64 KiB pages: ~20 % less CPU per inserted row than 4 KiB (fewer page splits and cell moves).
    pragmas = ("page_size=65536", "journal_mode=OFF", "synchronous=OFF", "cache_size=-65536")
    for pragma in (*pragmas, "temp_store=MEMORY", "locking_mode=EXCLUSIVE"):
        conn.execute(f"PRAGMA {pragma}")
    for ddl in sqlite_stage_ddl(dataset):
        conn.execute(ddl)
    conn.execute("BEGIN")
    return conn


def stage_sqlite_fast(
    path: Path,
    dataset: str,
    blocks: Iterable[tuple[str, int]],
    report: Callable[[int, int], None] | None,
) -> int | None:
    """The fast path (``imdb_fast_stage``) into a new file; None when it gave up (file then deleted)."""
    path.unlink(missing_ok=True)
    conn = _sqlite_stage_db(path, dataset)
    try:
        rows = stage_fast(conn, blocks, dataset, report)
        if rows is not None:
            conn.execute("COMMIT")
    finally:
        conn.close()
    if rows is None:
        path.unlink()
    return rows


class SqliteStage:
    """Rows into ``stage`` of a private SQLite file; repeats found through the key."""

    def __init__(self, path: Path, dataset: str) -> None:
        self.dataset = dataset
        self.conn = _sqlite_stage_db(path, dataset)
        cols = [*STAGE_COLUMNS[dataset], "line"]
        self.insert = f"INSERT OR IGNORE INTO stage VALUES ({', '.join('?' * len(cols))})"
        key = STAGE_KEYS[dataset]
        self.key_len = len(key)
        self.lookup = f"SELECT line FROM stage WHERE {' AND '.join(f'{k} = ?' for k in key)}"

    def write(self, rows: list[tuple[Any, ...]]) -> list[Repeat]:
        """Stage mapped rows (their line last); the rows whose key was staged from another line."""
        before = self.conn.total_changes
        self.conn.executemany(self.insert, rows)
        if self.conn.total_changes - before == len(rows):
            return []
        return list(self._repeats(rows))

    def _repeats(self, rows: list[tuple[Any, ...]]) -> Iterable[Repeat]:
        """Rows whose key was stored from another line (rare: only then we look)."""
        for row in rows:
            line = row[-1]
            first = self.conn.execute(self.lookup, row[: self.key_len]).fetchone()[0]
            if first != line:
                yield Repeat("/".join(str(v) for v in row[: self.key_len]), line, first)

    def finish(self) -> list[Repeat]:
        self.conn.execute("COMMIT")
        return []

    def hold(self, ids: list[int]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO held VALUES (?)", [(i,) for i in ids])

    def close(self) -> None:
        self.conn.close()


class PgStage:
    """Rows into an unlogged PostgreSQL table with COPY; repeats found after the load."""

    def __init__(self, conninfo: str, schema: str, dataset: str) -> None:
        import psycopg  # imported here: SQLite-only imports never load the driver

        self.dataset = dataset
        self.conn = psycopg.connect(conninfo, autocommit=False)
        self.table = f"{schema}.{STAGE_NAMES[dataset]}"
        self.held = pg_held_table(dataset, schema)
        self.cols = [*STAGE_COLUMNS[dataset], "line"]

    def write(self, rows: list[tuple[Any, ...]]) -> list[Repeat]:
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {self.table} ({', '.join(self.cols)}) FROM STDIN") as cp,
        ):
            for row in rows:
                cp.write_row(row)
        return []

    def finish(self) -> list[Repeat]:
        """Remove the repeats (the first line of each key stays), key the table; the repeats removed.

        The key is tried first (one sort): only when it fails are the repeats looked for.
        """
        import psycopg

        keys = ", ".join(STAGE_KEYS[self.dataset])
        found: list[Repeat] = []
        with self.conn.cursor() as cur:
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the key's sort, in memory
            try:
                with self.conn.transaction():  # a savepoint: a repeat undoes the key alone
                    cur.execute(f"ALTER TABLE {self.table} ADD PRIMARY KEY ({keys})")
            except psycopg.errors.UniqueViolation:
                found = self._remove_repeats(cur)
                cur.execute(f"ALTER TABLE {self.table} ADD PRIMARY KEY ({keys})")
            cur.execute(f"ANALYZE {self.table}")
        self.conn.commit()
        return found

    def _remove_repeats(self, cur: Any) -> list[Repeat]:
        """Delete every row whose key an earlier line holds; those rows, by line."""
        key = STAGE_KEYS[self.dataset]
        keys = ", ".join(key)
        found: list[Repeat] = []
        cur.execute(
            f"SELECT {keys}, min(line), array_agg(line ORDER BY line) FROM {self.table}"
            f" GROUP BY {keys} HAVING count(*) > 1 ORDER BY min(line)"
        )
        for rec in cur.fetchall():
            first, all_lines = rec[len(key)], rec[len(key) + 1]
            shown = "/".join(str(v) for v in rec[: len(key)])
            found.extend(Repeat(shown, line, first) for line in all_lines[1:])
        if found:
            cur.execute(f"DELETE FROM {self.table} WHERE line = ANY(%s)", ([r.line for r in found],))
        return found

    def hold(self, ids: list[int]) -> None:
        with self.conn.cursor() as cur:
            insert = f"INSERT INTO {self.held} VALUES (%s) ON CONFLICT DO NOTHING"
            cur.executemany(insert, [(i,) for i in ids])
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the importing process dies (kill -9 included).

    A worker whose parent died before it got here (killed while the worker started) gets no such
    signal: it exits at once instead. Before, such a worker staged a whole file for no one, then hung
    at exit on a full queue, for good."""
    import multiprocessing
    import os

    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers finish their file, then exit
        pass
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # already an orphan
        os._exit(1)
