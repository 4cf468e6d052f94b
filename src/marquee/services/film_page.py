"""What a film page shows that is the same for every visitor, read in one go (issue 20).

``film_page(store, film_id)`` gives the film, whether members rated, reviewed or commented on it
(the members' panel reads more only then), its "more like this" films and, for an episode, its place
in its series, for a series its guide: the same values ``get_film``, ``community.film_activity``,
``discover.similar_titles``, ``episodes.episode_place`` and ``episodes.episode_guide`` give, from at most
four statements (``storage.film_page_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass

from marquee.records import Film
from marquee.services.community import FilmActivity
from marquee.services.discover import SimilarTitle
from marquee.services.episodes import (
    SERIES_KINDS,
    EpisodeGuide,
    EpisodeItem,
    EpisodePlace,
    episode_item,
    guide_of,
)
from marquee.storage.base import Store
from marquee.storage.episodes import EpisodeRow
from marquee.storage.film_page_rows import GuideRows, NeighbourRows, read_film_page

__all__ = ["FilmPage", "film_page"]


@dataclass(frozen=True)
class FilmPage:
    """A film and what its page shows beside it for every visitor."""

    film: Film
    activity: FilmActivity
    similar: list[SimilarTitle]
    place: EpisodePlace | None
    guide: EpisodeGuide | None = None  # a series' guide showing its first season


def _place(film: Film, rows: NeighbourRows) -> EpisodePlace:
    """The episode's place; a neighbour from another season counts only between numbered seasons
    (crossing a season's end never leads to, or from, the episodes with no season)."""
    assert film.episode_of is not None
    season = film.episode_of.season

    def beside(row: EpisodeRow | None) -> EpisodeItem | None:
        if row is None or (row[3] != season and (season is None or row[3] is None)):
            return None
        return episode_item(row)

    return EpisodePlace(
        series_id=film.episode_of.series_id,
        series_title=rows.series_title,
        season=season,
        episode=film.episode_of.episode,
        previous=beside(rows.previous),
        next=beside(rows.next),
    )


def _guide(series_id: str, rows: GuideRows) -> EpisodeGuide:
    """The guide as ``episode_guide(store, series_id)`` gives it: showing the first season."""
    return guide_of(series_id, rows.counts, rows.counts[0][0] if rows.counts else None, rows.episodes)


def film_page(store: Store, film_id: str, similar: int) -> FilmPage | None:
    """The film page's shared data (up to ``similar`` similar films), or None for an unknown film."""
    rows = read_film_page(store, film_id, similar, SERIES_KINDS)
    if rows is None:
        return None
    film = rows.film
    return FilmPage(
        film=film,
        activity=FilmActivity(film.comments_open, rows.rated, rows.reviewed, rows.commented),
        similar=[
            SimilarTitle(
                id=r.title_id, title=r.title, year=r.year, kind=r.kind, score=r.score, reason=r.reason
            )
            for r in rows.similar
        ],
        place=None if rows.neighbours is None else _place(film, rows.neighbours),
        guide=None if rows.guide is None else _guide(film.id, rows.guide),
    )
