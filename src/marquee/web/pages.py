"""The home page (``/`` and ``/index.json``) and small site-wide routes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import browse, charts
from marquee.web.deps import Site, get_site
from marquee.web.listings import genre_names
from marquee.web.render import json_response

__all__ = ["router"]

router = APIRouter()

HOME_LIST = 12


def _home(site: Site) -> dict[str, Any]:
    """What the home page shows: counts, the most voted, top rated and newest titles, genres."""
    newest = browse.browse(site.store, browse.BrowseFilters(), sort="year", per_page=HOME_LIST).items
    # The charts' own basis: members' ratings, imported ratings, else the critics' score (never empty).
    most_voted = [e.hit for e in charts.most_voted_chart(site.store, limit=HOME_LIST).entries]
    top_rated = [
        e.hit
        for e in charts.top_rated_chart(site.store, m=site.settings.chart_min_votes, limit=HOME_LIST).entries
    ]
    return {
        "film_count": site.store.count_films(),
        "most_voted": most_voted,
        "top_rated": top_rated,
        "newest": newest,
        "genres": genre_names(site),
    }


@router.get("/index.json", include_in_schema=False)
def home_json(request: Request) -> Response:
    """The home page's data as JSON."""
    home = _home(get_site(request))
    for key in ("most_voted", "top_rated", "newest"):
        home[key] = [hit.model_dump(mode="json") for hit in home[key]]
    return json_response(home, html_url="/")


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    """The home page: search, the most voted and top rated titles, genres and decades."""
    site = get_site(request)
    return site.renderer.page(request, "home.html", _home(site))
