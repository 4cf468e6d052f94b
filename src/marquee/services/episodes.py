"""A series' episode guide (its seasons, one season's episodes) and an episode's place in its series.

The SQL is in ``storage.episodes``; this module turns its rows into records that the title page,
its JSON twin and ``GET /api/v1/titles/{id}/episodes`` show as they are. A long series is shown a
season at a time: the guide lists every season with its episode count and the episodes of one.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from marquee.errors import NotFound
from marquee.records import Film
from marquee.storage import episodes as sql
from marquee.storage.base import Store

__all__ = [
    "SERIES_KINDS",
    "EpisodeGuide",
    "EpisodeItem",
    "EpisodePlace",
    "SeasonItem",
    "episode_guide",
    "episode_item",
    "episode_place",
    "guide_of",
    "is_series",
    "series_guide",
]

SERIES_KINDS = ("tvSeries", "tvMiniSeries")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EpisodeItem(_Model):
    """One episode of a series: its title page id, title, year, place and IMDb rating."""

    id: str
    title: str
    year: int | None = None
    season: int | None = Field(default=None, description="None: IMDb gives no season")
    episode: int | None = Field(default=None, description="the episode's number in its season")
    rating: float | None = Field(default=None, description="IMDb's average rating")
    scale: int | None = Field(default=None, description="the rating's scale (10)")
    votes: int | None = None


class SeasonItem(_Model):
    """A season of a series and how many of its episodes the catalogue holds."""

    season: int | None = Field(description="None: the episodes IMDb gives no season")
    episodes: int


class EpisodeGuide(_Model):
    """A series' seasons and the episodes of one of them (``season``: the one shown)."""

    series_id: str
    seasons: list[SeasonItem]
    season: int | None = None
    number_of_seasons: int = Field(description="numbered seasons")
    number_of_episodes: int = Field(description="episodes in the catalogue, all seasons")
    episodes: list[EpisodeItem]


class EpisodePlace(_Model):
    """Where an episode sits: its series (by name when stored), season, number, and its neighbours."""

    series_id: str
    series_title: str | None = None
    season: int | None = None
    episode: int | None = None
    previous: EpisodeItem | None = None
    next: EpisodeItem | None = None


def episode_item(row: sql.EpisodeRow) -> EpisodeItem:
    """One episode as the guide and the film page show it, from its stored row."""
    tconst, title, year, season, number, average, scale, votes = row
    return EpisodeItem(
        id=tconst,
        title=title,
        year=year,
        season=season,
        episode=number,
        rating=average,
        scale=scale,
        votes=votes,
    )


def is_series(film: Film) -> bool:
    return film.kind in SERIES_KINDS


def episode_guide(store: Store, series_id: str, season: int | None = None) -> EpisodeGuide:
    """The series' guide showing ``season`` (None: the first season); NotFound for a season it lacks."""
    counts = sql.season_counts(store, series_id)
    known = [s for s, _ in counts]
    if season is None:
        shown = known[0] if known else None
    elif season in known:
        shown = season
    else:
        raise NotFound(f"No season {season} of {series_id!r}")
    rows = sql.episode_rows(store, series_id, shown) if counts else []
    return guide_of(series_id, counts, shown, rows)


def guide_of(
    series_id: str, counts: list[tuple[int | None, int]], shown: int | None, rows: list[sql.EpisodeRow]
) -> EpisodeGuide:
    """The guide from its stored rows: each season's number of episodes, and the episodes of ``shown``."""
    known = [s for s, _ in counts]
    return EpisodeGuide(
        series_id=series_id,
        seasons=[SeasonItem(season=s, episodes=n) for s, n in counts],
        season=shown,
        number_of_seasons=sum(1 for s in known if s is not None),
        number_of_episodes=sum(n for _, n in counts),
        episodes=[episode_item(row) for row in rows],
    )


def series_guide(store: Store, title_id: str, season: int | None = None) -> EpisodeGuide:
    """The guide of a stored series; NotFound for an unknown title, one that is not a series, or a season
    the series lacks."""
    found = sql.title_of(store, title_id)
    if found is None:
        raise NotFound(f"No title with id {title_id!r}")
    if found[1] not in SERIES_KINDS:
        raise NotFound(f"{title_id!r} is not a series ({found[1]}): it has no episodes")
    return episode_guide(store, title_id, season)


def episode_place(store: Store, film: Film) -> EpisodePlace | None:
    """The episode's series (named when the catalogue holds it) and the episodes before and after it."""
    place = film.episode_of
    if place is None:
        return None
    found = sql.title_of(store, place.series_id)
    counts = sql.season_counts(store, place.series_id)
    # Crossing a season's end leads to the next numbered season, never to the episodes with no season.
    seasons = [s for s, _ in counts if s is not None]
    rows = sql.episode_rows(store, place.series_id, place.season)
    ids = [row[0] for row in rows]
    previous = following = None
    if film.id in ids:
        at = ids.index(film.id)
        if at > 0:
            previous = episode_item(rows[at - 1])
        elif place.season in seasons and seasons.index(place.season) > 0:
            before = sql.episode_rows(store, place.series_id, seasons[seasons.index(place.season) - 1])
            previous = episode_item(before[-1]) if before else None
        if at + 1 < len(rows):
            following = episode_item(rows[at + 1])
        elif place.season in seasons and seasons.index(place.season) + 1 < len(seasons):
            after = sql.episode_rows(store, place.series_id, seasons[seasons.index(place.season) + 1])
            following = episode_item(after[0]) if after else None
    return EpisodePlace(
        series_id=place.series_id,
        series_title=found[0] if found else None,
        season=place.season,
        episode=place.episode,
        previous=previous,
        next=following,
    )
