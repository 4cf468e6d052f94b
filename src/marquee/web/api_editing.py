"""Members edit films and people through the JSON API: ``PATCH /api/v1/titles/{id}`` (and
``/people/{id}``), history, revisions, revert, hiding, and moderators' review of queued edits.

A write needs a member (``Authorization: Bearer …``, or a session cookie with ``X-CSRF-Token``).
The body of an edit is a partial record (its top-level keys replace those sections) plus optional
``note``, ``source`` and ``base_revision``. Errors: 400/422 a bad body naming the field, 401 signed
out, 403 forbidden, 404 no such film, person or revision, 409 a stale ``base_revision`` (the problem
carries ``diff``: what changed since, and what the edit would change). Films and people have the
same routes, made by ``_add_routes`` for each.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, get_args

import orjson
from fastapi import Body, Query
from pydantic import BaseModel, Field
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import User
from marquee.services import editing
from marquee.services.accounts import FieldError
from marquee.web import security
from marquee.web.api_common import ApiProblem, PersonId, TitleId, api_router, problem_response
from marquee.web.api_members import READ_ERRORS, WRITE_ERRORS, Reader, Writer
from marquee.web.community_common import RowId
from marquee.web.deps import get_store
from marquee.web.edit_common import edited, queue_options
from marquee.web.render import json_bytes

__all__ = ["router"]

router = api_router("editing")
_META = ("note", "source", "base_revision")
_PENDING: dict[int | str, dict[str, Any]] = {
    202: {"description": "the edit waits in the moderation queue (a new member's edit)"}
}


class EditIn(BaseModel):
    """A partial record (any of its editable sections, each replacing that section whole) plus:"""

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


def _result_json(result: editing.EditResult | editing.PersonEditResult) -> dict[str, Any]:
    revision = result.revision
    body: dict[str, Any] = {
        "revision": revision.id if revision else None,
        "fields": revision.fields if revision else [],
        "status": revision.status if revision else None,
    }
    if isinstance(result, editing.EditResult):
        body["film"] = result.film.model_dump(mode="json")
    else:
        body["person"] = result.person
    return body


def _written(request: Request, result: editing.EditResult | editing.PersonEditResult) -> Response:
    """The answer to a write: 202 if it waits for review, else 200 (and the cached pages forgotten)."""
    if result.pending:  # waits in the moderation queue: nothing changed
        return _json(_result_json(result), status=202)
    edited(request, result)
    return _json(_result_json(result))


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


def _conflict(request: Request, conflict: editing.EditConflict) -> Response:
    answer = problem_response(request, 409, str(conflict))
    body = orjson.loads(answer.body)
    body["diff"] = conflict.diff
    return Response(orjson.dumps(body), status_code=409, media_type=answer.media_type)


def _written_unless_conflict(
    request: Request, write: Callable[[], editing.EditResult | editing.PersonEditResult]
) -> Response:
    """The answer to a write that may meet a newer change: 409 with the diff, else as ``_written``."""
    try:
        result = write()
    except editing.EditConflict as conflict:
        return _conflict(request, conflict)
    return _written(request, result)


def _add_routes(path: str, name: str, thing: str, editor: editing.Editor[Any, Any], id_type: Any) -> None:
    """The editing routes of one kind under ``/api/v1/{path}/{id}``; operation ids name ``name``."""
    id_param = get_args(id_type)[1]  # the id's path parameter (its pattern and description)
    edit_doc = {
        "titles": "the body's sections replace the stored ones",
        "people": "``name``, ``birth_year``, ``death_year`` or ``biography``",
    }[path]

    @router.patch(
        f"/{path}/{{id}}",
        operation_id=f"edit{name}",
        name=f"api_edit_{thing}",
        responses={**_PENDING, **WRITE_ERRORS},
        openapi_extra=_EDIT_BODY,
        description=f"Edit a {thing}: {edit_doc}; one revision (200: the {thing} and the revision id, "
        f"``null`` if nothing changed; 202: a new member's edit waits for a moderator, the {thing} "
        "unchanged, ``status`` ``pending`` and the pending revision's id).",
    )
    def api_edit(
        request: Request, user: Writer, payload: Annotated[Any, Body()], id: str = id_param
    ) -> Response:
        _limit_edit(request, user)
        if not isinstance(payload, dict):
            raise FieldError("body", "must be a JSON object")
        note, source, base = _meta(payload)
        patch = {key: value for key, value in payload.items() if key not in _META}
        write = partial(
            editor.edit, get_store(request), id, patch, user, note=note, source=source, base_revision=base,
            **queue_options(request),
        )  # fmt: skip
        return _written_unless_conflict(request, write)

    @router.get(
        f"/{path}/{{id}}/history",
        operation_id=f"get{name}History",
        name=f"api_{thing}_history",
        responses=READ_ERRORS,
        description=f"The {thing}'s revisions, newest first: id, user, time, fields, source, note, status.",
    )
    def api_history(request: Request, viewer: Reader, id: str = id_param) -> Response:
        revisions = editor.history(get_store(request), id, viewer)
        return _json(
            {"id": id, "revisions": [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]}
        )

    @router.get(
        f"/{path}/{{id}}/revisions/{{rev}}",
        operation_id=f"get{name}Revision",
        name=f"api_{thing}_revision",
        responses=READ_ERRORS,
        description=f"One revision of the {thing} with a readable diff per section (old and new values, "
        "lines ±).",
    )
    def api_revision(request: Request, rev: RowId, viewer: Reader, id: str = id_param) -> Response:
        return _json(editor.revision(get_store(request), id, rev, viewer).model_dump(mode="json"))

    @router.post(
        f"/{path}/{{id}}/revisions/{{rev}}/revert",
        operation_id=f"revert{name}",
        name=f"api_{thing}_revert",
        responses=WRITE_ERRORS,
        description=f"Put the {thing}'s sections back to their state after revision ``rev`` (as a new "
        "revision).",
    )
    def api_revert(
        request: Request,
        rev: RowId,
        user: Writer,
        undo: Annotated[
            bool, Query(description="undo this revision only, instead of going back to it")
        ] = False,
        field: Annotated[
            list[str] | None, Query(max_length=64, description="only these sections (repeat the parameter)")
        ] = None,
        id: str = id_param,
    ) -> Response:
        _limit_edit(request, user)
        return _written(
            request, editor.revert(get_store(request), id, rev, user, undo=undo, fields=field or ())
        )

    @router.post(
        f"/{path}/{{id}}/revisions/{{rev}}/hide",
        operation_id=f"hide{name}Revision",
        name=f"api_{thing}_revision_hide",
        responses=WRITE_ERRORS,
        description="Hide a revision's text (moderators); logged in the moderation log.",
    )
    def api_hide(
        request: Request,
        rev: RowId,
        user: Writer,
        hidden: Annotated[bool, Query(description="false shows the revision again")] = True,
        id: str = id_param,
    ) -> Response:
        return _json(editor.hide(get_store(request), id, rev, user, hidden=hidden).model_dump(mode="json"))

    @router.post(
        f"/{path}/{{id}}/revisions/{{rev}}/approve",
        operation_id=f"approve{name}Revision",
        name=f"api_{thing}_revision_approve",
        responses=WRITE_ERRORS,
        description="Apply a pending edit (moderators): a live revision by its author; 409 if a section it "
        "changes changed since it was made; logged.",
    )
    def api_approve(request: Request, rev: RowId, user: Writer, id: str = id_param) -> Response:
        return _written_unless_conflict(request, partial(editor.approve, get_store(request), id, rev, user))

    @router.post(
        f"/{path}/{{id}}/revisions/{{rev}}/reject",
        operation_id=f"reject{name}Revision",
        name=f"api_{thing}_revision_reject",
        responses=WRITE_ERRORS,
        description="Refuse a pending edit (moderators): kept in the history as rejected; logged.",
    )
    def api_reject(request: Request, rev: RowId, user: Writer, id: str = id_param) -> Response:
        return _json(editor.reject(get_store(request), id, rev, user).model_dump(mode="json"))


_add_routes("titles", "Title", "film", editing.films, TitleId)
_add_routes("people", "Person", "person", editing.people, PersonId)
