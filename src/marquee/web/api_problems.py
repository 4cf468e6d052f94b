"""The JSON API's errors as RFC 9457 ``application/problem+json``: ``ApiProblem``, the map from every error a
route raises to its answer (``problem_for``, used by ``ProblemRoute``), and those answers documented in
OpenAPI (``problem_responses``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from http import HTTPStatus
from typing import Any

import orjson
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import MarqueeError, StoreError
from marquee.services.accounts import FieldError
from marquee.storage.engine import StoreBusy

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


DOCS_PATH = "/api/docs"


# ---- problems (RFC 9457) -------------------------------------------------------------------------


class ApiProblem(Exception):
    """Raise in an API route to answer with a problem: ``ApiProblem(404, "No title tt1.")``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Iterable[Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = [dict(item) for item in errors]
        self.headers = dict(headers or {})
        self.title = title


def param_error(location: str, name: str, detail: str) -> dict[str, str]:
    """One item of a problem's ``errors``: which parameter, where, and what is wrong."""
    return {"in": location, "name": name, "detail": detail}


def problem_type(status: int) -> str:
    """The problem's ``type``: the docs page's section on this status (a URI reference)."""
    return f"{DOCS_PATH}#problem-{status}"


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Response:
    """An ``application/problem+json`` response."""
    body = {
        "type": problem_type(status),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "errors": [dict(item) for item in errors],
    }
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _validation_items(exc: RequestValidationError) -> list[dict[str, str]]:
    """Pydantic's error list as ``errors`` items: ``("query", "limit")`` -> in=query, name=limit."""
    items = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else "request"
        name = ".".join(loc[1:]) or location
        items.append(param_error(location, name, str(error.get("msg", "invalid"))))
    return items


def _status_detail(exc: StarletteHTTPException) -> str:
    detail = exc.detail
    return detail if isinstance(detail, str) and detail else HTTPStatus(exc.status_code).phrase


def problem_for(request: Request, exc: Exception) -> Response:
    """The problem response for any exception raised while answering an API request."""
    if isinstance(exc, ApiProblem):
        return problem_response(
            request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers, title=exc.title
        )
    if isinstance(exc, RequestValidationError):
        items = _validation_items(exc)
        detail = "; ".join(f"{item['name']}: {item['detail']}" for item in items) or "Invalid request."
        return problem_response(request, 400, detail, errors=items)
    if isinstance(exc, StarletteHTTPException):
        return problem_response(
            request, exc.status_code, _status_detail(exc), headers=getattr(exc, "headers", None)
        )
    if isinstance(exc, StoreBusy):
        wait = str(exc.retry_after)
        return problem_response(request, 503, f"The database is busy: {exc}.", headers={"Retry-After": wait})
    if isinstance(exc, StoreError):
        log.error("store error on %s: %s", request.url.path, exc)
        return problem_response(request, 503, "The database is not available right now.")
    if isinstance(exc, FieldError):  # one named field of the body
        return problem_response(request, 422, str(exc), errors=[param_error("body", exc.field, exc.reason)])
    if isinstance(exc, MarqueeError):  # each error class carries its status
        return problem_response(request, exc.status, str(exc))
    log.exception("error on %s", request.url.path, exc_info=exc)
    return problem_response(request, 500, "Something went wrong on our side.")


class ProblemRoute(APIRoute):
    """An API route whose errors are all answered as ``application/problem+json``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                return problem_for(request, exc)

        return answer


_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_STATUS_TEXT = {
    304: "Not Modified: the representation matches the `If-None-Match` ETag; no body.",
    400: "Bad request: a parameter is malformed, out of range or unknown (named in `errors`).",
    401: "Unauthorized: send an API token (`Authorization: Bearer …`).",
    403: "Forbidden: this member may not do this.",
    404: "Not found: no such title, person or endpoint.",
    405: "Method not allowed on this path.",
    409: "Conflict with the current state.",
    422: "Unprocessable: the request body is well-formed but a field is invalid (named in `errors`).",
    429: "Too many requests: wait `Retry-After` seconds.",
    503: "The database is not available right now, or busy with a large write: wait `Retry-After` seconds.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses (and 304), all ``application/problem+json``."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status == 304:
            responses[304] = {"description": _STATUS_TEXT[304], "headers": {"ETag": ETAG_HEADER}}
            continue
        entry: dict[str, Any] = {"description": _STATUS_TEXT.get(status, HTTPStatus(status).phrase)}
        entry["content"] = _PROBLEM_CONTENT
        if status in (429, 503):
            entry["headers"] = {
                "Retry-After": {
                    "description": "seconds to wait before trying again",
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        responses[status] = entry
    return responses


# The ETag header as OpenAPI describes it (a 304 answer carries one too).
ETAG_HEADER = {"description": "strong validator: a hash of the body", "schema": {"type": "string"}}
