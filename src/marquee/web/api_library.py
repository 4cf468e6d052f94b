"""A member's library in the JSON API under ``/api/v1/me``: watchlist, diary, lists and likes.

Everything here is the member's own: reads and writes need ``Authorization: Bearer …`` (or a
session cookie; writes then with ``X-CSRF-Token``), else 401. Another member's list or viewing
is a 404, never shown or changed. Others' public library pages have JSON twins on the site
(``/user/NAME/watchlist.json``…); likes are private to their owner.

    GET  /me/watchlist                 GET/PUT/DELETE /me/watchlist/{id}
    GET  /me/titles/{id}               (the film page's panel: watchlist, like, viewings, lists)
    GET  /me/diary     POST /me/diary  DELETE     /me/diary/{entry_id}
    GET  /me/lists     POST /me/lists  GET/PUT/DELETE /me/lists/{list_id}
    POST /me/lists/{list_id}/entries   DELETE /me/lists/{list_id}/entries/{id}   PUT /me/lists/{list_id}/order
    GET  /me/likes                     PUT/DELETE /me/likes/{id}
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends
from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import User
from marquee.records_library import ListEditIn, ListEntryIn, ListIn, ListOrderIn, MemberList, ViewingIn
from marquee.services import library, library_member
from marquee.web.api_common import ApiProblem, TitleId, api_router, problem_responses
from marquee.web.api_members import JsonBody, Writer, api_parse, api_reader, body_schema, json_response
from marquee.web.community_common import RowId
from marquee.web.deps import get_store, invalidate_film
from marquee.web.library_view import record_json, section_entries

__all__ = ["router"]

router = api_router("library", prefix="/api/v1/me")
READ = problem_responses(400, 401, 404, 429)
WRITE = problem_responses(400, 401, 403, 404, 422, 429)


def api_member(request: Request) -> User:
    """The member behind an API read of their own library (401 if none)."""
    user = api_reader(request)
    if user is None:
        raise ApiProblem(
            401,
            "Sign in: send an API token (Authorization: Bearer …).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


Member = Annotated[User, Depends(api_member)]


def _list_json(found: MemberList) -> dict[str, Any]:
    return found.model_dump(mode="json")


# ---- watchlist -----------------------------------------------------------------------------------


@router.get("/watchlist", responses=READ)
def api_watchlist(request: Request, user: Member) -> Response:
    """Your watchlist, oldest addition first."""
    return json_response({"items": record_json(section_entries(get_store(request), user.name, "watchlist"))})


@router.get("/watchlist/{id}", responses=READ)
def api_watchlist_entry(request: Request, id: TitleId, user: Member) -> Response:
    """A title's entry on your watchlist (404 if it is not on it)."""
    found = [e for e in library.watchlist_of(get_store(request), user.name) if e.film_id == id]
    if not found:
        raise ApiProblem(404, f"{id} is not on your watchlist.")
    return json_response(found[0].model_dump(mode="json"))


@router.get("/titles/{id}", responses=READ)
def api_title_state(request: Request, id: TitleId, user: Member) -> Response:
    """What your library holds about a title: on the watchlist, liked, viewings, and your lists (with
    ``contains``); what the film page's panel shows."""
    return json_response(library_member.film_state(get_store(request), user.name, id).model_dump(mode="json"))


@router.put("/watchlist/{id}", responses=WRITE)
def api_watchlist_add(request: Request, id: TitleId, user: Writer) -> Response:
    """Put a title on your watchlist (already there: nothing changes); ``added`` says which."""
    added = library.add_to_watchlist(get_store(request), user.name, id)
    return json_response({"film_id": id, "in_watchlist": True, "added": added})


@router.delete("/watchlist/{id}", status_code=204, responses=WRITE)
def api_watchlist_remove(request: Request, id: TitleId, user: Writer) -> Response:
    """Take a title off your watchlist (404 if it is not on it)."""
    if not library.remove_from_watchlist(get_store(request), user.name, id):
        raise ApiProblem(404, f"{id} is not on your watchlist.")
    return Response(status_code=204)


# ---- diary ---------------------------------------------------------------------------------------


@router.get("/diary", responses=READ)
def api_diary(request: Request, user: Member) -> Response:
    """Your viewings, newest first; each with its ``id`` (to delete it)."""
    return json_response({"items": record_json(section_entries(get_store(request), user.name, "diary"))})


@router.post("/diary", status_code=201, responses=WRITE, openapi_extra=body_schema(ViewingIn))
def api_log(request: Request, user: Writer, payload: JsonBody) -> Response:
    """Log a viewing: ``film_id``, ``watched_on`` (default today), ``rating`` 1–10, ``rewatch``, ``review``.
    A rating also becomes your rating of the film."""
    data = api_parse(ViewingIn, payload)
    store = get_store(request)
    day = data.watched_on or dt.datetime.now(dt.UTC).date()
    library_member.log_viewing(
        store, user.name, data.film_id, day, rewatch=data.rewatch, rating=data.rating, review=data.review
    )
    if data.rating is not None:
        invalidate_film(request, data.film_id)
    entries = [
        e
        for e in library.diary(store, user.name)
        if e.film_id == data.film_id and e.watched_on == day and e.rewatch == data.rewatch
    ]
    entry = entries[0]
    return json_response({"id": entry.id, **entry.model_dump(mode="json")}, status=201)


