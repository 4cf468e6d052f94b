"""A member's library on the site: watchlist, diary, lists; public views; downloads of their data.

    /me/watchlist  /me/diary  /me/lists  /me/lists/{id}        the signed-in member's own
    /user/{name}/watchlist  …/diary  …/lists  …/lists/{id}      anyone's, read only
    /me/export/letterboxd.csv  /me/export/archive.json           downloads (signed in)
    POST /me/watchlist, /me/watchlist/{film_id}/remove            add or remove (form + CSRF)

Pages are rendered in the community's layout (sign-in bar); members' words go through
autoescaping, and review texts through the site's Markdown subset (``render_markdown``).
"""

from __future__ import annotations

import io
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import MarqueeError, NotFound, StoreError
from marquee.formats.markdown import render_markdown
from marquee.records_community import User
from marquee.services import accounts, library
from marquee.services.member_export import archive_json, build_archive, export_letterboxd
from marquee.web import security
from marquee.web.deps import get_site, get_store
from marquee.web.error_pages import error_response
from marquee.web.follows import follow_context

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
CsrfForm = Annotated[str, Form(alias=security.CSRF_FIELD)]
SECTIONS = ("watchlist", "diary", "lists")


def _page(request: Request, name: str, context: dict[str, Any], *, public: bool = False) -> Response:
    """A library page in the site's layout; never cached (it is one member's data)."""
    renderer = get_site(request).renderer
    renderer.env.globals.setdefault("csrf_field", security.CSRF_FIELD)
    renderer.env.filters.setdefault("markdown", render_markdown)
    user = security.current_user(request)
    owner = str(context.get("owner", ""))
    base = f"/user/{quote(owner)}" if public else "/me"
    full = {
        "user": user,
        "csrf_token": security.csrf_token(request),
        "public": public,
        "base": base,
        **context,
    }
    response = renderer.page(request, name, full, twin=False)
    security.ensure_csrf_cookie(request, response)
    response.headers["Cache-Control"] = "no-store"
    return response


def _sign_in(request: Request) -> Response:
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def _owner(request: Request, name: str) -> str:
    """The member's name as they wrote it (``/user/ANN`` is ann's); NotFound (404) for an unknown member."""
    found = accounts.get_user(get_store(request), name)
    if found is None:
        raise NotFound(f"no member named {name!r}")
    return found.name


def _section(request: Request, owner: str, section: str, *, public: bool) -> Response:
    store = get_store(request)
    context: dict[str, Any] = {"owner": owner, "section": section, "sections": SECTIONS}
    if section == "watchlist":
        context["entries"] = library.watchlist_of(store, owner)
    elif section == "diary":
        context["entries"] = library.diary(store, owner)
    else:
        context["lists"] = library.member_lists_of(store, owner)
    return _page(request, f"library/{section}.html", context, public=public)


def _me(request: Request) -> User | None:
    return security.current_user(request)


@router.get("/me/watchlist")
def my_watchlist(request: Request) -> Response:
    """The signed-in member's watchlist."""
    user = _me(request)
    return _section(request, user.name, "watchlist", public=False) if user else _sign_in(request)


@router.get("/me/diary")
def my_diary(request: Request) -> Response:
    """The signed-in member's diary of viewings."""
    user = _me(request)
    return _section(request, user.name, "diary", public=False) if user else _sign_in(request)


@router.get("/me/lists")
def my_lists(request: Request) -> Response:
    """The signed-in member's lists."""
    user = _me(request)
    return _section(request, user.name, "lists", public=False) if user else _sign_in(request)


@router.get("/me/lists/{list_id}")
def my_list(request: Request, list_id: int) -> Response:
    """One of the signed-in member's lists."""
    user = _me(request)
    if user is None:
        return _sign_in(request)
    found = library.get_list(get_store(request), list_id, user.name)
    context = {"owner": user.name, "list": found, "sections": SECTIONS, "section": "lists"}
    return _page(request, "library/list.html", context)


@router.get("/user/{name}/watchlist")
def user_watchlist(request: Request, name: str) -> Response:
    """A member's watchlist, for anyone."""
    return _section(request, _owner(request, name), "watchlist", public=True)


@router.get("/user/{name}/diary")
def user_diary(request: Request, name: str) -> Response:
    """A member's diary, for anyone."""
    return _section(request, _owner(request, name), "diary", public=True)


@router.get("/user/{name}/lists")
def user_lists(request: Request, name: str) -> Response:
    """A member's lists, for anyone."""
    return _section(request, _owner(request, name), "lists", public=True)


@router.get("/user/{name}/lists/{list_id}")
def user_list(request: Request, name: str, list_id: int) -> Response:
    """One of a member's lists, for anyone."""
    owner = _owner(request, name)
    found = library.get_list(get_store(request), list_id, owner)
    follow = follow_context(request, "list", str(list_id), f"/user/{quote(owner)}/lists/{list_id}/follow")
    context = {"owner": owner, "list": found, "sections": SECTIONS, "section": "lists", "follow": follow}
    return _page(request, "library/list.html", context, public=True)


def _download(body: str, media_type: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/me/export/letterboxd.csv")
def download_letterboxd(request: Request) -> Response:
    """The member's diary and ratings as Letterboxd's import CSV."""
    user = _me(request)
    if user is None:
        return _sign_in(request)
    out = io.StringIO()
    export_letterboxd(get_store(request), user.name, out)
    return _download(out.getvalue(), "text/csv; charset=utf-8", "marquee-letterboxd.csv")


@router.get("/me/export/archive.json")
def download_archive(request: Request) -> Response:
    """Everything the member made, as a Marquee archive."""
    user = _me(request)
    if user is None:
        return _sign_in(request)
    body = archive_json(build_archive(get_store(request), user.name))
    return _download(body, "application/json", "marquee-archive.json")


def _form(request: Request, token: str) -> User | Response:
    """The member behind a writing form, or the response refusing it (forged CSRF, signed out)."""
    if not security.check_csrf(request, token):
        return error_response(
            request, 403, "This form has expired or did not come from this site; reload it."
        )
    user = _me(request)
    return user if user is not None else _sign_in(request)


@router.post("/me/watchlist")
def add_watchlist(request: Request, csrf: CsrfForm = "", film_id: Annotated[str, Form()] = "") -> Response:
    """Put a film on the signed-in member's watchlist."""
    user = _form(request, csrf)
    if isinstance(user, Response):
        return user
    try:
        library.add_to_watchlist(get_store(request), user.name, film_id.strip())
    except NotFound as error:
        return error_response(request, 404, str(error))
    except StoreError:
        raise  # 503 (with Retry-After when busy), from the app's error pages
    except MarqueeError as error:
        return error_response(request, 400, str(error))
    return RedirectResponse("/me/watchlist", status_code=303)


@router.post("/me/watchlist/{film_id}/remove")
def remove_watchlist(request: Request, film_id: str, csrf: CsrfForm = "") -> Response:
    """Take a film off the signed-in member's watchlist."""
    user = _form(request, csrf)
    if isinstance(user, Response):
        return user
    library.remove_from_watchlist(get_store(request), user.name, film_id)
    return RedirectResponse("/me/watchlist", status_code=303)
