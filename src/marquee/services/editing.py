"""Members edit films and people: patches, revisions, history, diffs, revert, hiding, the review queue.

A patch is a partial record (for a film, the JSON keys of ``marquee show ID --format json``; for a
person, ``name``, ``birth_year``, ``death_year``, ``biography``) whose top-level keys replace those
sections. The whole thing, patched, is validated by its record model, so a bad value is refused with
its field named, and nothing is stored. Every change that changes something is a revision (who, when,
which sections, their JSON before and after, the source, a note); a film's ``sources`` name the new
source of each changed section. An edit may name the revision it was based on (``base_revision``;
0 for none yet): if there is a newer one, ``EditConflict`` (HTTP 409) carries what changed since.

Films and people are edited the same way, by one ``Editor`` per kind over the revision engine
(``services.revision_engine``); this module names its calls for each kind:

>>> edit_film(store, "tt0089560", {"taglines": ["He's got a face only a mother could love."]}, "ada")
... # doctest: +SKIP
>>> people.revert(store, "nm0000116", 12, "mod", undo=True)  # doctest: +SKIP

Re-imports over members' edits live in ``services.edit_reimport`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from marquee.errors import NotFound
from marquee.records_community import User
from marquee.services import edit_moderation as moderation
from marquee.services import revision_engine as engine
from marquee.services.accounts import edit_needs_review, get_user
from marquee.services.edit_kinds import EDITABLE_FIELDS, FILMS, PEOPLE, PERSON_FIELDS, PERSON_PREFIX, Kind
from marquee.services.edit_records import (
    DiffLine,
    EditConflict,
    EditResult,
    FieldDiff,
    PersonEditResult,
    Revision,
    field_diff,
)
from marquee.services.edit_reimport import edited_films, keep_member_edits, reapply_member_edits
from marquee.storage.base import Store

__all__ = [
    "EDITABLE_FIELDS",
    "PERSON_FIELDS",
    "PERSON_PREFIX",
    "DiffLine",
    "EditConflict",
    "EditResult",
    "Editor",
    "FieldDiff",
    "PersonEditResult",
    "Revision",
    "approve_revision",
    "current_person_revision",
    "current_revision",
    "edit_film",
    "edit_person",
    "edited_films",
    "field_diff",
    "film_history",
    "films",
    "get_revision",
    "hide_revision",
    "keep_member_edits",
    "pending_edits",
    "people",
    "person_history",
    "reapply_member_edits",
    "reject_revision",
    "revert",
]

T = TypeVar("T")
R = TypeVar("R")


def _member(store: Store, user: User | str) -> User:
    if isinstance(user, User):
        return user
    found = get_user(store, user)
    if found is None:
        raise NotFound(f"no member named {user!r}")
    return found


@dataclass(frozen=True)
class Editor(Generic[T, R]):
    """Every member's call on one kind of thing (``films``, ``people``)."""

    kind: Kind[T, R]

    def edit(
        self,
        store: Store,
        thing_id: str,
        patch: Mapping[str, Any],
        user: User | str,
        *,
        note: str | None = None,
        source: str | None = None,
        base_revision: int | None = None,
        queue_edits: bool = False,
        queue_days: int = 0,
    ) -> R:
        """Apply a patch (sections to replace) as ``user``; one revision if it changes anything.

        With ``queue_edits`` (setting ``edit_queue``), a member younger than ``queue_days`` days (and
        not an editor) makes a *pending* revision instead: nothing changes until a moderator approves
        it (``approve_revision``); the result's ``pending`` says so.

        Raises FieldError (unknown key, a value the record refuses: the field named), NotFound (no
        such thing or member), EditConflict (``base_revision`` is older than the newest revision).
        """
        sections = self.kind.check_patch(patch)
        member = _member(store, user)
        return engine.apply(
            store,
            self.kind,
            thing_id,
            lambda conn, thing: sections,
            member,
            note=engine.check_note(note),
            source=engine.check_source(source),
            base_revision=base_revision,
            pending=edit_needs_review(member, queue_edits=queue_edits, queue_days=queue_days),
        )

    def revert(
        self,
        store: Store,
        thing_id: str,
        revision_id: int,
        user: User | str,
        *,
        undo: bool = False,
        note: str = "",
        fields: Sequence[str] = (),
    ) -> R:
        """Put the sections back to their state after ``revision_id`` (``undo``: before it), as a new
        revision; only these ``fields`` if given. Raises FieldError if the revision is another thing's
        or was never applied, or a field is unknown; NotFound if there is no such revision."""
        member = _member(store, user)
        sections_for = engine.revert_sections(self.kind, thing_id, revision_id, undo=undo, fields=fields)
        default = f"undo revision {revision_id}" if undo else f"revert to revision {revision_id}"
        note = engine.check_note(note) or default
        return engine.apply(
            store, self.kind, thing_id, sections_for, member, note=note, source=None, reverts=revision_id
        )

    def history(
        self, store: Store, thing_id: str, viewer: User | None = None, *, diffs: bool = False
    ) -> list[Revision]:
        """The revisions, newest first, each with its diff if ``diffs`` (NotFound: no such thing and no
        history)."""
        return engine.history(store, self.kind, thing_id, viewer, diffs=diffs)

    def current_revision(self, store: Store, thing_id: str) -> int:
        """The id of the newest live revision, 0 if none (an edit form's ``base_revision``)."""
        return engine.current(store, self.kind, thing_id)

    def revision(self, store: Store, thing_id: str, revision_id: int, viewer: User | None = None) -> Revision:
        """One revision with its readable diff (NotFound if it is not one of this thing's)."""
        return engine.revision(store, self.kind, thing_id, revision_id, viewer)

    def hide(
        self,
        store: Store,
        thing_id: str,
        revision_id: int,
        moderator: User,
        *,
        hidden: bool = True,
        reason: str = "",
    ) -> Revision:
        """Hide (or show again) a revision's text; moderators only, and logged."""
        kind = self.kind
        return moderation.hide(store, kind, thing_id, revision_id, moderator, hidden=hidden, reason=reason)

    def approve(
        self, store: Store, thing_id: str, revision_id: int, moderator: User, *, reason: str = ""
    ) -> R:
        """Apply a pending edit of this thing (``approve_revision``)."""
        key = self.kind.key(thing_id)
        result: R = moderation.approve(store, revision_id, moderator, key=key, reason=reason)
        return result

    def reject(
        self, store: Store, thing_id: str, revision_id: int, moderator: User, *, reason: str = ""
    ) -> Revision:
        """Refuse a pending edit of this thing (``reject_revision``)."""
        return moderation.reject(store, revision_id, moderator, key=self.kind.key(thing_id), reason=reason)


