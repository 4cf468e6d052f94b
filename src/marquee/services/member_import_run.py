"""How every member import runs: in one transaction, logged in ``imports``, a dry run rolled back; and the
films an export names but the store lacks, added from what the export says.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from marquee.records import Film
from marquee.records_library import ImportKind, ImportReport, MatchHow
from marquee.services.accounts import now, write_transaction
from marquee.services.library import LibraryWriter, user_id_for
from marquee.storage import member_rows
from marquee.storage.base import Store
from marquee.storage.film_io import CHUNK, batched, refresh_index, write_films
from marquee.storage.member_rows import Conn

SKIPPED_FILES = {
    "comments.csv": "comments on others' reviews are not imported",
    "profile.csv": "the profile is not imported",
}


class _DryRun(Exception):
    """Raised at the end of a dry run's work to roll its transaction back."""


# ---- the import run ------------------------------------------------------------------------------


def run_import(
    store: Store,
    kind: ImportKind,
    source: str,
    user_name: str,
    work: Callable[[LibraryWriter], None],
    *,
    dry_run: bool = False,
    prepare: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Log an import, run ``work`` with a writer in one transaction, and record its report.

    ``prepare`` runs first, outside the transaction (matching films reads the search index).
    """
    report = ImportReport(kind=kind, source=source, user=user_name, dry_run=dry_run)
    if prepare is not None:
        prepare(report)

    def transaction(conn: Conn) -> ImportReport:
        fresh = report.model_copy()  # a retried transaction starts from the same report:
        fresh.changes = {}  # only the counts are written by the work
        uid = user_id_for(conn, user_name)
        import_id = _log_import(conn, uid, kind, source, dry_run)
        fresh.import_id = import_id
        writer = LibraryWriter(conn, uid, fresh, import_id)
        work(writer)
        writer.flush()
        if dry_run:
            raise _DryRun(fresh)
        member_rows.set_import_summary(conn, import_id, _summary(fresh))
        return fresh

    try:
        return write_transaction(store, transaction)
    except _DryRun as rolled_back:
        done: ImportReport = rolled_back.args[0]

    def log(conn: Conn) -> int:
        return _log_import(conn, user_id_for(conn, user_name), kind, source, True, _summary(done))

    done.import_id = write_transaction(store, log)
    return done


def _log_import(conn: Conn, uid: int, kind: str, source: str, dry_run: bool, summary: str = "{}") -> int:
    return member_rows.log_import(conn, uid, kind, source, dry_run, now(), summary)


def _summary(report: ImportReport) -> str:
    data = report.model_dump(mode="json", include={"rows", "matched", "changes", "added_films"})
    return json.dumps(data, sort_keys=True)


def add_films(writer: LibraryWriter, films: list[Film]) -> None:
    """Add films the store lacks (recorded, so undo can take them away again)."""
    if not films:
        return
    ids: list[int] = []
    for chunk in batched(films, CHUNK):
        ids += write_films(writer.conn, chunk, index=False)
    refresh_index(writer.conn, ids)
    counts = writer.report.change("titles")
    counts.added += len(films)
    if writer.import_id is not None:
        member_rows.record_added_films(writer.conn, writer.import_id, [f.id for f in films])


def add_missing_films(writer: LibraryWriter, films: list[Film]) -> None:
    """Add those of these films the store lacks (recorded for undo)."""
    present = member_rows.existing_films(writer.conn, (f.id for f in films))
    add_films(writer, [f for f in films if f.id not in present])


def count_match(report: ImportReport, how: MatchHow) -> None:
    """Count one more row of the report matched ``how`` (by IMDb id, by title and year…)."""
    report.matched[how] = report.matched.get(how, 0) + 1
