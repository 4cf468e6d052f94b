"""Browse with filters that combine, and charts (IMDb's Top 250 weighted rating, most voted).

Everything reads the browse index (``storage.browse_index``: one narrow row per title and per
genre of a title, clustered by genre, kind and year, with one index per sort), never a join
of titles, genres and ratings over all matches. Queries are SQLAlchemy Core built by pure
functions (``browse_query``, ``count_query``, ``chart_query``), the same on both backends.
Every ordering ends with the title's id, so pages are stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Float, Select, cast, func, literal, literal_column, select, text
from sqlalchemy.engine import Connection

from marquee.errors import InputError
from marquee.formats.query import fold
from marquee.services.search import TitleHit, kinds_for, name_candidates_sql, word_match
from marquee.storage import browse_index, schema
from marquee.storage.base import Store
from marquee.storage.search_index import split_rowid

__all__ = [
    "SORTS",
    "BrowseFilters",
    "BrowsePage",
    "Chart",
    "ChartEntry",
    "browse",
    "browse_query",
    "chart_genres",
    "count_query",
    "hits",
    "most_voted",
    "top_rated",
    "walks",
    "weighted_rating_formula",
]

Sort = Literal["votes", "rating", "year", "title"]
SORTS: tuple[str, ...] = ("votes", "rating", "year", "title")
MAX_PER_PAGE = 500

t = schema.titles
r = schema.imdb_ratings
b = browse_index.title_browse  # what browse and charts read (storage.browse_index)


class BrowseFilters(BaseModel):
    """Filters that combine (every one given must hold); None means no filter."""

    model_config = ConfigDict(extra="forbid")

    genre: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    decade: int | None = Field(default=None, description="first year of a decade, e.g. 1980")
    kind: str | None = Field(
        default=None, description="IMDb titleType or movie/series/episode/short/video/game"
    )
    min_rating: float | None = Field(default=None, description="out of 10")
    min_votes: int | None = None
    runtime_min: int | None = None
    runtime_max: int | None = None
    person: str | None = Field(default=None, description="nm… id, slug, or name")
    location: str | None = Field(default=None, description="part of a filming location, e.g. Los Angeles")


class BrowsePage(BaseModel):
    """One page of browse results, and how many match in all."""

    items: list[TitleHit]
    total: int
    page: int
    per_page: int


class ChartEntry(BaseModel):
    rank: int
    hit: TitleHit
    weighted: float = Field(description="the value the chart is ordered by (weighted rating, or votes)")
    score: float | None = Field(
        default=None, description="the basis's own value: members' mean (of 10) or critics' % (not IMDb's)"
    )
    count: int | None = Field(default=None, description="members' ratings or critics' reviews behind it")


class Chart(BaseModel):
    """A ranked list with the numbers that made it, so pages can show the formula."""

    entries: list[ChartEntry]
    m: int | None = Field(description="votes needed to count fully (Top 250's m)")
    c: float | None = Field(description="mean rating of the chart's eligible titles (Top 250's C)")
    formula: str
    basis: str = Field(default="imported", description="what it ranks by: members, imported or critics")
    basis_label: str = Field(default="", description="the basis in words, for the page")


# ---------------------------------------------------------------- building queries (pure)


def _decade_years(decade: int) -> tuple[int, int]:
    if decade % 10:
        raise InputError(f"decade: {decade} is not the first year of a decade (e.g. 1980)")
    return decade, decade + 9


def _genres(filters: BrowseFilters) -> list[str]:
    """The browse index's genre keys for the filter (every title's rows when there is no genre)."""
    if not filters.genre or not filters.genre.strip():
        return [browse_index.ALL]
    # Keys fold case and hyphens: "sci fi" and "SCI-FI" find Sci-Fi, "reality tv" Reality-TV.
    return browse_index.genre_keys(filters.genre)


def _column(name: str, unindexed: bool) -> ColumnElement[Any]:
    """A browse column, or (SQLite) the same with a unary ``+``, which keeps the planner off its index.

    A page walked in a sort index's order must not be read from another index and sorted.
    """
    if unindexed:
        return literal_column(f"+title_browse.{name}", type_=b.c[name].type)
    return b.c[name]


def filter_conditions(
    filters: BrowseFilters, person_ids: Sequence[int] | None, walk: str | None = None
) -> list[ColumnElement[bool]]:
    """WHERE conditions on the browse index; ``walk`` is the sort whose index a SQLite walk reads.

    ``person_ids`` is the person filter already resolved.
    """

    def col(name: str) -> ColumnElement[Any]:
        # The walked index's first sort column may bound the walk; nothing else may choose the index.
        return _column(name, walk is not None and name != SORT_FIRST[walk])

    conds: list[ColumnElement[bool]] = [b.c.genre.in_(_genres(filters))]
    low, high = filters.year_from, filters.year_to
    if filters.decade is not None:
        d_low, d_high = _decade_years(filters.decade)
        low, high = max(low or d_low, d_low), min(high or d_high, d_high)
    if low is not None or high is not None:
        # Unknown years are stored as 0: a year filter never matches them.
        conds.append(col("start_year") >= max(low or 1, 1))
    if high is not None:
        conds.append(col("start_year") <= high)
    kinds = kinds_for(filters.kind)
    if kinds:
        conds.append(col("kind").in_(kinds))
    if filters.min_rating is not None:
        # Unrated titles are stored with rating -1: a rating filter never matches them.
        conds.append(col("rating") >= max(filters.min_rating, 0.0))
    if filters.min_votes is not None:
        conds.append(col("votes") >= filters.min_votes)
    if filters.runtime_min is not None:
        conds.append(col("runtime_minutes") >= filters.runtime_min)
    if filters.runtime_max is not None:
        conds.append(col("runtime_minutes") <= filters.runtime_max)
    if person_ids is not None:
        c = schema.credits
        credited = select(c.c.title_id).where(c.c.person_id.in_(person_ids or [-1]))
        conds.append(b.c.title_id.in_(credited))
    if filters.location:
        loc = schema.filming_locations
        pattern = "%" + filters.location.strip().lower().replace("%", "").replace("_", "") + "%"
        conds.append(b.c.title_id.in_(select(loc.c.title_id).where(func.lower(loc.c.place).like(pattern))))
    return conds


_SORT_KEYS: dict[str, tuple[tuple[str, bool], ...]] = {  # (column, descending) per sort
    "votes": (("votes", True), ("rating", True), ("title_id", True)),
    "rating": (("rating", True), ("votes", True), ("title_id", True)),
    "year": (("start_year", True), ("votes", True), ("title_id", True)),
    "title": (("sort_title", False), ("start_year", False), ("title_id", False)),
}


def _order(sort: str, unindexed: bool = False) -> list[ColumnElement[Any]]:
    """ORDER BY for a sort name (best first, newest first, or A to Z): its index's column order.

    ``unindexed`` (SQLite): the planner may not satisfy the order from an index (so it reads the
    matches from the index that filters best, and sorts them).
    """
    if sort not in _SORT_KEYS:
        raise InputError(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    keys = [(_column(name, unindexed), desc) for name, desc in _SORT_KEYS[sort]]
    return [key.desc() if desc else key.asc() for key, desc in keys]


SORT_FIRST = {sort: keys[0][0] for sort, keys in _SORT_KEYS.items()}
# A walk reads about (offset + page) × group ÷ matches index entries (a row lookup each, for the
# filters the index lacks); a sort reads every match and sorts it, about twice the work per row.
SORT_COST = 2


def walks(matches: int, group: int, offset: int, per_page: int) -> bool:
    """True when walking the sort's index reads fewer rows than reading and sorting every match."""
    return matches > 0 and (offset + per_page) * group < SORT_COST * matches * matches


