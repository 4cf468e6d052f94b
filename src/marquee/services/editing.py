"""Members edit films: patches, revisions, history, diffs, revert, hiding, and re-imports over edits.

A patch is a partial film record (the JSON keys of ``marquee show ID --format json``) whose
top-level keys replace those sections. The whole film, patched, is validated by the ``Film``
model, so a bad value is refused with its field named, and nothing is stored. Every change that
changes something is a revision: who, when, which sections, their JSON before and after, the source
(``member:REVISION`` unless given) and a note. The film's ``sources`` name the new source for each
changed section.

Optimistic concurrency: an edit may name the revision it was based on (``base_revision``; 0 for a
film without revisions). If the film has a newer revision, the edit is refused with
``EditConflict``, which carries what changed since and what the edit would change (HTTP 409):
nothing is lost, the editor merges and retries.

Re-imports (``keep_member_edits``): when an import brings a film that members edited, a section
whose incoming value is what the source had before the members' edits keeps the members' value;
a section whose source value changed takes the new value as a revision with the source named.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from marquee.errors import InputError, NotFound
from marquee.formats.page_merge import shown_fields
from marquee.records import Film, Person, describe_error
from marquee.records_community import User
from marquee.services.accounts import (
    FieldError,
    Forbidden,
    edit_needs_review,
    get_user,
    now,
)
from marquee.storage import revisions as store_revisions
from marquee.storage.base import Store
from marquee.storage.revisions import StoredRevision
from marquee.storage.transactions import transaction

__all__ = [
    "EDITABLE_FIELDS",
    "DiffLine",
    "EditConflict",
    "EditResult",
    "FieldDiff",
    "Revision",
    "apply_patch",
    "approve_revision",
    "current_person_revision",
    "current_revision",
    "edit_film",
    "edit_person",
    "edited_films",
    "film_history",
    "get_revision",
    "hide_revision",
    "keep_member_edits",
    "pending_edits",
    "person_history",
    "read_patch",
    "reapply_member_edits",
    "reject_revision",
    "revert",
]

# Every section of the record but its id and the sources (which edits keep themselves).
EDITABLE_FIELDS: tuple[str, ...] = tuple(name for name in Film.model_fields if name not in ("id", "sources"))
MEMBER_SOURCE = "member"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
_HIDDEN_TEXT = "(hidden by a moderator)"


class EditConflict(InputError):
    """The edit was based on an older revision than the film's newest (HTTP 409); carries the diff."""

    status = 409

    def __init__(self, message: str, diff: dict[str, Any]) -> None:
        super().__init__(message)
        self.diff = diff


class DiffLine(BaseModel):
    """One line of a readable diff: ``-`` removed, ``+`` added, `` `` kept."""

    op: str
    text: str


class FieldDiff(BaseModel):
    """What one revision did to one section."""

    field: str
    old: Any = None
    new: Any = None
    lines: list[DiffLine] = Field(default_factory=list)


class Revision(BaseModel):
    """One revision as shown in a film's history."""

    model_config = ConfigDict(extra="forbid")

    id: int
    film_id: str
    user: str | None = Field(description="the member, or None for an import")
    time: dt.datetime
    fields: list[str]
    source: str
    note: str
    hidden: bool = False
    base_revision: int | None = None
    reverts: int | None = None
    status: str = Field(default="live", description="live, pending (waits for review), approved, rejected")
    applied_as: int | None = Field(default=None, description="the live revision an approval made")
    diff: list[FieldDiff] | None = Field(default=None, description="per section (detail only)")


class EditResult(BaseModel):
    """What an edit did: the film as stored and the revision it made (None: nothing changed)."""

    film: Film
    revision: Revision | None
    pending: bool = Field(default=False, description="the revision waits for a moderator's review")


# --- reading a patch -----------------------------------------------------------------------------------