films: Editor[Any, EditResult] = Editor(FILMS)
people: Editor[Any, PersonEditResult] = Editor(PEOPLE)

edit_film = films.edit
revert = films.revert
film_history = films.history
current_revision = films.current_revision
get_revision = films.revision
hide_revision = films.hide

edit_person = people.edit  # and ``people.revert``, ``people.hide``, ``people.revision``
person_history = people.history
current_person_revision = people.current_revision


# --- the moderation queue: edits of every kind ------------------------------------------------------------


def pending_edits(store: Store, moderator: User, *, limit: int = 200) -> list[Revision]:
    """Edits waiting for review, oldest first, each with its diff (moderators only)."""
    return moderation.pending(store, moderator, limit=limit)


def approve_revision(
    store: Store, revision_id: int, moderator: User, *, film_id: str | None = None, reason: str = ""
) -> EditResult | PersonEditResult:
    """Apply a pending edit (of this film, if named; ``people.approve`` for a person's) as a live
    revision by its author (moderators; logged). EditConflict (409) if a section it changes has changed
    since it was made."""
    result: EditResult | PersonEditResult = moderation.approve(
        store, revision_id, moderator, key=film_id, reason=reason
    )
    return result


def reject_revision(
    store: Store, revision_id: int, moderator: User, *, film_id: str | None = None, reason: str = ""
) -> Revision:
    """Refuse a pending edit: it stays in the history as rejected, never applied (logged)."""
    return moderation.reject(store, revision_id, moderator, key=film_id, reason=reason)
