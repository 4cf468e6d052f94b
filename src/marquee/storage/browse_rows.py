"""The SQL of browse and the imported-ratings charts (``services.browse``), on the browse index.

Everything reads the browse index (``storage.browse_index``: one narrow row per title and per
genre of a title, clustered by genre, kind and year, with one index per sort), never a join of
titles, genres and ratings over all matches. Queries are SQLAlchemy Core built by pure functions
(``browse_query``, ``count_query``, ``chart_query``) from a ``BrowseWhere`` of plain values, the
same on both backends. Every ordering ends with the title's id, so pages are stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, Float, Select, cast, func, literal, literal_column, select, text
from sqlalchemy.engine import Connection

from marquee.errors import InputError
from marquee.storage import browse_index, schema
from marquee.storage.search_index import split_rowid
from marquee.storage.search_queries import name_candidates_sql

__all__ = [
    "SORTS",
    "SORT_FIRST",
    "BrowseWhere",
    "Plan",
    "browse_page",
    "browse_query",
    "chart_query",
    "check_sort",
    "count_query",
    "genres_with_titles",
    "hit_rows",
    "most_voted_ranked",
    "person_ids_by_id",
    "person_ids_named",
    "top_rated_ranked",
    "walks",
]

SORTS: tuple[str, ...] = ("votes", "rating", "year", "title")
Plan = Literal["walk", "sort", "auto"]

t = schema.titles
r = schema.imdb_ratings
b = browse_index.title_browse  # what browse and charts read (storage.browse_index)


@dataclass(frozen=True)
class BrowseWhere:
    """Filters resolved to what the browse index stores (the service builds it from ``BrowseFilters``).

    ``genres``: the index's genre keys (``[browse_index.ALL]`` for every title); ``year_low`` /
    ``year_high``: a year range (a decade already folded in); ``kinds``: IMDb title types (None:
    any); ``person_keys``: the person filter resolved to ``people.person_key`` (None: no person filter).
    """

    genres: list[str] = field(default_factory=lambda: [browse_index.ALL])
    year_low: int | None = None
    year_high: int | None = None
    kinds: tuple[str, ...] | None = None
    min_rating: float | None = None
    min_votes: int | None = None
    runtime_min: int | None = None
    runtime_max: int | None = None
    location: str | None = None
    person_keys: Sequence[int] | None = None
    only_genre_and_kind: bool = False  # the total can be read from the counts table


def _column(name: str, unindexed: bool) -> ColumnElement[Any]:
    """A browse column, or (SQLite) the same with a unary ``+``, which keeps the planner off its index.

    A page walked in a sort index's order must not be read from another index and sorted.
    """
    if unindexed:
        return literal_column(f"+title_browse.{name}", type_=b.c[name].type)
    return b.c[name]


def filter_conditions(where: BrowseWhere, walk: str | None = None) -> list[ColumnElement[bool]]:
    """WHERE conditions on the browse index; ``walk`` is the sort whose index a SQLite walk reads."""

    def col(name: str) -> ColumnElement[Any]:
        # The walked index's first sort column may bound the walk; nothing else may choose the index.
        return _column(name, walk is not None and name != SORT_FIRST[walk])

    conds: list[ColumnElement[bool]] = [b.c.genre.in_(where.genres)]
    low, high = where.year_low, where.year_high
    if low is not None or high is not None:
        # Unknown years are stored as 0: a year filter never matches them.
        conds.append(col("start_year") >= max(low or 1, 1))
    if high is not None:
        conds.append(col("start_year") <= high)
    if where.kinds:
        conds.append(col("kind").in_(where.kinds))
    if where.min_rating is not None:
        # Unrated titles are stored with rating -1: a rating filter never matches them.
        conds.append(col("rating") >= max(where.min_rating, 0.0))
    if where.min_votes is not None:
        conds.append(col("votes") >= where.min_votes)
    if where.runtime_min is not None:
        conds.append(col("runtime_minutes") >= where.runtime_min)
    if where.runtime_max is not None:
        conds.append(col("runtime_minutes") <= where.runtime_max)
    if where.person_keys is not None:
        c = schema.credits
        credited = select(c.c.title_key).where(c.c.person_key.in_(where.person_keys or [-1]))
        conds.append(b.c.title_key.in_(credited))
    if where.location:
        loc = schema.filming_locations
        pattern = "%" + where.location.strip().lower().replace("%", "").replace("_", "") + "%"
        conds.append(b.c.title_key.in_(select(loc.c.title_key).where(func.lower(loc.c.place).like(pattern))))
    return conds


_SORT_KEYS: dict[str, tuple[tuple[str, bool], ...]] = {  # (column, descending) per sort
    "votes": (("votes", True), ("rating", True), ("title_key", True)),
    "rating": (("rating", True), ("votes", True), ("title_key", True)),
    "year": (("start_year", True), ("votes", True), ("title_key", True)),
    "title": (("sort_title", False), ("start_year", False), ("title_key", False)),
}


def check_sort(sort: str) -> None:
    """InputError for a sort that is not one of ``SORTS``."""
    if sort not in _SORT_KEYS:
        raise InputError(f"sort: {sort!r} is not one of {', '.join(SORTS)}")


def _order(sort: str, unindexed: bool = False) -> list[ColumnElement[Any]]:
    """ORDER BY for a sort name (best first, newest first, or A to Z): its index's column order.

    ``unindexed`` (SQLite): the planner may not satisfy the order from an index (so it reads the
    matches from the index that filters best, and sorts them).
    """
    check_sort(sort)
    keys = [(_column(name, unindexed), desc) for name, desc in _SORT_KEYS[sort]]
    return [key.desc() if desc else key.asc() for key, desc in keys]


SORT_FIRST = {sort: keys[0][0] for sort, keys in _SORT_KEYS.items()}
# A walk reads about (offset + page) × group ÷ matches index entries (a row lookup each, for the
# filters the index lacks); a sort reads every match and sorts it, about twice the work per row.
SORT_COST = 2


def walks(matches: int, group: int, offset: int, per_page: int) -> bool:
    """True when walking the sort's index reads fewer rows than reading and sorting every match."""
    return matches > 0 and (offset + per_page) * group < SORT_COST * matches * matches


