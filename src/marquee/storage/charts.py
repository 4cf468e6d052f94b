"""What the charts rank by when a store has no imported ratings: members' ratings, open critics' scores.

``services.charts`` chooses a chart's basis (members' ratings, imported ratings, the open critics'
score); the imported one is ``services.browse``'s Top 250 formula over the browse index. The two
here read:

* ``member_ratings`` (members' 1-10 scores, by IMDb id): each eligible title's mean and count;
* the stored external scores (``schema.external_scores``): Rotten Tomatoes' critics' %, with its
  review count.

Eligibility (kind, genre, years) is the browse index's, as for every chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Float, Select, Table, cast, func, select
from sqlalchemy.engine import Connection

from marquee.storage import browse_index, schema
from marquee.storage.community_schema import member_ratings

__all__ = ["CRITICS", "critics_ranked", "members_ranked", "scores_table"]

b = browse_index.title_browse
t = schema.titles
CRITICS = ("Rotten Tomatoes", "critics")


def _eligible(
    kinds: Sequence[str] | None, genres: Sequence[str], years: tuple[int, int] | None
) -> Select[Any]:
    """Title ids of the chart's pool, from the browse index."""
    query = select(b.c.title_key).where(b.c.genre.in_(list(genres)))
    if kinds:
        query = query.where(b.c.kind.in_(list(kinds)))
    if years is not None:
        query = query.where(b.c.start_year >= max(years[0], 1), b.c.start_year <= years[1])
    return query


def members_ranked(
    conn: Connection, *, kinds: Sequence[str] | None, genres: Sequence[str], years: tuple[int, int] | None
) -> list[tuple[int, float, int]]:
    """(title id, members' mean rating out of 10, number of members' ratings) of every eligible title
    members rated (members' ratings are few next to a catalogue: the caller ranks them)."""
    mr = member_ratings
    # The rated titles first, each then looked up: members rate few titles next to a pool, and a
    # join of titles with the ratings let SQLite's planner walk the titles (5-7 ms at 100k titles
    # with no rating at all; the pool's list alone ~2 ms).
    rated = (
        select(mr.c.title_id, func.avg(cast(mr.c.score, Float)).label("mean"), func.count().label("n"))
        .group_by(mr.c.title_id)
        .subquery("rated")
    )
    eligible = _eligible(kinds, genres, years).where(b.c.title_key == t.c.title_key).exists()
    query = (
        select(t.c.title_key, rated.c.mean, rated.c.n)
        .select_from(rated.join(t, t.c.title_id == rated.c.title_id))
        .where(eligible)
    )
    return [(int(i), float(avg), int(n)) for i, avg, n in conn.execute(query)]


def scores_table(conn: Connection) -> Table:
    """The stored external scores (``schema.external_scores``: a critics' % or a metascore per row)."""
    return schema.external_scores


def critics_ranked(
    conn: Connection,
    *,
    kinds: Sequence[str] | None,
    genres: Sequence[str],
    years: tuple[int, int] | None,
    m: int,
    limit: int,
    by_count: bool = False,
) -> tuple[list[tuple[int, float, int]], float | None]:
    """Eligible titles by the critics' score (Rotten Tomatoes' % of positive reviews).

    Ranked by the same weighting as the Top 250 with reviews for votes, WR = n/(n+m)·S + m/(n+m)·C
    (C: the pool's mean score), so a 100 % from five reviews does not top a 98 % from three hundred;
    ``by_count``: by number of reviews instead. Returns (title id, score %, reviews) and C.
    """
    s = scores_table(conn).c
    where = (
        s.source == CRITICS[0],
        s.kind == CRITICS[1],
        s.title_key.in_(_eligible(kinds, genres, years)),
    )
    mean = conn.execute(select(func.avg(cast(s.value, Float))).where(*where)).scalar()
    if mean is None:
        return [], None
    c = float(mean)
    n = cast(func.coalesce(s.count, 0), Float)
    value = cast(s.value, Float)
    weighted = n / (n + m) * value + float(m) / (n + m) * c if m > 0 else value
    order = [func.coalesce(s.count, 0).desc(), value.desc()] if by_count else [weighted.desc(), n.desc()]
    query = (
        select(s.title_key, s.value, func.coalesce(s.count, 0))
        .where(*where)
        .order_by(*order, s.title_key)
        .limit(limit)
    )
    return [(int(i), float(v), int(k)) for i, v, k in conn.execute(query)], c
