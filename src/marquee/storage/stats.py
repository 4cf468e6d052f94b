"""SQL for statistics: one member's (viewings per year, hours, genres, people, ratings) and the site's.

Counts come from the diary (viewings: a film seen twice counts twice) and from members' ratings;
films are joined by ``title_id`` to the catalogue for runtimes, genres and credits. Functions take
an open ``Connection``; what they return are plain tuples, turned into records by
``services.stats``. The site's statistics name members only with counts (no titles they saw).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, cast, distinct, extract, func, select
from sqlalchemy.engine import Connection

from marquee.storage.community_schema import member_ratings, member_reviews, users
from marquee.storage.library_schema import diary_entries, member_lists, watchlist
from marquee.storage.schema import credits, people, title_genres, titles

__all__ = [
    "busiest_members",
    "member_counts",
    "member_people",
    "member_ratings_histogram",
    "member_top_genres",
    "member_years",
    "most_rated",
    "most_watched",
    "site_counts",
]

ACTORS = ("actor", "actress")


def member_years(conn: Connection, user_id: int) -> list[tuple[int, int, int]]:
    """(year, viewings, minutes) per year the member logged dated viewings, oldest year first."""
    year = cast(extract("year", diary_entries.c.watched_on), Integer)
    rows = conn.execute(
        select(year.label("year"), func.count(), func.coalesce(func.sum(titles.c.runtime_minutes), 0))
        .select_from(diary_entries)
        .outerjoin(titles, titles.c.title_id == diary_entries.c.title_id)
        .where(diary_entries.c.user_id == user_id, diary_entries.c.watched_on.is_not(None))
        .group_by(year)
        .order_by(year)
    ).all()
    return [(int(r[0]), int(r[1]), int(r[2] or 0)) for r in rows]


def member_top_genres(conn: Connection, user_id: int, limit: int) -> list[tuple[str, int]]:
    """The genres of the films the member saw (distinct films), most seen first."""
    films = func.count(distinct(titles.c.title_key))
    rows = conn.execute(
        select(title_genres.c.genre, films)
        .select_from(diary_entries)
        .join(titles, titles.c.title_id == diary_entries.c.title_id)
        .join(title_genres, title_genres.c.title_key == titles.c.title_key)
        .where(diary_entries.c.user_id == user_id)
        .group_by(title_genres.c.genre)
        .order_by(films.desc(), title_genres.c.genre)
        .limit(limit)
    ).all()
    return [(str(r[0]), int(r[1])) for r in rows]


def member_people(
    conn: Connection, user_id: int, categories: tuple[str, ...], limit: int, *, top_billed: int | None = None
) -> list[tuple[str, str, int]]:
    """(person id, name, films) for the people of these credit categories in the films the member saw."""
    films = func.count(distinct(titles.c.title_key))
    query = (
        select(people.c.person_id, people.c.name, films)
        .select_from(diary_entries)
        .join(titles, titles.c.title_id == diary_entries.c.title_id)
        .join(credits, credits.c.title_key == titles.c.title_key)
        .join(people, people.c.person_key == credits.c.person_key)
        .where(diary_entries.c.user_id == user_id, credits.c.category.in_(categories))
        .group_by(people.c.person_id, people.c.name)
        .order_by(films.desc(), people.c.name, people.c.person_id)
        .limit(limit)
    )
    if top_billed is not None:
        query = query.where(credits.c.ordering <= top_billed)
    return [(str(r[0]), str(r[1]), int(r[2])) for r in conn.execute(query).all()]


def member_ratings_histogram(conn: Connection, user_id: int) -> dict[int, int]:
    """How many films the member gave each score 1–10 (scores never given are left out)."""
    rows = conn.execute(
        select(member_ratings.c.score, func.count())
        .where(member_ratings.c.user_id == user_id)
        .group_by(member_ratings.c.score)
    ).all()
    return {int(r[0]): int(r[1]) for r in rows}


def _count(conn: Connection, query: Any) -> int:
    return int(conn.execute(query).scalar() or 0)


def member_counts(conn: Connection, user_id: int) -> dict[str, int]:
    """How many viewings, films seen, watchlist entries, lists, ratings and reviews the member has."""
    return {
        "viewings": _count(conn, select(func.count()).where(diary_entries.c.user_id == user_id)),
        "films": _count(
            conn,
            select(func.count(distinct(diary_entries.c.title_id))).where(diary_entries.c.user_id == user_id),
        ),
        "watchlist": _count(conn, select(func.count()).where(watchlist.c.user_id == user_id)),
        "lists": _count(conn, select(func.count()).where(member_lists.c.user_id == user_id)),
        "ratings": _count(conn, select(func.count()).where(member_ratings.c.user_id == user_id)),
        "reviews": _count(
            conn,
            select(func.count()).where(
                member_reviews.c.user_id == user_id, member_reviews.c.status == "visible"
            ),
        ),
    }


def site_counts(conn: Connection) -> dict[str, int]:
    """The site's totals: members, viewings, ratings, reviews, lists."""
    return {
        "members": _count(conn, select(func.count()).select_from(users)),
        "viewings": _count(conn, select(func.count()).select_from(diary_entries)),
        "ratings": _count(conn, select(func.count()).select_from(member_ratings)),
        "reviews": _count(conn, select(func.count()).where(member_reviews.c.status == "visible")),
        "lists": _count(conn, select(func.count()).select_from(member_lists)),
    }


def most_watched(conn: Connection, limit: int) -> list[tuple[str, str | None, int | None, int]]:
    """(film id, title, year, viewings) for the films logged most often by all members."""
    seen = func.count()
    rows = conn.execute(
        select(diary_entries.c.title_id, titles.c.primary_title, titles.c.start_year, seen)
        .select_from(diary_entries)
        .outerjoin(titles, titles.c.title_id == diary_entries.c.title_id)
        .group_by(diary_entries.c.title_id, titles.c.primary_title, titles.c.start_year)
        .order_by(seen.desc(), diary_entries.c.title_id)
        .limit(limit)
    ).all()
    return [(str(r[0]), r[1], r[2], int(r[3])) for r in rows]


def most_rated(conn: Connection, limit: int) -> list[tuple[str, str | None, int | None, int, float]]:
    """(film id, title, year, ratings, average score) for the films members rated most often."""
    votes = func.count()
    rows = conn.execute(
        select(
            member_ratings.c.title_id,
            titles.c.primary_title,
            titles.c.start_year,
            votes,
            func.avg(member_ratings.c.score),
        )
        .select_from(member_ratings)
        .outerjoin(titles, titles.c.title_id == member_ratings.c.title_id)
        .group_by(member_ratings.c.title_id, titles.c.primary_title, titles.c.start_year)
        .order_by(votes.desc(), member_ratings.c.title_id)
        .limit(limit)
    ).all()
    return [(str(r[0]), r[1], r[2], int(r[3]), float(r[4])) for r in rows]


def busiest_members(conn: Connection, limit: int) -> list[tuple[str, int]]:
    """(member name, viewings logged) for the members who logged the most viewings."""
    seen = func.count()
    rows = conn.execute(
        select(users.c.name, seen)
        .select_from(diary_entries)
        .join(users, users.c.id == diary_entries.c.user_id)
        .where(users.c.disabled.is_(False))
        .group_by(users.c.id, users.c.name)
        .order_by(seen.desc(), users.c.name)
        .limit(limit)
    ).all()
    return [(str(r[0]), int(r[1])) for r in rows]
