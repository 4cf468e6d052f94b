"""Charts that are never empty where there are votes, each saying what it ranks by.

A chart ranks by one basis, the first of these that ranks at least ``MIN_TITLES`` titles of the
chart's pool (a chart of two films says little):

1. **members' ratings** on this site (the Top 250 formula over members' ratings);
2. **imported ratings** (IMDb's aggregate, or a page's site rating), by IMDb's Top 250 formula
   (``services.browse.top_rated``, ``most_voted``);
3. **the open critics' score**: Rotten Tomatoes' % of positive reviews (the demo's Wikidata
   snapshot carries it), weighted by its review count the same way; never shown as a rating.

When none ranks that many, the one that ranks the most (so a chart is never empty where any title
has votes); when none ranks any, the imported chart, empty, with its explanation.
The chart's ``basis`` and ``basis_label`` say which was used. SQL lives in ``storage.charts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from marquee.errors import InputError
from marquee.services import browse
from marquee.services.browse import Chart, ChartEntry, hits
from marquee.services.search import kinds_for
from marquee.storage import browse_index
from marquee.storage import charts as charts_sql
from marquee.storage.base import Store

__all__ = [
    "BASIS_LABELS",
    "CRITICS_M",
    "MEMBERS_M",
    "MIN_TITLES",
    "most_voted_chart",
    "top_rated_chart",
]

MIN_TITLES = 10  # titles a basis must rank to make the chart (fewer says little)
MEMBERS_M = 3  # members' ratings a title needs to count fully (the m of the members' chart)
CRITICS_M = 20  # critics' reviews a title needs to count fully (the m of the critics' chart)

BASIS_LABELS = {
    "members": "Ranked by members' ratings on this site (out of 10).",
    "imported": "Ranked by imported ratings (IMDb's ratings, or a page's own site rating).",
    "critics": "Ranked by the critics' score: Rotten Tomatoes' share of positive reviews, from the "
    "open Wikidata data (no member or imported ratings here yet). It is not a rating out of 10.",
}

Pool = tuple[tuple[str, ...] | None, list[str], tuple[int, int] | None]


def _pool(kind: str | None, genre: str | None, decade: int | None) -> Pool:
    """The chart's eligible titles as the browse index keys them: kinds, genre keys, years."""
    if decade is not None and decade % 10:
        raise InputError(f"decade: {decade} is not the first year of a decade (e.g. 1980)")
    genres = browse_index.genre_keys(genre) if genre and genre.strip() else [browse_index.ALL]
    years = (decade, decade + 9) if decade is not None else None
    return kinds_for(kind), genres, years


def _entries(store: Store, ranked: Sequence[tuple[int, float, float, int]]) -> list[ChartEntry]:
    """Entries of (title id, ordering value, the basis's score, count), in order."""
    with store.reading() as conn:
        found = hits(conn, [row[0] for row in ranked])
    return [
        ChartEntry(rank=i, hit=hit, weighted=round(weighted, 4), score=round(score, 2), count=count)
        for i, (hit, (_, weighted, score, count)) in enumerate(zip(found, ranked, strict=True), 1)
    ]


def _ordering(score: float, n: int, m: int, c: float, by_count: bool) -> float:
    """What a chart orders by: the count itself, or the weighted score ``n/(n+m)·score + m/(n+m)·c``
    (a title with few votes pulled towards the mean ``c``)."""
    return float(n) if by_count else n / (n + m) * score + m / (n + m) * c


def _members(store: Store, pool: Pool, limit: int, *, by_count: bool) -> Chart:
    kinds, genres, years = pool
    with store.reading() as conn:
        rated = charts_sql.members_ranked(conn, kinds=kinds, genres=genres, years=years)
    c = sum(mean for _, mean, _ in rated) / len(rated) if rated else 0.0
    m = MEMBERS_M

    ranked = sorted(
        ((i, _ordering(mean, n, m, c, by_count), mean, n) for i, mean, n in rated),
        key=lambda r: (-r[1], -r[3], -r[2], r[0]),
    )[:limit]
    if by_count:
        formula = "ordered by number of members' ratings, most first"
    else:
        formula = (
            f"WR = (v ÷ (v + m)) × R + (m ÷ (v + m)) × C, where R = the title's mean rating by members, "
            f"v = its number of members' ratings, m = {m} and C = {c:.2f} (the members' mean over the chart)"
        )
    return _chart(store, ranked, "members", m=m, c=c, by_count=by_count, formula=formula)


