"""User administration (issue 17): the members' list, roles, disabling, deleting, every member's API
tokens, and one-time password-reset links. ``marquee user …``/``marquee token …`` and the admin page
``/admin/users`` both call these.

``actor`` is who acts: a signed-in ``User`` on the site (who must be an admin: ``Forbidden``
otherwise, checked here, on the server), or None for the command line (whoever can run it can read
the store anyway). Every act is written to the moderation log, by name. An admin cannot disable,
delete or demote the last admin there is.

Deleting a member (``delete_member``): their account becomes "deleted member N" (no name, no
password, no way in) and what only they used goes (sessions, tokens, reset links, watchlist,
diary, likes, import history). ``keep=True`` keeps what others could see (ratings, reviews,
comments, lists), shown under "deleted member N"; ``keep=False`` erases it too (GDPR erasure):
ratings, votes, reviews with the comments under them, lists, reports; a comment others answered
stays in its thread, emptied and marked deleted.

Password-reset links: ``issue_reset`` returns a secret for ``/reset/SECRET``, good for an hour and
once; only its SHA-256 is stored; a newer link cancels older ones; using it ends every session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from marquee.errors import InputError, NotFound
from marquee.records_community import ROLES, MemberSummary, MemberToken, User
from marquee.services.accounts import (
    FieldError,
    Forbidden,
    aware,
    hash_password,
    name_key,
    now,
)
from marquee.storage import community_rows
from marquee.storage import members as db
from marquee.storage.base import Store
from marquee.storage.transactions import transaction

__all__ = [
    "RESET_LIFETIME",
    "ResetGone",
    "delete_member",
    "issue_reset",
    "list_members",
    "list_tokens",
    "reset_password",
    "reset_target",
    "revoke_token",
    "set_disabled",
    "set_role",
]

RESET_LIFETIME = dt.timedelta(hours=1)
COMMAND_LINE = "(command line)"


class ResetGone(NotFound):
    """A reset link that is unknown, used, expired, or whose member was disabled or deleted (HTTP 404)."""


def _check_actor(actor: User | None) -> None:
    if actor is not None and not actor.is_admin:
        raise Forbidden("only admins may manage members")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _log(conn: Any, actor: User | None, action: str, target: str, target_id: str, reason: str = "") -> None:
    community_rows.log_moderation(
        conn,
        moderator_id=actor.id if actor else None,
        moderator_name=actor.name if actor else COMMAND_LINE,
        action=action,
        target=target,
        target_id=target_id,
        reason=reason,
        time=now(),
    )


def _member(conn: Any, name: str) -> Any:
    row = db.user_row(conn, name_key(name))
    if row is None:
        raise NotFound(f"no member named {name!r}")
    return row


def _active_admins(store: Store) -> set[int]:
    return {r.id for r in db.member_rows(store) if r.role == "admin" and not r.disabled and not r.deleted_at}


def _not_last_admin(store: Store, row: Any, what: str) -> None:
    if row.role == "admin" and _active_admins(store) == {row.id}:
        raise Forbidden(f"{row.name!r} is the only admin: make another admin before you {what} them")


def _as_summary(r: Any) -> MemberSummary:
    return MemberSummary(
        name=r.name,
        role=r.role,
        created_at=aware(r.created_at),
        status="deleted" if r.deleted_at else "disabled" if r.disabled else "active",
        ratings=r.ratings,
        reviews=r.reviews,
        comments=r.comments,
        tokens=r.tokens,
    )


def list_members(store: Store, actor: User | None = None) -> list[MemberSummary]:
    """Every member, oldest first: role, joined, status (active, disabled, deleted) and counts."""
    _check_actor(actor)
    return [_as_summary(r) for r in db.member_rows(store)]


def set_role(store: Store, name: str, role: str, actor: User | None = None) -> MemberSummary:
    """Give a member a role: member, editor, moderator or admin."""
    _check_actor(actor)
    if role not in ROLES:
        raise FieldError("role", f"must be one of {', '.join(ROLES)}, not {role!r}")
    with store.reading() as conn:
        row = _member(conn, name)
    if role != "admin":
        _not_last_admin(store, row, "demote")

    def work(conn: Any) -> None:
        db.set_role(conn, row.id, role)
        _log(conn, actor, "set_role", "user", row.name, role)

    transaction(store, work)
    return _summary(store, row.id)


def _summary(store: Store, user_id: int) -> MemberSummary:
    return _as_summary(db.member_rows(store, user_id)[0])


def set_disabled(store: Store, name: str, disabled: bool, actor: User | None = None) -> MemberSummary:
    """Disable a member (they cannot sign in, their sessions end, their tokens open nothing), or enable."""
    _check_actor(actor)
    with store.reading() as conn:
        row = _member(conn, name)
    if disabled:
        _not_last_admin(store, row, "disable")

    def work(conn: Any) -> None:
        db.set_disabled(conn, row.id, disabled)
        _log(conn, actor, "disable" if disabled else "enable", "user", row.name)

    transaction(store, work)
    return _summary(store, row.id)


def delete_member(store: Store, name: str, *, keep: bool, actor: User | None = None) -> str:
    """Delete a member's account; ``keep`` their public contributions anonymised, or erase them.

    Returns the name they are shown under from now on ("deleted member N").
    """
    _check_actor(actor)
    with store.reading() as conn:
        row = _member(conn, name)
    _not_last_admin(store, row, "delete")
    shown = f"deleted member {row.id}"

    def work(conn: Any) -> None:
        db.erase_private(conn, row.id)
        if not keep:
            db.erase_contributions(conn, row.id)
        # A key no name can have (names refuse control characters): "deleted member 5" stays free.
        db.anonymise(conn, row.id, shown, f"\x01deleted:{row.id}", now())
        _log(conn, actor, "delete_member", "user", shown, "contributions kept" if keep else "erased")

    transaction(store, work)
    return shown


def list_tokens(store: Store, name: str | None = None, actor: User | None = None) -> list[MemberToken]:
    """Live API tokens, newest first: one member's, or everyone's."""
    _check_actor(actor)
    user_id = None
    if name is not None:
        with store.reading() as conn:
            user_id = _member(conn, name).id
    return [
        MemberToken(
            id=r.id,
            user=r.owner,
            label=r.label,
            prefix=r.prefix,
            created_at=aware(r.created_at),
            last_used_at=aware(r.last_used_at) if r.last_used_at else None,
        )
        for r in db.all_tokens(store, user_id)
    ]


def revoke_token(store: Store, token_id: int, actor: User | None = None) -> None:
    """Revoke any member's API token by its id; ``NotFound`` if no live token has it."""
    _check_actor(actor)

    def work(conn: Any) -> bool:
        done = db.revoke_token(conn, token_id, now())
        if done:
            _log(conn, actor, "revoke_token", "token", str(token_id))
        return done

    if not transaction(store, work):
        raise NotFound(f"no live API token with id {token_id}")


