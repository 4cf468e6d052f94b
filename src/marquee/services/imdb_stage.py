"""Stage one IMDb file: read, map and load it into a staging table, reporting bad rows by line.

The staging tables and how repeats of a key are found (by the database, never by a Python set)
are ``storage.imdb_stage``'s; here the file is read (``imdb_read``), bad rows are refused or
written to the rejects file, and the titles/people they name are held.

On SQLite, ``stage_file`` first tries the fast path of ``storage.imdb_fast_stage`` (no Python per
row); when it gives up on anything unusual, the file is staged again from scratch by the precise
path, which reports bad rows and duplicates by line. On PostgreSQL the fast path is
``storage.imdb_pg_fast_stage`` (COPY of the raw lines, mapped in SQL); when it gives up, its
transaction is rolled back and the precise path stages the file; repeated keys are found after
either by line, alike.

``stage_file`` runs in a worker process or inline; it reports progress through a callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from marquee.errors import InputError
from marquee.formats.imdb_tsv import MAX_ID
from marquee.services.imdb_read import BadRow, Chunk, raw_lines, read_chunks, text_blocks
from marquee.storage.imdb_pg_fast_stage import stage_pg_fast
from marquee.storage.imdb_stage import (
    STAGE_NAMES,
    PgStage,
    Repeat,
    SqliteStage,
    die_with_parent,
    stage_sqlite_fast,
)

__all__ = [
    "HELD_PREFIX",
    "STAGE_NAMES",
    "StageJob",
    "StageResult",
    "die_with_parent",
    "held_id",
    "stage_file",
    "stage_worker",
]

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
    def write(self, rows: list[tuple[Any, ...]]) -> list[Repeat]: ...

    def finish(self) -> list[Repeat]: ...

    def hold(self, ids: list[int]) -> None: ...

    def close(self) -> None: ...


def _stage_sqlite_fast(job: StageJob, report: Report | None) -> StageResult | None:
    """The fast path (``storage.imdb_fast_stage``); None when it gave up."""
    assert job.sqlite_file is not None
    per_block = None if report is None else lambda done, rows: report(job.dataset, done, rows)
    blocks = text_blocks(job.path, job.dataset, job.source)
    rows = stage_sqlite_fast(job.sqlite_file, job.dataset, blocks, per_block)
    if rows is None:
        return None
    return StageResult(job.dataset, job.source, rows, rows, 0, fast=True)


def _stage_pg_fast(job: StageJob, sink: _Sink, report: Report | None) -> int | None:
    """PostgreSQL's fast path (``storage.imdb_pg_fast_stage``) into the sink's table, not committed; the
    rows staged, or None when it gave up (rolled back: the table is empty again)."""
    if not isinstance(sink, PgStage):
        return None
    per_block = None if report is None else lambda done, rows: report(job.dataset, done, rows)
    blocks = text_blocks(job.path, job.dataset, job.source)
    rows = stage_pg_fast(sink.conn, sink.table, job.dataset, blocks, per_block)
    if rows is None:
        sink.conn.rollback()
    return rows


def _sink(job: StageJob) -> _Sink:
    if job.sqlite_file is not None:
        return SqliteStage(job.sqlite_file, job.dataset)
    assert job.pg_conninfo is not None and job.pg_schema is not None
    return PgStage(job.pg_conninfo, job.pg_schema, job.dataset)


def _repeats(chunk: Chunk | None, repeats: Iterable[Repeat]) -> list[BadRow]:
    """Repeated keys as bad rows, with their raw line when the chunk still holds it."""
    return [
        BadRow(
            "",
            r.line,
            r.reason,
            b"" if chunk is None else chunk.lines[r.line - chunk.first_line].encode(),
            repeat=True,
        )
        for r in repeats
    ]


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

    SQLite and PostgreSQL: the fast path first (no Python per row); if it gives up on anything
    unusual, the file is staged again from scratch by the precise path below (``fast=False``: that
    one only).
    """
    if fast and job.sqlite_file is not None:
        result = _stage_sqlite_fast(job, report)
        if result is not None:
            return result
    sink = _sink(job)
    rejects = _Rejects(job)
    read = staged = 0
    try:
        fast_rows = _stage_pg_fast(job, sink, report) if fast else None
        for chunk in [] if fast_rows is not None else read_chunks(job.path, job.dataset, job.source):
            for bad in chunk.bad:
                rejects.add(bad)
            # A chunk's mapped rows are written before its repeats are known: the key refuses them.
            repeats = _repeats(chunk, sink.write(chunk.rows))
            for bad in repeats:
                rejects.add(bad)
            rejects.flush(sink)
            read += len(chunk.lines)
            staged += len(chunk.rows) - len(repeats)
            if report is not None:
                report(job.dataset, chunk.bytes_done, read)
        if fast_rows is not None:
            read = staged = fast_rows
        late = _repeats(None, sink.finish())
        if late:  # PostgreSQL finds repeats after the load: fetch their raw lines again
            raws = raw_lines(job.path, {b.line for b in late})
            for bad in late:
                rejects.add(replace(bad, raw=raws.get(bad.line, b"")))
                staged -= 1
            rejects.flush(sink)
    finally:
        rejects.close()
        sink.close()
    return StageResult(job.dataset, job.source, read, staged, rejects.count, fast=fast_rows is not None)


def stage_worker(todo: Any, messages: Any, worker: int = 0) -> None:
    """Entry point of a staging process: stage files from ``todo`` until None, reporting on ``messages``
    (a file's start names the ``worker`` number too)."""
    # Defined here, not in imdb_import: a spawned worker imports only this light module chain.
    die_with_parent()
    while (job := todo.get()) is not None:
        messages.put(("start", job.dataset, worker))
        try:
            result = stage_file(job, lambda ds, done, rows: messages.put(("advance", ds, done, rows)))
        except InputError as err:
            messages.put(("input_error", job.dataset, str(err)))
            return
        except Exception as err:  # reported to the parent, which raises StoreError
            messages.put(("error", job.dataset, f"{type(err).__name__}: {err}"))
            return
        messages.put(("done", job.dataset, result))
