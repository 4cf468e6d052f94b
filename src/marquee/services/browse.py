"""Browse with filters that combine, and charts (IMDb's Top 250 weighted rating, most voted).

Everything reads the browse index; the queries are built in ``storage.browse_rows`` from the
filters resolved here (``BrowseWhere``). Every ordering ends with the title's id, so pages are stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from marquee.errors import InputError
from marquee.formats.query import fold
from marquee.services.search import TitleHit, kinds_for, word_match
from marquee.storage import browse_index
from marquee.storage import browse_rows as rows
from marquee.storage.base import Store
from marquee.storage.browse_rows import SORTS, Plan, walks
from marquee.storage.transactions import Conn

__all__ = [
    "SORTS",
    "BrowseFilters",
    "BrowsePage",
    "Chart",
    "ChartEntry",
    "browse",
    "browse_query",
    "chart_genres",
    "check_chart_limit",
    "count_query",
    "hits",
    "most_voted",
    "top_rated",
    "walks",
    "weighted_rating_formula",
    "where_of",
]

Sort = Literal["votes", "rating", "year", "title"]
MAX_PER_PAGE = 500


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


# ---------------------------------------------------------------- resolving filters


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


def _only_genre_and_kind(filters: BrowseFilters) -> bool:
    asked = filters.model_dump(exclude_none=True)
    return set(asked) <= {"genre", "kind"}


def where_of(filters: BrowseFilters, person_ids: Sequence[int] | None) -> rows.BrowseWhere:
    """The filters as the browse index stores them; ``person_ids`` is the person filter resolved."""
    genres = _genres(filters)
    low, high = filters.year_from, filters.year_to
    if filters.decade is not None:
        d_low, d_high = _decade_years(filters.decade)
        low, high = max(low or d_low, d_low), min(high or d_high, d_high)
    return rows.BrowseWhere(
        genres=genres,
        year_low=low,
        year_high=high,
        kinds=kinds_for(filters.kind),
        min_rating=filters.min_rating,
        min_votes=filters.min_votes,
        runtime_min=filters.runtime_min,
        runtime_max=filters.runtime_max,
        location=filters.location,
        person_keys=person_ids,
        only_genre_and_kind=_only_genre_and_kind(filters),
    )


def browse_query(
    filters: BrowseFilters,
    person_ids: Sequence[int] | None,
    *,
    sort: str,
    page: int,
    per_page: int,
    plan: Plan = "auto",
) -> Any:
    """The page's title ids in order, for resolved filters (a query: ``storage.browse_rows.browse_query``)."""
    return rows.browse_query(
        where_of(filters, person_ids), sort=sort, page=page, per_page=per_page, plan=plan
    )


def count_query(filters: BrowseFilters, person_ids: Sequence[int] | None) -> Any:
    return rows.count_query(where_of(filters, person_ids))


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


def hits(conn: Conn, title_ids: Sequence[int]) -> list[TitleHit]:
    """The titles of a page, in the order given."""
    found = {i: _hit(row[1:]) for i, row in rows.hit_rows(conn, title_ids).items()}
    return [found[i] for i in title_ids if i in found]


# ---------------------------------------------------------------- browse


def resolve_person(conn: Conn, person: str) -> list[int]:
    """Internal ids for a person filter: an nm… id or slug first, else people with exactly that name."""
    wanted = person.strip()
    found = rows.person_ids_by_id(conn, wanted)
    if found:
        return found
    folded = fold(wanted)
    if len(folded) < 2:
        return []
    # The name index finds "Penelope Cruz" for Penélope Cruz; only whole-name matches count.
    clauses = word_match([[w] for w in folded.split()], last_is_prefix=False)
    return rows.person_ids_named(conn, clauses, folded)


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
    rows.check_sort(sort)  # an unknown sort is the caller's mistake, whatever matches
    with store.reading() as conn:
        person_ids = resolve_person(conn, filters.person) if filters.person else None
        where = where_of(filters, person_ids)
        total, ids = rows.browse_page(conn, where, sort=sort, page=page, per_page=per_page)
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


def check_chart_limit(limit: int) -> None:
    """Raise InputError unless a chart's ``limit`` is 1 to 10000."""
    if not 1 <= limit <= 10_000:
        raise InputError(f"limit: {limit} must be between 1 and 10000")


def _check_chart(m: int, limit: int) -> None:
    if m < 0:
        raise InputError(f"m: {m} must be 0 or more")
    check_chart_limit(limit)


def _entries(conn: Conn, ranked: Sequence[tuple[int, float]]) -> list[ChartEntry]:
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
    where = where_of(filters, None)
    with store.reading() as conn:
        # C is the mean over the titles eligible for this chart (same kind, genre, decade, votes).
        c, ranked = rows.top_rated_ranked(conn, where, m, limit)
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
    where = where_of(_chart_filters(kind, genre, decade, 1), None)
    with store.reading() as conn:
        entries = _entries(conn, rows.most_voted_ranked(conn, where, limit))
    return Chart(entries=entries, m=None, c=None, formula="ordered by number of IMDb votes, most first")


def chart_genres(store: Store, *, kind: str | None = "movie", min_titles: int = 1) -> list[str]:
    """Genres that have titles of this kind, for per-genre chart links (A to Z)."""
    kinds = kinds_for(kind)
    with store.reading() as conn:
        return rows.genres_with_titles(conn, kinds, min_titles)
