"""Browse (``/browse?genre=…``) and charts (``/charts/…``), each with a JSON twin.

Form fields arrive as strings, often empty: they are read here, and a bad value becomes
a 400 page naming the field rather than a traceback.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import InputError
from marquee.services import browse
from marquee.storage.genres import common_genres
from marquee.web.deps import Site, get_site
from marquee.web.render import json_response

__all__ = ["genre_names", "router"]

router = APIRouter()

INT_FILTERS = ("year_from", "year_to", "decade", "min_votes", "runtime_min", "runtime_max")
FLOAT_FILTERS = ("min_rating",)
TEXT_FILTERS = ("genre", "kind", "person", "location")
SORTS = ("votes", "rating", "year", "title")
KINDS = ("movie", "short", "tvMovie", "tvSeries", "tvMiniSeries", "tvEpisode", "tvSpecial", "video")


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name}: {raw!r} is not a whole number") from None


def _float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name}: {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{name}: {raw!r} is not a number")
    return value


def read_filters(params: dict[str, str]) -> dict[str, Any]:
    """The non-empty browse filters in a query string, typed; InputError names a bad field."""
    values: dict[str, Any] = {}
    for name in (*INT_FILTERS, *FLOAT_FILTERS, *TEXT_FILTERS):
        raw = params.get(name, "").strip()
        if not raw:
            continue
        if name in INT_FILTERS:
            values[name] = _int(name, raw)
        elif name in FLOAT_FILTERS:
            values[name] = _float(name, raw)
        else:
            values[name] = raw[:200]
    return values


def _page_number(params: dict[str, str]) -> int:
    raw = params.get("page", "").strip()
    page = _int("page", raw) if raw else 1
    if page < 1:
        raise InputError(f"page: {page} must be 1 or more")
    return page


def genre_names(site: Site) -> list[str]:
    """Every genre in the store, for the browse form (cached like pages)."""
    cached = site.pages.get(("genres",))
    if isinstance(cached, list):
        return cached
    names = common_genres(site.store)
    site.pages.put(("genres",), names)
    return names


def _browse(request: Request) -> tuple[dict[str, Any], Any, str]:
    site = get_site(request)
    params = dict(request.query_params)
    filters = read_filters(params)
    sort = params.get("sort") or "votes"
    if sort not in SORTS:
        raise InputError(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
    result = browse.browse(
        site.store,
        browse.BrowseFilters(**filters),
        sort=sort,
        page=_page_number(params),
        per_page=site.settings.per_page,
    )
    return filters, result, sort


@router.get("/browse.json", include_in_schema=False)
def browse_json(request: Request) -> Response:
    """One page of browse results as JSON."""
    filters, result, sort = _browse(request)
    return json_response({"filters": filters, "sort": sort, **result.model_dump(mode="json")})


@router.get("/browse", include_in_schema=False)
def browse_page(request: Request) -> Response:
    """Browse with filters: a GET form, so every result page has its own address."""
    site = get_site(request)
    filters, result, sort = _browse(request)
    pages = max(1, math.ceil(result.total / result.per_page)) if result.per_page else 1
    base = {key: str(value) for key, value in filters.items()} | {"sort": sort}
    context = {
        "filters": filters,
        "sort": sort,
        "sorts": SORTS,
        "kinds": KINDS,
        "genres": genre_names(site),
        "result": result,
        "pages": pages,
        "prev_url": f"/browse?{urlencode(base | {'page': result.page - 1})}" if result.page > 1 else None,
        "next_url": f"/browse?{urlencode(base | {'page': result.page + 1})}" if result.page < pages else None,
    }
    return site.renderer.page(request, "browse.html", context)


# --- charts -------------------------------------------------------------------------------------

CHARTS = {"top-rated": "Top rated", "most-voted": "Most voted"}


def _decade(raw: str | None) -> int | None:
    """``"1980s"`` or ``"1980"`` -> 1980."""
    if not raw:
        return None
    value = _int("decade", raw.strip().removesuffix("s"))
    if value % 10:
        raise InputError(f"decade: {raw!r} is not a decade, e.g. 1980s")
    return value


def _chart(site: Site, name: str, genre: str | None, decade: int | None) -> Any:
    if name == "top-rated":
        return browse.top_rated(
            site.store, m=site.settings.chart_min_votes, genre=genre, decade=decade, limit=250
        )
    return browse.most_voted(site.store, genre=genre, decade=decade, limit=250)


def _chart_context(request: Request, name: str, genre: str | None, decade_raw: str | None) -> dict[str, Any]:
    if name not in CHARTS:
        raise HTTPException(404)
    site = get_site(request)
    genre = (genre or "").strip() or None
    decade = _decade(decade_raw)
    chart = _chart(site, name, genre, decade)
    heading = CHARTS[name]
    if genre:
        heading += f" {genre}"
    heading += " films" if not genre else " titles"
    if decade:
        heading += f" of the {decade}s"
    return {"name": name, "heading": heading, "genre": genre, "decade": decade, "chart": chart}


def _chart_json(context: dict[str, Any]) -> dict[str, Any]:
    chart = context["chart"]
    return {
        "chart": context["name"],
        "genre": context["genre"],
        "decade": context["decade"],
        **chart.model_dump(mode="json"),
    }


@router.get("/charts.json", include_in_schema=False)
def charts_index_json(request: Request) -> Response:
    """The list of charts, genres and decades."""
    charts = [{"name": name, "title": title, "url": f"/charts/{name}"} for name, title in CHARTS.items()]
    return json_response({"charts": charts, "genres": genre_names(get_site(request)), "decades": _decades()})


def _decades() -> list[int]:
    return list(range(2020, 1890, -10))


@router.get("/charts", include_in_schema=False)
def charts_index(request: Request) -> Response:
    """Which charts there are: top rated, most voted, per genre and per decade."""
    site = get_site(request)
    context = {"charts": CHARTS, "genres": genre_names(site), "decades": _decades()}
    return site.renderer.page(request, "charts_index.html", context)


@router.get("/charts/genre/{genre}.json", include_in_schema=False)
def genre_chart_json(request: Request, genre: str) -> Response:
    """Top rated in one genre, as JSON."""
    return json_response(_chart_json(_chart_context(request, "top-rated", genre, None)))


@router.get("/charts/genre/{genre}", include_in_schema=False)
def genre_chart(request: Request, genre: str) -> Response:
    """Top rated in one genre."""
    context = _chart_context(request, "top-rated", genre, None)
    return get_site(request).renderer.page(request, "chart.html", context)


@router.get("/charts/decade/{decade}.json", include_in_schema=False)
def decade_chart_json(request: Request, decade: str) -> Response:
    """Top rated of one decade, as JSON."""
    return json_response(_chart_json(_chart_context(request, "top-rated", None, decade)))


@router.get("/charts/decade/{decade}", include_in_schema=False)
def decade_chart(request: Request, decade: str) -> Response:
    """Top rated of one decade."""
    context = _chart_context(request, "top-rated", None, decade)
    return get_site(request).renderer.page(request, "chart.html", context)


@router.get("/charts/{name}.json", include_in_schema=False)
def chart_json(request: Request, name: str, genre: str | None = None, decade: str | None = None) -> Response:
    """A chart as JSON: entries with rank, hit and weighted score, plus m, C and the formula."""
    return json_response(_chart_json(_chart_context(request, name, genre, decade)))


@router.get("/charts/{name}", include_in_schema=False)
def chart_page(request: Request, name: str, genre: str | None = None, decade: str | None = None) -> Response:
    """A chart page (top rated shows its formula)."""
    context = _chart_context(request, name, genre, decade)
    return get_site(request).renderer.page(request, "chart.html", context)
