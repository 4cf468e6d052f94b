"""SQL for a member's own edits of their library (the film page's panel, list editing, deletions).

Functions take an open ``Connection`` (reads) or a connection inside a write transaction
(writes: ``transactions.transaction``); members by ``users.id``, films by ``title_id``.
Imports write through ``storage.library_writer.LibraryWriter``; this module is what the member does
by hand on the site or through the API.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from marquee.storage.community_schema import member_ratings, member_reviews, users
from marquee.storage.library_schema import diary_entries, likes, list_items, member_lists, watchlist
from marquee.storage.schema import titles

__all__ = [
    "delete_diary_entry",
    "delete_from_watchlist",
    "delete_like",
    "delete_list",
    "diary_rows",
    "film_exists",
    "film_names",
    "film_state",
    "item_rows",
    "like_rows",
    "list_by_id",
    "list_items_of",
    "list_owner_name",
    "list_row",
    "list_rows",
    "ratings_of",
    "replace_list_items",
    "reviews_of",
    "slug_taken",
    "update_list",
    "user_id_by_key",
    "watchlist_rows",
]


def film_state(conn: Connection, user_id: int, title_id: str) -> dict[str, Any]:
    """The member's watchlist flag, like, viewings (count, last date) and lists ("contains") for a film."""
    in_watchlist = (
        conn.execute(
            select(watchlist.c.title_id).where(
                watchlist.c.user_id == user_id, watchlist.c.title_id == title_id
            )
        ).first()
        is not None
    )
    liked = (
        conn.execute(
            select(likes.c.target).where(
                likes.c.user_id == user_id, likes.c.kind == "film", likes.c.target == title_id
            )
        ).first()
        is not None
    )
    seen = conn.execute(
        select(func.count(), func.max(diary_entries.c.watched_on)).where(
            diary_entries.c.user_id == user_id, diary_entries.c.title_id == title_id
        )
    ).one()
    holding = set(
        conn.execute(
            select(list_items.c.list_id)
            .join(member_lists, member_lists.c.id == list_items.c.list_id)
            .where(member_lists.c.user_id == user_id, list_items.c.title_id == title_id)
        ).scalars()
    )
    lists = [
        (int(r.id), str(r.name), int(r.id) in holding)
        for r in conn.execute(
            select(member_lists.c.id, member_lists.c.name).where(member_lists.c.user_id == user_id)
        )
    ]
    last: dt.date | None = seen[1]
    return {
        "in_watchlist": in_watchlist,
        "liked": liked,
        "viewings": int(seen[0] or 0),
        "last_watched": last,
        "lists": sorted(lists, key=lambda item: (item[1].casefold(), item[0])),
    }


def delete_diary_entry(conn: Connection, user_id: int, entry_id: int) -> bool:
    """Delete one of the member's viewings; False if they have no entry with this id."""
    done = conn.execute(
        delete(diary_entries).where(and_(diary_entries.c.user_id == user_id, diary_entries.c.id == entry_id))
    )
    return int(done.rowcount) > 0


def delete_like(conn: Connection, user_id: int, kind: str, target: str) -> bool:
    """Take back a like; False if there was none."""
    done = conn.execute(
        delete(likes).where(and_(likes.c.user_id == user_id, likes.c.kind == kind, likes.c.target == target))
    )
    return int(done.rowcount) > 0


def list_row(conn: Connection, user_id: int, list_id: int) -> Row[Any] | None:
    """The member's list with this id (None: no such list, or someone else's)."""
    return conn.execute(
        select(member_lists).where(member_lists.c.id == list_id, member_lists.c.user_id == user_id)
    ).first()


def slug_taken(conn: Connection, user_id: int, slug: str, *, other_than: int | None = None) -> bool:
    """Whether another of the member's lists already has this slug."""
    query = select(member_lists.c.id).where(member_lists.c.user_id == user_id, member_lists.c.slug == slug)
    if other_than is not None:
        query = query.where(member_lists.c.id != other_than)
    return conn.execute(query).first() is not None


def update_list(conn: Connection, list_id: int, *, name: str, slug: str, description: str | None) -> None:
    """Rename a list and set its description."""
    conn.execute(
        update(member_lists)
        .where(member_lists.c.id == list_id)
        .values(name=name, slug=slug, description=description)
    )


def delete_list(conn: Connection, list_id: int) -> None:
    """Delete a list and its entries."""
    conn.execute(delete(list_items).where(list_items.c.list_id == list_id))
    conn.execute(delete(member_lists).where(member_lists.c.id == list_id))


def list_items_of(conn: Connection, list_id: int) -> list[tuple[str, str | None]]:
    """A list's entries (film, note) in order."""
    rows = conn.execute(
        select(list_items.c.title_id, list_items.c.note)
        .where(list_items.c.list_id == list_id)
        .order_by(list_items.c.position)
    ).all()
    return [(str(r.title_id), r.note) for r in rows]


