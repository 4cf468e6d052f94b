"""A member's library, written from the site: the film page's panel and forms, and list editing.

    POST /title/{id}/watchlist   /title/{id}/like   /title/{id}/diary   /title/{id}/lists
    GET  /me/lists/new           POST /me/lists                       (a new list)
    GET  /me/lists/{id}/edit     POST /me/lists/{id}/edit             (name, description, notes)
    POST /me/lists/{id}/move     /me/lists/{id}/remove   /me/lists/{id}/delete
    POST /me/diary/{entry}/delete

Plain HTML forms, no JavaScript: each checks the CSRF token, then that a member is signed in
(else to the login page), then the write rate limit, and answers 303 back to the page it came
from (POST/redirect/GET). ``film_panel`` gathers what the film page's panel shows before the
page renders (``templates/_film_library_panel.html``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import InputError
from marquee.records_community import User
from marquee.records_library import FilmLibraryState
from marquee.services import library, library_member
from marquee.web import security
from marquee.web.community_forms import CsrfForm, FormText, form_action, sign_in_first
from marquee.web.deps import get_store, invalidate_film
from marquee.web.library import SECTIONS, library_page
from marquee.web.router import Router

__all__ = ["LibraryPanel", "film_panel", "router"]

router = Router(include_in_schema=False)


@dataclass(frozen=True)
class LibraryPanel:
    """What the film page's library panel shows to a signed-in member (None for anyone else)."""

    state: FilmLibraryState
    csrf_token: str
    today: dt.date


def film_panel(request: Request, film_id: str) -> LibraryPanel | None:
    """The signed-in member's library state for this film, read before the page renders."""
    user = security.current_user(request)
    if user is None:
        return None
    state = library_member.film_state(get_store(request), user.name, film_id)
    return LibraryPanel(
        state=state, csrf_token=security.csrf_token(request), today=dt.datetime.now(dt.UTC).date()
    )


def _back(film_id: str) -> Response:
    return RedirectResponse(f"/title/{quote(film_id)}#library", status_code=303)


def _act(request: Request, csrf: str, act: Callable[[User], Response]) -> Response:
    response = form_action(request, csrf, act)
    security.ensure_csrf_cookie(request, response)
    return response


# ---- the film page -------------------------------------------------------------------------------


@router.post("/title/{film_id}/watchlist")
def film_watchlist(request: Request, film_id: str, csrf: CsrfForm = "", remove: FormText = "") -> Response:
    """Put the film on the member's watchlist, or (``remove``) take it off."""

    def act(user: User) -> Response:
        store = get_store(request)
        if remove:
            library.remove_from_watchlist(store, user.name, film_id)
        else:
            library.add_to_watchlist(store, user.name, film_id)
        return _back(film_id)

    return _act(request, csrf, act)


@router.post("/title/{film_id}/like")
def film_like(request: Request, film_id: str, csrf: CsrfForm = "", remove: FormText = "") -> Response:
    """Like the film, or (``remove``) take the like back."""

    def act(user: User) -> Response:
        store = get_store(request)
        if remove:
            library_member.unlike_film(store, user.name, film_id)
        else:
            library_member.like_film(store, user.name, film_id)
        return _back(film_id)

    return _act(request, csrf, act)


def parse_day(text: str, field: str = "watched_on") -> dt.date:
    """A date as a form sends it (YYYY-MM-DD); InputError naming the field otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{field}: not a date (YYYY-MM-DD): {text[:40]!r}") from None


def parse_rating(text: str) -> int | None:
    """A rating 1–10 from a form ("" for none); InputError otherwise."""
    if not text.strip():
        return None
    if not text.strip().isdigit() or not 1 <= int(text) <= 10:
        raise InputError(f"rating: must be 1 to 10, not {text[:10]!r}")
    return int(text)


@router.post("/title/{film_id}/diary")
def film_log(
    request: Request,
    film_id: str,
    csrf: CsrfForm = "",
    watched_on: FormText = "",
    rating: FormText = "",
    rewatch: FormText = "",
    review: FormText = "",
) -> Response:
    """Log a viewing of the film: date, rating, rewatch, a short review."""

    def act(user: User) -> Response:
        day = parse_day(watched_on) if watched_on.strip() else dt.datetime.now(dt.UTC).date()
        score = parse_rating(rating)
        library_member.log_viewing(
            get_store(request), user.name, film_id, day, rewatch=bool(rewatch), rating=score, review=review
        )
        if score is not None:
            invalidate_film(request, film_id)  # the members' rating shown to everyone changed
        return _back(film_id)

    return _act(request, csrf, act)


@router.post("/title/{film_id}/lists")
def film_to_list(
    request: Request, film_id: str, csrf: CsrfForm = "", list_id: FormText = "", new_list: FormText = ""
) -> Response:
    """Add the film to one of the member's lists, or to a new list of this name."""

    def act(user: User) -> Response:
        store = get_store(request)
        if new_list.strip():
            library_member.create_list(store, user.name, new_list, film_ids=[film_id])
        elif list_id.strip().isdigit():
            library_member.add_to_list(store, user.name, int(list_id), film_id)
        else:
            raise InputError("list_id: choose a list, or name a new one")
        return _back(film_id)

    return _act(request, csrf, act)