def read_patch(data: object, *, where: str = "patch") -> dict[str, Any]:
    """The sections of a patch, checked by name (values are checked with the film): InputError names
    the unknown key."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: a patch is a JSON object of film sections")
    for key in data:
        if key == "id" or key == "sources":
            raise FieldError(str(key), f"cannot be edited (editable: {', '.join(EDITABLE_FIELDS)})")
        if key not in EDITABLE_FIELDS:
            raise FieldError(str(key), f"unknown field (editable: {', '.join(EDITABLE_FIELDS)})")
    return dict(data)


def _patched(film: Film, patch: Mapping[str, Any]) -> Film:
    """The film with the patch's sections replaced, validated whole (FieldError names the field)."""
    data = film.model_dump(mode="json")
    data.update(patch)
    try:
        return Film.model_validate(data)
    except ValidationError as err:
        message = describe_error(err)
        field, _, reason = message.partition(": ")
        raise FieldError(field, reason or message) from None


def _sections(film: Film) -> dict[str, Any]:
    return film.model_dump(mode="json")


def _changed(before: Film, after: Film, fields: Sequence[str]) -> list[str]:
    old, new = _sections(before), _sections(after)
    return [name for name in EDITABLE_FIELDS if name in fields and old[name] != new[name]]


# --- edits ---------------------------------------------------------------------------------------------


def _public(revision: StoredRevision, viewer: User | None = None, *, detail: bool = False) -> Revision:
    hidden = revision.hidden and not (viewer is not None and viewer.is_moderator)
    diff = None
    if detail:
        diff = [
            FieldDiff(field=name, old=None, new=None, lines=[DiffLine(op=" ", text=_HIDDEN_TEXT)])
            if hidden
            else field_diff(name, revision.old.get(name), revision.new.get(name))
            for name in revision.fields
        ]
    return Revision(
        id=revision.id,
        film_id=revision.film_id,
        user=revision.user_name,
        time=revision.time,
        fields=list(revision.fields),
        source=revision.source,
        note=_HIDDEN_TEXT if hidden and revision.note else revision.note,
        hidden=revision.hidden,
        base_revision=revision.base_revision,
        reverts=revision.reverts,
        status=revision.status,
        applied_as=revision.applied_as,
        diff=diff,
    )


def _member(store: Store, user: User | str) -> User:
    if isinstance(user, User):
        return user
    found = get_user(store, user)
    if found is None:
        raise NotFound(f"no member named {user!r}")
    return found


def _check_source(source: str | None) -> str | None:
    if source is None:
        return None
    source = source.strip()
    if not source or len(source) > 500 or any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in source):
        raise FieldError("source", "must be one line of text, 1 to 500 characters")
    return source


def _check_note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > 2000 or any(ord(c) < 32 and c not in "\n\t" for c in note):
        raise FieldError("note", "must be text of at most 2,000 characters")
    return note


def edit_film(
    store: Store,
    film_id: str,
    patch: Mapping[str, Any],
    user: User | str,
    *,
    note: str | None = None,
    source: str | None = None,
    base_revision: int | None = None,
    queue_edits: bool = False,
    queue_days: int = 0,
) -> EditResult:
    """Apply a patch (sections to replace) as ``user``; one revision if it changes anything.

    With ``queue_edits`` (setting ``edit_queue``), a member younger than ``queue_days`` days (and
    not an editor) makes a *pending* revision instead: the film is unchanged until a moderator
    approves it (``approve_revision``); ``EditResult.pending`` says so.

    Raises FieldError (unknown key, a value the record refuses: the field named), NotFound (no such
    film), EditConflict (``base_revision`` is older than the film's newest revision).
    """
    sections = read_patch(patch)
    member = _member(store, user)
    return _apply(
        store,
        film_id,
        lambda conn, film: sections,
        member,
        note=_check_note(note),
        source=_check_source(source),
        base_revision=base_revision,
        pending=edit_needs_review(member, queue_edits=queue_edits, queue_days=queue_days),
    )


apply_patch = edit_film


