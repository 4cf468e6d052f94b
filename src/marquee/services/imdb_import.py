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

Re-import (issue 20): onto a store (either backend) that last imported a whole dump, a newer one is compared
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
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marquee.errors import InputError
from marquee.formats.imdb_tsv import DATASETS
from marquee.services import imdb_reimport, imdb_titles_first
from marquee.services.imdb_backends import (
    PgBackend,
    SqliteBackend,
    backend_for,
    dump_source,
    dump_source_of,
    member_edits_hook,
)
from marquee.services.imdb_reimport import Hashing
from marquee.services.imdb_stage import StageJob
from marquee.services.imdb_stage_run import ImportProgress, collect_rejects, run_jobs
from marquee.services.imdb_titles_first import EarlyTitles
from marquee.services.import_space import check_free_space
from marquee.storage import imdb_load
from marquee.storage.base import Store

__all__ = ["FileSummary", "ImportProgress", "ImportSummary", "find_dataset_files", "import_imdb_datasets"]

META_KEY = imdb_load.META_KEY
# Below this much input, staging runs in this process (worker start-up would cost more).
_PARALLEL_MIN_BYTES = 8 << 20
# Below this many titles, an import into a store without titles does not commit them first.
_TITLES_FIRST_MIN_TITLES = imdb_titles_first.MIN_TITLES


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
    # A re-import by difference: the titles it added, changed or removed (None: the files were
    # imported whole, so anything may have changed).
    changed_titles: frozenset[str] | None = None

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
    backend = backend_for(store, trace)
    if not skip_bad_rows:
        again = _reimport(backend, files, progress, started)
        if again is not None:
            return again
    if check_space and isinstance(backend, SqliteBackend):  # the full path: staging, WAL, indexes
        db = backend.db_path
        check_free_space(db.parent, files.values(), db.stat().st_size if db.exists() else 0)
    with backend.staging() as stage_dir:
        jobs = [backend.job(ds, path, skip_bad_rows, stage_dir) for ds, path in files.items()]
        first = _early_titles(backend, jobs, progress, started)
        hashing = None
        if not skip_bad_rows and set(files) == set(DATASETS):
            sources = {ds: str(path) for ds, path in files.items()}
            spill = backend.db_path.parent if isinstance(backend, SqliteBackend) else None
            # Once the titles are in, when they are committed first (``Hashing``); at once otherwise.
            later = first is not None and bool(first.wanted_first)
            hashing = backend.hashing = Hashing(files, sources, spill, start=not later)
            if first is not None:
                first.after = hashing.start
        try:
            results = run_jobs(jobs, workers, progress, first)
            if hashing is not None:
                hashing.start()  # at the latest
            if rejects is not None:
                collect_rejects(jobs, rejects)
            if progress is not None:
                progress.stage("merging into the store")
            counts = backend.merge(jobs, results, progress, first)
        except BaseException:
            if first is not None:
                first.undo()
            raise
        finally:
            if hashing is not None:
                hashing.close()  # stored by the merge, or not wanted any more
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
    backend: SqliteBackend | PgBackend,
    files: dict[str, Path],
    progress: ImportProgress | None,
    started: float,
) -> ImportSummary | None:
    """A newer dump onto the one the store last imported whole: only what changed (``imdb_reimport``);
    None when that cannot be done."""
    began_at = _utc_now()
    sources = {ds: str(path) for ds, path in files.items()}
    say = None if progress is None else progress.stage
    with backend.scratch() as stage_dir:
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
        changed_titles=frozenset(f"tt{number:07d}" for number in done.titles),
    )
    summary.seconds = time.monotonic() - started
    run = _run_record(summary, dump_source_of(list(files.values())), began_at, None)
    imdb_load.record_run(backend.store, run)
    return summary


def _early_titles(
    backend: SqliteBackend | PgBackend,
    jobs: list[StageJob],
    progress: ImportProgress | None,
    started: float,
) -> EarlyTitles | None:
    """Titles first, for SQLite (``services.imdb_titles_first``)."""
    if not isinstance(backend, SqliteBackend):
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
