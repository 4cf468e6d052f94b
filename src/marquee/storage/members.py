"""Members as the admins manage them (issue 17): the list with counts, disabling, deleting, every
member's API tokens, and one-time password-reset links. SQL only; the rules are in
``services.user_admin``, which runs the writers below inside ``transactions.transaction``.

Deleting a member never removes the ``users`` row: it becomes a nameless tombstone ("deleted member
N", no password, no name skeletons), so that what is kept stays attributed to someone and ids in the
moderation log still mean something. What goes with it is the caller's choice (``erase_private``,
``erase_contributions``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.engine import Connection

from marquee.storage.base import Store
from marquee.storage.community_schema import (
    api_tokens,
    comments,
    member_ratings,
    member_reviews,
    moderation_log,
    password_resets,
    reports,
    review_votes,
    sessions,
    users,
)
from marquee.storage.follows import forget_member
from marquee.storage.library_schema import (
    diary_entries,
    import_changes,
    imports,
    likes,
    list_items,
    member_lists,
    watchlist,
)
from marquee.storage.schema import revisions

__all__ = [
    "TOMBSTONE_PASSWORD",
    "add_reset",
    "all_tokens",
    "anonymise",
    "erase_contributions",
    "erase_private",
    "log_action",
    "member_rows",
    "reset_row",
    "revoke_token",
    "set_disabled",
    "set_password",
    "set_role",
    "use_reset",
    "user_row",
]

TOMBSTONE_PASSWORD = "!deleted"  # not an argon2 hash: no password ever matches it


def _count(table: Any, *where: Any) -> Any:
    return (
        select(func.count()).select_from(table).where(table.c.user_id == users.c.id, *where).scalar_subquery()
    )


def member_rows(store: Store, user_id: int | None = None) -> list[Any]:
    """Every member (tombstones included), oldest first, with what they wrote and their live tokens;
    only the one with ``user_id`` if given."""
    query = select(
        users.c.id,
        users.c.name,
        users.c.role,
        users.c.created_at,
        users.c.disabled,
        users.c.deleted_at,
        _count(member_ratings).label("ratings"),
        _count(member_reviews).label("reviews"),
        _count(comments, comments.c.status != "deleted").label("comments"),
        _count(api_tokens, api_tokens.c.revoked_at.is_(None)).label("tokens"),
    ).order_by(users.c.id)
    if user_id is not None:
        query = query.where(users.c.id == user_id)
    with store.reading() as conn:
        return list(conn.execute(query).all())


def user_row(conn: Connection, key: str) -> Row[Any] | None:
    """The ``users`` row whose ``name_key`` is ``key`` (deleted accounts are no one's)."""
    return conn.execute(select(users).where(users.c.name_key == key, users.c.deleted_at.is_(None))).first()


def set_role(conn: Connection, user_id: int, role: str) -> None:
    """Give a member a role (checked by the caller)."""
    conn.execute(update(users).where(users.c.id == user_id).values(role=role))


def log_action(
    conn: Connection,
    actor_id: int | None,
    actor_name: str,
    action: str,
    target: str,
    target_id: str,
    reason: str,
) -> None:
    """One line of the moderation log."""
    conn.execute(
        moderation_log.insert().values(
            moderator_id=actor_id,
            moderator_name=actor_name,
            action=action,
            target=target,
            target_id=target_id,
            reason=reason,
            created_at=dt.datetime.now(dt.UTC),
        )
    )


def set_disabled(conn: Connection, user_id: int, disabled: bool) -> None:
    """Disable (and sign out everywhere) or enable a member."""
    conn.execute(update(users).where(users.c.id == user_id).values(disabled=disabled))
    if disabled:
        conn.execute(sessions.delete().where(sessions.c.user_id == user_id))


def set_password(conn: Connection, user_id: int, password_hash: str) -> None:
    """Replace a member's password hash and end all their sessions."""
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))
    conn.execute(sessions.delete().where(sessions.c.user_id == user_id))


def anonymise(conn: Connection, user_id: int, shown: str, key: str, when: dt.datetime) -> None:
    """Turn the account into a tombstone named ``shown``: no password, no way in, no skeletons; the
    moderation log's copies of the old name go too."""
    conn.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(
            name=shown,
            name_key=key,
            name_skeleton=None,
            name_skeleton_folded=None,
            password_hash=TOMBSTONE_PASSWORD,
            role="member",
            disabled=True,
            deleted_at=when,
        )
    )
    conn.execute(
        update(moderation_log).where(moderation_log.c.moderator_id == user_id).values(moderator_name=shown)
    )
    # Their edits stay in films' histories, under the tombstone's name (issue 17).
    conn.execute(update(revisions).where(revisions.c.user_id == user_id).values(user_name=shown))


