"""Similar films (issue 21): ``title_similar`` holds each film's neighbours, best first.

Rows name films by ``title_id`` (like members' rows) so replacing a film in an import keeps them;
a neighbour whose film is gone drops out of every read (they join ``titles``). Lists are written
whole (``replace_all``), for a re-import's films (``replace_some``) or one rated film (``replace``).
Here: the table, the reads that gather features and ratings, the writes, and the reads a film page,
the API and a member's recommendations make."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection

from marquee.storage.community_schema import member_ratings
from marquee.storage.library_schema import diary_entries, list_items, member_lists, watchlist
from marquee.storage.schema import credits, imdb_ratings, people, title_genres, titles
from marquee.storage.tables import metadata

__all__ = [
    "FeatureRow",
    "SimilarRow",
    "all_features",
    "all_ratings",
    "features_for",
    "group_candidates",
    "iter_features",
    "listing",
    "member_exclusions",
    "member_ratings_of",
    "neighbour_lists",
    "neighbourhood",
    "replace",
    "replace_all",
    "replace_some",
    "similar_of",
    "title_similar",
    "titles_of",
]

Lists = Iterable[tuple[str, Sequence[tuple[str, float, str]]]]  # (title_id, [(similar_id, score, reason)])

title_similar = Table(
    "title_similar",
    metadata,
    Column("title_id", String, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("similar_id", String, nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", String, nullable=False),
    PrimaryKeyConstraint("title_id", "rank"),
)

CAST = ("actor", "actress", "self", "star")
TOP_CAST = 5


@dataclass(frozen=True)
class FeatureRow:
    """What the scoring reads of one film (people: (role, person_id, name) in billing order)."""

    title_id: str
    kind: str
    year: int | None
    genres: tuple[str, ...]
    people: tuple[tuple[str, str, str], ...]
    votes: int


@dataclass(frozen=True)
class SimilarRow:
    """A stored neighbour, with what a list of films shows."""

    title_id: str
    title: str
    year: int | None
    kind: str
    score: float
    reason: str


def _features(
    conn: Connection, title_filter: Any | None, id_range: tuple[int, int] | None = None
) -> dict[str, FeatureRow]:
    """Features of the titles ``title_filter`` (a where clause on ``titles``) selects, of the ids in
    ``id_range`` (inclusive), or of all."""
    base = select(
        titles.c.title_key, titles.c.title_id, titles.c.kind, titles.c.start_year, imdb_ratings.c.votes
    ).select_from(titles.outerjoin(imdb_ratings, imdb_ratings.c.title_key == titles.c.title_key))
    if title_filter is not None:
        base = base.where(title_filter)
    if id_range is not None:
        base = base.where(titles.c.title_key.between(*id_range))
    rows = {r[0]: r for r in conn.execute(base)}
    genres: dict[int, list[str]] = {}
    people_of: dict[int, list[tuple[int, str, str, str]]] = {}
    ids = list(rows)
    gq = select(title_genres.c.title_key, title_genres.c.genre).order_by(
        title_genres.c.title_key, title_genres.c.ordering
    )
    cq = (
        select(credits.c.title_key, credits.c.category, credits.c.ordering, people.c.person_id, people.c.name)
        .join(people, people.c.person_key == credits.c.person_key)
        .where(credits.c.category.in_(("director", "writer", *CAST)))
    )
    if id_range is not None:
        chunks: list[tuple[Any, Any]] = [
            (
                gq.where(title_genres.c.title_key.between(*id_range)),
                cq.where(credits.c.title_key.between(*id_range)),
            )
        ]
    elif title_filter is not None:
        chunks = [
            (gq.where(title_genres.c.title_key.in_(part)), cq.where(credits.c.title_key.in_(part)))
            for part in (ids[i : i + 5000] for i in range(0, len(ids), 5000))
        ]
    else:
        chunks = [(gq, cq)]
    cast_roles = set(CAST)
    for genre_query, credit_query in chunks:
        for title_key, genre in conn.execute(genre_query):
            if title_key in rows:
                genres.setdefault(title_key, []).append(genre)
        for title_key, category, ordering, person_id, name in conn.execute(credit_query):
            if title_key in rows:
                role = "cast" if category in cast_roles else category
                people_of.setdefault(title_key, []).append((ordering, role, person_id, name))
    out: dict[str, FeatureRow] = {}
    for title_key, (_, title_id, kind, year, votes) in rows.items():
        credited = sorted(people_of.get(title_key, []), key=lambda p: (p[1] == "cast", p[0], p[2]))
        picked: list[tuple[str, str, str]] = []
        billed: set[str] = set()
        for _, role, person_id, name in credited:
            if role == "cast":
                if len(billed) >= TOP_CAST or person_id in billed:
                    continue
                billed.add(person_id)
            picked.append((role, person_id, name))
        out[title_id] = FeatureRow(
            title_id, kind, year, tuple(genres.get(title_key, ())), tuple(picked), votes or 0
        )
    return out


def all_features(conn: Connection) -> dict[str, FeatureRow]:
    """Every title's features (small catalogues and tests; the bulk build streams ``iter_features``)."""
    return _features(conn, None)


