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
   then COMMIT (``storage.imdb_load``). See ``storage.imdb_merge`` for what the import owns and
   how ids are chosen. Into a store without titles, SQLite gets the title search index and the
   browse index built from the staging files in another process during the merge, and copies
   them in (``storage.imdb_index_ahead``).

Titles first (issue 20): a big import into a SQLite store without titles stages title.basics and
title.ratings before the other files and commits them as soon as they are staged, with a quick title
lookup (``services.imdb_titles_first``, ``storage.imdb_titles_first``, ``storage.search_prefix``):
film pages and suggestions answer while the rest is staged. The merge of the rest then commits
before the search indexes are built, in a second transaction; ``store_meta`` records the build as
*building* meanwhile (``marquee status``, ``/status``), and searches say their results may be
incomplete. If the import fails before the rest is committed, the titles are taken out again; a
process killed meanwhile leaves a *stale* build that running the import again (or ``marquee
reindex``) finishes. PostgreSQL commits the whole catalogue with the quick lookup first, then builds
the search and browse indexes aside and swaps them in (``storage.search_aside_pg``): readers are
never held by the build; a failed build leaves the catalogue in and the indexes *stale* until
``marquee reindex``. Every other import (and the catalogue) is atomic:

Atomicity: until that COMMIT the store holds exactly what it held before. A crash or
``kill -9`` during staging leaves only staging files/schemas (removed by the next import);
during the merge, SQLite's WAL (or PostgreSQL's own transaction) discards the uncommitted
work. Re-running on the same files leaves every table identical (no timestamps are stored).

Re-import (issue 20): onto a SQLite store that last imported a whole dump, a newer one is compared
line by line with hashes kept from that import, and only what changed is staged, merged and
re-indexed (``services.imdb_reimport``); the result is the same.

Full dump or partial folder (``storage.imdb_merge``): all seven files are a full dump, which removes
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

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marquee.errors import InputError, StoreError
from marquee.formats.imdb_tsv import DATASETS
from marquee.services import imdb_reimport, imdb_titles_first
from marquee.services.editing import edited_films, reapply_member_edits
from marquee.services.imdb_reimport import Hashing, with_hashes
from marquee.services.imdb_stage import STAGE_NAMES, StageJob, StageResult
from marquee.services.imdb_stage_run import ImportProgress, collect_rejects, run_jobs
from marquee.services.imdb_titles_first import EarlyTitles
from marquee.services.import_space import check_free_space
from marquee.storage import imdb_load
from marquee.storage.base import Store
from marquee.storage.imdb_index_ahead import IndexAheadJob
from marquee.storage.imdb_merge import MergeCounts

__all__ = ["FileSummary", "ImportProgress", "ImportSummary", "find_dataset_files", "import_imdb_datasets"]

META_KEY = imdb_load.META_KEY
# Below this much input, staging runs in this process (worker start-up would cost more).
_PARALLEL_MIN_BYTES = 8 << 20
# Below this many titles, the title search and browse indexes are built in the merge, not ahead.
_AHEAD_MIN_TITLES = 20_000
# Below this many titles, an import into a store without titles does not commit them first.
_TITLES_FIRST_MIN_TITLES = imdb_titles_first.MIN_TITLES
# Reported when PostgreSQL's catalogue is committed, before its search indexes are built.
CATALOGUE_IN = "titles are in: film pages and suggestions answer"


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
    check_space: bool = True,
) -> ImportSummary:
    """Import whichever of the seven IMDb files are in ``directory`` into ``store`` (all or nothing).

    Raises InputError (``FILE:LINE: message``) on bad input unless ``skip_bad_rows``; the store
    is then unchanged. ``workers`` caps the staging processes (default: up to 2, by input size);
    ``trace`` prints each merge statement's duration (setting ``import_trace``, for tuning).
    ``check_space``: refuse (StoreError) before anything is written when the SQLite store's disk
    cannot take the import (``services.import_space``).
    """
    started, began_at = time.monotonic(), _utc_now()
    files = find_dataset_files(Path(directory))
    total = sum(p.stat().st_size for p in files.values())
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if total >= _PARALLEL_MIN_BYTES else 1
    rejects = Path(rejects_path) if rejects_path is not None and skip_bad_rows else None
    backend = _backend(store, trace)
    if isinstance(backend, _SqliteBackend) and not skip_bad_rows:
        again = _reimport(backend, files, progress, started)
        if again is not None:
            return again
    if check_space and isinstance(backend, _SqliteBackend):  # the full path: staging, WAL, indexes
        db = backend.db_path
        check_free_space(db.parent, files.values(), db.stat().st_size if db.exists() else 0)
    with backend.staging() as stage_dir:
        jobs = [backend.job(ds, path, skip_bad_rows, stage_dir) for ds, path in files.items()]
        first = _early_titles(backend, jobs, progress, started)
        if isinstance(backend, _SqliteBackend) and not skip_bad_rows and set(files) == set(DATASETS):
            backend.hashing = Hashing(files, {ds: str(path) for ds, path in files.items()})
        try:
            results = run_jobs(jobs, workers, progress, first)
            if rejects is not None:
                collect_rejects(jobs, rejects)
            if progress is not None:
                progress.stage("merging into the store")
            counts = backend.merge(jobs, results, progress, first)
        except BaseException:
            if first is not None:
                first.undo()
            raise
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
    imdb_load.record_run(store, _run_record(summary, dump_source(jobs), began_at, first))
    return summary


