"""API routes about people: a person's record and filmography."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.storage.film_rows import CAST_CATEGORIES
from marquee.web.api_common import (
    OK_HEADERS,
    ApiProblem,
    IfNoneMatch,
    PersonId,
    api_router,
    fields_query,
    json_ok,
    links,
    parse_fields,
    pick_body_fields,
    problem_responses,
)
from marquee.web.api_models import PersonCreditsOut, PersonOut
from marquee.web.deps import get_site
from marquee.web.person_view import person_json

__all__ = ["PERSON_FIELDS", "router"]

router = api_router("people")

PERSON_FIELDS = tuple(PersonOut.model_fields)


async def person_body(request: Request, person_id: str) -> bytes:
    """The person's API JSON: the same bytes, from the same cache entry, as ``/person/{id}.json``."""
    try:
        return await run_in_threadpool(person_json, get_site(request), person_id)
    except NotFound:
        raise ApiProblem(404, f"No person with id {person_id!r}.", title="Person not found") from None


@router.get(
    "/people/{id}",
    operation_id="getPerson",
    summary="A person and their filmography",
    response_model=PersonOut,
    responses={
        200: {"headers": OK_HEADERS, "links": links(credits=("getPersonCredits", "$response.body#/id"))},
        **problem_responses(304, 400, 404, 429),
    },
)
async def get_person(
    request: Request,
    id: PersonId,
    fields: Annotated[str | None, fields_query(PERSON_FIELDS)] = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Name, years, professions, known-for titles and every credit in the store."""
    selected = parse_fields(fields, PERSON_FIELDS)
    body = pick_body_fields(await person_body(request, id), selected)
    return json_ok(request, body)


def split_credits(data: dict[str, Any]) -> dict[str, Any]:
    """Acting credits and crew credits; a Stars-line credit counts as acting when no role is listed."""
    credits = data["credits"]
    acted = {c["title_id"] for c in credits if c["category"] in CAST_CATEGORIES}
    cast = [
        c for c in credits
        if c["category"] in CAST_CATEGORIES or (c["category"] == "star" and c["title_id"] not in acted)
    ]  # fmt: skip
    crew = [c for c in credits if c["category"] not in CAST_CATEGORIES and c["category"] != "star"]
    return {"id": data["id"], "cast": cast, "crew": crew}


@router.get(
    "/people/{id}/credits",
    operation_id="getPersonCredits",
    summary="A person's credits, acting and crew",
    response_model=PersonCreditsOut,
    responses={200: {"headers": OK_HEADERS}, **problem_responses(304, 400, 404, 429)},
)
async def get_person_credits(request: Request, id: PersonId, if_none_match: IfNoneMatch = None) -> Response:
    """The filmography split as TMDB does: `cast` (actor, actress, self) and `crew`."""
    data = orjson.loads(await person_body(request, id))
    return json_ok(request, orjson.dumps(split_credits(data)))