def iter_features(conn: Connection, batch: int = 20_000) -> Iterator[FeatureRow]:
    """Every title's features, ``batch`` titles (by id) at a time: the bulk build never holds the
    whole catalogue as rows. A batch is counted in titles, not ids: sparse ids (an IMDb excerpt's)
    cost one batch, not a round of queries for each range of ``batch`` ids."""
    start, end = conn.execute(select(func.min(titles.c.title_key), func.max(titles.c.title_key))).one()
    key = titles.c.title_key
    while start is not None:
        following = conn.execute(
            select(key).where(key >= start).order_by(key).offset(batch).limit(1)
        ).scalar()
        yield from _features(conn, None, (start, end if following is None else following - 1)).values()
        start = following


def features_for(conn: Connection, title_ids: Iterable[str]) -> dict[str, FeatureRow]:
    """The features of these titles (unknown ids are left out)."""
    wanted = list(dict.fromkeys(title_ids))
    out: dict[str, FeatureRow] = {}
    for i in range(0, len(wanted), 5000):
        out.update(_features(conn, titles.c.title_id.in_(wanted[i : i + 5000])))
    return out


def all_ratings(conn: Connection) -> Iterator[tuple[str, str]]:
    """Every (member id, title_id) that members rated."""
    for row in conn.execute(select(member_ratings.c.user_id, member_ratings.c.title_id)):
        yield str(row.user_id), row.title_id


def group_candidates(
    conn: Connection, kind: str, genre: str | None, decade: int | None, limit: int
) -> list[str]:
    """The most-voted titles of a kind and genre, or of a kind and decade (ties by id)."""
    query = (
        select(titles.c.title_id)
        .select_from(titles.outerjoin(imdb_ratings, imdb_ratings.c.title_key == titles.c.title_key))
        .where(titles.c.kind == kind)
        .order_by(func.coalesce(imdb_ratings.c.votes, 0).desc(), titles.c.title_id)
        .limit(limit)
    )
    if genre is not None:
        query = query.where(
            titles.c.title_key.in_(select(title_genres.c.title_key).where(title_genres.c.genre == genre))
        )
    if decade is not None:
        query = query.where(titles.c.start_year.between(decade, decade + 9))
    return list(conn.execute(query).scalars())


def neighbourhood(
    conn: Connection, title_id: str, max_person_titles: int
) -> tuple[set[str], dict[str, int], dict[str, int]]:
    """Around one film: titles sharing its people, co-rating counts, and each title's rating count."""
    title_key = select(titles.c.title_key).where(titles.c.title_id == title_id).scalar_subquery()
    mine = select(credits.c.person_key).where(
        credits.c.title_key == title_key, credits.c.category.in_(("director", "writer", *CAST))
    )
    small = (
        select(credits.c.person_key)
        .where(credits.c.person_key.in_(mine))
        .group_by(credits.c.person_key)
        .having(func.count() <= max_person_titles)
    )
    shared = set(
        conn.execute(
            select(titles.c.title_id)
            .join(credits, credits.c.title_key == titles.c.title_key)
            .where(credits.c.person_key.in_(small))
            .distinct()
        ).scalars()
    )
    raters = select(member_ratings.c.user_id).where(member_ratings.c.title_id == title_id)
    co = {
        row.title_id: int(row.n)
        for row in conn.execute(
            select(member_ratings.c.title_id, func.count().label("n"))
            .where(member_ratings.c.user_id.in_(raters))
            .group_by(member_ratings.c.title_id)
        )
    }
    co.pop(title_id, None)
    wanted = [title_id, *co]
    counts: dict[str, int] = {}
    for i in range(0, len(wanted), 5000):
        for row in conn.execute(
            select(member_ratings.c.title_id, func.count().label("n"))
            .where(member_ratings.c.title_id.in_(wanted[i : i + 5000]))
            .group_by(member_ratings.c.title_id)
        ):
            counts[row.title_id] = int(row.n)
    return shared, co, counts