@router.delete("/diary/{entry_id}", status_code=204, responses=WRITE)
def api_delete_viewing(request: Request, entry_id: RowId, user: Writer) -> Response:
    """Delete one of your viewings."""
    library_member.delete_viewing(get_store(request), user.name, entry_id)
    return Response(status_code=204)


# ---- lists ---------------------------------------------------------------------------------------


@router.get("/lists", responses=READ)
def api_lists(request: Request, user: Member) -> Response:
    """Your lists with their films."""
    return json_response({"items": record_json(section_entries(get_store(request), user.name, "lists"))})


@router.post("/lists", status_code=201, responses=WRITE, openapi_extra=body_schema(ListIn))
def api_create_list(request: Request, user: Writer, payload: JsonBody) -> Response:
    """Make a list: ``name``, ``description``, ``film_ids`` (in order)."""
    data = api_parse(ListIn, payload)
    store = get_store(request)
    list_id = library_member.create_list(store, user.name, data.name, data.description, data.film_ids)
    return json_response(_list_json(library.get_list(store, list_id, user.name)), status=201)


@router.get("/lists/{list_id}", responses=READ)
def api_list(request: Request, list_id: RowId, user: Member) -> Response:
    """One of your lists."""
    return json_response(_list_json(library.get_list(get_store(request), list_id, user.name)))


@router.put("/lists/{list_id}", responses=WRITE, openapi_extra=body_schema(ListEditIn))
def api_edit_list(request: Request, list_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Rename a list and set its description."""
    data = api_parse(ListEditIn, payload)
    store = get_store(request)
    library_member.edit_list(store, user.name, list_id, name=data.name, description=data.description)
    return json_response(_list_json(library.get_list(store, list_id, user.name)))


@router.delete("/lists/{list_id}", status_code=204, responses=WRITE)
def api_delete_list(request: Request, list_id: RowId, user: Writer) -> Response:
    """Delete one of your lists."""
    library_member.delete_list(get_store(request), user.name, list_id)
    return Response(status_code=204)


@router.post("/lists/{list_id}/entries", responses=WRITE, openapi_extra=body_schema(ListEntryIn))
def api_add_entry(request: Request, list_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Put a film at the end of a list, with a ``note`` (on it already: nothing changes)."""
    data = api_parse(ListEntryIn, payload)
    store = get_store(request)
    library_member.add_to_list(store, user.name, list_id, data.film_id, data.note)
    return json_response(_list_json(library.get_list(store, list_id, user.name)))


@router.delete("/lists/{list_id}/entries/{id}", responses=WRITE)
def api_remove_entry(request: Request, list_id: RowId, id: TitleId, user: Writer) -> Response:
    """Take a film off a list (404 if it is not on it)."""
    store = get_store(request)
    library_member.remove_film_from_list(store, user.name, list_id, id)
    return json_response(_list_json(library.get_list(store, list_id, user.name)))


@router.put("/lists/{list_id}/order", responses=WRITE, openapi_extra=body_schema(ListOrderIn))
def api_reorder(request: Request, list_id: RowId, user: Writer, payload: JsonBody) -> Response:
    """Put a list's films in this order: ``{"film_ids": [...]}``, every film on it, each once per entry."""
    data = api_parse(ListOrderIn, payload)
    store = get_store(request)
    library_member.reorder_list(store, user.name, list_id, data.film_ids)
    return json_response(_list_json(library.get_list(store, list_id, user.name)))


# ---- likes ---------------------------------------------------------------------------------------


@router.get("/likes", responses=READ)
def api_likes(request: Request, user: Member) -> Response:
    """What you liked: films by id, lists and reviews elsewhere by URI (imported)."""
    found = library.member_likes(get_store(request), user.name)
    return json_response({"items": [like.model_dump(mode="json") for like in found]})


@router.put("/likes/{id}", responses=WRITE)
def api_like(request: Request, id: TitleId, user: Writer) -> Response:
    """Like a title; ``added`` is false if you liked it already."""
    added = library_member.like_film(get_store(request), user.name, id)
    return json_response({"film_id": id, "liked": True, "added": added})


@router.delete("/likes/{id}", status_code=204, responses=WRITE)
def api_unlike(request: Request, id: TitleId, user: Writer) -> Response:
    """Take back your like of a title (404 if you had not liked it)."""
    if not library_member.unlike_film(get_store(request), user.name, id):
        raise ApiProblem(404, f"You have not liked {id}.")
    return Response(status_code=204)
