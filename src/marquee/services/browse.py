"""Browse with filters that combine, and charts (IMDb's Top 250 weighted rating, most voted).

Queries are SQLAlchemy Core built by pure functions (``browse_query``, ``chart_query``), so
both backends run the same statement. Every ordering ends with the public id, so pages
are stable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Float, Select, and_, cast, exists, func, literal, select, text
from sqlalchemy.engine import Connection

from marquee.errors import InputError
from marquee.formats.query import fold
from marquee.services.search import TitleHit, kinds_for, name_candidates_sql, word_match
from marquee.storage import schema
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
    "genre_spellings",
    "most_voted",
    "top_rated",
    "weighted_rating_formula",
]

Sort = Literal["votes", "rating", "year", "title"]
SORTS: tuple[str, ...] = ("votes", "rating", "year", "title")
MAX_PER_PAGE = 500

t = schema.titles
r = schema.imdb_ratings
# A rating on any scale, as out of 10 (pages may carry a site's 5-star rating).
RATING = (r.c.average * 10.0 / func.coalesce(r.c.scale, 10)).label("rating")
VOTES = func.coalesce(r.c.votes, 0)


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


class Chart(BaseModel):
    """A ranked list with the numbers that made it, so pages can show the formula."""

    entries: list[ChartEntry]
    m: int | None = Field(description="votes needed to count fully (Top 250's m)")
    c: float | None = Field(description="mean rating of the chart's eligible titles (Top 250's C)")
    formula: str


# ---------------------------------------------------------------- building queries (pure)


# IMDb's genres, so "sci-fi" or "reality tv" find Sci-Fi and Reality-TV through the index.
IMDB_GENRES = [
    "Action",
    "Adult",
    "Adventure",
    "Animation",
    "Biography",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Film-Noir",
    "Game-Show",
    "History",
    "Horror",
    "Music",
    "Musical",
    "Mystery",
    "News",
    "Reality-TV",
    "Romance",
    "Sci-Fi",
    "Short",
    "Sport",
    "Talk-Show",
    "Thriller",
    "War",
    "Western",
]
_GENRE_KEYS = {g.lower().replace("-", " "): g for g in IMDB_GENRES}


def genre_spellings(genre: str) -> list[str]:
    """The stored spellings to look for: as given, IMDb's own, capitalised, lower case."""
    given = genre.strip()
    imdb = _GENRE_KEYS.get(given.lower().replace("-", " "))
    spellings = (given, imdb, given.capitalize(), given.title(), given.lower())
    return list(dict.fromkeys(x for x in spellings if x))


def _decade_years(decade: int) -> tuple[int, int]:
    if decade % 10:
        raise InputError(f"decade: {decade} is not the first year of a decade (e.g. 1980)")
    return decade, decade + 9


def filter_conditions(filters: BrowseFilters, person_ids: Sequence[int] | None) -> list[ColumnElement[bool]]:
    """WHERE conditions for the filters; ``person_ids`` is the person filter already resolved."""
    conds: list[ColumnElement[bool]] = []
    if filters.genre and _rated_first(filters):
        # Few titles have this many votes: walk them from the votes index, look each genre up.
        spellings = genre_spellings(filters.genre)
        conds.append(exists().where(GENRE.c.title_id == t.c.id, GENRE.c.genre.in_(spellings)))
    # Otherwise the genre is no condition here: ``_source`` joins the genre's titles from its index.
    low, high = filters.year_from, filters.year_to
    if filters.decade is not None:
        d_low, d_high = _decade_years(filters.decade)
        low, high = max(low or d_low, d_low), min(high or d_high, d_high)
    if low is not None:
        conds.append(t.c.start_year >= low)
    if high is not None:
        conds.append(t.c.start_year <= high)
    kinds = kinds_for(filters.kind)
    if kinds:
        conds.append(t.c.kind.in_(kinds))
    if filters.min_rating is not None:
        conds.append(filters.min_rating <= RATING)
    if filters.min_votes is not None:
        # A plain comparison (no coalesce) lets the votes index answer; no votes never reach n > 0.
        conds.append(filters.min_votes <= r.c.votes if filters.min_votes > 0 else filters.min_votes <= VOTES)
    if filters.runtime_min is not None:
        conds.append(t.c.runtime_minutes >= filters.runtime_min)
    if filters.runtime_max is not None:
        conds.append(t.c.runtime_minutes <= filters.runtime_max)
    if person_ids is not None:
        c = schema.credits
        conds.append(exists().where(c.c.title_id == t.c.id, c.c.person_id.in_(person_ids or [-1])))
    if filters.location:
        loc = schema.filming_locations
        pattern = "%" + filters.location.strip().lower().replace("%", "").replace("_", "") + "%"
        conds.append(exists().where(loc.c.title_id == t.c.id, func.lower(loc.c.place).like(pattern)))
    return conds


