"""The home page's context (``/`` and ``/index.json``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marquee.services import browse, charts
from marquee.services.search import TitleHit
from marquee.web.browse_view import genre_names
from marquee.web.deps import HOME_KEY, Site

__all__ = ["HomeContext", "home_context", "home_json"]

HOME_LIST = 12


@dataclass(frozen=True)
class HomeContext:
    """What the home page shows: counts, the most voted, top rated and newest titles, genres."""

    film_count: int
    most_voted: list[TitleHit]
    top_rated: list[TitleHit]
    newest: list[TitleHit]
    genres: list[str]


def home_context(site: Site) -> HomeContext:
    """Gather the home page, or take it from the page cache: its charts read every title of their
    pool (~12 ms at 100k titles, ~70 ms on the demo catalogue, whose charts are the critics')."""
    context: HomeContext = site.pages.get_or_make(HOME_KEY, lambda: _gather(site))
    return context


def _gather(site: Site) -> HomeContext:
    newest = browse.browse(site.store, browse.BrowseFilters(), sort="year", per_page=HOME_LIST).items
    # The charts' own basis: members' ratings, imported ratings, else the critics' score (never empty).
    most_voted = [e.hit for e in charts.most_voted_chart(site.store, limit=HOME_LIST).entries]
    top_rated = charts.top_rated_chart(site.store, m=site.settings.chart_min_votes, limit=HOME_LIST)
    return HomeContext(
        film_count=site.store.count_films(),
        most_voted=most_voted,
        top_rated=[e.hit for e in top_rated.entries],
        newest=list(newest),
        genres=genre_names(site),
    )


def home_json(context: HomeContext) -> dict[str, Any]:
    """The ``/index.json`` body."""
    return {
        "film_count": context.film_count,
        "most_voted": [hit.model_dump(mode="json") for hit in context.most_voted],
        "top_rated": [hit.model_dump(mode="json") for hit in context.top_rated],
        "newest": [hit.model_dump(mode="json") for hit in context.newest],
        "genres": context.genres,
    }
