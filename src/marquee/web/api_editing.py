"""Members edit films through the JSON API: ``PATCH /api/v1/titles/{id}``, history, revisions, revert.

A write needs a member (``Authorization: Bearer …``, or a session cookie with ``X-CSRF-Token``).
The body of an edit is a partial film record (its top-level keys replace those sections) plus
optional ``note``, ``source`` and ``base_revision``. Errors: 400/422 a bad body naming the field,
401 signed out, 403 forbidden, 404 no such film or revision, 409 a stale ``base_revision`` (the
problem carries ``diff``: what changed since, and what the edit would change).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import User
from marquee.services import editing
from marquee.services.accounts import FieldError
from marquee.web import security
from marquee.web.api_common import (
    ApiProblem,
    PersonId,
    ProblemRoute,
    TitleId,
    problem_response,
    problem_responses,
    rate_limit,
)
from marquee.web.api_community import api_reader, api_writer
from marquee.web.community_common import RowId
from marquee.web.deps import get_site, get_store, invalidate_film
from marquee.web.render import json_bytes

__all__ = ["router"]

router = APIRouter(
    prefix="/api/v1", route_class=ProblemRoute, dependencies=[Depends(rate_limit)], tags=["editing"]
)
Writer = Annotated[User, Depends(api_writer)]
Reader = Annotated[User | None, Depends(api_reader)]
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 409, 422, 429)
READ_ERRORS = problem_responses(400, 404, 429)
_META = ("note", "source", "base_revision")


class EditIn(BaseModel):
    """A partial film record (any of the record's sections, each replacing that section whole) plus:"""

    model_config = {"extra": "allow"}

    note: str | None = Field(default=None, description="why (shown in the history)")
    source: str | None = Field(
        default=None, description="where the new values come from (default member:REV)"
    )
    base_revision: int | None = Field(
        default=None, description="the revision the edit is based on (0: none yet); stale -> 409"
    )


_EDIT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": EditIn.model_json_schema()}},
    }
}


def _limit_edit(request: Request, user: User) -> None:
    """Edits count against the member's edit limit too (429 with ``Retry-After``)."""
    try:
        security.limit_edit(request, user)
    except security.TooManyRequests as error:
        raise ApiProblem(429, str(error), headers={"Retry-After": str(error.retry_after)}) from None


def _json(data: Any, status: int = 200) -> Response:
    return Response(json_bytes(data), status_code=status, media_type="application/json")


def _result_json(result: editing.EditResult) -> dict[str, Any]:
    revision = result.revision
    return {
        "revision": revision.id if revision else None,
        "fields": revision.fields if revision else [],
        "status": revision.status if revision else None,
        "film": result.film.model_dump(mode="json"),
    }


def _meta(payload: dict[str, Any]) -> tuple[str | None, str | None, int | None]:
    note, source, base = (payload.get(name) for name in _META)
    for name, value in (("note", note), ("source", source)):
        if value is not None and not isinstance(value, str):
            raise FieldError(name, "must be a string")
    if base is not None and (isinstance(base, bool) or not isinstance(base, int)):
        raise FieldError("base_revision", "must be an integer")
    if base is not None and not 0 <= base <= 2**31 - 1:
        raise FieldError("base_revision", "must be 0 to 2147483647")
    return note, source, base


_PENDING: dict[int | str, dict[str, Any]] = {
    202: {"description": "the edit waits in the moderation queue (a new member's edit)"}
}


@router.patch(
    "/titles/{id}", operation_id="editTitle", responses={**_PENDING, **WRITE_ERRORS}, openapi_extra=_EDIT_BODY
)
def api_edit_title(request: Request, id: TitleId, user: Writer, payload: Annotated[Any, Body()]) -> Response:
    """Edit a film: the body's sections replace the stored ones; one revision (200: the film and the
    revision id, ``null`` if nothing changed; 202: a new member's edit waits for a moderator, the film
    unchanged, ``status`` ``pending`` and the pending revision's id)."""
    _limit_edit(request, user)
    if not isinstance(payload, dict):
        raise FieldError("body", "must be a JSON object")
    note, source, base = _meta(payload)
    patch = {key: value for key, value in payload.items() if key not in _META}
    settings = get_site(request).settings
    try:
        result = editing.edit_film(
            get_store(request),
            id,
            patch,
            user,
            note=note,
            source=source,
            base_revision=base,
            queue_edits=settings.edit_queue,
            queue_days=settings.edit_queue_days,
        )
    except editing.EditConflict as conflict:
        return _conflict(request, conflict)
    if result.pending:  # waits in the moderation queue: the film is unchanged
        return _json(_result_json(result), status=202)
    invalidate_film(request, id)
    return _json(_result_json(result))


def _conflict(request: Request, conflict: editing.EditConflict) -> Response:
    answer = problem_response(request, 409, str(conflict))
    body = orjson.loads(answer.body)
    body["diff"] = conflict.diff
    return Response(orjson.dumps(body), status_code=409, media_type=answer.media_type)


