"""Moderation of members' edits, of every kind: the review queue (approve, reject) and hiding a revision.

A new member's edit waits as a *pending* revision that changes nothing; a moderator approves it
(applied as a live revision by its author, conflict-checked against the thing as the edit saw it)
or rejects it (kept in the history, never applied). Every decision, like hiding a revision's text,
goes to the moderation log.
"""

from __future__ import annotations

from typing import Any

from marquee.errors import NotFound
from marquee.records_community import User
from marquee.services.accounts import FieldError, Forbidden, now
from marquee.services.edit_kinds import Kind, kind_of
from marquee.services.edit_records import EditConflict, Revision, public
from marquee.services.revision_engine import (
    MEMBER_SOURCE,
    PENDING,
    Change,
    changed_since,
    check_note,
    one_revision,
    read_thing,
    write,
)
from marquee.storage import community_rows
from marquee.storage import revisions as store_revisions
from marquee.storage.base import Store
from marquee.storage.revisions import StoredRevision
from marquee.storage.transactions import Conn, transaction

__all__ = ["approve", "hide", "pending", "reject"]

APPROVED, REJECTED = "approved", "rejected"


def _moderator(user: User, doing: str) -> None:
    if not user.is_moderator:
        raise Forbidden(f"only moderators may {doing}")


def _log(conn: Conn, moderator: User, action: str, revision_id: int, reason: str) -> None:
    community_rows.log_moderation(
        conn,
        moderator_id=moderator.id,
        moderator_name=moderator.name,
        action=action,
        target="revision",
        target_id=str(revision_id),
        reason=reason,
        time=now(),
    )


def hide(
    store: Store,
    kind: Kind[Any, Any],
    thing_id: str,
    revision_id: int,
    moderator: User,
    *,
    hidden: bool = True,
    reason: str = "",
) -> Revision:
    """Hide (or show again) a revision's text; moderators only, and logged."""
    _moderator(moderator, "hide a revision")

    def work(conn: Conn) -> Revision:
        one_revision(conn, kind, thing_id, revision_id)
        store_revisions.set_hidden(conn, revision_id, hidden)
        _log(conn, moderator, "hide" if hidden else "restore", revision_id, check_note(reason))
        return public(one_revision(conn, kind, thing_id, revision_id), moderator, detail=True)

    return transaction(store, work)


def pending(store: Store, moderator: User, *, limit: int = 200) -> list[Revision]:
    """Edits of every kind waiting for review, oldest first, each with its diff (moderators only)."""
    _moderator(moderator, "see the edits waiting for review")
    with store.reading() as conn:
        found = store_revisions.pending_revisions(conn, limit=limit)
    return [public(r, moderator, detail=True) for r in found]


def _pending_on(conn: Conn, revision_id: int, key: str | None) -> StoredRevision:
    found = store_revisions.get_revision(conn, revision_id)
    if found is None or (key is not None and found.film_id != key):
        raise NotFound(f"no revision {revision_id}" + (f" of {key!r}" if key else ""))
    if found.status != PENDING:
        raise FieldError("revision", f"revision {revision_id} is {found.status}, not waiting for review")
    return found


def approve(
    store: Store, revision_id: int, moderator: User, *, key: str | None = None, reason: str = ""
) -> Any:
    """Apply a pending edit as a live revision by its author (moderators; logged); the kind's result.

    Conflict-checked against the thing as the edit saw it: if a section it changes has changed since,
    EditConflict (409) carries both values and nothing is applied (reject it, or edit by hand)."""
    _moderator(moderator, "approve an edit")
    reason = check_note(reason)

    def work(conn: Conn) -> Any:
        target = _pending_on(conn, revision_id, key)
        kind, thing_id = kind_of(target.film_id)
        thing = read_thing(conn, kind, thing_id)
        current = kind.sections(thing)
        latest = store_revisions.latest_revision(conn, target.film_id)
        stale = [name for name in target.fields if current.get(name) != target.old.get(name)]
        if stale:
            raise EditConflict(
                f"revision {revision_id}: {', '.join(stale)} changed since the edit was made "
                f"({thing_id} is at revision {latest}); reject it or edit by hand",
                {
                    "base_revision": target.base_revision,
                    "current_revision": latest,
                    "changed_since": changed_since(conn, target.film_id, target.base_revision or 0),
                    "fields": {
                        name: {"current": current.get(name), "yours": target.new[name]} for name in stale
                    },
                },
            )
        after = kind.patched(thing_id, thing, {name: target.new[name] for name in target.fields})
        fields = kind.changed(thing, after, list(target.fields))
        source = None if target.source == MEMBER_SOURCE else target.source
        stored, applied = thing, None
        if fields:
            change = Change(kind, thing_id, thing, after, fields)
            author = {"user_id": target.user_id, "user_name": target.user_name}
            stored, applied = write(conn, change, **author, source=source, note=target.note, base=latest)
        store_revisions.set_status(conn, revision_id, APPROVED, applied)
        _log(conn, moderator, "approve_edit", revision_id, reason)
        made = store_revisions.get_revision(conn, applied) if applied is not None else None
        return kind.result(thing_id, stored, public(made, moderator) if made else None, False)

    return transaction(store, work)


def reject(
    store: Store, revision_id: int, moderator: User, *, key: str | None = None, reason: str = ""
) -> Revision:
    """Refuse a pending edit: it stays in the history as rejected, never applied (logged)."""
    _moderator(moderator, "reject an edit")
    reason = check_note(reason)

    def work(conn: Conn) -> Revision:
        _pending_on(conn, revision_id, key)
        store_revisions.set_status(conn, revision_id, REJECTED)
        _log(conn, moderator, "reject_edit", revision_id, reason)
        changed = store_revisions.get_revision(conn, revision_id)
        assert changed is not None
        return public(changed, moderator, detail=True)

    return transaction(store, work)
