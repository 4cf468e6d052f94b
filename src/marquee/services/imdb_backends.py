"""Where each backend stages an IMDb import and how it merges it (``services.imdb_import`` drives both).

SQLite: one throwaway database file per input file in a folder next to the store, merged through
the raw ``sqlite3`` connection, the title search and browse indexes built ahead in another process
when the store holds no titles yet. PostgreSQL: unlogged staging tables in a private schema loaded
with ``COPY``, the catalogue committed first and the search indexes built aside. Both record the dump
as the source of the sections it fills and give members' edits back after the merge.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from marquee.errors import StoreError
from marquee.services.editing import edited_films, reapply_member_edits
from marquee.services.imdb_reimport import Hashing, with_hashes
from marquee.services.imdb_stage import STAGE_NAMES, StageJob, StageResult
from marquee.services.imdb_stage_run import ImportProgress
from marquee.services.imdb_titles_first import EarlyTitles
from marquee.storage import imdb_load
from marquee.storage.base import Store
from marquee.storage.imdb_index_ahead import IndexAheadJob
from marquee.storage.imdb_merge import MergeCounts

__all__ = [
    "AHEAD_MIN_TITLES",
    "CATALOGUE_IN",
    "PgBackend",
    "SqliteBackend",
    "backend_for",
    "dump_source",
    "dump_source_of",
    "member_edits_hook",
]

# Below this many titles, the title search and browse indexes are built in the merge, not ahead.
AHEAD_MIN_TITLES = 20_000
# Reported when PostgreSQL's catalogue is committed, before its search indexes are built.
CATALOGUE_IN = "titles are in: film pages and suggestions answer"


def backend_for(store: Store, trace: bool) -> SqliteBackend | PgBackend:
    """The staging and merge of this store's backend."""
    if store.dialect == "sqlite":
        return SqliteBackend(store, trace)
    if store.dialect == "postgresql":
        return PgBackend(store, trace)
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


class SqliteBackend:
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

    def scratch(self) -> AbstractContextManager[Path]:
        """A folder for a re-import's files: the staging folder (next to the store, on its disk)."""
        return self.staging()

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
        if basics is None or staged < AHEAD_MIN_TITLES or any(r.rows_skipped for r in results):
            return None
        return lambda: IndexAheadJob(
            basics.parent / "indexes-ahead.db", basics, files.get("title.akas"), files.get("title.ratings")
        )


class PgBackend:
    """Unlogged staging tables in a private schema, loaded with COPY; merged in one transaction."""

    def __init__(self, store: Store, trace: bool) -> None:
        self.store = store
        self.trace = trace
        self.hashing: Hashing | None = None  # this import's line hashes (``imdb_reimport``)
        self.schema = f"{imdb_load.PG_STAGE_PREFIX}{os.getpid()}"
        self.conninfo = imdb_load.pg_conninfo(store)

    @contextmanager
    def staging(self) -> Iterator[Path]:
        imdb_load.pg_open_stage_schema(self.store, self.schema, _stale_schema)
        try:
            with self.scratch() as folder:
                yield folder
        finally:
            imdb_load.pg_drop_stage_schema(self.store, self.schema)

    @contextmanager
    def scratch(self) -> Iterator[Path]:
        """A folder for files only (a re-import stages its changed keys in SQLite files, then copies
        them into a schema of its own inside the merge's transaction: no staging schema here)."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="marquee-imdb-") as tmp:
            yield Path(tmp)

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
            hook=with_hashes(member_edits_hook(dump_source(jobs)), self.hashing),
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