def browse_query(
    where: BrowseWhere, *, sort: str, page: int, per_page: int, plan: Plan = "auto"
) -> Select[Any]:
    """The page's title ids in order.

    SQLite is told how: ``walk`` reads the sort's index in order, checking the filters, and stops
    after the page; ``sort`` reads the matches from the index that filters best and sorts them.
    ``auto`` leaves the choice to the planner (PostgreSQL weighs it from its statistics).
    """
    order = _order(sort, unindexed=plan == "sort")
    conds = filter_conditions(where, sort if plan == "walk" else None)
    return select(b.c.title_key).where(*conds).order_by(*order).limit(per_page).offset((page - 1) * per_page)


def count_query(where: BrowseWhere) -> Select[Any]:
    return select(func.count()).select_from(b).where(*filter_conditions(where))


def browse_page(
    conn: Connection, where: BrowseWhere, *, sort: str, page: int, per_page: int
) -> tuple[int, list[int]]:
    """How many titles match in all, and the page's title ids in order.

    The exact total first (genre and kind alone: from the counts table), then the page: walked in
    its sort's index when the matches are many, else read and sorted (``walks``).
    """
    if where.only_genre_and_kind:
        total = browse_index.counts(conn, where.genres, where.kinds)
    else:
        total = int(conn.execute(count_query(where)).scalar_one())
    offset = (page - 1) * per_page
    if offset >= total:
        return total, []
    plan: Plan = "auto"
    if conn.dialect.name == "sqlite":
        group = browse_index.counts(conn, where.genres, None)
        plan = "walk" if walks(total, group, offset, per_page) else "sort"
    query = browse_query(where, sort=sort, page=page, per_page=per_page, plan=plan)
    return total, [int(i) for i in conn.execute(query).scalars()]


