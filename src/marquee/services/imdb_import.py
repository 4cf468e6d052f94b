"""Import the IMDb datasets (the seven ``*.tsv.gz`` files) into the store, atomically, at full scale.

Design: stage, then merge in one transaction.

1. **Stage.** Each file present in the directory is streamed (1 MiB blocks, never whole),
   checked (header, column count, UTF-8, numbers, ids) and loaded into its own staging
   table keyed like the file, so the database itself refuses duplicate keys (reported by
   line). SQLite: one throwaway database file per input file in a folder next to the store
   (``.<db>.imdb-stage-<pid>``), written by up to two worker processes in parallel (one per
   core: parsing is the bottleneck). PostgreSQL: ``COPY`` into unlogged tables of a private
   schema ``marquee_imdb_stage_<pid>``. The store is not touched in this phase.
2. **Merge.** One transaction on the store: ``INSERT … SELECT`` from the staging tables
   (SQLite attaches the staging files; secondary indexes are dropped and rebuilt when a load
   outweighs what a table holds), then ``search_index.rebuild`` and a ``store_meta`` record,
   then COMMIT. See ``imdb_merge`` for what the import owns and how ids are chosen. Into a
   store without titles, SQLite gets the title search index and the browse index built from
   the staging files in another process during the merge, and copies them in
   (``imdb_index_ahead``).

Atomicity: until that COMMIT the store holds exactly what it held before. A crash or
``kill -9`` during staging leaves only staging files/schemas (removed by the next import);
during the merge, SQLite's WAL (or PostgreSQL's own transaction) discards the uncommitted
work. Re-running on the same files leaves every table identical (no timestamps are stored).

Full dump or partial folder (``imdb_merge``): all seven files are a full dump, which removes
the titles and people it no longer has (not those members' data name); any other subset
updates only the titles and people its files name and removes nothing.

Bad input: every problem is an ``InputError`` ``FILE:LINE: field: reason``, FILE as the user
named it (the directory given, joined with the file name). By default the first one stops the
import and the store keeps its previous state; with ``skip_bad_rows`` bad rows are counted,
written to the rejects file (``FILE:LINE<TAB>reason<TAB>raw row``) and left out, and the title
or person a bad row names is left exactly as stored. A truncated or damaged gzip file, a file
whose header is wrong or missing, or a line longer than ``limits.MAX_LINE_BYTES`` always
stops the import: it is not a bad row, and going on would remove every title after the damage.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from marquee.errors import InputError, StoreError
from marquee.formats.imdb_tsv import DATASETS
from marquee.services.editing import edited_films, reapply_member_edits
from marquee.services.imdb_index_ahead import IndexAheadJob
from marquee.services.imdb_merge import MergeCounts, merge_staged
from marquee.services.imdb_stage import (
    STAGE_NAMES,
    StageJob,
    StageResult,
    pg_held_table,
    pg_stage_ddl,
    stage_file,
    stage_worker,
)
from marquee.storage import search_index
from marquee.storage.base import Store

__all__ = ["FileSummary", "ImportProgress", "ImportSummary", "find_dataset_files", "import_imdb_datasets"]

META_KEY = "imdb_import"
# Below this much input, staging runs in this process (worker start-up would cost more).
_PARALLEL_MIN_BYTES = 8 << 20
# Below this many titles, the title search and browse indexes are built in the merge, not ahead.
_AHEAD_MIN_TITLES = 20_000


class ImportProgress(Protocol):
    """What an import reports while it works (the CLI draws a Rich bar per file from it)."""

    def start_file(self, name: str, total_bytes: int) -> None:
        """A file starts: ``total_bytes`` is its size on disk (compressed, for ``.gz``)."""

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        """So far ``bytes_done`` of the file on disk are read, ``rows`` rows."""

    def finish_file(self, name: str) -> None:
        """The file is staged."""

    def stage(self, description: str) -> None:
        """A phase without per-file progress begins (e.g. merging into the store)."""


@dataclass(frozen=True)
class FileSummary:
    """Rows of one file: read (lines after the header), staged, skipped as bad."""

    dataset: str
    source: str
    rows_read: int
    rows_staged: int
    rows_skipped: int


@dataclass
class ImportSummary:
    """What an import did; ``str()`` is a short printable report."""

    files: list[FileSummary]
    written: dict[str, int] = field(default_factory=dict)
    # Rows left out because they name a title or person the dump does not have, by what they are.
    unplaced: dict[str, int] = field(default_factory=dict)
    # All seven files: titles and people the dump lacks are removed (else nothing is removed).
    full: bool = False
    titles_removed: int = 0
    removed_kinds: dict[str, int] = field(default_factory=dict)
    titles_kept: int = 0
    people_removed: int = 0
    titles_held: int = 0
    people_held: int = 0
    ids_moved: int = 0
    seconds: float = 0.0
    rejects_path: Path | None = None

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_skipped(self) -> int:
        return sum(f.rows_skipped for f in self.files)

    def __str__(self) -> str:
        lines = [
            f"{'file':<28}{'read':>12}{'skipped':>10}",
            *(f"{f.source:<28}{f.rows_read:>12,}{f.rows_skipped:>10,}" for f in self.files),
            f"{'total':<28}{self.rows_read:>12,}{self.rows_skipped:>10,}",
            "written: " + ", ".join(f"{t} {n:,}" for t, n in sorted(self.written.items())),
        ]
        if self.unplaced:
            unplaced = ", ".join(f"{n:,} {what}" for what, n in sorted(self.unplaced.items()))
            lines.append(f"not stored, naming what the dump does not have: {unplaced}")
        if self.full:
            kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(self.removed_kinds.items()))
            lines.append(
                f"full dump: removed {self.titles_removed:,} titles it no longer has"
                + (f" ({kinds})" if kinds else "")
                + f" and {self.people_removed:,} people"
            )
            if self.titles_kept:
                lines.append(
                    f"kept {self.titles_kept:,} titles the dump no longer has: members' data name them"
                )
        else:
            lines.append(
                f"partial folder ({len(self.files)} of 7 files): only what its files name was updated,"
                " nothing removed"
            )
        if self.titles_held or self.people_held:
            lines.append(
                f"left as stored (named by a skipped row): {self.titles_held:,} titles,"
                f" {self.people_held:,} people"
            )
        if self.rows_skipped and self.rejects_path:
            lines.append(f"bad rows written to {self.rejects_path}")
        lines.append(f"{self.rows_read:,} rows in {self.seconds:.1f}s")
        return "\n".join(lines)


def find_dataset_files(directory: Path) -> dict[str, Path]:
    """The dataset files in ``directory`` (``.tsv.gz`` preferred to ``.tsv``), by dataset."""
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    found: dict[str, Path] = {}
    for dataset in DATASETS:
        for suffix in (".tsv.gz", ".tsv"):
            path = directory / f"{dataset}{suffix}"
            if path.is_file():
                found[dataset] = path
                break
    if not found:
        raise InputError(
            f"{directory}: no IMDb dataset files (expected e.g. title.basics.tsv.gz, name.basics.tsv.gz)"
        )
    return found


def import_imdb_datasets(
    store: Store,
    directory: str | Path,
    *,
    skip_bad_rows: bool = False,
    rejects_path: str | Path | None = None,
    progress: ImportProgress | None = None,
    workers: int | None = None,
    trace: bool = False,
) -> ImportSummary:
    """Import whichever of the seven IMDb files are in ``directory`` into ``store`` (all or nothing).

    Raises InputError (``FILE:LINE: message``) on bad input unless ``skip_bad_rows``; the store
    is then unchanged. ``workers`` caps the staging processes (default: up to 2, by input size);
    ``trace`` prints each merge statement's duration (setting ``import_trace``, for tuning).
    """
    started = time.monotonic()
    files = find_dataset_files(Path(directory))
    total = sum(p.stat().st_size for p in files.values())
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if total >= _PARALLEL_MIN_BYTES else 1
    rejects = Path(rejects_path) if rejects_path is not None and skip_bad_rows else None
    backend = _backend(store, trace)
    with backend.staging() as stage_dir:
        jobs = [backend.job(ds, path, skip_bad_rows, stage_dir) for ds, path in files.items()]
        results = _run_jobs(jobs, workers, progress)
        if rejects is not None:
            _collect_rejects(jobs, rejects)
        if progress is not None:
            progress.stage("merging into the store")
        counts = backend.merge(jobs, results, progress)
    by_dataset = {r.dataset: r for r in results}
    summary = ImportSummary(
        files=[
            FileSummary(
                ds,
                by_dataset[ds].source,
                by_dataset[ds].rows_read,
                by_dataset[ds].rows_staged,
                by_dataset[ds].rows_skipped,
            )
            for ds in DATASETS
            if ds in by_dataset
        ],
        written=counts.written,
        unplaced=counts.unplaced,
        full=counts.full,
        titles_removed=counts.titles_removed,
        removed_kinds=counts.removed_kinds,
        titles_kept=counts.titles_kept,
        people_removed=counts.people_removed,
        titles_held=counts.titles_held,
        people_held=counts.people_held,
        ids_moved=counts.ids_moved,
        rejects_path=rejects if rejects is not None and rejects.exists() else None,
    )
    summary.seconds = time.monotonic() - started
    return summary


# ------------------------------------------------------------------ staging jobs


def _run_jobs(jobs: list[StageJob], workers: int, progress: ImportProgress | None) -> list[StageResult]:
    """Stage every file: inline, or in up to ``workers`` processes (largest file first)."""
    if workers <= 1:
        results = []
        for job in jobs:
            if progress is not None:
                progress.start_file(job.source, job.path.stat().st_size)
            results.append(stage_file(job, _inline_report(job, progress)))
            if progress is not None:
                progress.finish_file(job.source)
        return results
    return _run_parallel(jobs, workers, progress)


def _inline_report(job: StageJob, progress: ImportProgress | None) -> Any:
    if progress is None:
        return None
    return lambda _ds, done, rows: progress.advance(job.source, done, rows)


def _run_parallel(jobs: list[StageJob], workers: int, progress: ImportProgress | None) -> list[StageResult]:
    """A pool of ``workers`` processes stages the files, largest first (one start-up per worker)."""
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    todo = ctx.Queue()
    for job in sorted(jobs, key=lambda j: j.path.stat().st_size, reverse=True):
        todo.put(job)
    procs = [
        ctx.Process(target=stage_worker, args=(todo, messages), daemon=True)
        for _ in range(min(workers, len(jobs)))
    ]
    for proc in procs:
        todo.put(None)  # one "no more files" per worker
        proc.start()
    by_dataset = {j.dataset: j for j in jobs}
    results: dict[str, StageResult] = {}
    try:
        while len(results) < len(jobs):
            try:
                msg = messages.get(timeout=0.5)
            except queue.Empty:
                _check_alive(procs)
                continue
            kind, ds = msg[0], msg[1]
            if kind == "start":
                if progress is not None:
                    progress.start_file(by_dataset[ds].source, by_dataset[ds].path.stat().st_size)
            elif kind == "advance":
                if progress is not None:
                    progress.advance(by_dataset[ds].source, msg[2], msg[3])
            elif kind == "done":
                results[ds] = msg[2]
                if progress is not None:
                    progress.finish_file(by_dataset[ds].source)
            elif kind == "input_error":
                raise InputError(msg[2])
            else:
                raise StoreError(f"staging {by_dataset[ds].source} failed: {msg[2]}")
    finally:
        for proc in procs:  # only our own workers, by handle
            if proc.is_alive():
                proc.kill()
            proc.join()
        messages.close()
        todo.close()
    return [results[j.dataset] for j in jobs]


def _check_alive(procs: list[Any]) -> None:
    """A worker that died without a word (killed, out of memory) fails the import."""
    for proc in procs:
        if not proc.is_alive() and proc.exitcode not in (0, None):
            raise StoreError(f"a staging worker failed (exit code {proc.exitcode})")


def _collect_rejects(jobs: list[StageJob], rejects: Path) -> None:
    """Concatenate the workers' rejects parts, in dataset order."""
    parts = [j.rejects_part for j in jobs if j.rejects_part is not None and j.rejects_part.exists()]
    if not parts:
        return
    rejects.parent.mkdir(parents=True, exist_ok=True)
    with open(rejects, "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, out)


# ------------------------------------------------------------------ backends


def _backend(store: Store, trace: bool) -> _SqliteBackend | _PgBackend:
    if store.dialect == "sqlite":
        return _SqliteBackend(store, trace)
    if store.dialect == "postgresql":
        return _PgBackend(store, trace)
    raise StoreError(f"IMDb import does not support {store.dialect}")


def _all_tables(conn: Connection) -> dict[str, list[str]]:
    insp = inspect(conn)
    return {name: [c["name"] for c in insp.get_columns(name)] for name in insp.get_table_names()}


def _finish_merge(
    conn: Connection,
    results: list[StageResult],
    counts: MergeCounts,
    built_in: Callable[[], str | None] | None = None,
) -> None:
    """Inside the merge transaction: the search index and the import record."""
    search_index.rebuild(conn, built_in)
    _record(conn, results, counts)


def _record(conn: Connection, results: list[StageResult], counts: MergeCounts) -> None:
    """The import record in ``store_meta``: rows staged per file, rows written per table."""
    record = json.dumps(
        {"files": {r.dataset: r.rows_staged for r in results}, "written": counts.written}, sort_keys=True
    )
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": META_KEY})
    conn.execute(text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": META_KEY, "v": record})


class _SqliteBackend:
    """Staging files next to the store; merge through the raw sqlite3 connection."""

    def __init__(self, store: Store, trace: bool) -> None:
        self.store = store
        self.trace = trace
        database = store.engine.url.database
        if not database or database == ":memory:" or database.startswith("file:"):
            raise StoreError("the IMDb import needs a SQLite store in a file")
        self.db_path = Path(database).expanduser().resolve()

    @contextmanager
    def staging(self) -> Iterator[Path]:
        prefix = f".{self.db_path.name}.imdb-stage-"
        for stale in self.db_path.parent.glob(prefix + "*"):
            pid = stale.name[len(prefix) :]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
        stage_dir = self.db_path.parent / f"{prefix}{os.getpid()}"
        shutil.rmtree(stage_dir, ignore_errors=True)
        stage_dir.mkdir(parents=True)
        try:
            yield stage_dir
        finally:
            shutil.rmtree(stage_dir, ignore_errors=True)

    def job(self, dataset: str, path: Path, skip: bool, stage_dir: Path) -> StageJob:
        name = STAGE_NAMES[dataset]
        return StageJob(
            dataset,
            path,
            str(path),  # messages name the file as the user gave it
            skip,
            stage_dir / f"{name}.rejects" if skip else None,
            sqlite_file=stage_dir / f"{name}.db",
        )

    def merge(
        self, jobs: list[StageJob], results: list[StageResult], progress: ImportProgress | None
    ) -> MergeCounts:
        stage = {j.dataset: f"s_{STAGE_NAMES[j.dataset]}.stage" for j in jobs}
        held = {r.dataset: f"s_{STAGE_NAMES[r.dataset]}.held" for r in results if r.rows_skipped}
        # Not BEGIN IMMEDIATE: that would lock every attached file, the one written ahead too. The
        # first statement below takes the store's write lock instead (queueing on busy_timeout alike).
        with self.store.engine.connect() as conn:
            raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
            old_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute("PRAGMA cache_size=-262144")  # 256 MiB: the b-trees being filled stay in memory
            attached = []
            ahead = self._indexes_ahead(raw, jobs, results)
            try:
                schemas = [(f"s_{STAGE_NAMES[j.dataset]}", j.sqlite_file) for j in jobs]
                for schema_name, path in [*schemas, *([("ahead", ahead.out)] if ahead else [])]:
                    raw.execute(f"ATTACH DATABASE ? AS {schema_name}", (str(path),))
                    attached.append(schema_name)
                    if schema_name != "ahead":  # copied in order: the default cache does
                        # Joins look staged rows up by key: 32 MiB each instead of the 2 MiB default.
                        raw.execute(f"PRAGMA {schema_name}.cache_size=-32768")
                with conn.begin():
                    raw.execute("DELETE FROM main.store_meta WHERE 0")  # the write lock, now
                    edited = edited_films(conn)
                    counts = merge_staged(
                        _timed(raw.execute, self.trace), "sqlite", stage, lambda: _all_tables(conn), held
                    )
                    if progress is not None:
                        progress.stage("building search indexes")
                    done = None if ahead is None else lambda: "ahead" if ahead.wait() else None
                    _finish_merge(conn, results, counts, done)
                    reapply_member_edits(conn, edited, dump_source(jobs))
            finally:
                if ahead is not None:
                    ahead.stop()
                for schema_name in attached:
                    raw.execute(f"DETACH DATABASE {schema_name}")
                raw.execute(f"PRAGMA cache_size={int(old_cache)}")
            # The WAL now holds the whole import: fold it into the database and cut the file.
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return counts

    def _indexes_ahead(
        self, raw: sqlite3.Connection, jobs: list[StageJob], results: list[StageResult]
    ) -> IndexAheadJob | None:
        """A store without titles will hold exactly the staged ones: index them during the merge."""
        files = {j.dataset: j.sqlite_file for j in jobs}
        basics = files.get("title.basics")
        staged = sum(r.rows_staged for r in results if r.dataset == "title.basics")
        # Small imports: a second process costs more than it saves. Rows skipped: titles they name
        # are held back, so the store will not hold exactly the staged titles.
        if basics is None or staged < _AHEAD_MIN_TITLES or any(r.rows_skipped for r in results):
            return None
        if raw.execute("SELECT 1 FROM titles LIMIT 1").fetchone() is not None:
            return None
        return IndexAheadJob(
            basics.parent / "indexes-ahead.db", basics, files.get("title.akas"), files.get("title.ratings")
        )


class _PgBackend:
    """Unlogged staging tables in a private schema, loaded with COPY; merged in one transaction."""

    def __init__(self, store: Store, trace: bool) -> None:
        self.store = store
        self.trace = trace
        self.schema = f"marquee_imdb_stage_{os.getpid()}"
        url = store.engine.url.set(drivername="postgresql")
        self.conninfo = url.render_as_string(hide_password=False)

    @contextmanager
    def staging(self) -> Iterator[Path]:
        import tempfile

        with self.store.engine.connect() as conn, conn.begin():
            for (stale,) in conn.execute(
                text("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'marquee_imdb_stage_%'")
            ).all():
                pid = stale.rsplit("_", 1)[-1]
                if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
                    conn.execute(text(f'DROP SCHEMA "{stale}" CASCADE'))
            conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {self.schema}"))
        try:
            with tempfile.TemporaryDirectory(prefix="marquee-imdb-") as tmp:
                yield Path(tmp)
        finally:
            with self.store.engine.connect() as conn, conn.begin():
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))

    def job(self, dataset: str, path: Path, skip: bool, stage_dir: Path) -> StageJob:
        with self.store.engine.connect() as conn, conn.begin():
            for ddl in pg_stage_ddl(dataset, self.schema):
                conn.execute(text(ddl))
        name = STAGE_NAMES[dataset]
        return StageJob(
            dataset,
            path,
            str(path),
            skip,
            stage_dir / f"{name}.rejects" if skip else None,
            pg_conninfo=self.conninfo,
            pg_schema=self.schema,
        )

    def merge(
        self, jobs: list[StageJob], results: list[StageResult], progress: ImportProgress | None
    ) -> MergeCounts:
        stage = {j.dataset: f"{self.schema}.{STAGE_NAMES[j.dataset]}" for j in jobs}
        held = {r.dataset: pg_held_table(r.dataset, self.schema) for r in results if r.rows_skipped}
        with self.store.engine.connect() as conn, conn.begin():
            raw = conn.connection.driver_connection
            assert raw is not None
            # One import at a time; a second one waits here for the first to commit.
            raw.execute("SELECT pg_advisory_xact_lock(7251986)")
            edited = edited_films(conn)
            counts = merge_staged(
                _timed(raw.execute, self.trace), "postgresql", stage, lambda: _all_tables(conn), held
            )
            if progress is not None:
                progress.stage("building search indexes")
            _finish_merge(conn, results, counts)
            reapply_member_edits(conn, edited, dump_source(jobs))
        return counts


def dump_source(jobs: list[StageJob]) -> str:
    """The source members' edits name for this dump: ``imdb-datasets:DATE`` (its newest file's date)."""
    newest = max((j.path.stat().st_mtime for j in jobs), default=time.time())
    return "imdb-datasets:" + time.strftime("%Y-%m-%d", time.gmtime(newest))


def _timed(run: Any, trace: bool) -> Any:
    """``run``, printing each statement's duration when ``trace`` (setting ``import_trace``, for tuning)."""
    if not trace:
        return run

    def traced(sql: str, *args: Any) -> Any:
        started = time.monotonic()
        result = run(sql, *args)
        print(f"[imdb-import] {time.monotonic() - started:8.2f}s {' '.join(sql.split())[:150]}", flush=True)
        return result

    return traced


def _alive(pid: int) -> bool:
    """Is a process with this id running (on this machine)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
