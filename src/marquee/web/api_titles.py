"""API routes about films: the full record, its credits and ratings, and browsing the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Literal

import orjson
from fastapi import Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import browse, community
from marquee.services.episodes import EpisodeGuide, episode_guide, episode_place, is_series, series_guide
from marquee.storage.base import Store
from marquee.web.api_common import (
    MAX_DEPTH,
    OK_HEADERS,
    PAGED_HEADERS,
    TEXT_PATTERN,
    ApiProblem,
    Cursor,
    IfNoneMatch,
    Limit,
    TitleId,
    api_router,
    fields_query,
    json_ok,
    links,
    paged_response,
    parse_fields,
    pick_body_fields,
    problem_responses,
    start_of,
)
from marquee.web.api_models import CreditsOut, RatingsOut, TitleOut, TitlePage
from marquee.web.deps import get_site
from marquee.web.film_view import title_jsonld

__all__ = ["FIRST_TITLE", "PAGED_TITLES", "TITLE_FIELDS", "hit_dict", "router", "title_dict"]

router = api_router("titles")

TITLE_FIELDS = tuple(TitleOut.model_fields)
JSONLD = "application/ld+json"


def member_rating(store: Store, title_id: str) -> dict[str, Any]:
    """Marquee members' average, votes and histogram of scores 1–10."""
    summary = community.member_rating_summary(store, title_id)
    data = summary.model_dump(mode="json")
    data["histogram"] = {str(score): count for score, count in data["histogram"].items()}
    return {"average": data["average"], "votes": data["votes"], "histogram": data["histogram"]}


def _record(store: Store, title_id: str) -> dict[str, Any] | None:
    """The film's API record, read from the store (in a worker thread)."""
    film = store.get_film(title_id)
    if film is None:
        return None
    data = film.model_dump(mode="json")
    data["member_rating"] = member_rating(store, film.id)
    return data


def _no_title(title_id: str) -> ApiProblem:
    return ApiProblem(404, f"No title with id {title_id!r}.", title="Title not found")


async def _cached_json(
    request: Request, title_id: str, form: str, make: Callable[[], dict[str, Any] | None]
) -> bytes:
    """The site's cached JSON of one form of a film (``make`` runs in a worker thread on a miss;
    its None is a 404). ``invalidate_film`` clears it on writes."""
    site = get_site(request)
    key = ("title", title_id, form)
    body = site.pages.get(key)
    if body is None:
        node = await run_in_threadpool(make)
        if node is None:
            raise _no_title(title_id)
        body = orjson.dumps(node)
        site.pages.put(key, body)
    return body


async def title_body(request: Request, title_id: str) -> bytes:
    """The film's API JSON, from the site's cache (cleared by ``invalidate_film`` on writes)."""
    return await _cached_json(request, title_id, "api", partial(_record, get_site(request).store, title_id))


async def title_dict(request: Request, title_id: str) -> dict[str, Any]:
    """The film's API record as a dict."""
    data: dict[str, Any] = orjson.loads(await title_body(request, title_id))
    return data


def _wants_jsonld(request: Request) -> bool:
    """``Accept: application/ld+json`` asks for schema.org JSON-LD instead of the record."""
    return JSONLD in request.headers.get("accept", "")


def _jsonld_of(store: Store, title_id: str, base_url: str) -> dict[str, Any] | None:
    """The title's JSON-LD as its page has it: a Movie, a TVSeries with its seasons, or a TVEpisode."""
    film = store.get_film(title_id)
    if film is None:
        return None
    guide = episode_guide(store, film.id) if is_series(film) else None
    return title_jsonld(film, guide=guide, place=episode_place(store, film), base_url=base_url)


async def _jsonld_body(request: Request, title_id: str) -> bytes:
    site = get_site(request)
    make = partial(_jsonld_of, site.store, title_id, site.settings.base_url)
    return await _cached_json(request, title_id, "api-ld", make)


