"""The SQL of members' accounts (``services.accounts``): users, login sessions and API tokens.

Functions take an open connection: ``store.reading()`` for reads, the caller's
``transactions.transaction`` for writes. Secrets arrive already hashed (their SHA-256 digest).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy import Row, insert, or_, select, update
from sqlalchemy.engine import Connection

from marquee.storage.community_schema import api_tokens, sessions, users

__all__ = [
    "add_session",
    "add_token",
    "delete_session",
    "delete_sessions_of",
    "insert_user",
    "live_tokens",
    "look_alike",
    "mark_token_used",
    "revoke_token",
    "set_password_hash",
    "set_role",
    "user_by_name_key",
    "user_for_session",
    "user_for_token",
]


def insert_user(conn: Connection, values: dict[str, Any]) -> int:
    """A new ``users`` row; its id (a taken ``name_key`` is ``RowConflict`` at the transaction)."""
    return int(conn.execute(insert(users).values(**values).returning(users.c.id)).scalar_one())


def look_alike(conn: Connection, skeletons: Collection[str]) -> Any:
    """A member (name, name_key) whose name has one of these TR39 skeletons, if any."""
    return conn.execute(
        select(users.c.name, users.c.name_key)
        .where(or_(users.c.name_skeleton.in_(skeletons), users.c.name_skeleton_folded.in_(skeletons)))
        .limit(1)
    ).first()


def user_by_name_key(
    conn: Connection, key: str, *, enabled: bool = False, undeleted: bool = False
) -> Row[Any] | None:
    """The ``users`` row with this ``name_key``; ``enabled``: not disabled, ``undeleted``: not deleted."""
    query = select(users).where(users.c.name_key == key)
    if enabled:
        query = query.where(users.c.disabled.is_(False))
    if undeleted:
        query = query.where(users.c.deleted_at.is_(None))
    return conn.execute(query).first()


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))


def set_role(conn: Connection, user_id: int, role: str) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(role=role))


# ---- sessions ------------------------------------------------------------------------------------


def add_session(
    conn: Connection, user_id: int, digest: str, started: dt.datetime, expires: dt.datetime
) -> None:
    conn.execute(
        insert(sessions).values(user_id=user_id, token_hash=digest, created_at=started, expires_at=expires)
    )


def delete_session(conn: Connection, digest: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.token_hash == digest))


def delete_sessions_of(conn: Connection, user_id: int) -> None:
    """End every session of a member."""
    conn.execute(sessions.delete().where(sessions.c.user_id == user_id))


def user_for_session(conn: Connection, digest: str, at: dt.datetime) -> Row[Any] | None:
    """The enabled member whose session (unexpired at ``at``) has this digest."""
    return conn.execute(
        select(users)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(
            sessions.c.token_hash == digest,
            sessions.c.expires_at > at,
            users.c.disabled.is_(False),
        )
    ).first()


# ---- API tokens ----------------------------------------------------------------------------------


def add_token(
    conn: Connection, user_id: int, digest: str, prefix: str, label: str | None, created: dt.datetime
) -> None:
    conn.execute(
        insert(api_tokens).values(
            user_id=user_id, token_hash=digest, prefix=prefix, label=label, created_at=created
        )
    )


def live_tokens(conn: Connection, user_id: int) -> list[Row[Any]]:
    """The member's unrevoked tokens, newest first."""
    return list(
        conn.execute(
            select(api_tokens)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .order_by(api_tokens.c.id.desc())
        ).all()
    )


def revoke_token(conn: Connection, user_id: int, token_id: int, at: dt.datetime) -> bool:
    """Revoke one of the member's live tokens; False if they have no such live token."""
    result = conn.execute(
        update(api_tokens)
        .where(
            api_tokens.c.id == token_id,
            api_tokens.c.user_id == user_id,
            api_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )
    return bool(result.rowcount)


def user_for_token(conn: Connection, digest: str) -> Row[Any] | None:
    """The enabled member a live token belongs to, with ``token_id`` and ``last_used_at``."""
    return conn.execute(
        select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(
            api_tokens.c.token_hash == digest,
            api_tokens.c.revoked_at.is_(None),
            users.c.disabled.is_(False),
        )
    ).first()


def mark_token_used(conn: Connection, token_id: int, at: dt.datetime) -> None:
    conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=at))