def _apply(
    store: Store,
    film_id: str,
    sections_for: Any,
    member: User,
    *,
    note: str,
    source: str | None,
    base_revision: int | None = None,
    reverts: int | None = None,
    pending: bool = False,
) -> EditResult:
    def work(conn: Any) -> EditResult:
        film = store_revisions.film_on(conn, film_id)
        if film is None:
            raise NotFound(f"no film with id {film_id!r}")
        sections = sections_for(conn, film)
        latest = store_revisions.latest_revision(conn, film_id)
        if base_revision is not None:
            _check_base(conn, film, sections, base_revision, latest)
        after = _patched(film, sections)
        fields = _changed(film, after, list(sections))
        if not fields:
            return EditResult(film=film, revision=None)
        base = base_revision if base_revision is not None else latest
        if pending:
            old, new = _sections(film), _sections(after)
            revision_id = store_revisions.add_revision(
                conn,
                film_id=film_id,
                user_id=member.id,
                user_name=member.name,
                time=now(),
                fields=fields,
                old={name: old[name] for name in fields},
                new={name: new[name] for name in fields},
                source=source or MEMBER_SOURCE,
                note=note,
                base_revision=base,
                status=PENDING,
            )
            stored = film
        else:
            stored, revision_id = _write_revision(
                conn, film, after, fields, member.id, member.name, source, note, base, reverts
            )
        revision = store_revisions.get_revision(conn, revision_id)
        assert revision is not None
        return EditResult(film=stored, revision=_public(revision, member), pending=pending)

    return transaction(store, work)


def _write_revision(
    conn: Any,
    film: Film,
    after: Film,
    fields: Sequence[str],
    user_id: int | None,
    user_name: str | None,
    source: str | None,
    note: str,
    base: int | None,
    reverts: int | None = None,
) -> tuple[Film, int]:
    """Store ``after`` (the changed ``fields`` naming their source) with a live revision; both."""
    old, new = _sections(film), _sections(after)
    revision_id = store_revisions.add_revision(
        conn,
        film_id=film.id,
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
    )
    named = source or f"{MEMBER_SOURCE}:{revision_id}"
    if source is None:
        store_revisions.set_source(conn, revision_id, named)
    stored = after.model_copy(update={"sources": {**after.sources, **dict.fromkeys(fields, named)}})
    store_revisions.save_film_on(conn, stored)
    return stored, revision_id


def _check_base(conn: Any, film: Film, sections: Mapping[str, Any], base: int, latest: int | None) -> None:
    """Refuse an edit based on an older revision than the newest (EditConflict carries the diff)."""
    if base < 0:
        raise FieldError("base_revision", "must be ≥ 0")
    if base == (latest or 0):
        return
    if base != 0:
        found = store_revisions.get_revision(conn, base)
        if found is None or found.film_id != film.id:
            raise FieldError("base_revision", f"{base} is not a revision of {film.id}")
    since = store_revisions.revisions_of(conn, film.id, after=base)
    current = _sections(film)
    diff = {
        "base_revision": base,
        "current_revision": latest,
        "changed_since": [
            {"id": r.id, "user": r.user_name, "fields": list(r.fields), "source": r.source} for r in since
        ],
        "fields": {
            name: {"current": current.get(name), "yours": value}
            for name, value in sections.items()
            if name in current
        },
    }
    raise EditConflict(
        f"base_revision: {base} is stale: {film.id} is at revision {latest} "
        f"({len(since)} newer revision{'s' if len(since) != 1 else ''}); merge and retry",
        diff,
    )


# --- history and revisions ------------------------------------------------------------------------------


def film_history(
    store: Store, film_id: str, viewer: User | None = None, *, diffs: bool = False
) -> list[Revision]:
    """The film's revisions, newest first, each with its diff if ``diffs`` (NotFound if there is no
    such film and no history)."""
    with store_revisions.reading(store) as conn:
        found = store_revisions.revisions_of(conn, film_id, every=True)
        if not found and store_revisions.film_on(conn, film_id) is None:
            raise NotFound(f"no film with id {film_id!r}")
    return [_public(r, viewer, detail=diffs) for r in reversed(found)]