_TITLE_200 = {
    "description": "The film's full record (or only `fields`); with `Accept: application/ld+json`, "
    "a schema.org Movie (TVSeries, TVEpisode for series and episodes).",
    "headers": {**OK_HEADERS, "Vary": {"description": "Accept", "schema": {"type": "string"}}},
    "links": links(
        credits=("getTitleCredits", "$response.body#/id"), ratings=("getTitleRatings", "$response.body#/id")
    ),
    "content": {JSONLD: {"schema": {"type": "object", "description": "schema.org Movie (JSON-LD)"}}},
}


@router.get(
    "/titles/{id}",
    operation_id="getTitle",
    summary="A film's full record",
    response_model=TitleOut,
    responses={200: _TITLE_200, **problem_responses(304, 400, 404, 429)},
)
async def get_title(
    request: Request,
    id: TitleId,
    fields: Annotated[str | None, fields_query(TITLE_FIELDS)] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Every section of the film's page, plus `member_rating` (Marquee members' votes, apart from IMDb's)."""
    selected = parse_fields(fields, TITLE_FIELDS)
    headers = {"Vary": "Accept"}
    if _wants_jsonld(request):
        return json_ok(request, await _jsonld_body(request, id), media_type=JSONLD, headers=headers)
    body = pick_body_fields(await title_body(request, id), selected)
    return json_ok(request, body, headers=headers)


def credits_of(data: dict[str, Any]) -> dict[str, Any]:
    """Cast in billing order; directors, writers, then other crew, as crew entries with a category."""
    crew = [
        {"name": p["name"], "category": "director", "job": None, "id": p["id"]} for p in data["directors"]
    ]
    crew += [{"name": p["name"], "category": "writer", "job": None, "id": p["id"]} for p in data["writers"]]
    crew += data["crew"]
    return {"id": data["id"], "cast": data["cast"], "crew": crew, "stars": data["stars"]}


@router.get(
    "/titles/{id}/credits",
    operation_id="getTitleCredits",
    summary="A film's cast and crew",
    response_model=CreditsOut,
    responses={200: {"headers": OK_HEADERS}, **problem_responses(304, 400, 404, 429)},
)
async def get_title_credits(request: Request, id: TitleId, if_none_match: IfNoneMatch = None) -> Response:
    """Cast (billing order) and crew (directors, writers, others) of one film."""
    data = await title_dict(request, id)
    return json_ok(request, orjson.dumps(credits_of(data)))


@router.get(
    "/titles/{id}/ratings",
    operation_id="getTitleRatings",
    summary="A film's ratings: IMDb's and members'",
    response_model=RatingsOut,
    responses={200: {"headers": OK_HEADERS}, **problem_responses(304, 400, 404, 429)},
)
async def get_title_ratings(request: Request, id: TitleId, if_none_match: IfNoneMatch = None) -> Response:
    """IMDb's aggregate and Marquee members' average, votes and histogram, side by side."""
    data = await title_dict(request, id)
    body = {"id": data["id"], "imdb": data["rating"], "member": data["member_rating"]}
    return json_ok(request, orjson.dumps(body))


@router.get(
    "/titles/{id}/episodes",
    operation_id="getTitleEpisodes",
    summary="A series' seasons and the episodes of one season",
    response_model=EpisodeGuide,
    responses={200: {"headers": OK_HEADERS}, **problem_responses(304, 400, 404, 429)},
)
async def get_title_episodes(
    request: Request,
    id: TitleId,
    season: Annotated[
        int | None, Query(ge=0, le=2**31 - 1, description="the season to list; absent: the first season")
    ] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Every season of a series (tvSeries, tvMiniSeries) with its episode count, and the episodes of
    `season` in order: number, title, year, IMDb rating. 404 for a title that is not a series or a
    season it does not have."""
    store = get_site(request).store
    guide = await run_in_threadpool(series_guide, store, id, season)
    return json_ok(request, orjson.dumps(guide.model_dump(mode="json")))


# ---- browse --------------------------------------------------------------------------------------


def hit_dict(hit: Any) -> dict[str, Any]:
    """A ``TitleHit`` as the API's ``TitleHitOut``."""
    return {
        "id": hit.id,
        "title": hit.title,
        "year": hit.year,
        "kind": hit.kind,
        "rating": hit.rating,
        "votes": hit.votes,
        "matched": getattr(hit, "matched", None),
    }


Sort = Literal["votes", "rating", "year", "title"]
_SORT_KEY = {"votes": "votes", "rating": "rating", "year": "year", "title": "title"}
Year = Annotated[int | None, Query(ge=1800, le=2100)]
Minutes = Annotated[int | None, Query(ge=0, le=100_000)]
Text = Annotated[str | None, Query(min_length=1, max_length=200, pattern=TEXT_PATTERN)]


# A page of titles (the search, browse and description routes): its model, headers and link.
FIRST_TITLE = links(first=("getTitle", "$response.body#/results/0/id"))
PAGED_TITLES: dict[str, Any] = {
    "response_model": TitlePage,
    "responses": {
        200: {"headers": PAGED_HEADERS, "links": FIRST_TITLE},
        **problem_responses(304, 400, 429, 503),
    },
}


@router.get(
    "/titles",
    operation_id="browseTitles",
    summary="Browse the catalogue with the site's filters",
    **PAGED_TITLES,
)
async def browse_titles(
    request: Request,
    genre: Text = None,
    year_from: Year = None,
    year_to: Year = None,
    decade: Annotated[int | None, Query(ge=1800, le=2100, multiple_of=10, description="e.g. 1980")] = None,
    kind: Text = None,
    min_rating: Annotated[float | None, Query(ge=0, le=10)] = None,
    min_votes: Annotated[int | None, Query(ge=0, le=10**9)] = None,
    runtime_min: Minutes = None,
    runtime_max: Minutes = None,
    person: Annotated[
        str | None, Query(min_length=1, max_length=200, pattern=TEXT_PATTERN, description="nm… id or name")
    ] = None,
    location: Text = None,
    sort: Annotated[Sort, Query(description="order; ties are broken by id, so pages are stable")] = "votes",
    limit: Limit = 50,
    cursor: Cursor = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Titles matching every filter given, best first by `sort`; follow `next` for more."""
    filters = browse.BrowseFilters(
        genre=genre, year_from=year_from, year_to=year_to, decade=decade, kind=kind,
        min_rating=min_rating, min_votes=min_votes, runtime_min=runtime_min, runtime_max=runtime_max,
        person=person, location=location,
    )  # fmt: skip
    position = start_of(cursor)
    offset = int(position["o"])
    store = get_site(request).store
    # The service pages by number: read the page holding the offset, and the next one when the
    # client changed `limit` between pages and the offset falls inside a page.
    first, skip = divmod(offset, limit)
    page = await run_in_threadpool(browse.browse, store, filters, sort=sort, page=first + 1, per_page=limit)
    items = [hit_dict(hit) for hit in page.items]
    if skip:
        following = await run_in_threadpool(
            browse.browse, store, filters, sort=sort, page=first + 2, per_page=limit
        )
        items = (items + [hit_dict(hit) for hit in following.items])[skip:]
    shift = 0
    if position.get("id") is not None and items and items[0]["id"] == position["id"]:
        items, shift = items[1:], 1  # a row was added before the cursor: the list moved by one
    items = items[:limit]
    total = int(page.total)
    after = offset + shift + len(items)
    next_position = None
    if items and after < min(total, MAX_DEPTH):
        last = items[-1]
        next_position = {"o": after, "k": last[_SORT_KEY[sort]], "id": last["id"]}
    return paged_response(request, items, next_position=next_position, extra={"total": total})