def replace(conn: Connection, title_id: str, rows: Sequence[tuple[str, float, str]]) -> None:
    """Set one film's neighbours (similar title_id, score, reason), best first.

    On PostgreSQL two members rating one film at once would both delete (seeing none of the other's
    rows yet) and then clash inserting rank 1: a lock on the film for the transaction makes them take
    turns. (SQLite's write lock already does.)
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"similar:{title_id}"})
    conn.execute(delete(title_similar).where(title_similar.c.title_id == title_id))
    if rows:
        conn.execute(
            insert(title_similar),
            [
                {"title_id": title_id, "rank": rank, "similar_id": other, "score": score, "reason": reason}
                for rank, (other, score, reason) in enumerate(rows, 1)
            ],
        )


def replace_all(conn: Connection, lists: Lists) -> int:
    """Replace every film's neighbours; returns how many rows were written.

    Rows go to the driver's ``executemany`` as plain tuples, 10,000 at a time (SQLAlchemy's
    per-row parameter processing was a third of a rebuild's time).
    """
    conn.execute(delete(title_similar))
    return _insert_lists(conn, lists)


def replace_some(conn: Connection, title_ids: Collection[str], lists: Lists) -> int:
    """Replace the neighbours of ``title_ids`` (each loses its list, then ``lists`` are written: a
    film without one keeps none); returns how many rows were written."""
    ids = sorted(title_ids)
    for i in range(0, len(ids), 5000):
        conn.execute(delete(title_similar).where(title_similar.c.title_id.in_(ids[i : i + 5000])))
    return _insert_lists(conn, lists)


def listing(conn: Connection, title_ids: Collection[str]) -> set[str]:
    """The films whose stored list names any of ``title_ids``."""
    ids, found = sorted(title_ids), set[str]()
    query = select(title_similar.c.title_id).where(
        title_similar.c.similar_id.in_(bindparam("ids", expanding=True))
    )
    for i in range(0, len(ids), 5000):
        found.update(conn.execute(query.distinct(), {"ids": ids[i : i + 5000]}).scalars())
    return found


def _insert_lists(conn: Connection, lists: Lists) -> int:
    """Write films' lists (rank from 1) through the driver's ``executemany``, 10,000 rows at a time."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        "INSERT INTO title_similar (title_id, rank, similar_id, score, reason) "
        f"VALUES ({', '.join([mark] * 5)})"
    )
    written = 0
    batch: list[tuple[str, int, str, float, str]] = []
    for title_id, rows in lists:
        batch.extend(
            (title_id, rank, other, score, reason) for rank, (other, score, reason) in enumerate(rows, 1)
        )
        if len(batch) >= 10_000:
            conn.exec_driver_sql(sql, batch)
            written += len(batch)
            batch = []
    if batch:
        conn.exec_driver_sql(sql, batch)
        written += len(batch)
    return written


def similar_of(conn: Connection, title_id: str, limit: int) -> list[SimilarRow]:
    """A film's stored neighbours that are still in the catalogue, best first (none if the film
    itself is gone: one query answers both, the film page's only read here)."""
    source = titles.alias("source")
    named = (titles.c.title_id, titles.c.primary_title, titles.c.start_year, titles.c.kind)
    query = (
        select(*named, title_similar.c.score, title_similar.c.reason)
        .join(titles, titles.c.title_id == title_similar.c.similar_id)
        .where(title_similar.c.title_id == title_id, exists().where(source.c.title_id == title_id))
        .order_by(title_similar.c.rank)
        .limit(limit)
    )
    return [SimilarRow(r[0], r[1], r[2], r[3], r[4], r[5]) for r in conn.execute(query)]


def neighbour_lists(conn: Connection, title_ids: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """Stored neighbours (title_id, score) of these films, best first."""
    out: dict[str, list[tuple[str, float]]] = {}
    query = (
        select(title_similar.c.title_id, title_similar.c.similar_id, title_similar.c.score)
        .where(title_similar.c.title_id.in_(bindparam("ids", expanding=True)))
        .order_by(title_similar.c.title_id, title_similar.c.rank)
    )
    for i in range(0, len(title_ids), 5000):
        for row in conn.execute(query, {"ids": list(title_ids[i : i + 5000])}):
            out.setdefault(row.title_id, []).append((row.similar_id, row.score))
    return out


def member_ratings_of(conn: Connection, member: int) -> dict[str, tuple[int, Any]]:
    """The member's ratings, title_id → (1–10, when last rated)."""
    query = select(member_ratings.c.title_id, member_ratings.c.score, member_ratings.c.updated_at).where(
        member_ratings.c.user_id == member
    )
    return {row.title_id: (int(row.score), row.updated_at) for row in conn.execute(query)}


def member_exclusions(conn: Connection, member: int) -> set[str]:
    """What the member logged in their diary, put on their watchlist or on one of their lists."""
    found: set[str] = set()
    found.update(conn.execute(select(watchlist.c.title_id).where(watchlist.c.user_id == member)).scalars())
    found.update(
        conn.execute(select(diary_entries.c.title_id).where(diary_entries.c.user_id == member)).scalars()
    )
    found.update(
        conn.execute(
            select(list_items.c.title_id)
            .join(member_lists, member_lists.c.id == list_items.c.list_id)
            .where(member_lists.c.user_id == member)
        ).scalars()
    )
    return found


def titles_of(conn: Connection, title_ids: Sequence[str]) -> dict[str, tuple[str, int | None, str]]:
    """Title, year and kind of these films (unknown ids left out)."""
    out: dict[str, tuple[str, int | None, str]] = {}
    query = select(titles.c.title_id, titles.c.primary_title, titles.c.start_year, titles.c.kind).where(
        titles.c.title_id.in_(bindparam("ids", expanding=True))
    )
    for i in range(0, len(title_ids), 5000):
        for row in conn.execute(query, {"ids": list(title_ids[i : i + 5000])}):
            out[row.title_id] = (row.primary_title, row.start_year, row.kind)
    return out