def _only_genre_and_kind(filters: BrowseFilters) -> bool:
    asked = filters.model_dump(exclude_none=True)
    return set(asked) <= {"genre", "kind"}


Plan = Literal["walk", "sort", "auto"]


def browse_query(
    filters: BrowseFilters,
    person_ids: Sequence[int] | None,
    *,
    sort: str,
    page: int,
    per_page: int,
    plan: Plan = "auto",
) -> Select[Any]:
    """The page's title ids in order, for resolved filters.

    SQLite is told how: ``walk`` reads the sort's index in order, checking the filters, and stops
    after the page; ``sort`` reads the matches from the index that filters best and sorts them.
    ``auto`` leaves the choice to the planner (PostgreSQL weighs it from its statistics).
    """
    order = _order(sort, unindexed=plan == "sort")
    conds = filter_conditions(filters, person_ids, sort if plan == "walk" else None)
    return select(b.c.title_id).where(*conds).order_by(*order).limit(per_page).offset((page - 1) * per_page)


def count_query(filters: BrowseFilters, person_ids: Sequence[int] | None) -> Select[Any]:
    return select(func.count()).select_from(b).where(*filter_conditions(filters, person_ids))


def _out_of_10(average: object, scale: object) -> float | None:
    """A rating on any scale as out of 10 (pages may carry a site's 5-star rating), in Python: no
    database raises on a value at the ends of a double (absurd ratings show as none)."""
    if not isinstance(average, int | float):
        return None
    value = float(average) * (10 / (scale if isinstance(scale, int) and scale > 0 else 10))
    return round(value, 2) if math.isfinite(value) else None