def issue_reset(store: Store, name: str, actor: User | None = None) -> str:
    """A new one-time password-reset secret for a member (for ``/reset/SECRET``), good for an hour."""
    _check_actor(actor)
    secret = secrets.token_urlsafe(32)
    when = now()
    with store.reading() as conn:
        row = _member(conn, name)
    if row.disabled:
        raise InputError(f"{row.name!r} is disabled: enable them first")

    def work(conn: Any) -> None:
        db.add_reset(conn, row.id, _digest(secret), when, when + RESET_LIFETIME)
        _log(conn, actor, "reset_password", "user", row.name, "link issued")

    transaction(store, work)
    return secret


def _live_reset(conn: Any, secret: str) -> Any:
    row = db.reset_row(conn, _digest(secret)) if secret else None
    if row is None or row.used_at is not None or row.disabled or row.deleted_at:
        raise ResetGone("this password-reset link is not valid (used, replaced or unknown)")
    if aware(row.expires_at) <= now():
        raise ResetGone("this password-reset link has expired: ask an admin for a new one")
    return row


def reset_target(store: Store, secret: str) -> str:
    """The name of the member a live reset link is for; ``ResetGone`` otherwise."""
    with store.reading() as conn:
        return str(_live_reset(conn, secret).name)


def reset_password(store: Store, secret: str, password: str) -> str:
    """Set a new password through a reset link (used up by it); ends the member's sessions.

    Returns the member's name. ``FieldError`` for a bad password (the link stays good),
    ``ResetGone`` for a link that is not live.
    """
    new_hash = hash_password(password)

    def work(conn: Any) -> str:
        row = _live_reset(conn, secret)
        if not db.use_reset(conn, row.id, now()):
            raise ResetGone("this password-reset link was just used")
        db.set_password(conn, row.user_id, new_hash)
        return str(row.name)

    return transaction(store, work)
