"""Browse (``/browse?genre=…``) and charts (``/charts/…``), each with a JSON twin.

Each page and its twin render one context, built by ``browse_view`` or ``chart_view``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from marquee.web import chart_view
from marquee.web.browse_view import BrowseContext, BrowseQuery, browse_context, browse_json, genre_names
from marquee.web.deps import get_site
from marquee.web.page_view import template_vars
from marquee.web.render import json_response
from marquee.web.router import Router

__all__ = ["genre_names", "router"]

router = Router()


def _browse(request: Request) -> BrowseContext:
    query = BrowseQuery.from_params(dict(request.query_params))
    return browse_context(get_site(request), query)


@router.get("/browse.json", include_in_schema=False)
def browse_json_page(request: Request) -> Response:
    """One page of browse results as JSON."""
    return json_response(browse_json(_browse(request)))


@router.get("/browse", include_in_schema=False)
def browse_page(request: Request) -> Response:
    """Browse with filters: a GET form, so every result page has its own address."""
    context = _browse(request)
    return get_site(request).renderer.page(request, "browse.html", template_vars(context))


# --- charts -------------------------------------------------------------------------------------


def _chart(request: Request, name: str, genre: str | None, decade: str | None) -> chart_view.ChartContext:
    return chart_view.chart_context(get_site(request), name, genre, decade)


def _chart_page(request: Request, context: chart_view.ChartContext) -> Response:
    return get_site(request).renderer.page(request, "chart.html", template_vars(context))


@router.get("/charts.json", include_in_schema=False)
def charts_index_json(request: Request) -> Response:
    """The list of charts, genres and decades."""
    return json_response(chart_view.charts_index_json(chart_view.charts_index(get_site(request))))


@router.get("/charts", include_in_schema=False)
def charts_index(request: Request) -> Response:
    """Which charts there are: top rated, most voted, per genre and per decade."""
    site = get_site(request)
    return site.renderer.page(request, "charts_index.html", template_vars(chart_view.charts_index(site)))


@router.get("/charts/genre/{genre}.json", include_in_schema=False)
def genre_chart_json(request: Request, genre: str) -> Response:
    """Top rated in one genre, as JSON."""
    return json_response(chart_view.chart_json(_chart(request, "top-rated", genre, None)))


@router.get("/charts/genre/{genre}", include_in_schema=False)
def genre_chart(request: Request, genre: str) -> Response:
    """Top rated in one genre."""
    return _chart_page(request, _chart(request, "top-rated", genre, None))


@router.get("/charts/decade/{decade}.json", include_in_schema=False)
def decade_chart_json(request: Request, decade: str) -> Response:
    """Top rated of one decade, as JSON."""
    return json_response(chart_view.chart_json(_chart(request, "top-rated", None, decade)))


@router.get("/charts/decade/{decade}", include_in_schema=False)
def decade_chart(request: Request, decade: str) -> Response:
    """Top rated of one decade."""
    return _chart_page(request, _chart(request, "top-rated", None, decade))


@router.get("/charts/{name}.json", include_in_schema=False)
def chart_json(request: Request, name: str, genre: str | None = None, decade: str | None = None) -> Response:
    """A chart as JSON: entries with rank, hit and weighted score, plus m, C and the formula."""
    return json_response(chart_view.chart_json(_chart(request, name, genre, decade)))


@router.get("/charts/{name}", include_in_schema=False)
def chart_page(request: Request, name: str, genre: str | None = None, decade: str | None = None) -> Response:
    """A chart page (top rated shows its formula)."""
    return _chart_page(request, _chart(request, name, genre, decade))