def _hit(row: Sequence[object]) -> TitleHit:
    tconst, title, year, kind, average, scale, votes = row
    return TitleHit(
        id=str(tconst),
        title=str(title),
        year=year if isinstance(year, int) else None,
        kind=str(kind),
        rating=_out_of_10(average, scale),
        votes=votes if isinstance(votes, int) else None,
    )


def hits(conn: Connection, title_ids: Sequence[int]) -> list[TitleHit]:
    """The titles of a page, in the order given."""
    if not title_ids:
        return []
    columns = (
        t.c.id,
        t.c.tconst,
        t.c.primary_title,
        t.c.start_year,
        t.c.kind,
        r.c.average,
        r.c.scale,
        r.c.votes,
    )
    query = select(*columns).select_from(t.outerjoin(r, r.c.title_id == t.c.id)).where(t.c.id.in_(title_ids))
    found = {row[0]: _hit(row[1:]) for row in conn.execute(query)}
    return [found[i] for i in title_ids if i in found]


# ---------------------------------------------------------------- browse


def resolve_person(conn: Connection, person: str) -> list[int]:
    """Internal ids for a person filter: an nm… id or slug first, else people with exactly that name."""
    wanted = person.strip()
    p = schema.people
    found = list(conn.execute(select(p.c.id).where(p.c.nconst == wanted)).scalars())
    if found:
        return found
    folded = fold(wanted)
    if len(folded) < 2:
        return []
    # The name index finds "Penelope Cruz" for Penélope Cruz; only whole-name matches count.
    clauses = word_match([[w] for w in folded.split()], last_is_prefix=False)
    sql, params = name_candidates_sql(conn.dialect.name, "person_search", clauses, None, 1000)
    ids = []
    for row in conn.execute(text(sql), params):
        pid = split_rowid(row[0])[0] if conn.dialect.name == "sqlite" else row[0]
        if row[1].strip() == folded:
            ids.append(pid)
    return ids


def _check_page(page: int, per_page: int) -> None:
    if page < 1:
        raise InputError(f"page: {page} must be 1 or more")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"per_page: {per_page} must be between 1 and {MAX_PER_PAGE}")


def browse(
    store: Store, filters: BrowseFilters, *, sort: str = "votes", page: int = 1, per_page: int = 50
) -> BrowsePage:
    """Titles matching every filter, sorted by votes, rating, year (newest first) or title; paginated.

    The exact total first (genre and kind alone: from the counts table), then the page: walked in
    its sort's index when the matches are many, else read and sorted (``walks``).
    """
    _check_page(page, per_page)
    _order(sort)  # an unknown sort is the caller's mistake, whatever matches
    with store.engine.connect() as conn:
        person_ids = resolve_person(conn, filters.person) if filters.person else None
        genres = _genres(filters)
        if _only_genre_and_kind(filters):
            total = browse_index.counts(conn, genres, kinds_for(filters.kind))
        else:
            total = int(conn.execute(count_query(filters, person_ids)).scalar_one())
        offset = (page - 1) * per_page
        ids: list[int] = []
        if offset < total:
            plan: Plan = "auto"
            if conn.dialect.name == "sqlite":
                group = browse_index.counts(conn, genres, None)
                plan = "walk" if walks(total, group, offset, per_page) else "sort"
            query = browse_query(filters, person_ids, sort=sort, page=page, per_page=per_page, plan=plan)
            ids = list(conn.execute(query).scalars())
        items = hits(conn, ids)
    return BrowsePage(items=items, total=total, page=page, per_page=per_page)


# ---------------------------------------------------------------- charts