def _chart(
    store: Store,
    ranked: Sequence[tuple[int, float, float, int]],
    basis: str,
    *,
    m: int,
    c: float,
    by_count: bool,
    formula: str,
) -> Chart:
    """The chart of ``ranked`` on this basis; ``m`` and ``c`` only where the weighted formula ranked it."""
    return Chart(
        entries=_entries(store, ranked),
        m=None if by_count else m,
        c=None if by_count else round(c, 4),
        formula=formula,
        basis=basis,
        basis_label=BASIS_LABELS[basis],
    )


def _critics(store: Store, pool: Pool, limit: int, *, by_count: bool) -> Chart:
    kinds, genres, years = pool
    m = CRITICS_M
    with store.reading() as conn:
        rows, c = charts_sql.critics_ranked(
            conn, kinds=kinds, genres=genres, years=years, m=m, limit=limit, by_count=by_count
        )
    mean = c or 0.0

    ranked = [(i, _ordering(score, n, m, mean, by_count), score, n) for i, score, n in rows]
    if by_count:
        formula = "ordered by number of critics' reviews (Rotten Tomatoes), most first"
    else:
        formula = (
            f"WS = (n ÷ (n + m)) × S + (m ÷ (n + m)) × C, where S = the title's critics' score (% positive), "
            f"n = its number of reviews, m = {m} and C = {mean:.1f} % (the mean score over the chart)"
        )
    return _chart(store, ranked, "critics", m=m, c=mean, by_count=by_count, formula=formula)


def _imported(chart: Chart) -> Chart:
    return chart.model_copy(update={"basis": "imported", "basis_label": BASIS_LABELS["imported"]})


def _by_basis(
    store: Store, pool: Pool, limit: int, imported: Callable[[], Chart], *, by_count: bool
) -> Chart:
    """The chart by members' ratings, else the imported one, else critics' reviews (``_choose``)."""
    return _choose(
        limit,
        lambda: _members(store, pool, limit, by_count=by_count),
        lambda: _imported(imported()),
        lambda: _critics(store, pool, limit, by_count=by_count),
    )


def _choose(limit: int, *makers: Callable[[], Chart]) -> Chart:
    """The first basis that ranks enough titles (``MIN_TITLES``, or the whole ``limit`` if smaller);
    else the one that ranks the most, the earlier on a tie (an empty imported chart when none ranks any)."""
    enough = min(MIN_TITLES, limit)
    made: list[Chart] = []
    for make in makers:
        chart = make()
        if len(chart.entries) >= enough:
            return chart
        made.append(chart)
    fullest = max(made, key=lambda chart: len(chart.entries))
    return fullest if fullest.entries else made[1]


def top_rated_chart(
    store: Store,
    *,
    m: int = 25000,
    kind: str | None = "movie",
    genre: str | None = None,
    decade: int | None = None,
    limit: int = 250,
) -> Chart:
    """The top rated chart of a pool (kind, genre, decade), by the first basis that fits (above)."""
    browse.check_chart_limit(limit)
    imported = partial(browse.top_rated, store, m=m, kind=kind, genre=genre, decade=decade, limit=limit)
    return _by_basis(store, _pool(kind, genre, decade), limit, imported, by_count=False)


def most_voted_chart(
    store: Store,
    *,
    kind: str | None = "movie",
    genre: str | None = None,
    decade: int | None = None,
    limit: int = 250,
) -> Chart:
    """The most voted chart: by members' ratings, imported votes, or critics' reviews (above)."""
    browse.check_chart_limit(limit)
    imported = partial(browse.most_voted, store, kind=kind, genre=genre, decade=decade, limit=limit)
    return _by_basis(store, _pool(kind, genre, decade), limit, imported, by_count=True)