def _order(sort: str) -> list[ColumnElement[Any]]:
    """ORDER BY for a sort name: best first, newest first, or A to Z; then by id for stable pages."""
    if sort == "votes":
        keys: list[ColumnElement[Any]] = [VOTES.desc(), RATING.desc().nulls_last()]
    elif sort == "rating":
        keys = [RATING.desc().nulls_last(), VOTES.desc()]
    elif sort == "year":
        keys = [t.c.start_year.desc().nulls_last(), VOTES.desc()]
    elif sort == "title":
        keys = [func.lower(t.c.primary_title), t.c.start_year]
    else:
        raise InputError(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    return [*keys, t.c.tconst]


GENRE = schema.title_genres.alias("genre_filter")
# From this many votes up, fewer titles qualify than a genre holds (at 1M synthetic titles: 22k
# with 100+ votes, 3k with 1,000+, against 53k titles in an average genre and 220k in Drama).
RATED_FIRST = 100


def _rated_first(filters: BrowseFilters) -> bool:
    """True when the query should start from the votes index rather than from the genre's titles."""
    return (filters.min_votes or 0) >= RATED_FIRST


def _source(filters: BrowseFilters) -> Any:
    """Titles with their ratings; with a genre, only that genre's titles, read from its index."""
    titles: Any = t
    if filters.genre and not _rated_first(filters):
        # The spellings a genre may be stored under, so the (genre, title_id) index answers.
        spellings = genre_spellings(filters.genre)
        titles = GENRE.join(t, and_(t.c.id == GENRE.c.title_id, GENRE.c.genre.in_(spellings)))
    return titles.outerjoin(r, r.c.title_id == t.c.id)


def _hit_columns(filters: BrowseFilters) -> Select[Any]:
    columns = (t.c.tconst, t.c.primary_title, t.c.start_year, t.c.kind, RATING, r.c.votes)
    return select(*columns).select_from(_source(filters))


def browse_query(
    filters: BrowseFilters, person_ids: Sequence[int] | None, *, sort: str, page: int, per_page: int
) -> tuple[Select[Any], Select[Any]]:
    """The page's SELECT and the COUNT of all matches, for resolved filters."""
    conds = filter_conditions(filters, person_ids)
    # The total rides along as a window count: one pass over the matches instead of two.
    rows = (
        _hit_columns(filters)
        .add_columns(func.count().over().label("total"))
        .where(*conds)
        .order_by(*_order(sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    total = select(func.count()).select_from(_source(filters)).where(*conds)
    return rows, total


def _hit(row: Sequence[object]) -> TitleHit:
    tconst, title, year, kind, rating, votes = row
    return TitleHit(
        id=str(tconst),
        title=str(title),
        year=year if isinstance(year, int) else None,
        kind=str(kind),
        rating=round(float(rating), 2) if isinstance(rating, int | float) else None,
        votes=votes if isinstance(votes, int) else None,
    )


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
    """Titles matching every filter, sorted by votes, rating, year (newest first) or title; paginated."""
    _check_page(page, per_page)
    with store.engine.connect() as conn:
        person_ids = resolve_person(conn, filters.person) if filters.person else None
        rows, total = browse_query(filters, person_ids, sort=sort, page=page, per_page=per_page)
        found = conn.execute(rows).all()
        items = [_hit(row[:6]) for row in found]
        # Past the last page there is no row to carry the total: count separately.
        count = int(found[0][6]) if found else int(conn.execute(total).scalar_one())
    return BrowsePage(items=items, total=count, page=page, per_page=per_page)


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
    """Eligible rated titles ordered by weighted rating WR = v/(v+m)·R + m/(v+m)·C."""
    v = cast(VOTES, Float)
    if m > 0:
        weighted = (v / (v + m) * RATING + literal(float(m)) / (v + m) * literal(c)).label("weighted")
    else:  # m = 0 is the plain mean rating (and v + m may be 0)
        weighted = (RATING * 1.0).label("weighted")
    return (
        _hit_columns(filters)
        .add_columns(weighted)
        .where(*filter_conditions(filters, None), r.c.average.is_not(None))
        .order_by(weighted.desc(), VOTES.desc(), t.c.start_year, t.c.tconst)
        .limit(limit)
    )


def _check_chart(m: int, limit: int) -> None:
    if m < 0:
        raise InputError(f"m: {m} must be 0 or more")
    if not 1 <= limit <= 10_000:
        raise InputError(f"limit: {limit} must be between 1 and 10000")


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
        mean = select(func.avg(RATING)).select_from(_source(filters))
        c_value = conn.execute(mean.where(*filter_conditions(filters, None))).scalar()
        c = float(c_value) if c_value is not None else 0.0
        rows = conn.execute(chart_query(filters, m, c, limit)).all()
    entries = [
        ChartEntry(rank=i, hit=_hit(row[:6]), weighted=round(float(row[6]), 4))
        for i, row in enumerate(rows, 1)
    ]
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
    query = (
        _hit_columns(filters).where(*filter_conditions(filters, None)).order_by(*_order("votes")).limit(limit)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    entries = [
        ChartEntry(rank=i, hit=_hit(row), weighted=float(row[5] or 0)) for i, row in enumerate(rows, 1)
    ]
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