def current_revision(store: Store, film_id: str) -> int:
    """The id of the film's newest revision, 0 if it has none (an edit form's ``base_revision``)."""
    with store_revisions.reading(store) as conn:
        return store_revisions.latest_revision(conn, film_id) or 0


def get_revision(store: Store, film_id: str, revision_id: int, viewer: User | None = None) -> Revision:
    """One revision of the film with its readable diff (NotFound if it is not one of the film's)."""
    with store_revisions.reading(store) as conn:
        found = store_revisions.get_revision(conn, revision_id)
    if found is None or found.film_id != film_id:
        raise NotFound(f"no revision {revision_id} of {film_id!r}")
    return _public(found, viewer, detail=True)


def _item_text(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        if set(item) == {"lines"} and isinstance(item["lines"], list):  # a quote
            return " / ".join(_item_text(line) for line in item["lines"])
        parts = [f"{k}: {v}" for k, v in item.items() if v not in (None, "", [], {})]
        return ", ".join(_item_text(p) if not isinstance(p, str) else p for p in parts)
    return json.dumps(item, ensure_ascii=False)


def field_diff(name: str, old: Any, new: Any) -> FieldDiff:
    """A readable diff of one section: list items removed and added, or the value before and after."""
    lines: list[DiffLine] = []
    if isinstance(old, list) and isinstance(new, list):
        a, b = [_item_text(x) for x in old], [_item_text(x) for x in new]
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                lines += [DiffLine(op=" ", text=t) for t in a[i1:i2]]
                continue
            lines += [DiffLine(op="-", text=t) for t in a[i1:i2]]
            lines += [DiffLine(op="+", text=t) for t in b[j1:j2]]
    else:
        if old not in (None, "", [], {}):
            lines.append(DiffLine(op="-", text=_item_text(old)))
        if new not in (None, "", [], {}):
            lines.append(DiffLine(op="+", text=_item_text(new)))
    return FieldDiff(field=name, old=old, new=new, lines=lines)


def revert(
    store: Store,
    film_id: str,
    revision_id: int,
    user: User | str,
    *,
    undo: bool = False,
    note: str = "",
    fields: Sequence[str] = (),
) -> EditResult:
    """Put the film's sections back to their state after ``revision_id`` (``undo``: before it), as a
    new revision; only these ``fields`` if given. Raises FieldError if the revision is another film's
    or a field is unknown, NotFound if there is no such revision."""
    member = _member(store, user)
    for name in fields:
        if name not in EDITABLE_FIELDS:
            raise FieldError("field", f"{name!r} is not a section (sections: {', '.join(EDITABLE_FIELDS)})")

    def sections_for(conn: Any, film: Film) -> dict[str, Any]:
        target = store_revisions.get_revision(conn, revision_id)
        if target is None:
            raise NotFound(f"no revision {revision_id}")
        if target.film_id != film_id:
            raise FieldError(
                "revision", f"revision {revision_id} is a revision of {target.film_id}, not of {film_id}"
            )
        if target.status != store_revisions.LIVE:
            raise FieldError("revision", f"revision {revision_id} is {target.status}: it was never applied")
        sections: dict[str, Any] = {}
        if undo:
            sections = {name: target.old[name] for name in target.fields}
        else:
            for later in store_revisions.revisions_of(conn, film_id, after=revision_id):
                for name in later.fields:
                    sections.setdefault(name, later.old[name])
        return {k: v for k, v in sections.items() if k in fields} if fields else sections

    default = f"undo revision {revision_id}" if undo else f"revert to revision {revision_id}"
    return _apply(
        store,
        film_id,
        sections_for,
        member,
        note=_check_note(note) or default,
        source=None,
        reverts=revision_id,
    )


def hide_revision(
    store: Store, film_id: str, revision_id: int, moderator: User, *, hidden: bool = True, reason: str = ""
) -> Revision:
    """Hide (or show again) a revision's text; moderators only, and logged."""
    if not moderator.is_moderator:
        raise Forbidden("only moderators may hide a revision")

    def work(conn: Any) -> Revision:
        found = store_revisions.get_revision(conn, revision_id)
        if found is None or found.film_id != film_id:
            raise NotFound(f"no revision {revision_id} of {film_id!r}")
        store_revisions.set_hidden(conn, revision_id, hidden)
        store_revisions.log_moderation(
            conn,
            moderator_id=moderator.id,
            moderator_name=moderator.name,
            action="hide" if hidden else "restore",
            target="revision",
            target_id=str(revision_id),
            reason=_check_note(reason),
            time=now(),
        )
        changed = store_revisions.get_revision(conn, revision_id)
        assert changed is not None
        return _public(changed, moderator, detail=True)

    return transaction(store, work)


# --- people ------------------------------------------------------------------------------------------

PERSON_FIELDS: tuple[str, ...] = store_revisions.PERSON_FIELDS
PERSON_PREFIX = "person:"  # a person's revisions name ``person:ID`` where a film's name its id


class PersonEditResult(BaseModel):
    """What an edit of a person did: their editable fields as stored and the revision (None: nothing
    changed); ``pending``: it waits for a moderator and nothing changed yet."""

    person_id: str
    person: dict[str, Any]
    revision: Revision | None
    pending: bool = False


def read_person_patch(data: object, *, where: str = "patch") -> dict[str, Any]:
    """The fields of a person patch, checked by name: FieldError names an unknown key."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: a patch is a JSON object of a person's fields")
    for key in data:
        if key not in PERSON_FIELDS:
            raise FieldError(str(key), f"unknown or not editable (editable: {', '.join(PERSON_FIELDS)})")
    return dict(data)


def _person_patched(person_id: str, current: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    try:
        person = Person.model_validate({**current, **patch, "id": person_id})
    except ValidationError as err:
        message = describe_error(err)
        field, _, reason = message.partition(": ")
        raise FieldError(field, reason or message) from None
    return {name: getattr(person, name) for name in PERSON_FIELDS}


def _apply_person(
    conn: Any,
    person_id: str,
    patch: Mapping[str, Any],
    user_id: int | None,
    user_name: str | None,
    *,
    source: str | None,
    note: str,
    base_revision: int | None,
    status: str = store_revisions.LIVE,
) -> tuple[dict[str, Any], int | None]:
    """Apply (or queue) a person patch on ``conn``: the fields as stored after it, and the revision."""
    key = PERSON_PREFIX + person_id
    current = store_revisions.person_on(conn, person_id)
    if current is None:
        raise NotFound(f"no person with id {person_id!r}")
    latest = store_revisions.latest_revision(conn, key)
    if base_revision is not None and base_revision != (latest or 0):
        raise EditConflict(
            f"base_revision: {base_revision} is stale: {person_id} is at revision {latest}; merge and retry",
            {
                "base_revision": base_revision,
                "current_revision": latest,
                "fields": {name: {"current": current.get(name), "yours": v} for name, v in patch.items()},
            },
        )
    after = _person_patched(person_id, current, patch)
    fields = [name for name in PERSON_FIELDS if name in patch and after[name] != current[name]]
    if not fields:
        return current, None
    revision_id = store_revisions.add_revision(
        conn,
        film_id=key,
        user_id=user_id,
        user_name=user_name,
        time=now(),
        fields=fields,
        old={name: current[name] for name in fields},
        new={name: after[name] for name in fields},
        source=source or MEMBER_SOURCE,
        note=note,
        base_revision=base_revision if base_revision is not None else latest,
        status=status,
    )
    if status != store_revisions.LIVE:
        return current, revision_id
    if source is None:
        store_revisions.set_source(conn, revision_id, f"{MEMBER_SOURCE}:{revision_id}")
    store_revisions.save_person_on(conn, person_id, {name: after[name] for name in fields})
    return after, revision_id


def edit_person(
    store: Store,
    person_id: str,
    patch: Mapping[str, Any],
    user: User | str,
    *,
    note: str | None = None,
    source: str | None = None,
    base_revision: int | None = None,
    queue_edits: bool = False,
    queue_days: int = 0,
) -> PersonEditResult:
    """Edit a person's name, birth and death years or biography as ``user``: one revision (of
    ``person:ID``) if it changes anything; queued like a film's edit (``edit_film``)."""
    fields = read_person_patch(patch)
    member = _member(store, user)
    checked_note, checked_source = _check_note(note), _check_source(source)
    pending = edit_needs_review(member, queue_edits=queue_edits, queue_days=queue_days)

    def work(conn: Any) -> PersonEditResult:
        after, revision_id = _apply_person(
            conn,
            person_id,
            fields,
            member.id,
            member.name,
            source=checked_source,
            note=checked_note,
            base_revision=base_revision,
            status=PENDING if pending else store_revisions.LIVE,
        )
        found = store_revisions.get_revision(conn, revision_id) if revision_id is not None else None
        revision = _public(found, member) if found is not None else None
        return PersonEditResult(
            person_id=person_id, person=after, revision=revision, pending=pending and revision is not None
        )

    return transaction(store, work)