# ---- the diary -----------------------------------------------------------------------------------


@router.post("/me/diary/{entry_id}/delete")
def delete_viewing(request: Request, entry_id: int, csrf: CsrfForm = "") -> Response:
    """Delete one of the member's viewings."""

    def act(user: User) -> Response:
        library_member.delete_viewing(get_store(request), user.name, entry_id)
        return RedirectResponse("/me/diary", status_code=303)

    return _act(request, csrf, act)


# ---- lists ---------------------------------------------------------------------------------------


def _list_page(request: Request, user: User, name: str, context: dict[str, Any]) -> Response:
    full = {"owner": user.name, "sections": SECTIONS, "section": "lists", **context}
    return library_page(request, name, full)


@router.get("/me/lists/new")
def new_list_form(request: Request) -> Response:
    """The form that makes a list."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first(request.url.path)
    return _list_page(request, user, "library/list_new.html", {})


@router.post("/me/lists")
def create_list(
    request: Request, csrf: CsrfForm = "", name: FormText = "", description: FormText = ""
) -> Response:
    """Make a list; then to its edit page, where films are added from their pages and notes written."""

    def act(user: User) -> Response:
        list_id = library_member.create_list(get_store(request), user.name, name, description)
        return RedirectResponse(f"/me/lists/{list_id}/edit", status_code=303)

    return _act(request, csrf, act)


@router.get("/me/lists/{list_id}/edit")
def edit_list_form(request: Request, list_id: int) -> Response:
    """The list's edit page: name, description, a note per film, order, removal, deletion."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first(request.url.path)
    found = library.get_list(get_store(request), list_id, user.name)
    return _list_page(request, user, "library/list_edit.html", {"list": found})


@router.post("/me/lists/{list_id}/edit")
async def edit_list(request: Request, list_id: int) -> Response:
    """Save a list's name, description and notes (``note-N`` for the entry at position N)."""
    form = await request.form()
    fields = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    notes = {
        int(key[len("note-") :]): value
        for key, value in fields.items()
        if key.startswith("note-") and key[len("note-") :].isdigit()
    }

    def act(user: User) -> Response:
        library_member.edit_list(
            get_store(request),
            user.name,
            list_id,
            name=fields.get("name", ""),
            description=fields.get("description", ""),
            notes=notes,
        )
        return RedirectResponse(f"/me/lists/{list_id}", status_code=303)

    return await run_in_threadpool(_act, request, fields.get(security.CSRF_FIELD, ""), act)


@router.post("/me/lists/{list_id}/move")
def move_entry(
    request: Request, list_id: int, csrf: CsrfForm = "", position: FormText = "", to: FormText = ""
) -> Response:
    """Move the entry at ``position`` ``up``, ``down``, or to the position ``to`` names."""

    def act(user: User) -> Response:
        if not position.isdigit():
            raise InputError("position: must be a number")
        where: Literal["up", "down"] | int
        if to in ("up", "down"):
            where = "up" if to == "up" else "down"
        elif to.strip().isdigit():
            where = int(to)
        else:
            raise InputError("to: up, down or a position")
        library_member.move_entry(get_store(request), user.name, list_id, int(position), where)
        return RedirectResponse(f"/me/lists/{list_id}/edit#entries", status_code=303)

    return _act(request, csrf, act)


@router.post("/me/lists/{list_id}/remove")
def remove_entry(request: Request, list_id: int, csrf: CsrfForm = "", position: FormText = "") -> Response:
    """Take the entry at ``position`` off the list."""

    def act(user: User) -> Response:
        if not position.isdigit():
            raise InputError("position: must be a number")
        library_member.remove_entry(get_store(request), user.name, list_id, int(position))
        return RedirectResponse(f"/me/lists/{list_id}/edit#entries", status_code=303)

    return _act(request, csrf, act)


@router.post("/me/lists/{list_id}/delete")
def delete_list(request: Request, list_id: int, csrf: CsrfForm = "") -> Response:
    """Delete the list."""

    def act(user: User) -> Response:
        library_member.delete_list(get_store(request), user.name, list_id)
        return RedirectResponse("/me/lists", status_code=303)

    return _act(request, csrf, act)