def _reimport(
    backend: _SqliteBackend, files: dict[str, Path], progress: ImportProgress | None, started: float
) -> ImportSummary | None:
    """A newer dump onto the one the store last imported whole: only what changed (``imdb_reimport``);
    None when that cannot be done."""
    began_at = _utc_now()
    sources = {ds: str(path) for ds, path in files.items()}
    say = None if progress is None else progress.stage
    with backend.staging() as stage_dir:
        done = imdb_reimport.reimport(
            backend.store,
            files,
            stage_dir,
            sources=sources,
            hook=member_edits_hook(dump_source_of(list(files.values()))),
            trace=backend.trace,
            say=say,
        )
    if done is None:
        return None
    counts = done.counts
    summary = ImportSummary(
        files=[FileSummary(ds, sources[ds], read, staged, 0) for ds, read, staged in done.files],
        written=counts.written,
        unplaced=counts.unplaced,
        full=True,
        titles_removed=counts.titles_removed,
        removed_kinds=counts.removed_kinds,
        titles_kept=counts.titles_kept,
        people_removed=counts.people_removed,
        ids_moved=counts.ids_moved,
    )
    summary.seconds = time.monotonic() - started
    run = _run_record(summary, dump_source_of(list(files.values())), began_at, None)
    imdb_load.record_run(backend.store, run)
    return summary


def _early_titles(
    backend: _SqliteBackend | _PgBackend,
    jobs: list[StageJob],
    progress: ImportProgress | None,
    started: float,
) -> EarlyTitles | None:
    """Titles first, for SQLite (``services.imdb_titles_first``)."""
    if not isinstance(backend, _SqliteBackend):
        return None
    say = None if progress is None else progress.stage
    return EarlyTitles(
        backend.store,
        jobs,
        dump_source(jobs),
        trace=backend.trace,
        say=say,
        min_titles=_TITLES_FIRST_MIN_TITLES,
        started=started,
    )


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _run_record(
    summary: ImportSummary, dump: str, began_at: str, first: EarlyTitles | None
) -> dict[str, Any]:
    """What ``marquee status`` shows of the last import (``storage.status_rows.IMPORT_RUN_KEY``)."""
    return {
        "dump": dump,
        "started_at": began_at,
        "seconds": round(summary.seconds, 1),
        "titles_in_seconds": None if first is None or first.seconds is None else round(first.seconds, 1),
        "files": len(summary.files),
        "full": summary.full,
        "rows_read": summary.rows_read,
        "rows_skipped": summary.rows_skipped,
        "rejects": None if summary.rejects_path is None else str(summary.rejects_path),
    }


# ------------------------------------------------------------------ backends


def _backend(store: Store, trace: bool) -> _SqliteBackend | _PgBackend:
    if store.dialect == "sqlite":
        return _SqliteBackend(store, trace)
    if store.dialect == "postgresql":
        return _PgBackend(store, trace)
    raise StoreError(f"IMDb import does not support {store.dialect}")


def _staged(results: list[StageResult]) -> dict[str, int]:
    """Rows staged per file, for the import record."""
    return {r.dataset: r.rows_staged for r in results}


def _indexing(progress: ImportProgress | None) -> Callable[[], None] | None:
    return None if progress is None else lambda: progress.stage("building search indexes")


def dump_source(jobs: list[StageJob]) -> str:
    """The source members' edits name for this dump: ``imdb-datasets:DATE`` (its newest file's date)."""
    return dump_source_of([j.path for j in jobs])


def dump_source_of(paths: list[Path]) -> str:
    """``dump_source`` of these files."""
    newest = max((p.stat().st_mtime for p in paths), default=time.time())
    return "imdb-datasets:" + time.strftime("%Y-%m-%d", time.gmtime(newest))