def erase_private(conn: Connection, user_id: int) -> None:
    """What only the member saw or used: sessions, tokens, reset links, watchlist, diary, likes, imports,
    follows, notices and the notices feed's token."""
    for table in (sessions, api_tokens, password_resets, watchlist, diary_entries, likes):
        conn.execute(table.delete().where(table.c.user_id == user_id))
    forget_member(conn, user_id)
    import_ids = select(imports.c.id).where(imports.c.user_id == user_id)
    conn.execute(import_changes.delete().where(import_changes.c.import_id.in_(import_ids)))
    # Lists kept (public contributions) must not point at the imports about to go.
    conn.execute(update(member_lists).where(member_lists.c.import_id.in_(import_ids)).values(import_id=None))
    conn.execute(update(list_items).where(list_items.c.import_id.in_(import_ids)).values(import_id=None))
    conn.execute(imports.delete().where(imports.c.user_id == user_id))


def erase_contributions(conn: Connection, user_id: int) -> None:
    """What others could see: ratings, votes, reports, lists, reviews (with the votes and comments
    under them); comments go, except that one others answered keeps its place, emptied, as deleted."""
    for table in (member_ratings, review_votes, reports):
        column = table.c.reporter_id if table is reports else table.c.user_id
        conn.execute(table.delete().where(column == user_id))
    list_ids = select(member_lists.c.id).where(member_lists.c.user_id == user_id)
    conn.execute(list_items.delete().where(list_items.c.list_id.in_(list_ids)))
    conn.execute(member_lists.delete().where(member_lists.c.user_id == user_id))
    review_ids = [
        r[0] for r in conn.execute(select(member_reviews.c.id).where(member_reviews.c.user_id == user_id))
    ]
    for review_id in review_ids:
        under = select(comments.c.id).where(comments.c.review_id == review_id)
        conn.execute(reports.delete().where(reports.c.target == "comment", reports.c.target_id.in_(under)))
        conn.execute(update(comments).where(comments.c.review_id == review_id).values(parent_id=None))
        conn.execute(comments.delete().where(comments.c.review_id == review_id))
        conn.execute(review_votes.delete().where(review_votes.c.review_id == review_id))
        conn.execute(reports.delete().where(reports.c.target == "review", reports.c.target_id == review_id))
        conn.execute(
            update(diary_entries).where(diary_entries.c.review_id == review_id).values(review_id=None)
        )
        conn.execute(member_reviews.delete().where(member_reviews.c.id == review_id))
    answered = select(comments.c.parent_id).where(comments.c.parent_id.is_not(None))
    mine = comments.c.user_id == user_id
    conn.execute(update(comments).where(mine, comments.c.id.in_(answered)).values(status="deleted", body=""))
    gone = select(comments.c.id).where(mine, comments.c.id.not_in(answered))
    conn.execute(reports.delete().where(reports.c.target == "comment", reports.c.target_id.in_(gone)))
    conn.execute(comments.delete().where(mine, comments.c.id.not_in(answered)))


# ---- API tokens of every member --------------------------------------------------------------------


def all_tokens(store: Store, user_id: int | None = None) -> list[Row[Any]]:
    """Live API tokens (of one member, or everyone's), newest first, with their owner's name."""
    query = (
        select(api_tokens, users.c.name.label("owner"))
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.revoked_at.is_(None))
        .order_by(api_tokens.c.id.desc())
    )
    if user_id is not None:
        query = query.where(api_tokens.c.user_id == user_id)
    with store.reading() as conn:
        return [*conn.execute(query).all()]


def revoke_token(conn: Connection, token_id: int, when: dt.datetime) -> bool:
    """Revoke any member's live token; False if there is no such live token."""
    result = conn.execute(
        update(api_tokens)
        .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=when)
    )
    return bool(result.rowcount)


# ---- password-reset links ------------------------------------------------------------------------


def add_reset(conn: Connection, user_id: int, digest: str, when: dt.datetime, expires: dt.datetime) -> None:
    """Keep a new reset link's digest; the member's earlier unused links stop working."""
    conn.execute(
        update(password_resets)
        .where(password_resets.c.user_id == user_id, password_resets.c.used_at.is_(None))
        .values(used_at=when)
    )
    conn.execute(
        password_resets.insert().values(
            user_id=user_id, token_hash=digest, created_at=when, expires_at=expires
        )
    )


def reset_row(conn: Connection, digest: str) -> Row[Any] | None:
    """The reset link with this digest, with its member's name and state, if there is one."""
    return conn.execute(
        select(
            password_resets,
            users.c.name,
            users.c.disabled,
            users.c.deleted_at,
        )
        .join(users, users.c.id == password_resets.c.user_id)
        .where(password_resets.c.token_hash == digest)
    ).first()


def use_reset(conn: Connection, reset_id: int, when: dt.datetime) -> bool:
    """Mark a link used; False if it was used meanwhile (so two tabs cannot both use it)."""
    result = conn.execute(
        update(password_resets)
        .where(password_resets.c.id == reset_id, password_resets.c.used_at.is_(None))
        .values(used_at=when)
    )
    return bool(result.rowcount)
