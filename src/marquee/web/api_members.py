"""Who is behind a members' API call, and the JSON bodies it sends: shared by the community,
library, follows, discover and editing routers under ``/api/v1``.

``Writer`` (a member who may write: a Bearer token, or a session cookie with ``X-CSRF-Token``, and
within the write rate) and ``Reader`` (a member if any) are route dependencies; ``api_parse`` and
``body_schema`` validate and document a hand-read JSON body; ``json_response`` answers with JSON.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Body, Depends
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import User
from marquee.services.accounts import FieldError
from marquee.web import security
from marquee.web.api_common import ApiProblem, problem_responses
from marquee.web.community_common import parse_input
from marquee.web.render import json_bytes

__all__ = [
    "READ_ERRORS",
    "WRITE_ERRORS",
    "JsonBody",
    "Reader",
    "Writer",
    "api_parse",
    "api_reader",
    "api_writer",
    "body_schema",
    "json_response",
]

M = TypeVar("M", bound=BaseModel)


def api_writer(request: Request) -> User:
    """The member behind an API write: a Bearer token, or a session cookie with ``X-CSRF-Token``."""
    if request.headers.get("authorization"):
        user = security.api_user(request)
        if user is None:
            raise ApiProblem(
                401, "The API token is unknown or revoked.", headers={"WWW-Authenticate": "Bearer"}
            )
    elif security.current_user(request) is not None:
        if not security.check_csrf(request, request.headers.get(security.CSRF_HEADER)):
            raise ApiProblem(403, f"A cookie-signed-in write needs a valid {security.CSRF_HEADER} header.")
        user = security.current_user(request)
        assert user is not None
    else:
        raise ApiProblem(
            401,
            "Sign in: send an API token (Authorization: Bearer …).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        security.limit_write(request, user)
    except security.TooManyRequests as error:
        raise ApiProblem(429, str(error), headers={"Retry-After": str(error.retry_after)}) from None
    return user


def api_reader(request: Request) -> User | None:
    """The member behind an API read, if any (moderators see hidden posts)."""
    if request.headers.get("authorization"):
        return security.api_user(request)
    return security.current_user(request)


Writer = Annotated[User, Depends(api_writer)]
Reader = Annotated[User | None, Depends(api_reader)]
JsonBody = Annotated[Any, Body()]
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 422, 429)
READ_ERRORS = problem_responses(400, 404, 429)


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """Document a hand-validated JSON body (validated here so a bad field is a 422 naming it)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


def api_parse(model: type[M], payload: Any) -> M:
    """The JSON body as ``model``: not an object, or a bad field, is a 422 naming the field."""
    if not isinstance(payload, dict):
        raise FieldError("body", "must be a JSON object")
    return parse_input(model, payload)


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as an ``application/json`` answer (our JSON encoder, any status)."""
    return Response(json_bytes(data), status_code=status, media_type="application/json")
