"""SQL for a series' episode guide: its seasons, the episodes of one season, an episode's neighbours.

The ``episodes`` table (IMDb's ``title.episode``: episode title id, series title_id, season, episode)
joined to ``titles`` for each episode's id, title and year and to ``imdb_ratings`` for its rating.
Functions take the ``Store``; what they return are plain tuples, turned into records by
``services.episodes``. Episodes with no season or number sort after the numbered ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Connection

from marquee.storage.base import Store
from marquee.storage.schema import episodes, imdb_ratings, titles

__all__ = ["EpisodeRow", "episode_row", "episode_rows", "season_counts", "title_of"]

# (episode title_id, title, year, season, episode number, rating average, rating scale, votes)
EpisodeRow = tuple[str, str, int | None, int | None, int | None, float | None, int | None, int | None]

e = episodes.c
t = titles.c
r = imdb_ratings.c


def _ordered(query: Select[Any]) -> Select[Any]:
    """Season, then episode number (unnumbered last), then id: the guide's order on both backends."""
    return query.order_by(
        e.season.is_(None), e.season, e.episode.is_(None), e.episode, t.start_year.is_(None), t.title_id
    )


def season_counts(store: Store, series_id: str) -> list[tuple[int | None, int]]:
    """(season, number of episodes) of each season of the series, in order (None: episodes with no season)."""
    query = (
        select(e.season, func.count())
        .select_from(episodes.join(titles, titles.c.title_key == e.title_key))
        .where(e.series_id == series_id)
        .group_by(e.season)
        .order_by(e.season.is_(None), e.season)
    )
    with store.reading() as conn:
        return [(None if s is None else int(s), int(n)) for s, n in conn.execute(query)]


def episode_row(values: Sequence[Any]) -> EpisodeRow:
    """Eight stored columns as an ``EpisodeRow`` (title_id, title, year, season, episode, average,
    scale, votes), each of the type it is read as on both backends."""
    title_id, title, year, season, number, average, scale, votes = values
    return (
        str(title_id),
        str(title),
        None if year is None else int(year),
        None if season is None else int(season),
        None if number is None else int(number),
        None if average is None else float(average),
        None if scale is None else int(scale),
        None if votes is None else int(votes),
    )


def _rows(conn: Connection, query: Select[Any]) -> list[EpisodeRow]:
    return [episode_row(values) for values in conn.execute(query)]


def episode_rows(
    store: Store, series_id: str, season: int | None = None, *, all_seasons: bool = False
) -> list[EpisodeRow]:
    """The series' episodes in guide order: of one season (``season`` None: those with no season),
    or of every season with ``all_seasons``."""
    query = select(
        t.title_id, t.primary_title, t.start_year, e.season, e.episode, r.average, r.scale, r.votes
    )
    query = query.select_from(
        episodes.join(titles, titles.c.title_key == e.title_key).outerjoin(
            imdb_ratings, r.title_key == e.title_key
        )
    ).where(e.series_id == series_id)
    if not all_seasons:
        query = query.where(e.season.is_(None) if season is None else e.season == season)
    with store.reading() as conn:
        return _rows(conn, _ordered(query))


def title_of(store: Store, title_id: str) -> tuple[str, str] | None:
    """(title, kind) of a stored title, or None."""
    with store.reading() as conn:
        row = conn.execute(select(t.primary_title, t.kind).where(t.title_id == title_id)).first()
    return None if row is None else (str(row[0]), str(row[1]))
