"""Follows and notices (issue 21): a member follows a person or a member's list; titles that
later come to that person (an import, an edit) or that list become notices.

``follow_known`` remembers, per follow, the titles already seen: following seeds it with the
titles the person or list has now, and ``collect`` turns every title not yet known into a notice
(and knows it from then on). ``collect`` starts from the follows (few) and walks the credits by
person (indexed), so it costs nothing like a catalogue scan.

``notice_feeds`` (migration 0017): a member's secret token for their notices' Atom feed (feed
readers send no cookies). Stored as is (256 random bits), so the notices page can show it again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    delete,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from marquee.storage.base import Store
from marquee.storage.community_schema import users
from marquee.storage.library_schema import list_items, member_lists
from marquee.storage.schema import credits, people, titles
from marquee.storage.tables import id_column, metadata, time_column

__all__ = [
    "FollowRow",
    "NoticeRow",
    "add_follow",
    "collect",
    "ensure_feed_token",
    "feed_token",
    "follow_known",
    "follows",
    "follows_of",
    "forget_member",
    "is_following",
    "list_name",
    "list_owner",
    "notice_feeds",
    "notices",
    "notices_for",
    "notices_of",
    "person_name",
    "remove_follow",
    "replace_feed_token",
    "target_exists",
    "user_follows",
]

follows = Table(
    "follows",
    metadata,
    Column("user_id", Integer, nullable=False),
    Column("kind", String, nullable=False),  # person | list
    Column("target", String, nullable=False),  # person_id, or the list's id
    time_column("created_at"),
    PrimaryKeyConstraint("user_id", "kind", "target"),
)
follow_known = Table(
    "follow_known",
    metadata,
    Column("user_id", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("target", String, nullable=False),
    Column("title_id", String, nullable=False),
    PrimaryKeyConstraint("user_id", "kind", "target", "title_id"),
)
notices = Table(
    "notices",
    metadata,
    id_column(),
    Column("user_id", Integer, nullable=False),
    Column("kind", String, nullable=False),
    Column("target", String, nullable=False),
    Column("title_id", String, nullable=False),
    time_column("created_at"),
)
Index("ix_notices_user", notices.c.user_id, notices.c.id)
notice_feeds = Table(
    "notice_feeds",
    metadata,
    Column("user_id", Integer, primary_key=True, autoincrement=False),
    Column("token", String, nullable=False),
    time_column("created_at"),
)


@dataclass(frozen=True)
class NoticeRow:
    id: int
    kind: str
    target: str
    target_name: str
    title_id: str
    title: str
    year: int | None
    created_at: dt.datetime
    owner: str | None = None  # a list's member


def _titles_of(kind: str, target: Any) -> Any:
    """SELECT of the title_ids a person is credited on, or a list holds (``target`` a column or value)."""
    if kind == "person":
        return (
            select(titles.c.title_id)
            .join(credits, credits.c.title_key == titles.c.title_key)
            .join(people, people.c.person_key == credits.c.person_key)
            .where(people.c.person_id == target)
        )
    return (
        select(list_items.c.title_id)
        .join(member_lists, member_lists.c.id == list_items.c.list_id)
        .where(member_lists.c.id == target)
    )


def person_name(conn: Connection, person_id: str) -> str | None:
    found = conn.execute(select(people.c.name).where(people.c.person_id == person_id)).scalar()
    return None if found is None else str(found)


def list_name(conn: Connection, list_id: int) -> str | None:
    found = conn.execute(select(member_lists.c.name).where(member_lists.c.id == list_id)).scalar()
    return None if found is None else str(found)


def list_owner(conn: Connection, target: str) -> str | None:
    """The name of the member whose list this is (``target``: the list's id), or None."""
    if not (target.isascii() and target.isdigit()):
        return None
    query = (
        select(users.c.name)
        .join(member_lists, member_lists.c.user_id == users.c.id)
        .where(member_lists.c.id == int(target))
    )
    found = conn.execute(query).scalar()
    return None if found is None else str(found)


def add_follow(conn: Connection, user_id: int, kind: str, target: str, now: dt.datetime) -> bool:
    """Follow (False if already followed); what the person or list holds now is known, not news."""
    if is_following(conn, user_id, kind, target):
        return False
    conn.execute(insert(follows).values(user_id=user_id, kind=kind, target=target, created_at=now))
    value: Any = int(target) if kind == "list" else target
    current = _titles_of(kind, value).distinct()
    conn.execute(
        insert(follow_known).from_select(
            ["user_id", "kind", "target", "title_id"],
            select(literal(user_id), literal(kind), literal(target), current.subquery().c.title_id),
        )
    )
    return True


def remove_follow(conn: Connection, user_id: int, kind: str, target: str) -> bool:
    where = and_(follows.c.user_id == user_id, follows.c.kind == kind, follows.c.target == target)
    gone = conn.execute(delete(follows).where(where)).rowcount
    conn.execute(
        delete(follow_known).where(
            follow_known.c.user_id == user_id, follow_known.c.kind == kind, follow_known.c.target == target
        )
    )
    return bool(gone)


def is_following(conn: Connection, user_id: int, kind: str, target: str) -> bool:
    query = select(follows.c.user_id).where(
        follows.c.user_id == user_id, follows.c.kind == kind, follows.c.target == target
    )
    return conn.execute(query).first() is not None


def collect(conn: Connection, now: dt.datetime, user_id: int | None = None) -> int:
    """Turn every followed person's or list's title not yet known into a notice; how many."""
    query = select(follows.c.user_id, follows.c.kind, follows.c.target)
    if user_id is not None:
        query = query.where(follows.c.user_id == user_id)
    made = 0
    for row in conn.execute(query).all():
        value: Any = int(row.target) if row.kind == "list" else row.target
        known = set(
            conn.execute(
                select(follow_known.c.title_id).where(
                    follow_known.c.user_id == row.user_id,
                    follow_known.c.kind == row.kind,
                    follow_known.c.target == row.target,
                )
            ).scalars()
        )
        fresh = sorted(set(conn.execute(_titles_of(row.kind, value)).scalars()) - known)
        for title_id in fresh:
            keys = {"user_id": row.user_id, "kind": row.kind, "target": row.target, "title_id": title_id}
            conn.execute(insert(follow_known).values(**keys))
            conn.execute(insert(notices).values(**keys, created_at=now))
        made += len(fresh)
    return made


def notices_of(conn: Connection, user_id: int, limit: int) -> list[NoticeRow]:
    """The member's notices, newest first, with the film's title and what was followed."""
    query = (
        select(notices, titles.c.primary_title, titles.c.start_year)
        .join(titles, titles.c.title_id == notices.c.title_id)
        .where(notices.c.user_id == user_id)
        .order_by(notices.c.id.desc())
        .limit(limit)
    )
    out = []
    for row in conn.execute(query):
        owner = None
        if row.kind == "person":
            name = person_name(conn, row.target) or row.target
        else:
            name = list_name(conn, int(row.target)) or row.target
            owner = list_owner(conn, row.target)
        out.append(
            NoticeRow(
                row.id,
                row.kind,
                row.target,
                name,
                row.title_id,
                row.primary_title,
                row.start_year,
                row.created_at,
                owner,
            )
        )
    return out


def notices_for(store: Store, user_id: int, limit: int) -> list[NoticeRow]:
    """``notices_of`` on a connection of its own."""
    with store.reading() as conn:
        return notices_of(conn, user_id, limit)


@dataclass(frozen=True)
class FollowRow:
    kind: str
    target: str
    target_name: str
    created_at: dt.datetime
    owner: str | None = None  # a list's member


def follows_of(conn: Connection, user_id: int) -> list[FollowRow]:
    """What the member follows, newest first, with the person's or list's name."""
    query = (
        select(follows.c.kind, follows.c.target, follows.c.created_at)
        .where(follows.c.user_id == user_id)
        .order_by(follows.c.created_at.desc(), follows.c.kind, follows.c.target)
    )
    out = []
    for row in conn.execute(query).all():
        owner = None
        if row.kind == "person":
            name = person_name(conn, row.target)
        else:
            name = list_name(conn, int(row.target)) if row.target.isascii() and row.target.isdigit() else None
            owner = list_owner(conn, row.target)
        out.append(FollowRow(row.kind, row.target, name or row.target, row.created_at, owner))
    return out


def user_follows(store: Store, user_id: int) -> list[FollowRow]:
    """``follows_of`` on a connection of its own."""
    with store.reading() as conn:
        return follows_of(conn, user_id)


def target_exists(store: Store, kind: str, target: str) -> bool:
    """Whether the person (person_id) or the list (its id, digits) is in the store."""
    with store.reading() as conn:
        if kind == "person":
            return person_name(conn, target) is not None
        return target.isascii() and target.isdigit() and list_name(conn, int(target)) is not None


def following(store: Store, user_id: int, kind: str, target: str) -> bool:
    """``is_following`` on a connection of its own."""
    with store.reading() as conn:
        return is_following(conn, user_id, kind, target)


def feed_token(store: Store, user_id: int) -> str | None:
    """The member's notices feed token, or None if they have none yet."""
    with store.reading() as conn:
        found = conn.execute(select(notice_feeds.c.token).where(notice_feeds.c.user_id == user_id)).scalar()
    return None if found is None else str(found)


def ensure_feed_token(conn: Connection, user_id: int, token: str, now: dt.datetime) -> str:
    """The member's token: the one they have, else ``token`` (kept). Two at once keep one."""
    make = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        make(notice_feeds)
        .values(user_id=user_id, token=token, created_at=now)
        .on_conflict_do_nothing(index_elements=["user_id"])
    )
    kept = conn.execute(select(notice_feeds.c.token).where(notice_feeds.c.user_id == user_id)).scalar_one()
    return str(kept)


def replace_feed_token(conn: Connection, user_id: int, token: str, now: dt.datetime) -> None:
    """Give the member a new token: the old feed address stops working."""
    conn.execute(delete(notice_feeds).where(notice_feeds.c.user_id == user_id))
    conn.execute(insert(notice_feeds).values(user_id=user_id, token=token, created_at=now))


def forget_member(conn: Connection, user_id: int) -> None:
    """A deleted member's follows, notices and feed token."""
    for table in (follows, follow_known, notices, notice_feeds):
        conn.execute(delete(table).where(table.c.user_id == user_id))
