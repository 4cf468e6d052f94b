"""What every JSON API route shares: problem+json errors, ETags, cursors, ``fields``, rate limits.

Every router under ``/api/v1`` is made by ``api_router`` (problem+json errors, rate limits):

    router = api_router("community")

    @router.put("/titles/{id}/rating", responses=problem_responses(400, 401, 404, 422, 429), ...)
    def put_rating(...):
        raise ApiProblem(401, "Send an API token: Authorization: Bearer …")

``ProblemRoute`` turns every error raised in a route (``ApiProblem``, ``HTTPException``, request
validation, ``NotFound``, ``InputError``/``FieldError``, ``Forbidden``) into an RFC 9457
``application/problem+json`` answer; ``problem_responses`` documents those answers in OpenAPI. They
live in ``api_problems``; this module re-exports them beside the caching, cursors, ``fields``, rate
limits and paging.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
from collections.abc import Collection, Mapping, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import Depends, Header, Path, Query
from starlette.requests import Request
from starlette.responses import Response

from marquee.web.api_problems import (
    ETAG_HEADER,
    PROBLEM_MEDIA_TYPE,
    ApiProblem,
    ProblemRoute,
    param_error,
    problem_for,
    problem_response,
    problem_responses,
)
from marquee.web.ratelimit import limiter_of
from marquee.web.router import Router
from marquee.web.security import bearer_token, client_address

__all__ = [
    "CACHE_CONTROL",
    "PROBLEM_MEDIA_TYPE",
    "ApiProblem",
    "ProblemRoute",
    "api_router",
    "decode_cursor",
    "encode_cursor",
    "etag_for",
    "etag_matches",
    "json_ok",
    "links",
    "param_error",
    "parse_fields",
    "pick_body_fields",
    "pick_fields",
    "problem_for",
    "problem_response",
    "problem_responses",
    "rate_limit",
]


CACHE_CONTROL = "public, max-age=60"


# ---- caching: ETag and conditional GET -----------------------------------------------------------

OK_HEADERS = {
    "ETag": ETAG_HEADER,
    "Cache-Control": {"description": CACHE_CONTROL, "schema": {"type": "string"}},
}
PAGED_HEADERS = {
    **OK_HEADERS,
    "Link": {
        "description": 'the next page: `<url>; rel="next"` (absent on the last page)',
        "schema": {"type": "string"},
    },
}


def links(**targets: tuple[str, str]) -> dict[str, Any]:
    """OpenAPI links: ``Name=(operationId, "$response.body#/…")``, each passing that value as ``id``.

    They tell a client (and schemathesis' stateful tests) where an answer leads: a search hit's
    ``id`` is the ``id`` of ``getTitle``.
    """
    return {
        name: {"operationId": operation, "parameters": {"id": expression}}
        for name, (operation, expression) in targets.items()
    }


def etag_for(body: bytes) -> str:
    """A strong ETag: a hash of the exact bytes sent."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110: ``*`` or any listed tag, compared weakly (``W/`` ignored) as GET allows."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def json_ok(
    request: Request,
    body: bytes,
    *,
    etag: str | None = None,
    media_type: str = "application/json",
    headers: Mapping[str, str] | None = None,
) -> Response:
    """200 with ETag and Cache-Control, or 304 when ``If-None-Match`` already has this body."""
    tag = etag or etag_for(body)
    all_headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    condition = request.headers.get("if-none-match")
    if condition is not None and etag_matches(condition, tag):
        # A 304 repeats the validator and caching headers, without the body (RFC 9110 15.4.5).
        return Response(status_code=304, headers={k: v for k, v in all_headers.items() if k != "Link"})
    return Response(body, media_type=media_type, headers=all_headers)


# ---- cursors -------------------------------------------------------------------------------------


def encode_cursor(payload: Mapping[str, Any]) -> str:
    """An opaque cursor: base64url of a small JSON object (no padding)."""
    return base64.urlsafe_b64encode(orjson.dumps(dict(payload))).decode("ascii").rstrip("=")


def decode_cursor(raw: str, *, required: Collection[str] = ("o",)) -> dict[str, Any]:
    """The payload of a cursor this API made; a 400 problem naming ``cursor`` otherwise."""
    problem = ApiProblem(
        400,
        "The cursor is not one this API gave out: pass `next_cursor` (or follow `next`) as is.",
        errors=[param_error("query", "cursor", "not a valid cursor")],
    )
    try:
        data = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise problem from None
    if not isinstance(data, dict) or any(key not in data for key in required):
        raise problem
    offset = data.get("o")
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise problem
    return data


# ---- fields --------------------------------------------------------------------------------------


def parse_fields(raw: str | None, allowed: Collection[str]) -> list[str] | None:
    """``"title,year"`` -> ``["title", "year"]``; None for all; a 400 problem naming unknown fields.

    The value is held to its documented pattern: names exactly as listed, one comma between them
    (no spaces, no empty name, so ``fields=`` is a 400 rather than a record cut to its id), and no
    more names than there are fields.
    """
    if raw is None:
        return None
    names = raw.split(",")
    if len(names) > len(allowed):
        raise ApiProblem(
            400,
            f"`fields` names {len(names)} fields; there are {len(allowed)}.",
            errors=[param_error("query", "fields", "more names than there are fields")],
        )
    unknown = [name for name in names if name not in allowed]
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise ApiProblem(
            400,
            f"Unknown field {listed} in `fields`; known fields: {', '.join(sorted(allowed))}.",
            errors=[param_error("query", "fields", f"unknown field {name!r}") for name in unknown],
        )
    return names


def pick_fields(data: Mapping[str, Any], fields: list[str] | None) -> dict[str, Any]:
    """The record cut to ``fields`` (``id`` always kept), in the record's own key order."""
    if fields is None:
        return dict(data)
    keep = {"id", *fields}
    return {key: value for key, value in data.items() if key in keep}


def pick_body_fields(body: bytes, fields: list[str] | None) -> bytes:
    """A JSON record's bytes cut to ``fields`` (see ``pick_fields``); the same bytes when None."""
    return body if fields is None else orjson.dumps(pick_fields(orjson.loads(body), fields))


# ---- rate limits ---------------------------------------------------------------------------------


def api_router(tag: str, prefix: str = "/api/v1") -> Router:
    """A router of API routes under ``prefix``, listed under ``tag`` in OpenAPI: errors as problem+json
    (``ProblemRoute``), every request counted by ``rate_limit``."""
    return Router(prefix=prefix, route_class=ProblemRoute, dependencies=[Depends(rate_limit)], tags=[tag])


async def rate_limit(request: Request) -> None:
    """A dependency for API routes: a 429 problem with ``Retry-After`` when over the limit."""
    wait = limiter_of(request).check(client_address(request), bearer_token(request))
    if wait:
        seconds = max(1, math.ceil(wait))
        raise ApiProblem(
            429,
            f"Too many requests from this address or token; try again in {seconds} s.",
            headers={"Retry-After": str(seconds)},
        )


# ---- parameters and pages shared by the routes ---------------------------------------------------

# Film and person ids: IMDb's tt…/nm… or a slug; anything else cannot name a record.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"
# Free text may hold anything but NUL: no database stores it (PostgreSQL refuses it outright).
TEXT_PATTERN = r"^[^\x00]*$"
CURSOR_PATTERN = r"^[A-Za-z0-9_-]*$"
MAX_LIMIT = 100
# Lists are read this deep at most (as TMDB stops at page 500): deeper cursors get a 400.
MAX_DEPTH = 10_000

TitleId = Annotated[
    str,
    Path(pattern=ID_PATTERN, max_length=128, description="IMDb tt… id or the film's slug, e.g. mask-1985"),
]
PersonId = Annotated[
    str, Path(pattern=ID_PATTERN, max_length=128, description="IMDb nm… id or the person's slug")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"results per page, 1–{MAX_LIMIT}")]