def weighted_rating_formula(m: int, c: float) -> str:
    """The Top 250 formula with this chart's numbers, for pages to show."""
    return (
        f"WR = (v ÷ (v + m)) × R + (m ÷ (v + m)) × C, where R = the title's mean rating, "
        f"v = its number of votes, m = {m:,} (votes needed to count fully) and "
        f"C = {c:.2f} (the mean rating of the chart's eligible titles)"
    )


def _chart_filters(kind: str | None, genre: str | None, decade: int | None, min_votes: int) -> BrowseFilters:
    return BrowseFilters(kind=kind, genre=genre, decade=decade, min_votes=min_votes)


def chart_query(filters: BrowseFilters, m: int, c: float, limit: int) -> Select[Any]:
    """Eligible rated titles' ids ordered by weighted rating WR = v/(v+m)·R + m/(v+m)·C."""
    rating, v = b.c.rating, cast(b.c.votes, Float)
    if m > 0:
        weighted = (v / (v + m) * rating + literal(float(m)) / (v + m) * literal(c)).label("weighted")
    else:  # m = 0 is the plain mean rating (and v + m may be 0)
        weighted = (rating * 1.0).label("weighted")
    return (
        select(b.c.title_id, weighted)
        .where(*filter_conditions(filters, None), b.c.rating >= 0)
        .order_by(weighted.desc(), b.c.votes.desc(), b.c.start_year, b.c.title_id)
        .limit(limit)
    )


def _check_chart(m: int, limit: int) -> None:
    if m < 0:
        raise InputError(f"m: {m} must be 0 or more")
    if not 1 <= limit <= 10_000:
        raise InputError(f"limit: {limit} must be between 1 and 10000")


def _entries(conn: Connection, ranked: Sequence[tuple[int, float]]) -> list[ChartEntry]:
    found = hits(conn, [title_id for title_id, _ in ranked])
    return [
        ChartEntry(rank=i, hit=hit, weighted=round(float(value), 4))
        for i, (hit, (_, value)) in enumerate(zip(found, ranked, strict=True), 1)
    ]


def top_rated(
    store: Store,
    *,
    m: int = 25000,
    kind: str | None = "movie",
    genre: str | None = None,
    decade: int | None = None,
    limit: int = 250,
    min_votes: int | None = None,
) -> Chart:
    """IMDb's Top 250 way: titles with at least ``min_votes`` (default m) votes by weighted rating."""
    _check_chart(m, limit)
    filters = _chart_filters(kind, genre, decade, m if min_votes is None else min_votes)
    with store.engine.connect() as conn:
        # C is the mean over the titles eligible for this chart (same kind, genre, decade, votes).
        eligible = filter_conditions(filters, None)
        mean = select(func.avg(b.c.rating)).where(*eligible, b.c.rating >= 0)
        c_value = conn.execute(mean).scalar()
        c = float(c_value) if c_value is not None else 0.0
        ranked = [(int(i), float(w)) for i, w in conn.execute(chart_query(filters, m, c, limit))]
        entries = _entries(conn, ranked)
    return Chart(entries=entries, m=m, c=round(c, 4), formula=weighted_rating_formula(m, c))


def most_voted(
    store: Store,
    *,
    kind: str | None = "movie",
    genre: str | None = None,
    decade: int | None = None,
    limit: int = 250,
) -> Chart:
    """Titles by number of votes (the ``weighted`` value of an entry is its votes)."""
    _check_chart(0, limit)
    filters = _chart_filters(kind, genre, decade, 1)
    with store.engine.connect() as conn:
        walk = "votes" if conn.dialect.name == "sqlite" else None
        query = (
            select(b.c.title_id, b.c.votes)
            .where(*filter_conditions(filters, None, walk))
            .order_by(*_order("votes"))
            .limit(limit)
        )
        entries = _entries(conn, [(int(i), float(v)) for i, v in conn.execute(query)])
    return Chart(entries=entries, m=None, c=None, formula="ordered by number of IMDb votes, most first")


def chart_genres(store: Store, *, kind: str | None = "movie", min_titles: int = 1) -> list[str]:
    """Genres that have titles of this kind, for per-genre chart links (A to Z)."""
    g = schema.title_genres
    query = select(g.c.genre).select_from(g.join(t, t.c.id == g.c.title_id)).group_by(g.c.genre)
    kinds = kinds_for(kind)
    if kinds:
        query = query.where(t.c.kind.in_(kinds))
    query = query.having(func.count() >= min_titles).order_by(g.c.genre)
    with store.engine.connect() as conn:
        return [str(x) for x in conn.execute(query).scalars()]