def replace_list_items(conn: Connection, list_id: int, items: Sequence[tuple[str, str | None]]) -> None:
    """Make the list hold exactly these entries, numbered 1… in this order."""
    conn.execute(delete(list_items).where(list_items.c.list_id == list_id))
    if items:
        conn.execute(
            insert(list_items),
            [
                {"list_id": list_id, "position": n, "title_id": title_id, "note": note}
                for n, (title_id, note) in enumerate(items, 1)
            ],
        )


def ratings_of(conn: Connection, user_id: int) -> list[Row[Any]]:
    """The member's ratings with the films' titles and years, latest first."""
    query = (
        select(
            member_ratings.c.title_id,
            member_ratings.c.score,
            member_ratings.c.updated_at,
            titles.c.primary_title,
            titles.c.start_year,
        )
        .outerjoin(titles, titles.c.title_id == member_ratings.c.title_id)
        .where(member_ratings.c.user_id == user_id)
        .order_by(member_ratings.c.updated_at.desc(), member_ratings.c.title_id)
    )
    return list(conn.execute(query))


def reviews_of(conn: Connection, user_id: int, *, hidden_too: bool) -> list[Row[Any]]:
    """The member's reviews with the films' titles and years, newest first (visible only, unless asked)."""
    query = (
        select(
            member_reviews.c.id,
            member_reviews.c.title_id,
            member_reviews.c.title,
            member_reviews.c.score_value,
            member_reviews.c.score_scale,
            member_reviews.c.spoiler,
            member_reviews.c.status,
            member_reviews.c.created_at,
            titles.c.primary_title,
            titles.c.start_year,
        )
        .outerjoin(titles, titles.c.title_id == member_reviews.c.title_id)
        .where(member_reviews.c.user_id == user_id)
        .order_by(member_reviews.c.created_at.desc(), member_reviews.c.id.desc())
    )
    if not hidden_too:
        query = query.where(member_reviews.c.status == "visible")
    return list(conn.execute(query))


# ---- reading a member's library (``services.library``) -------------------------------------------


def user_id_by_key(conn: Connection, key: str) -> int | None:
    """The ``users.id`` of the member with this ``name_key``, or None."""
    found = conn.execute(select(users.c.id).where(users.c.name_key == key)).scalar()
    return None if found is None else int(found)


def film_exists(conn: Connection, title_id: str) -> bool:
    return conn.execute(select(titles.c.title_key).where(titles.c.title_id == title_id)).first() is not None


def film_names(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[str, int | None]]:
    """Title and year of these films (in chunks of 500 ids)."""
    wanted = sorted(set(ids))
    out: dict[str, tuple[str, int | None]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(titles.c.title_id, titles.c.primary_title, titles.c.start_year).where(
                titles.c.title_id.in_(chunk)
            )
        ).all()
        out |= {r.title_id: (r.primary_title, r.start_year) for r in rows}
    return out


def watchlist_rows(conn: Connection, user_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(watchlist).where(watchlist.c.user_id == user_id)).all())


def diary_rows(conn: Connection, user_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(diary_entries).where(diary_entries.c.user_id == user_id)).all())


def like_rows(conn: Connection, user_id: int) -> list[Row[Any]]:
    return list(conn.execute(select(likes).where(likes.c.user_id == user_id)).all())


def list_rows(conn: Connection, user_id: int) -> list[Row[Any]]:
    """The member's lists (``member_lists`` rows)."""
    return list(conn.execute(select(member_lists).where(member_lists.c.user_id == user_id)).all())


def list_by_id(conn: Connection, list_id: int, user_id: int | None = None) -> Row[Any] | None:
    """A list (of this member, if given)."""
    query = select(member_lists).where(member_lists.c.id == list_id)
    if user_id is not None:
        query = query.where(member_lists.c.user_id == user_id)
    return conn.execute(query).first()


def item_rows(conn: Connection, list_id: int) -> list[Row[Any]]:
    """A list's items in order."""
    return list(
        conn.execute(
            select(list_items).where(list_items.c.list_id == list_id).order_by(list_items.c.position)
        ).all()
    )


def list_owner_name(conn: Connection, list_id: int) -> str | None:
    name = conn.execute(
        select(users.c.name)
        .join(member_lists, member_lists.c.user_id == users.c.id)
        .where(member_lists.c.id == list_id)
    ).scalar()
    return None if name is None else str(name)


def delete_from_watchlist(conn: Connection, user_id: int, title_id: str) -> int:
    """Take a film off the member's watchlist; how many rows went (0 or 1)."""
    return int(
        conn.execute(
            delete(watchlist).where(and_(watchlist.c.user_id == user_id, watchlist.c.title_id == title_id))
        ).rowcount
    )
