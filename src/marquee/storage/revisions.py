"""Revisions of films: the history of members' edits (and of re-imports over them), on an open connection.

A revision names its film by ``title_id`` and holds the sections it changed with their JSON before
and after (``old_values``/``new_values``, one JSON object each), who made it, when, its source
and note. The services (``services.editing``) decide what a change is; this module only reads and
writes the rows, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from marquee.records import Film
from marquee.storage import schema
from marquee.storage.film_io import CHUNK, batched, read_films, write_films

__all__ = [
    "StoredRevision",
    "add_revision",
    "edited_film_ids",
    "film_on",
    "films_on",
    "get_revision",
    "latest_revision",
    "pending_revisions",
    "person_on",
    "revisions_of",
    "revisions_of_films",
    "save_film_on",
    "save_films_on",
    "save_person_on",
    "set_hidden",
    "set_source",
    "set_status",
]

_R = schema.revisions
LIVE = "live"  # applied to the film; every other status is outside the film's own history
_LIVE = _R.c.status == LIVE


@dataclass(frozen=True)
class StoredRevision:
    """One row of ``revisions``, its JSON decoded."""

    id: int
    film_id: str
    user_id: int | None
    user_name: str | None
    time: dt.datetime
    fields: tuple[str, ...]
    old: dict[str, Any]
    new: dict[str, Any]
    source: str
    note: str
    hidden: bool
    base_revision: int | None
    reverts: int | None
    status: str = LIVE
    applied_as: int | None = None


def _revision(row: Any) -> StoredRevision:
    created = row.created_at
    if isinstance(created, dt.datetime) and created.tzinfo is None:  # SQLite keeps no zone: stored as UTC
        created = created.replace(tzinfo=dt.UTC)
    return StoredRevision(
        id=row.id,
        film_id=row.title_id,
        user_id=row.user_id,
        user_name=row.user_name,
        time=created,
        fields=tuple(f for f in row.fields.split(",") if f),
        old=json.loads(row.old_values),
        new=json.loads(row.new_values),
        source=row.source,
        note=row.note,
        hidden=bool(row.hidden),
        base_revision=row.base_revision,
        reverts=row.reverts,
        status=row.status,
        applied_as=row.applied_as,
    )


def film_on(conn: Connection, film_id: str) -> Film | None:
    """The stored film with this id, read on ``conn`` (inside the caller's transaction)."""
    rows = conn.execute(select(schema.titles).where(schema.titles.c.title_id == film_id)).mappings().all()
    films = read_films(conn, rows)
    return films[0] if films else None


def films_on(conn: Connection, film_ids: Sequence[str]) -> dict[str, Film]:
    """``{id: stored film}`` for those of these ids that are stored, read on ``conn``."""
    found: dict[str, Film] = {}
    for chunk in batched(list(dict.fromkeys(film_ids)), CHUNK):
        rows = conn.execute(select(schema.titles).where(schema.titles.c.title_id.in_(chunk))).mappings().all()
        found.update((film.id, film) for film in read_films(conn, rows))
    return found


PERSON_FIELDS = ("name", "birth_year", "death_year", "biography")


def person_on(conn: Connection, person_id: str) -> dict[str, Any] | None:
    """The editable fields of a stored person (``PERSON_FIELDS``), read on ``conn``; None if none."""
    people = schema.people
    columns = [people.c[name] for name in PERSON_FIELDS]
    row = conn.execute(select(*columns).where(people.c.person_id == person_id)).mappings().first()
    return dict(row) if row is not None else None


def save_person_on(conn: Connection, person_id: str, values: dict[str, Any]) -> None:
    """Write these editable fields of a stored person, on ``conn``."""
    people = schema.people
    conn.execute(update(people).where(people.c.person_id == person_id).values(**values))


def edited_film_ids(conn: Connection) -> list[str]:
    """The ids of every film that has live revisions."""
    query = select(_R.c.title_id).where(_LIVE, ~_R.c.title_id.startswith("person:")).distinct()
    query = query.order_by(_R.c.title_id)
    return [row[0] for row in conn.execute(query)]


def save_film_on(conn: Connection, film: Film) -> None:
    """Replace the stored film with ``film`` (all its parts), on ``conn``."""
    write_films(conn, [film])


def save_films_on(conn: Connection, films: Sequence[Film]) -> None:
    """Replace these stored films (all their parts), on ``conn``."""
    for chunk in batched(list(films), CHUNK):
        write_films(conn, chunk)


def latest_revision(conn: Connection, film_id: str) -> int | None:
    """The id of the film's newest live revision, or None if it has none."""
    found = conn.execute(select(func.max(_R.c.id)).where(_R.c.title_id == film_id, _LIVE)).scalar()
    return int(found) if found is not None else None


def revisions_of(
    conn: Connection, film_id: str, *, after: int | None = None, every: bool = False
) -> list[StoredRevision]:
    """The film's live revisions, oldest first (only those newer than ``after`` if given; ``every``:
    pending, approved and rejected ones too)."""
    query = select(_R).where(_R.c.title_id == film_id)
    if not every:
        query = query.where(_LIVE)
    if after is not None:
        query = query.where(_R.c.id > after)
    return [_revision(row) for row in conn.execute(query.order_by(_R.c.id))]


def revisions_of_films(conn: Connection, film_ids: Sequence[str]) -> dict[str, list[StoredRevision]]:
    """``{film id: its live revisions, oldest first}`` for those of these films that have any."""
    found: dict[str, list[StoredRevision]] = defaultdict(list)
    for chunk in batched(list(dict.fromkeys(film_ids)), CHUNK):
        for row in conn.execute(select(_R).where(_R.c.title_id.in_(chunk), _LIVE).order_by(_R.c.id)):
            found[row.title_id].append(_revision(row))
    return dict(found)


def get_revision(conn: Connection, revision_id: int) -> StoredRevision | None:
    """One revision by id, or None."""
    row = conn.execute(select(_R).where(_R.c.id == revision_id)).first()
    return _revision(row) if row is not None else None


def add_revision(
    conn: Connection,
    *,
    film_id: str,
    user_id: int | None,
    user_name: str | None,
    time: dt.datetime,
    fields: Sequence[str],
    old: dict[str, Any],
    new: dict[str, Any],
    source: str,
    note: str = "",
    base_revision: int | None = None,
    reverts: int | None = None,
    status: str = LIVE,
) -> int:
    """Insert a revision (``status`` pending: one waiting for a moderator); its id."""
    values = {
        "title_id": film_id,
        "user_id": user_id,
        "user_name": user_name,
        "created_at": time,
        "fields": ",".join(fields),
        "old_values": json.dumps(old, ensure_ascii=False, sort_keys=True),
        "new_values": json.dumps(new, ensure_ascii=False, sort_keys=True),
        "source": source,
        "note": note,
        "hidden": False,
        "base_revision": base_revision,
        "reverts": reverts,
        "status": status,
    }
    return int(conn.execute(insert(_R).values(**values).returning(_R.c.id)).scalar_one())


def set_source(conn: Connection, revision_id: int, source: str) -> None:
    """Change a revision's source (it names the revision itself, known only once inserted)."""
    conn.execute(update(_R).where(_R.c.id == revision_id).values(source=source))


def set_status(conn: Connection, revision_id: int, status: str, applied_as: int | None = None) -> None:
    """Mark a pending revision approved (applied as ``applied_as``) or rejected."""
    conn.execute(update(_R).where(_R.c.id == revision_id).values(status=status, applied_as=applied_as))


def pending_revisions(conn: Connection, *, limit: int = 200) -> list[StoredRevision]:
    """Revisions waiting in the moderation queue, oldest first."""
    query = select(_R).where(_R.c.status == "pending").order_by(_R.c.id).limit(limit)
    return [_revision(row) for row in conn.execute(query)]


def set_hidden(conn: Connection, revision_id: int, hidden: bool) -> bool:
    """Hide or show a revision's text; False if there is no such revision."""
    result = conn.execute(update(_R).where(_R.c.id == revision_id).values(hidden=hidden))
    return bool(result.rowcount)