Cursor = Annotated[
    str | None,
    Query(
        max_length=512,
        pattern=CURSOR_PATTERN,
        description="opaque: the `next_cursor` of the previous page (or follow `next`)",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(alias="If-None-Match", description="an ETag from an earlier answer: 304 if unchanged"),
]


def fields_query(names: Collection[str]) -> Any:
    """The ``fields`` parameter: its documented pattern lists the names exactly.

    The pattern is only documented, not enforced by FastAPI: ``parse_fields`` checks the value and
    names the unknown field, which a regular-expression mismatch would not. It allows as many names
    as there are fields, so it bounds the length too: Schemathesis then sees at once that no value
    of ``max_length`` characters matches, instead of drawing ~1,400 strings to find out (2 s of CPU
    for each operation with ``fields``, in every test run).
    """
    name = "(" + "|".join(sorted(names)) + ")"
    return Query(
        max_length=2000,
        description="comma-separated fields to return (`id` always comes): " + ", ".join(names),
        examples=["title,year,cast"],
        # No NUL either (it would reach no field anyway, and the pattern says so).
        json_schema_extra={"pattern": f"^{name}(,{name}){{0,{len(names) - 1}}}$"},
    )


def start_of(cursor: str | None) -> dict[str, Any]:
    """The decoded cursor (``o``: offset of the page), or the first page's."""
    if cursor is None:
        return {"o": 0}
    data = decode_cursor(cursor)
    if data["o"] > MAX_DEPTH:
        raise ApiProblem(
            400,
            f"Lists are served {MAX_DEPTH} results deep at most; narrow the filters.",
            errors=[param_error("query", "cursor", "past the deepest page")],
        )
    return data


def resume_at(items: Sequence[Mapping[str, Any]], position: Mapping[str, Any]) -> int:
    """Where the next page starts in ``items`` (a list read from 0): after the cursor's last id.

    Why: if rows were added or removed before the cursor since the last page, the id (not the
    offset) says where the client stopped, so no result is skipped or repeated.
    """
    offset = int(position["o"])
    last = position.get("id")
    if last is None or (0 < offset <= len(items) and items[offset - 1].get("id") == last):
        return offset
    for index, item in enumerate(items):
        if item.get("id") == last:
            return index + 1
    return offset


def page_url(request: Request, cursor: str) -> str:
    """This request's path and query with ``cursor`` set (a relative URL)."""
    params = [(key, value) for key, value in request.query_params.multi_items() if key != "cursor"]
    params.append(("cursor", cursor))
    return f"{request.url.path}?{urlencode(params)}"


def paged_response(
    request: Request,
    results: list[dict[str, Any]],
    *,
    next_position: Mapping[str, Any] | None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A page of results with ``next``/``next_cursor`` and a ``Link: rel="next"`` header."""
    cursor = encode_cursor(next_position) if next_position is not None else None
    url = page_url(request, cursor) if cursor is not None else None
    body = orjson.dumps({"results": results, **(extra or {}), "next": url, "next_cursor": cursor})
    headers = {"Link": f'<{url}>; rel="next"'} if url else None
    return json_ok(request, body, headers=headers)
