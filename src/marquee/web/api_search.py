"""API routes that find titles and people: search, suggestions, full text, and the charts."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

import orjson
from fastapi import Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import browse
from marquee.services import search as search_service
from marquee.web import search_view
from marquee.web.api_common import (
    MAX_DEPTH,
    OK_HEADERS,
    PAGED_HEADERS,
    TEXT_PATTERN,
    Cursor,
    IfNoneMatch,
    Limit,
    api_router,
    json_ok,
    links,
    paged_response,
    problem_responses,
    resume_at,
    start_of,
)
from marquee.web.api_models import ChartOut, PersonPage, SuggestOut
from marquee.web.api_titles import FIRST_TITLE, PAGED_TITLES, hit_dict
from marquee.web.deps import get_site

__all__ = ["router"]

router = api_router("search")

# Search services answer "the best N"; pages are cut from that list, this deep at most.
MAX_SEARCH_RESULTS = 1000

Q = Annotated[str, Query(min_length=1, max_length=200, pattern=TEXT_PATTERN, description="what to look for")]
Kind = Annotated[
    str | None, Query(min_length=1, max_length=40, pattern=TEXT_PATTERN, description="titleType, e.g. movie")
]


def person_hit_dict(hit: Any) -> dict[str, Any]:
    """A ``PersonHit`` as the API's ``PersonHitOut``."""
    return {
        "id": hit.id,
        "name": hit.name,
        "birth_year": hit.birth_year,
        "professions": list(hit.professions),
        "known_for_titles": list(hit.known_for_titles),
    }


async def ranked_page(
    request: Request,
    find: Callable[[int], list[Any]],
    to_dict: Callable[[Any], dict[str, Any]],
    *,
    limit: int,
    cursor: str | None,
    key: str,
) -> Response:
    """A page cut from a ranked list (``find(n)`` = the best n), resumed after the cursor's last id."""
    position = start_of(cursor)
    wanted = min(int(position["o"]) + limit + 1, MAX_SEARCH_RESULTS)
    found = [to_dict(hit) for hit in await run_in_threadpool(find, wanted)]
    start = resume_at(found, position)
    items = found[start : start + limit]
    next_position = None
    if items and start + limit < len(found):
        last = items[-1]
        next_position = {"o": start + limit, "k": last.get(key), "id": last["id"]}
    return paged_response(request, items, next_position=next_position)


def _blank(q: str) -> bool:
    """A query of only spaces finds nothing (rather than everything)."""
    return not q.strip()


