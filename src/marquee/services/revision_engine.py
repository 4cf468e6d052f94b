"""The revision engine: one way to edit any kind of thing (films, people) with history and moderation.

Every call names its ``Kind`` (``services.edit_kinds``). A change that changes something is a
revision: who, when, which sections, their JSON before and after, the source (``member:REVISION``
unless given) and a note. Optimistic concurrency: an edit may name the revision it was based on; if
the thing has a newer one, ``EditConflict`` carries what changed since and what the edit would
change. A new member's edit may wait as a *pending* revision that changes nothing until a moderator
approves it (``services.edit_moderation``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marquee.errors import NotFound
from marquee.records_community import User
from marquee.services.accounts import FieldError, now
from marquee.services.edit_kinds import Kind
from marquee.services.edit_records import EditConflict, Revision, public
from marquee.storage import revisions as store_revisions
from marquee.storage.base import Store
from marquee.storage.revisions import LIVE, StoredRevision
from marquee.storage.transactions import Conn, transaction

__all__ = [
    "MEMBER_SOURCE",
    "PENDING",
    "Change",
    "apply",
    "changed_since",
    "check_note",
    "check_source",
    "current",
    "history",
    "one_revision",
    "read_thing",
    "revert_sections",
    "revision",
    "write",
]

T = TypeVar("T")
R = TypeVar("R")
MEMBER_SOURCE = "member"
PENDING = "pending"
SectionsFor = Callable[[Conn, Any], Mapping[str, Any]]  # the sections to write, given the thing as read


def check_source(source: str | None) -> str | None:
    """A source as given (one line, 1 to 500 characters), or None for ``member:REVISION``."""
    if source is None:
        return None
    source = source.strip()
    if not source or len(source) > 500 or any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in source):
        raise FieldError("source", "must be one line of text, 1 to 500 characters")
    return source


def check_note(note: str | None) -> str:
    """A note (or a moderator's reason) as given: text of at most 2,000 characters."""
    note = (note or "").strip()
    if len(note) > 2000 or any(ord(c) < 32 and c not in "\n\t" for c in note):
        raise FieldError("note", "must be text of at most 2,000 characters")
    return note


# --- edits ------------------------------------------------------------------------------------------------


def apply(
    store: Store,
    kind: Kind[T, R],
    thing_id: str,
    sections_for: SectionsFor,
    member: User,
    *,
    note: str,
    source: str | None,
    base_revision: int | None = None,
    reverts: int | None = None,
    pending: bool = False,
) -> R:
    """Write the sections ``sections_for`` gives as one revision by ``member`` (``pending``: queued)."""

    def work(conn: Conn) -> R:
        thing = read_thing(conn, kind, thing_id)
        sections = sections_for(conn, thing)
        latest = store_revisions.latest_revision(conn, kind.key(thing_id))
        if base_revision is not None:
            _check_base(conn, kind, thing_id, kind.sections(thing), sections, base_revision, latest)
        after = kind.patched(thing_id, thing, sections)
        fields = kind.changed(thing, after, list(sections))
        if not fields:
            return kind.result(thing_id, thing, None, False)
        change = Change(kind, thing_id, thing, after, fields)
        by: dict[str, Any] = {"user_id": member.id, "user_name": member.name, "source": source, "note": note}
        base = base_revision if base_revision is not None else latest
        if pending:
            stored, revision_id = thing, _add(conn, change, **by, base=base, status=PENDING)
        else:
            stored, revision_id = write(conn, change, **by, base=base, reverts=reverts)
        made = store_revisions.get_revision(conn, revision_id)
        assert made is not None
        return kind.result(thing_id, stored, public(made, member), pending)

    return transaction(store, work)


def read_thing(conn: Conn, kind: Kind[T, Any], thing_id: str) -> T:
    thing = kind.read(conn, thing_id)
    if thing is None:
        raise NotFound(f"no {kind.noun} with id {thing_id!r}")
    return thing


@dataclass(frozen=True)
class Change(Generic[T]):
    """An edit about to be stored: the thing before and after, and the sections it changes."""

    kind: Kind[T, Any]
    thing_id: str
    before: T
    after: T
    fields: list[str]


def _add(
    conn: Conn,
    change: Change[Any],
    *,
    user_id: int | None,
    user_name: str | None,
    source: str | None,
    note: str,
    base: int | None,
    reverts: int | None = None,
    status: str = LIVE,
) -> int:
    """Insert the revision of the change (its sections' JSON before and after); its id."""
    kind, fields = change.kind, change.fields
    old, new = kind.sections(change.before), kind.sections(change.after)
    return store_revisions.add_revision(
        conn,
        film_id=kind.key(change.thing_id),
        user_id=user_id,
        user_name=user_name,
        time=now(),
        fields=fields,
        old={name: old[name] for name in fields},
        new={name: new[name] for name in fields},
        source=source or MEMBER_SOURCE,
        note=note,
        base_revision=base,
        reverts=reverts,
        status=status,
    )


def write(conn: Conn, change: Change[T], **revision: Any) -> tuple[T, int]:
    """Store the change (its sections naming their source) with a live revision (``_add``'s
    arguments); the thing as stored and the revision's id."""
    revision_id = _add(conn, change, **revision)
    source = revision["source"]
    named = source or f"{MEMBER_SOURCE}:{revision_id}"
    if source is None:
        store_revisions.set_source(conn, revision_id, named)
    return change.kind.save(conn, change.thing_id, change.after, change.fields, named), revision_id


def changed_since(conn: Conn, key: str, base: int) -> list[dict[str, Any]]:
    since = store_revisions.revisions_of(conn, key, after=base)
    return [{"id": r.id, "user": r.user_name, "fields": list(r.fields), "source": r.source} for r in since]


def _check_base(
    conn: Conn,
    kind: Kind[Any, Any],
    thing_id: str,
    current: Mapping[str, Any],
    sections: Mapping[str, Any],
    base: int,
    latest: int | None,
) -> None:
    """Refuse an edit based on an older revision than the newest (EditConflict carries the diff)."""
    if base < 0:
        raise FieldError("base_revision", "must be ≥ 0")
    if base == (latest or 0):
        return
    key = kind.key(thing_id)
    if base != 0:
        found = store_revisions.get_revision(conn, base)
        if found is None or found.film_id != key:
            raise FieldError("base_revision", f"{base} is not a revision of {thing_id}")
    since = changed_since(conn, key, base)
    diff = {
        "base_revision": base,
        "current_revision": latest,
        "changed_since": since,
        "fields": {
            name: {"current": current.get(name), "yours": value}
            for name, value in sections.items()
            if name in current
        },
    }
    raise EditConflict(
        f"base_revision: {base} is stale: {thing_id} is at revision {latest} "
        f"({len(since)} newer revision{'s' if len(since) != 1 else ''}); merge and retry",
        diff,
    )


def revert_sections(
    kind: Kind[Any, Any], thing_id: str, revision_id: int, *, undo: bool, fields: Sequence[str]
) -> SectionsFor:
    """What ``apply`` writes to put the thing back to its state after ``revision_id`` (``undo``: before
    it); only these ``fields`` if given. FieldError: another thing's revision, one never applied."""
    for name in fields:
        if name not in kind.fields:
            raise FieldError("field", f"{name!r} is not a section (sections: {', '.join(kind.fields)})")
    key = kind.key(thing_id)

    def sections_for(conn: Conn, thing: Any) -> dict[str, Any]:
        target = store_revisions.get_revision(conn, revision_id)
        if target is None:
            raise NotFound(f"no revision {revision_id}")
        if target.film_id != key:
            raise FieldError(
                "revision", f"revision {revision_id} is a revision of {target.film_id}, not of {thing_id}"
            )
        if target.status != LIVE:
            raise FieldError("revision", f"revision {revision_id} is {target.status}: it was never applied")
        sections: dict[str, Any] = {}
        if undo:
            sections = {name: target.old[name] for name in target.fields}
        else:
            for later in store_revisions.revisions_of(conn, key, after=revision_id):
                for name in later.fields:
                    sections.setdefault(name, later.old[name])
        return {k: v for k, v in sections.items() if k in fields} if fields else sections

    return sections_for


# --- history ----------------------------------------------------------------------------------------------


def history(
    store: Store, kind: Kind[Any, Any], thing_id: str, viewer: User | None = None, *, diffs: bool = False
) -> list[Revision]:
    """The thing's revisions, newest first, each with its diff if ``diffs`` (NotFound if there is no
    such thing and no history)."""
    with store.reading() as conn:
        found = store_revisions.revisions_of(conn, kind.key(thing_id), every=True)
        if not found:
            read_thing(conn, kind, thing_id)
    return [public(r, viewer, detail=diffs) for r in reversed(found)]


def current(store: Store, kind: Kind[Any, Any], thing_id: str) -> int:
    """The id of the thing's newest live revision, 0 if none (an edit form's ``base_revision``)."""
    with store.reading() as conn:
        return store_revisions.latest_revision(conn, kind.key(thing_id)) or 0


def one_revision(conn: Conn, kind: Kind[Any, Any], thing_id: str, revision_id: int) -> StoredRevision:
    found = store_revisions.get_revision(conn, revision_id)
    if found is None or found.film_id != kind.key(thing_id):
        raise NotFound(f"no revision {revision_id} of {thing_id!r}")
    return found


def revision(
    store: Store, kind: Kind[Any, Any], thing_id: str, revision_id: int, viewer: User | None = None
) -> Revision:
    """One revision of the thing with its readable diff (NotFound if it is not one of the thing's)."""
    with store.reading() as conn:
        found = one_revision(conn, kind, thing_id, revision_id)
    return public(found, viewer, detail=True)