def hit_rows(conn: Connection, title_keys: Sequence[int]) -> dict[int, Any]:
    """Per title id: title_id, primary title, start year, kind, rating average, scale, votes."""
    if not title_keys:
        return {}
    columns = (
        t.c.title_key,
        t.c.title_id,
        t.c.primary_title,
        t.c.start_year,
        t.c.kind,
        r.c.average,
        r.c.scale,
        r.c.votes,
    )
    query = (
        select(*columns)
        .select_from(t.outerjoin(r, r.c.title_key == t.c.title_key))
        .where(t.c.title_key.in_(title_keys))
    )
    return {row[0]: row for row in conn.execute(query)}


# ---------------------------------------------------------------- the person filter


def person_ids_by_id(conn: Connection, person_id: str) -> list[int]:
    """``people.person_key`` of the person with this nm… id (none or one)."""
    p = schema.people
    return [int(i) for i in conn.execute(select(p.c.person_key).where(p.c.person_id == person_id)).scalars()]


def person_ids_named(conn: Connection, clauses: list[list[str]], folded: str) -> list[int]:
    """``people.person_key`` of the people whose folded name is exactly ``folded``, found through the name
    index by ``clauses`` (per word, substrings the name must hold: ``search.word_match``)."""
    sql, params = name_candidates_sql(conn.dialect.name, "person_search", clauses, None, 1000)
    ids = []
    for row in conn.execute(text(sql), params):
        pid = split_rowid(row[0])[0] if conn.dialect.name == "sqlite" else row[0]
        if row[1].strip() == folded:
            ids.append(pid)
    return ids


# ---------------------------------------------------------------- charts


def chart_query(where: BrowseWhere, m: int, c: float, limit: int) -> Select[Any]:
    """Eligible rated titles' ids ordered by weighted rating WR = v/(v+m)·R + m/(v+m)·C."""
    rating, v = b.c.rating, cast(b.c.votes, Float)
    if m > 0:
        weighted = (v / (v + m) * rating + literal(float(m)) / (v + m) * literal(c)).label("weighted")
    else:  # m = 0 is the plain mean rating (and v + m may be 0)
        weighted = (rating * 1.0).label("weighted")
    return (
        select(b.c.title_key, weighted)
        .where(*filter_conditions(where), b.c.rating >= 0)
        .order_by(weighted.desc(), b.c.votes.desc(), b.c.start_year, b.c.title_key)
        .limit(limit)
    )


def top_rated_ranked(
    conn: Connection, where: BrowseWhere, m: int, limit: int
) -> tuple[float, list[tuple[int, float]]]:
    """C (the mean rating over the titles eligible for this chart) and the (title id, weighted
    rating) of the best ``limit`` of them."""
    mean = select(func.avg(b.c.rating)).where(*filter_conditions(where), b.c.rating >= 0)
    c_value = conn.execute(mean).scalar()
    c = float(c_value) if c_value is not None else 0.0
    return c, [(int(i), float(w)) for i, w in conn.execute(chart_query(where, m, c, limit))]


def most_voted_ranked(conn: Connection, where: BrowseWhere, limit: int) -> list[tuple[int, float]]:
    """(title id, votes) of the ``limit`` most voted eligible titles."""
    walk = "votes" if conn.dialect.name == "sqlite" else None
    query = (
        select(b.c.title_key, b.c.votes)
        .where(*filter_conditions(where, walk))
        .order_by(*_order("votes"))
        .limit(limit)
    )
    return [(int(i), float(v)) for i, v in conn.execute(query)]


def genres_with_titles(conn: Connection, kinds: Sequence[str] | None, min_titles: int) -> list[str]:
    """Genres that have at least ``min_titles`` titles of these kinds (None: any), A to Z."""
    g = schema.title_genres
    query = select(g.c.genre).select_from(g.join(t, t.c.title_key == g.c.title_key)).group_by(g.c.genre)
    if kinds:
        query = query.where(t.c.kind.in_(kinds))
    query = query.having(func.count() >= min_titles).order_by(g.c.genre)
    return [str(x) for x in conn.execute(query).scalars()]