@router.get("/search", operation_id="searchTitles", summary="Search titles by name", **PAGED_TITLES)
async def search(
    request: Request,
    q: Q,
    kind: Kind = None,
    limit: Limit = 20,
    cursor: Cursor = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Titles whose title or alternate title matches `q`, most relevant first."""
    store = get_site(request).store

    def find(n: int) -> list[Any]:
        return [] if _blank(q) else list(search_service.search_titles(store, q, kind=kind, limit=n))

    return await ranked_page(request, find, hit_dict, limit=limit, cursor=cursor, key="votes")


@router.get(
    "/search/suggest",
    operation_id="suggestTitles",
    summary="Title suggestions for a search box",
    response_model=SuggestOut,
    responses={200: {"headers": OK_HEADERS, "links": FIRST_TITLE}, **problem_responses(304, 400, 429, 503)},
)
async def suggest(
    request: Request,
    q: Q,
    limit: Annotated[int, Query(ge=1, le=20, description="how many, 1–20")] = 8,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Titles starting with the prefix `q`, most voted first."""
    store = get_site(request).store
    hits = [] if _blank(q) else await run_in_threadpool(search_service.suggest_titles, store, q, limit=limit)
    return json_ok(request, orjson.dumps({"results": [hit_dict(hit) for hit in hits]}))


@router.get(
    "/search/people",
    operation_id="searchPeople",
    summary="Search people by name",
    response_model=PersonPage,
    responses={
        200: {"headers": PAGED_HEADERS, "links": links(first=("getPerson", "$response.body#/results/0/id"))},
        **problem_responses(304, 400, 429, 503),
    },
)
async def search_people(
    request: Request, q: Q, limit: Limit = 20, cursor: Cursor = None, if_none_match: IfNoneMatch = None
) -> Response:
    """People whose name matches `q`, best known first."""
    find = partial(search_view.find, get_site(request).store, "people", q)
    return await ranked_page(request, find, person_hit_dict, limit=limit, cursor=cursor, key="name")


@router.get(
    "/search/text", operation_id="searchText", summary="Full-text search of film pages", **PAGED_TITLES
)
async def search_text(
    request: Request, q: Q, limit: Limit = 20, cursor: Cursor = None, if_none_match: IfNoneMatch = None
) -> Response:
    """Titles whose plot, outline, taglines, trivia, goofs or quotes mention `q`."""
    find = partial(search_view.find, get_site(request).store, "text", q)
    return await ranked_page(request, find, hit_dict, limit=limit, cursor=cursor, key="votes")


# ---- charts --------------------------------------------------------------------------------------

Genre = Annotated[
    str | None, Query(min_length=1, max_length=60, pattern=TEXT_PATTERN, description="e.g. Drama")
]
Decade = Annotated[int | None, Query(ge=1800, le=2100, multiple_of=10, description="e.g. 1980")]
ChartKind = Annotated[
    str, Query(min_length=1, max_length=40, pattern=TEXT_PATTERN, description="titleType, e.g. movie")
]
_CHART: dict[str, Any] = {
    "response_model": ChartOut,
    "responses": {
        200: {
            "headers": PAGED_HEADERS,
            "links": links(first=("getTitle", "$response.body#/results/0/title/id")),
        },
        **problem_responses(304, 400, 429, 503),
    },
}


def entry_dict(entry: Any) -> dict[str, Any]:
    """A ``ChartEntry`` as the API's ``ChartEntryOut`` (with the title's id alongside for cursors)."""
    return {"rank": entry.rank, "weighted": entry.weighted, "title": hit_dict(entry.hit), "id": entry.hit.id}


async def chart_page(
    request: Request, make: Callable[[int], Any], *, limit: int, cursor: str | None
) -> Response:
    """A page of a chart; the chart's own facts (m, C, formula) ride along."""
    position = start_of(cursor)
    wanted = min(int(position["o"]) + limit + 1, MAX_DEPTH)
    chart = await run_in_threadpool(make, wanted)
    entries = [entry_dict(entry) for entry in chart.entries]
    start = resume_at(entries, position)
    items = entries[start : start + limit]
    next_position = None
    if items and start + limit < len(entries):
        next_position = {"o": start + limit, "k": items[-1]["rank"], "id": items[-1]["id"]}
    for item in items:
        del item["id"]
    extra = {"m": chart.m, "c": chart.c, "formula": chart.formula}
    return paged_response(request, items, next_position=next_position, extra=extra)


@router.get("/charts/top-rated", operation_id="chartTopRated", summary="Top rated titles", **_CHART)
async def top_rated(
    request: Request,
    genre: Genre = None,
    decade: Decade = None,
    kind: ChartKind = "movie",
    m: Annotated[int | None, Query(ge=0, le=10**9, description="votes needed to count fully")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Titles by weighted rating (IMDb's formula: (v/(v+m))·R + (m/(v+m))·C)."""
    site = get_site(request)
    votes_needed = site.settings.chart_min_votes if m is None else m

    def make(n: int) -> Any:
        return browse.top_rated(site.store, m=votes_needed, kind=kind, genre=genre, decade=decade, limit=n)

    return await chart_page(request, make, limit=limit, cursor=cursor)


@router.get("/charts/most-voted", operation_id="chartMostVoted", summary="Most voted titles", **_CHART)
async def most_voted(
    request: Request,
    genre: Genre = None,
    decade: Decade = None,
    kind: ChartKind = "movie",
    limit: Limit = 50,
    cursor: Cursor = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Titles by number of IMDb votes."""
    store = get_site(request).store

    def make(n: int) -> Any:
        return browse.most_voted(store, kind=kind, genre=genre, decade=decade, limit=n)

    return await chart_page(request, make, limit=limit, cursor=cursor)