def current_person_revision(store: Store, person_id: str) -> int:
    """The id of the person's newest live revision, 0 if none (an edit form's ``base_revision``)."""
    with store_revisions.reading(store) as conn:
        return store_revisions.latest_revision(conn, PERSON_PREFIX + person_id) or 0


def person_history(
    store: Store, person_id: str, viewer: User | None = None, *, diffs: bool = False
) -> list[Revision]:
    """The person's revisions, newest first (NotFound if there is no such person)."""
    with store_revisions.reading(store) as conn:
        if store_revisions.person_on(conn, person_id) is None:
            raise NotFound(f"no person with id {person_id!r}")
        found = store_revisions.revisions_of(conn, PERSON_PREFIX + person_id, every=True)
    return [_public(r, viewer, detail=diffs) for r in reversed(found)]


# --- the moderation queue ------------------------------------------------------------------------------


def pending_edits(store: Store, moderator: User, *, limit: int = 200) -> list[Revision]:
    """Edits waiting for review, oldest first, each with its diff (moderators only)."""
    if not moderator.is_moderator:
        raise Forbidden("only moderators may see the edits waiting for review")
    with store_revisions.reading(store) as conn:
        found = store_revisions.pending_revisions(conn, limit=limit)
    return [_public(r, moderator, detail=True) for r in found]