@router.get("/titles/{id}/history", operation_id="getTitleHistory", responses=READ_ERRORS)
def api_title_history(request: Request, id: TitleId, viewer: Reader) -> Response:
    """The film's revisions, newest first: id, user, time, fields, source, note."""
    revisions = editing.film_history(get_store(request), id, viewer)
    return _json({"id": id, "revisions": [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]})


@router.get("/titles/{id}/revisions/{rev}", operation_id="getTitleRevision", responses=READ_ERRORS)
def api_title_revision(request: Request, id: TitleId, rev: RowId, viewer: Reader) -> Response:
    """One revision of the film with a readable diff per section (old and new values, lines ±)."""
    return _json(editing.get_revision(get_store(request), id, rev, viewer).model_dump(mode="json"))


@router.post("/titles/{id}/revisions/{rev}/revert", operation_id="revertTitle", responses=WRITE_ERRORS)
def api_title_revert(
    request: Request,
    id: TitleId,
    rev: RowId,
    user: Writer,
    undo: Annotated[bool, Query(description="undo this revision only, instead of going back to it")] = False,
    field: Annotated[
        list[str] | None, Query(max_length=64, description="only these sections (repeat the parameter)")
    ] = None,
) -> Response:
    """Put the film's sections back to their state after revision ``rev`` (as a new revision)."""
    _limit_edit(request, user)
    result = editing.revert(get_store(request), id, rev, user, undo=undo, fields=field or ())
    invalidate_film(request, id)
    return _json(_result_json(result))


@router.post("/titles/{id}/revisions/{rev}/hide", operation_id="hideTitleRevision", responses=WRITE_ERRORS)
def api_title_revision_hide(
    request: Request,
    id: TitleId,
    rev: RowId,
    user: Writer,
    hidden: Annotated[bool, Query(description="false shows the revision again")] = True,
) -> Response:
    """Hide a revision's text (moderators); logged in the moderation log."""
    revision = editing.hide_revision(get_store(request), id, rev, user, hidden=hidden)
    return _json(revision.model_dump(mode="json"))


@router.post(
    "/titles/{id}/revisions/{rev}/approve", operation_id="approveTitleRevision", responses=WRITE_ERRORS
)
def api_title_revision_approve(request: Request, id: TitleId, rev: RowId, user: Writer) -> Response:
    """Apply a pending edit (moderators): a live revision by its author; 409 if a section it changes
    changed since it was made; logged."""
    try:
        result = editing.approve_revision(get_store(request), rev, user, film_id=id)
    except editing.EditConflict as conflict:
        return _conflict(request, conflict)
    assert isinstance(result, editing.EditResult)  # a revision of this film
    invalidate_film(request, id)
    return _json(_result_json(result))


@router.post(
    "/titles/{id}/revisions/{rev}/reject", operation_id="rejectTitleRevision", responses=WRITE_ERRORS
)
def api_title_revision_reject(request: Request, id: TitleId, rev: RowId, user: Writer) -> Response:
    """Refuse a pending edit (moderators): kept in the history as rejected; logged."""
    revision = editing.reject_revision(get_store(request), rev, user, film_id=id)
    return _json(revision.model_dump(mode="json"))


@router.patch(
    "/people/{id}",
    operation_id="editPerson",
    responses={**_PENDING, **WRITE_ERRORS},
    openapi_extra=_EDIT_BODY,
)
def api_edit_person(
    request: Request, id: PersonId, user: Writer, payload: Annotated[Any, Body()]
) -> Response:
    """Edit a person's ``name``, ``birth_year``, ``death_year`` or ``biography`` (plus optional
    ``note``, ``source``, ``base_revision``): one revision (200; 202 if it waits for a moderator)."""
    _limit_edit(request, user)
    if not isinstance(payload, dict):
        raise FieldError("body", "must be a JSON object")
    note, source, base = _meta(payload)
    patch = {key: value for key, value in payload.items() if key not in _META}
    settings = get_site(request).settings
    try:
        result = editing.edit_person(
            get_store(request),
            id,
            patch,
            user,
            note=note,
            source=source,
            base_revision=base,
            queue_edits=settings.edit_queue,
            queue_days=settings.edit_queue_days,
        )
    except editing.EditConflict as conflict:
        return _conflict(request, conflict)
    revision = result.revision
    body = {
        "revision": revision.id if revision else None,
        "fields": revision.fields if revision else [],
        "status": revision.status if revision else None,
        "person": result.person,
    }
    if result.pending:
        return _json(body, status=202)
    get_site(request).pages.invalidate(("person", id))
    return _json(body)


@router.get("/people/{id}/history", operation_id="getPersonHistory", responses=READ_ERRORS)
def api_person_history(request: Request, id: PersonId, viewer: Reader) -> Response:
    """The person's revisions, newest first: id, user, time, fields, source, note, status."""
    revisions = editing.person_history(get_store(request), id, viewer)
    return _json({"id": id, "revisions": [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]})
