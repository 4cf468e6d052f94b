"""The history of a film or a person on the site: every revision, each at a permanent URL (with a
``.json`` twin), revert, hiding (moderators) and the review of queued edits.

For films (``/title/{id}``) and people (``/person/{id}``) alike:

- ``GET …/history`` (and ``.json``): every revision, newest first, with a readable diff;
- ``GET …/revisions/{rev}`` (and ``.json``): one revision; ``POST …/revert`` puts the thing back to
  its state after it (``undo=1``: undoes it only), ``POST …/hide`` hides its text (``show=1``: shows it);
- ``POST /moderation/edits/{rev}/{approve|reject}``: a moderator's decision on a queued edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import MarqueeError, NotFound, StoreError, http_status
from marquee.records_community import User
from marquee.services import editing
from marquee.web import security
from marquee.web.community_common import RowId
from marquee.web.deps import get_store
from marquee.web.edit_common import edited, page, redirect, writing_member
from marquee.web.editing import film_of, person_of
from marquee.web.error_pages import error_response
from marquee.web.render import json_bytes
from marquee.web.router import Router

__all__ = ["Subject", "router"]

router = Router()


@dataclass(frozen=True)
class Subject:
    """What the history pages say of the thing edited: its page, its name, and what it is."""

    url: str
    label: str
    noun: str


def _film(request: Request, film_id: str) -> Subject:
    film = film_of(request, film_id)
    label = f"{film.title} ({film.year})" if film.year else film.title
    return Subject(f"/title/{quote(film.id)}", label, "film")


def _person(request: Request, person_id: str) -> Subject:
    person = person_of(request, person_id)
    return Subject(f"/person/{quote(person.id)}", person.name, "person")


def _json(data: Any) -> Response:
    return Response(json_bytes(data), media_type="application/json", headers={"Cache-Control": "no-store"})


def _written(request: Request, form: FormData, where: str, done: str, act: Callable[[User], Any]) -> Response:
    """Run a member's write from the form on page ``where`` (``act(member)``), then go to ``done``; a
    refusal as an error page with its status."""
    user = writing_member(request, form, where)
    if not isinstance(user, User):
        return user
    try:
        result = act(user)
    except StoreError:
        raise
    except MarqueeError as error:
        return error_response(request, http_status(error), str(error))
    if isinstance(result, editing.EditResult | editing.PersonEditResult):
        edited(request, result)
    return redirect(done)


def _add_routes(
    base: str, editor: editing.Editor[Any, Any], subject: Callable[[Request, str], Subject]
) -> None:
    """The history, revision, revert and hide routes under ``/{base}/{id}``."""
    prefix = f"/{base}/{{thing_id}}"

    @router.get(f"{prefix}/history.json", include_in_schema=False)
    def history_json(request: Request, thing_id: str) -> Response:
        """The revisions as JSON, newest first."""
        revisions = editor.history(get_store(request), thing_id, security.current_user(request))
        listed = [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]
        return _json({"id": thing_id, "revisions": listed})

    @router.get(f"{prefix}/history", include_in_schema=False)
    def history_page(request: Request, thing_id: str) -> Response:
        """Every revision, newest first, with what it changed."""
        shown = subject(request, thing_id)
        revisions = editor.history(get_store(request), thing_id, security.current_user(request), diffs=True)
        waiting = request.query_params.get("pending", "")
        pending = next((r.id for r in revisions if str(r.id) == waiting and r.status == "pending"), None)
        return page(request, "history.html", {"subject": shown, "revisions": revisions, "pending": pending})

    @router.get(f"{prefix}/revisions/{{revision_id}}.json", include_in_schema=False)
    def revision_json(request: Request, thing_id: str, revision_id: RowId) -> Response:
        """One revision as JSON, with its diff."""
        revision = editor.revision(get_store(request), thing_id, revision_id, security.current_user(request))
        return _json(revision.model_dump(mode="json"))

    @router.get(f"{prefix}/revisions/{{revision_id}}", include_in_schema=False)
    def revision_page(request: Request, thing_id: str, revision_id: RowId) -> Response:
        """One revision: who, when, why, and what it changed; revert and hide buttons."""
        shown = subject(request, thing_id)
        revision = editor.revision(get_store(request), thing_id, revision_id, security.current_user(request))
        return page(request, "revision.html", {"subject": shown, "revision": revision})

    @router.post(f"{prefix}/revisions/{{revision_id}}/revert", include_in_schema=False)
    async def revert_revision(request: Request, thing_id: str, revision_id: RowId) -> Response:
        """Put the thing back to its state after this revision (``undo=1``: undo only this revision)."""
        form = await request.form()
        undo = str(form.get("undo") or "") == "1"
        where = f"/{base}/{quote(thing_id)}/revisions/{revision_id}"

        def act(user: User) -> Any:
            return editor.revert(get_store(request), thing_id, revision_id, user, undo=undo)

        done = f"/{base}/{quote(thing_id)}/history"
        return await run_in_threadpool(_written, request, form, where, done, act)

    @router.post(f"{prefix}/revisions/{{revision_id}}/hide", include_in_schema=False)
    async def hide_revision(request: Request, thing_id: str, revision_id: RowId) -> Response:
        """Hide (``show=1``: show again) a revision's text; moderators only."""
        form = await request.form()
        hidden, reason = str(form.get("show") or "") != "1", str(form.get("reason") or "")
        where = f"/{base}/{quote(thing_id)}/revisions/{revision_id}"

        def act(user: User) -> Any:
            return editor.hide(get_store(request), thing_id, revision_id, user, hidden=hidden, reason=reason)

        return await run_in_threadpool(_written, request, form, where, where, act)


_add_routes("title", editing.films, _film)
_add_routes("person", editing.people, _person)


@router.post("/moderation/edits/{revision_id}/{action}", include_in_schema=False)
async def review_edit(request: Request, revision_id: RowId, action: str) -> Response:
    """Approve (apply) or reject a pending edit from the moderation queue; moderators only."""
    form = await request.form()
    reason = str(form.get("reason") or "")

    def act(user: User) -> Any:
        if action == "approve":
            return editing.approve_revision(get_store(request), revision_id, user, reason=reason)
        if action == "reject":
            return editing.reject_revision(get_store(request), revision_id, user, reason=reason)
        raise NotFound(f"no moderation action {action!r} (approve or reject)")

    return await run_in_threadpool(_written, request, form, "/moderation", "/moderation", act)