def _pending_on(conn: Any, revision_id: int, film_id: str | None) -> StoredRevision:
    found = store_revisions.get_revision(conn, revision_id)
    if found is None or (film_id is not None and found.film_id != film_id):
        raise NotFound(f"no revision {revision_id}" + (f" of {film_id!r}" if film_id else ""))
    if found.status != PENDING:
        raise FieldError("revision", f"revision {revision_id} is {found.status}, not waiting for review")
    return found


def approve_revision(
    store: Store, revision_id: int, moderator: User, *, film_id: str | None = None, reason: str = ""
) -> EditResult | PersonEditResult:
    """Apply a pending edit as a live revision by its author (moderators; logged).

    Conflict-checked against the film as the edit saw it: if a section it changes has changed since,
    EditConflict (409) carries both values and nothing is applied (reject it, or edit by hand)."""
    if not moderator.is_moderator:
        raise Forbidden("only moderators may approve an edit")
    reason = _check_note(reason)

    def work(conn: Any) -> EditResult | PersonEditResult:
        target = _pending_on(conn, revision_id, film_id)
        if target.film_id.startswith(PERSON_PREFIX):
            return _approve_person(conn, target, moderator, reason)
        film = store_revisions.film_on(conn, target.film_id)
        if film is None:
            raise NotFound(f"no film with id {target.film_id!r}")
        current = _sections(film)
        stale = [name for name in target.fields if current.get(name) != target.old.get(name)]
        latest = store_revisions.latest_revision(conn, film.id)
        if stale:
            since = store_revisions.revisions_of(conn, film.id, after=target.base_revision or 0)
            raise EditConflict(
                f"revision {revision_id}: {', '.join(stale)} changed since the edit was made "
                f"({film.id} is at revision {latest}); reject it or edit by hand",
                {
                    "base_revision": target.base_revision,
                    "current_revision": latest,
                    "changed_since": [
                        {"id": r.id, "user": r.user_name, "fields": list(r.fields), "source": r.source}
                        for r in since
                    ],
                    "fields": {
                        name: {"current": current.get(name), "yours": target.new[name]} for name in stale
                    },
                },
            )
        after = _patched(film, {name: target.new[name] for name in target.fields})
        fields = _changed(film, after, list(target.fields))
        source = None if target.source == MEMBER_SOURCE else target.source
        stored, applied = film, None
        if fields:
            stored, applied = _write_revision(
                conn, film, after, fields, target.user_id, target.user_name, source, target.note, latest
            )
        store_revisions.set_status(conn, revision_id, APPROVED, applied)
        _log(conn, moderator, "approve_edit", revision_id, reason)
        made = store_revisions.get_revision(conn, applied) if applied is not None else None
        return EditResult(film=stored, revision=_public(made, moderator) if made else None)

    return transaction(store, work)