def member_edits_hook(source: str) -> Callable[[Any], Callable[[Any], object]]:
    """Around the merge: the dump is recorded as the source of the sections it fills; the films members
    edited, read before it, get their edits back after it where the dump did not change the source's
    value (``editing.reapply_member_edits``)."""

    def before(conn: Any) -> Callable[[Any], object]:
        edited = edited_films(conn)  # read as they were (sources naming the previous dump)

        def after(conn: Any) -> object:
            imdb_load.record_dump(conn, source)  # first: the films read now name this dump
            return reapply_member_edits(conn, edited, source)

        return after

    return before


class _SqliteBackend:
    """Staging files next to the store; merge through the raw sqlite3 connection."""

    def __init__(self, store: Store, trace: bool) -> None:
        self.store = store
        self.trace = trace
        self.db_path = imdb_load.sqlite_store_file(store)
        self.hashing: Hashing | None = None  # this import's line hashes (``imdb_reimport``)

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
        self,
        jobs: list[StageJob],
        results: list[StageResult],
        progress: ImportProgress | None,
        first: EarlyTitles | None = None,
    ) -> MergeCounts:
        files = {j.dataset: j.sqlite_file for j in jobs if j.sqlite_file is not None}
        titles_first = None if first is None or first.done is None else first.done.counts

        def committed() -> None:
            if first is not None:
                first.merged = True

        return imdb_load.merge_sqlite(
            self.store,
            files,
            [r.dataset for r in results if r.rows_skipped],
            _staged(results),
            trace=self.trace,
            indexing=_indexing(progress),
            ahead=self._indexes_ahead(jobs, results),
            hook=with_hashes(member_edits_hook(dump_source(jobs)), self.hashing),
            titles_first=titles_first,
            committed=committed,
        )

    def _indexes_ahead(
        self, jobs: list[StageJob], results: list[StageResult]
    ) -> Callable[[], IndexAheadJob] | None:
        """A store without titles will hold exactly the staged ones: index them during the merge.

        What starts them, called by the merge only when the store holds no titles; None when the
        import is too small or skipped rows (the titles they name are held back, so the store will
        not hold exactly the staged titles).
        """
        files = {j.dataset: j.sqlite_file for j in jobs}
        basics = files.get("title.basics")
        staged = sum(r.rows_staged for r in results if r.dataset == "title.basics")
        # Small imports: a second process costs more than it saves.
        if basics is None or staged < _AHEAD_MIN_TITLES or any(r.rows_skipped for r in results):
            return None
        return lambda: IndexAheadJob(
            basics.parent / "indexes-ahead.db", basics, files.get("title.akas"), files.get("title.ratings")
        )


class _PgBackend:
    """Unlogged staging tables in a private schema, loaded with COPY; merged in one transaction."""

    def __init__(self, store: Store, trace: bool) -> None:
        self.store = store
        self.trace = trace
        self.schema = f"{imdb_load.PG_STAGE_PREFIX}{os.getpid()}"
        self.conninfo = imdb_load.pg_conninfo(store)

    @contextmanager
    def staging(self) -> Iterator[Path]:
        import tempfile

        imdb_load.pg_open_stage_schema(self.store, self.schema, _stale_schema)
        try:
            with tempfile.TemporaryDirectory(prefix="marquee-imdb-") as tmp:
                yield Path(tmp)
        finally:
            imdb_load.pg_drop_stage_schema(self.store, self.schema)

    def job(self, dataset: str, path: Path, skip: bool, stage_dir: Path) -> StageJob:
        imdb_load.pg_create_stage_tables(self.store, dataset, self.schema)
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
        self,
        jobs: list[StageJob],
        results: list[StageResult],
        progress: ImportProgress | None,
        first: EarlyTitles | None = None,
    ) -> MergeCounts:
        return imdb_load.merge_postgresql(
            self.store,
            self.schema,
            [j.dataset for j in jobs],
            [r.dataset for r in results if r.rows_skipped],
            _staged(results),
            trace=self.trace,
            indexing=_indexing(progress),
            hook=member_edits_hook(dump_source(jobs)),
            committed=None if progress is None else lambda: progress.stage(CATALOGUE_IN),
        )


def _stale_schema(name: str) -> bool:
    """A staging schema left by an import whose process is gone."""
    pid = name.rsplit("_", 1)[-1]
    return pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid))


def _alive(pid: int) -> bool:
    """Is a process with this id running (on this machine)?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
