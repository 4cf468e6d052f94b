"""Re-imports over members' edits: an import of films that members edited keeps their edits.

A section whose incoming value is what the source had before the members' edits keeps the members'
value; a section whose source value changed takes the new value, recorded as a revision with the
source named (no member: ``user`` is None). Importers call these on their own write connection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from marquee.formats.page_merge import shown_fields
from marquee.records import Film
from marquee.services.accounts import now
from marquee.services.edit_kinds import EDITABLE_FIELDS
from marquee.storage import revisions as store_revisions
from marquee.storage.revisions import StoredRevision
from marquee.storage.transactions import Conn

__all__ = ["edited_films", "keep_member_edits", "reapply_member_edits"]


def _source_value(name: str, history: Sequence[StoredRevision]) -> tuple[bool, Any]:
    """Whether a member's edit is the section's current value, and the source's value before it."""
    touching = [r for r in history if name in r.fields]
    if not touching or touching[-1].user_id is None:
        return False, None
    baseline = touching[-1].old[name]
    for revision in reversed(touching):
        if revision.user_id is None:  # an import's own revision: its value is the source's
            return True, revision.new[name]
        baseline = revision.old[name]
    return True, baseline


def keep_member_edits(
    conn: Conn, stored: Mapping[str, Film], films: Sequence[Film], source: str | Mapping[str, str]
) -> list[Film]:
    """The imported ``films`` as they should be stored, with members' edits kept (call on the import's
    write connection, before the films are written).

    For each film that members edited: a section whose incoming value is the value the source had
    before the members' edits keeps the members' value; any other section the import changes takes the
    incoming value, recorded as one revision per film with ``source`` named. Every section an import
    changes names its source (``source``, or ``source[film id]``) in the film's ``sources``.
    """
    histories = store_revisions.revisions_of_films(conn, [f.id for f in films if f.id in stored])
    result: list[Film] = []
    for film in films:
        named = source if isinstance(source, str) else source.get(film.id, "import")
        before = stored.get(film.id)
        if before is None:
            result.append(_sourced(film, EDITABLE_FIELDS, named, film))
            continue
        old, new = before.model_dump(mode="json"), film.model_dump(mode="json")
        changed = [name for name in EDITABLE_FIELDS if old[name] != new[name]]
        history = histories.get(film.id)
        if not history:
            result.append(_sourced(film, changed, named, before))
            continue
        keep: dict[str, Any] = {}
        for name in changed:
            edited, source_before = _source_value(name, history)
            if edited and new[name] == source_before:
                keep[name] = old[name]
        applied = [name for name in changed if name not in keep]
        merged = film.model_copy(update={name: getattr(before, name) for name in keep})
        merged = _sourced(merged, applied, named, before)
        if applied:
            store_revisions.add_revision(
                conn,
                film_id=film.id,
                user_id=None,
                user_name=None,
                time=now(),
                fields=applied,
                old={name: old[name] for name in applied},
                new={name: new[name] for name in applied},
                source=named,
                note="re-import",
                base_revision=history[-1].id,
            )
        result.append(merged)
    return result


def _sourced(film: Film, fields: Sequence[str], source: str, before: Film) -> Film:
    """``film`` with ``sources`` kept from ``before`` and naming ``source`` for these sections."""
    shown = shown_fields(film)  # values that say something: not empty, not the record's default
    sources = dict(before.sources)
    sources.update(film.sources)
    sources.update({name: source for name in fields if name in shown})
    return film.model_copy(update={"sources": sources})


def edited_films(conn: Conn) -> dict[str, Film]:
    """The films that have revisions, as stored now (an import calls this before it merges)."""
    return store_revisions.films_on(conn, store_revisions.edited_film_ids(conn))


def reapply_member_edits(conn: Conn, before: Mapping[str, Film], source: str) -> int:
    """After a bulk import (on its connection, before it commits): put back members' edits the import
    overwrote with the source's unchanged value, and record the source's changes as revisions
    (``keep_member_edits``). Returns how many films were written again."""
    if not before:
        return 0
    after = store_revisions.films_on(conn, list(before))
    imported = [after[film_id] for film_id in before if film_id in after]
    kept = keep_member_edits(conn, before, imported, source)
    changed = [film for film, was in zip(kept, imported, strict=True) if film != was]
    store_revisions.save_films_on(conn, changed)
    return len(changed)