def _approve_person(conn: Any, target: StoredRevision, moderator: User, reason: str) -> PersonEditResult:
    person_id = target.film_id.removeprefix(PERSON_PREFIX)
    current = store_revisions.person_on(conn, person_id)
    if current is None:
        raise NotFound(f"no person with id {person_id!r}")
    stale = [name for name in target.fields if current.get(name) != target.old.get(name)]
    if stale:
        raise EditConflict(
            f"revision {target.id}: {', '.join(stale)} changed since the edit was made; "
            "reject it or edit by hand",
            {"fields": {name: {"current": current.get(name), "yours": target.new[name]} for name in stale}},
        )
    source = None if target.source == MEMBER_SOURCE else target.source
    after, applied = _apply_person(
        conn,
        person_id,
        {name: target.new[name] for name in target.fields},
        target.user_id,
        target.user_name,
        source=source,
        note=target.note,
        base_revision=None,
    )
    store_revisions.set_status(conn, target.id, APPROVED, applied)
    _log(conn, moderator, "approve_edit", target.id, reason)
    made = store_revisions.get_revision(conn, applied) if applied is not None else None
    return PersonEditResult(
        person_id=person_id, person=after, revision=_public(made, moderator) if made else None
    )


def reject_revision(
    store: Store, revision_id: int, moderator: User, *, film_id: str | None = None, reason: str = ""
) -> Revision:
    """Refuse a pending edit: it stays in the film's history as rejected, never applied (logged)."""
    if not moderator.is_moderator:
        raise Forbidden("only moderators may reject an edit")
    reason = _check_note(reason)

    def work(conn: Any) -> Revision:
        _pending_on(conn, revision_id, film_id)
        store_revisions.set_status(conn, revision_id, REJECTED)
        _log(conn, moderator, "reject_edit", revision_id, reason)
        changed = store_revisions.get_revision(conn, revision_id)
        assert changed is not None
        return _public(changed, moderator, detail=True)

    return transaction(store, work)


def _log(conn: Any, moderator: User, action: str, revision_id: int, reason: str) -> None:
    store_revisions.log_moderation(
        conn,
        moderator_id=moderator.id,
        moderator_name=moderator.name,
        action=action,
        target="revision",
        target_id=str(revision_id),
        reason=reason,
        time=now(),
    )


# --- re-imports over members' edits ---------------------------------------------------------------------


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
    conn: Any, stored: Mapping[str, Film], films: Sequence[Film], source: str | Mapping[str, str]
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
        old, new = _sections(before), _sections(film)
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


def edited_films(conn: Any) -> dict[str, Film]:
    """The films that have revisions, as stored now (an import calls this before it merges)."""
    return store_revisions.films_on(conn, store_revisions.edited_film_ids(conn))


def reapply_member_edits(conn: Any, before: Mapping[str, Film], source: str) -> int:
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
