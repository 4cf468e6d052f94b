"""A member's import undone (what it added removed, what it changed restored), and the log of imports."""

from __future__ import annotations

import json
from typing import Any

from marquee.errors import InputError, NotFound
from marquee.records_library import ImportReport, ImportRun
from marquee.services.accounts import aware, now, write_transaction
from marquee.services.library import user_id_for
from marquee.storage import member_rows
from marquee.storage.base import Store
from marquee.storage.member_rows import Conn


def _restore(conn: Conn, table: str, key: dict[str, Any], previous: Any, report: ImportReport) -> None:
    """Put one changed row back as it was before the import (delete it if it did not exist)."""
    counts = report.change(table)
    removed, updated = member_rows.restore(conn, table, key, previous)
    counts.removed += removed
    counts.updated += updated


def _remove_films(conn: Conn, film_ids: list[str], report: ImportReport) -> None:
    """Delete films an import added, unless some member's data names them now."""
    counts = report.change("titles")
    kept, removed = member_rows.remove_unreferenced_films(conn, film_ids)
    counts.unchanged += kept
    counts.removed += removed


def undo_import(store: Store, import_id: int) -> ImportReport:
    """Undo an import as a whole: its rows go, the rows it changed get their previous values back."""

    def work(conn: Conn) -> ImportReport:
        run = member_rows.import_run(conn, import_id)
        if run is None:
            raise NotFound(f"no import with id {import_id}")
        if run.dry_run:
            raise InputError(f"import {import_id} was a dry run: there is nothing to undo")
        if run.undone_at is not None:
            raise InputError(f"import {import_id} was already undone at {aware(run.undone_at).isoformat()}")
        report = ImportReport(
            import_id=import_id, kind=run.kind, source=run.source, user=run.user_name, undone=True
        )
        changes = member_rows.import_change_rows(conn, import_id)
        films: list[str] = []
        new_ratings: list[str] = []
        for change in changes:
            key = json.loads(change.row_key)
            previous = None if change.previous is None else json.loads(change.previous)
            if change.table_name == "titles":
                films.append(key["title_id"])
            elif change.table_name == "member_ratings" and previous is None:
                new_ratings.append(key["title_id"])  # deleted together below: one statement per chunk
            else:
                _restore(conn, change.table_name, key, previous, report)
        if new_ratings:
            report.change("member_ratings").removed += member_rows.delete_new_ratings(
                conn, run.user_id, new_ratings
            )
        for table, removed in member_rows.delete_import_rows(conn, import_id).items():
            report.change(table).removed += removed
        _remove_films(conn, films, report)
        member_rows.mark_undone(conn, import_id, now())
        return report

    return write_transaction(store, work)


def import_runs(store: Store, user_name: str | None = None) -> list[ImportRun]:
    """The import log, newest first (of one member, if named)."""
    with member_rows.reading(store) as conn:
        user_id = None if user_name is None else user_id_for(conn, user_name)
        rows = member_rows.import_runs(conn, user_id)
    return [
        ImportRun(
            id=r.id,
            user=r.user_name,
            kind=r.kind,
            source=r.source,
            dry_run=bool(r.dry_run),
            created_at=aware(r.created_at),
            undone_at=aware(r.undone_at) if r.undone_at else None,
            summary=json.loads(r.summary or "{}"),
        )
        for r in rows
    ]
