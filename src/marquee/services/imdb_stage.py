"""Stage one IMDb file: read, map and load it into a staging table, reporting bad rows by line.

A staging table holds one file's mapped rows plus their line numbers. Duplicate keys are
caught by the database, never by a Python set (bounded memory at any scale):

* SQLite: each file gets its own throwaway database file (so two worker processes write in
  parallel without sharing a lock), journal off; ``INSERT OR IGNORE`` into a table ``stage`` keyed by
  the file's key; when a batch inserts fewer rows than it holds, the stored line number of
  each key shows which rows were the repeats.
* PostgreSQL: ``COPY`` into an unlogged table; afterwards one ``GROUP BY key HAVING
  count(*) > 1`` finds repeats, which are removed (the first line wins) before the key is
  added as a primary key.

On SQLite, ``stage_file`` first tries the fast path of ``imdb_fast_stage`` (no Python per row);
when it gives up on anything unusual, the file is staged again from scratch by the precise path
above, which reports bad rows and duplicates by line.

``stage_file`` runs in a worker process or inline; it reports progress through a callback.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from marquee.errors import InputError
from marquee.formats.imdb_tsv import MAX_ID, STAGE_COLUMNS, STAGE_KEYS
from marquee.services.imdb_fast_stage import stage_fast
from marquee.services.imdb_read import BadRow, Chunk, raw_lines, read_chunks

__all__ = [
    "HELD_PREFIX",
    "STAGE_NAMES",
    "StageJob",
    "StageResult",
    "die_with_parent",
    "held_id",
    "pg_held_table",
    "pg_stage_ddl",
    "sqlite_stage_ddl",
    "stage_file",
    "stage_worker",
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


# The id a file's rows name first: title files name a title (tt), name.basics a person (nm).
HELD_PREFIX = {dataset: b"nm" if dataset == "name.basics" else b"tt" for dataset in STAGE_NAMES}
_HELD_ID = re.compile(rb"(tt|nm)([0-9]{1,10})(?:\t|$)")


def held_id(dataset: str, raw: bytes) -> int | None:
    """The title or person a rejected row names (its first field), if it names one at all.

    With ``--skip-bad-rows`` a rejected row changes nothing: the merge leaves that title (or
    person) exactly as stored, all of it, instead of applying what the other rows say.
    """
    found = _HELD_ID.match(raw)
    if found is None or found.group(1) != HELD_PREFIX[dataset]:
        return None
    number = int(found.group(2))
    return number if number <= MAX_ID else None


@dataclass(frozen=True)
class StageJob:
    """One file to stage, and where: a SQLite file path, or a PostgreSQL conninfo + schema."""

    dataset: str
    path: Path
    source: str
    skip_bad_rows: bool
    rejects_part: Path | None
    sqlite_file: Path | None = None
    pg_conninfo: str | None = None
    pg_schema: str | None = None


@dataclass(frozen=True)
class StageResult:
    """What staging one file did."""

    dataset: str
    source: str
    rows_read: int
    rows_staged: int
    rows_skipped: int
    # Staged by the fast path (``imdb_fast_stage``)? Informative only: results compare equal either way.
    fast: bool = field(default=False, compare=False)


Report = Callable[[str, int, int], None]  # (dataset, compressed bytes done, rows read)


class _Sink(Protocol):
    def write(self, chunk: Chunk) -> list[BadRow]: ...

    def finish(self) -> Iterator[BadRow]: ...

    def hold(self, ids: list[int]) -> None: ...

    def close(self) -> None: ...


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
    "title_id": "integer",
    "person_id": "integer",
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


def _stage_sqlite_fast(job: StageJob, report: Report | None) -> StageResult | None:
    """The fast path (``imdb_fast_stage``); None when it gave up (its database is then deleted)."""
    assert job.sqlite_file is not None
    job.sqlite_file.unlink(missing_ok=True)
    conn = _sqlite_stage_db(job.sqlite_file, job.dataset)
    try:
        per_block = None if report is None else lambda done, rows: report(job.dataset, done, rows)
        rows = stage_fast(conn, job.path, job.dataset, job.source, per_block)
        if rows is not None:
            conn.execute("COMMIT")
    finally:
        conn.close()
    if rows is None:
        job.sqlite_file.unlink()
        return None
    return StageResult(job.dataset, job.source, rows, rows, 0, fast=True)


class _SqliteSink:
    """Rows into ``rows`` of a private SQLite file; repeats found through the key."""

    def __init__(self, path: Path, dataset: str) -> None:
        self.dataset = dataset
        self.conn = _sqlite_stage_db(path, dataset)
        cols = [*STAGE_COLUMNS[dataset], "line"]
        self.insert = f"INSERT OR IGNORE INTO stage VALUES ({', '.join('?' * len(cols))})"
        key = STAGE_KEYS[dataset]
        self.key_len = len(key)
        self.lookup = f"SELECT line FROM stage WHERE {' AND '.join(f'{k} = ?' for k in key)}"

    def write(self, chunk: Chunk) -> list[BadRow]:
        before = self.conn.total_changes
        self.conn.executemany(self.insert, chunk.rows)
        if self.conn.total_changes - before == len(chunk.rows):
            return []
        return list(self._repeats(chunk))

    def _repeats(self, chunk: Chunk) -> Iterator[BadRow]:
        """Rows of the chunk whose key was stored from another line (rare: only then we look)."""
        for row in chunk.rows:
            line = row[-1]
            first = self.conn.execute(self.lookup, row[: self.key_len]).fetchone()[0]
            if first != line:
                key = "/".join(str(v) for v in row[: self.key_len])
                raw = chunk.lines[line - chunk.first_line].encode()
                yield BadRow("", line, f"duplicate key {key} (first on line {first})", raw, repeat=True)

    def finish(self) -> Iterator[BadRow]:
        self.conn.execute("COMMIT")
        return iter(())

    def hold(self, ids: list[int]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO held VALUES (?)", [(i,) for i in ids])

    def close(self) -> None:
        self.conn.close()


class _PgSink:
    """Rows into an unlogged PostgreSQL table with COPY; repeats found after the load."""

    def __init__(self, conninfo: str, schema: str, dataset: str) -> None:
        import psycopg  # imported here: SQLite-only imports never load the driver

        self.dataset = dataset
        self.conn = psycopg.connect(conninfo, autocommit=False)
        self.table = f"{schema}.{STAGE_NAMES[dataset]}"
        self.held = pg_held_table(dataset, schema)
        self.cols = [*STAGE_COLUMNS[dataset], "line"]

    def write(self, chunk: Chunk) -> list[BadRow]:
        with (
            self.conn.cursor() as cur,
            cur.copy(f"COPY {self.table} ({', '.join(self.cols)}) FROM STDIN") as cp,
        ):
            for row in chunk.rows:
                cp.write_row(row)
        return []

    def finish(self) -> Iterator[BadRow]:
        key = STAGE_KEYS[self.dataset]
        keys = ", ".join(key)
        with self.conn.cursor() as cur:
            cur.execute(
                f"SELECT {keys}, min(line), array_agg(line ORDER BY line) FROM {self.table}"
                f" GROUP BY {keys} HAVING count(*) > 1 ORDER BY min(line)"
            )
            repeats = cur.fetchall()
            lines: list[int] = []
            for rec in repeats:
                first, all_lines = rec[len(key)], rec[len(key) + 1]
                shown = "/".join(str(v) for v in rec[: len(key)])
                for line in all_lines[1:]:
                    lines.append(line)
                    yield BadRow("", line, f"duplicate key {shown} (first on line {first})", b"", repeat=True)
            if lines:
                cur.execute(f"DELETE FROM {self.table} WHERE line = ANY(%s)", (lines,))
            cur.execute(f"ALTER TABLE {self.table} ADD PRIMARY KEY ({keys})")
            cur.execute(f"ANALYZE {self.table}")
        self.conn.commit()

    def hold(self, ids: list[int]) -> None:
        with self.conn.cursor() as cur:
            insert = f"INSERT INTO {self.held} VALUES (%s) ON CONFLICT DO NOTHING"
            cur.executemany(insert, [(i,) for i in ids])
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def _sink(job: StageJob) -> _Sink:
    if job.sqlite_file is not None:
        return _SqliteSink(job.sqlite_file, job.dataset)
    assert job.pg_conninfo is not None and job.pg_schema is not None
    return _PgSink(job.pg_conninfo, job.pg_schema, job.dataset)


class _Rejects:
    """Bad rows: fatal (InputError) by default, else appended to a rejects part file."""

    def __init__(self, job: StageJob) -> None:
        self.job = job
        self.count = 0
        self.held: list[int] = []
        self.file = open(job.rejects_part, "ab") if job.rejects_part else None  # noqa: SIM115

    def add(self, bad: BadRow) -> None:
        where = f"{self.job.source}:{bad.line}"
        if not self.job.skip_bad_rows:
            raise InputError(f"{where}: {bad.reason}")
        self.count += 1
        number = None if bad.repeat else held_id(self.job.dataset, bad.raw)
        if number is not None:
            self.held.append(number)
        if self.file is not None:
            self.file.write(f"{where}\t{bad.reason}\t".encode() + bad.raw + b"\n")

    def flush(self, sink: _Sink) -> None:
        """Record the held ids so far in the staging table ``held``."""
        if self.held:
            sink.hold(self.held)
            self.held = []

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def stage_file(job: StageJob, report: Report | None = None, *, fast: bool = True) -> StageResult:
    """Read one file into its staging table; raises InputError on the first bad row unless skipping.

    SQLite: the fast path first (no Python per row); if it gives up on anything unusual, the file
    is staged again from scratch by the precise path below (``fast=False``: that one only).
    """
    if fast and job.sqlite_file is not None:
        result = _stage_sqlite_fast(job, report)
        if result is not None:
            return result
    sink = _sink(job)
    rejects = _Rejects(job)
    read = staged = 0
    try:
        for chunk in read_chunks(job.path, job.dataset, job.source):
            for bad in chunk.bad:
                rejects.add(bad)
            # A chunk's mapped rows are written before its repeats are known: the key refuses them.
            repeats = sink.write(chunk)
            for bad in repeats:
                rejects.add(bad)
            rejects.flush(sink)
            read += len(chunk.lines)
            staged += len(chunk.rows) - len(repeats)
            if report is not None:
                report(job.dataset, chunk.bytes_done, read)
        late = list(sink.finish())
        if late:  # PostgreSQL finds repeats after the load: fetch their raw lines again
            raws = raw_lines(job.path, {b.line for b in late})
            for bad in late:
                rejects.add(replace(bad, raw=raws.get(bad.line, b"")))
                staged -= 1
            rejects.flush(sink)
    finally:
        rejects.close()
        sink.close()
    return StageResult(job.dataset, job.source, read, staged, rejects.count)


def stage_worker(todo: Any, messages: Any) -> None:
    """Entry point of a staging process: stage files from ``todo`` until None, reporting on ``messages``."""
    # Defined here, not in imdb_import: a spawned worker imports only this light module chain.
    die_with_parent()
    while (job := todo.get()) is not None:
        messages.put(("start", job.dataset))
        try:
            result = stage_file(job, lambda ds, done, rows: messages.put(("advance", ds, done, rows)))
        except InputError as err:
            messages.put(("input_error", job.dataset, str(err)))
            return
        except Exception as err:  # reported to the parent, which raises StoreError
            messages.put(("error", job.dataset, f"{type(err).__name__}: {err}"))
            return
        messages.put(("done", job.dataset, result))


def die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the importing process dies (kill -9 included)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers finish their file, then exit
        pass
