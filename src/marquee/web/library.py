"""A member's library on the site: watchlist, diary, lists, ratings, reviews; public views; downloads.

    /me/watchlist  /me/diary  /me/lists  /me/lists/{id}  /me/ratings  /me/reviews   the member's own
    /user/{name}/watchlist  …/diary  …/lists  …/lists/{id}  …/ratings  …/reviews    anyone's, read only
    /user/{name}/watchlist.json  …/diary.json  …/lists.json  …/lists/{id}.json  …   their JSON twins
    /me/export/letterboxd.csv  /me/export/archive.json           downloads (signed in)
    POST /me/watchlist, /me/watchlist/{film_id}/remove            add or remove (form + CSRF)

Every page advertises its JSON twin (``<link rel="alternate" type="application/json">`` and a
``Link`` header). What the pages show is public, as it always was; what is private stays with
its owner: hidden reviews are listed only to their author, likes only through the API to their
owner. The forms that write from the film page and edit lists are in ``library_forms``.

Pages are rendered in the community's layout (sign-in bar); members' words go through
autoescaping, and review texts through the site's Markdown subset (``render_markdown``).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import MarqueeError, NotFound, StoreError
from marquee.formats.markdown import render_markdown
from marquee.records_community import User
from marquee.services import accounts, library, search
from marquee.services.member_export import archive_json, build_archive, export_letterboxd
from marquee.web import security
from marquee.web.community_forms import CsrfForm, FormText, sign_in_first
from marquee.web.deps import get_site, get_store
from marquee.web.error_pages import error_response, forged_form
from marquee.web.follows import follow_context
from marquee.web.library_view import SECTIONS, record_json, section_entries
from marquee.web.render import alternate_link, json_response, no_store
from marquee.web.router import Router

__all__ = ["SECTIONS", "library_page", "router", "section_data"]

router = Router(include_in_schema=False)
FEED_SECTIONS = ("diary", "reviews")  # the sections with an Atom feed (web/feeds.py)
SEARCH_HITS = 8  # films offered by the watchlist's search-and-add form


def library_page(request: Request, name: str, context: dict[str, Any], *, public: bool = False) -> Response:
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
    if full.get("json_url"):
        response.headers["Link"] = alternate_link(str(full["json_url"]))
    security.ensure_csrf_cookie(request, response)
    return no_store(response)


_page = library_page


def _sign_in(request: Request) -> Response:
    return sign_in_first(request.url.path)


def _owner(request: Request, name: str) -> str:
    """The member's name as they wrote it (``/user/ANN`` is ann's); NotFound (404) for an unknown member."""
    found = accounts.get_user(get_store(request), name)
    if found is None:
        raise NotFound(f"no member named {name!r}")
    return found.name


def section_data(request: Request, owner: str, section: str) -> dict[str, Any]:
    """A section's data, as the page and its JSON twin show it (hidden reviews only to their author)."""
    viewer = security.current_user(request) if section == "reviews" else None
    mine = viewer is not None and viewer.name == owner
    entries = section_entries(get_store(request), owner, section, hidden_too=mine)
    return {"lists" if section == "lists" else "entries": entries}


def _json_url(owner: str, section: str) -> str:
    return f"/user/{quote(owner)}/{section}.json"


def _section(request: Request, owner: str, section: str, *, public: bool, **extra: Any) -> Response:
    context: dict[str, Any] = {"owner": owner, "section": section, "sections": SECTIONS, **extra}
    context |= section_data(request, owner, section)
    context["json_url"] = _json_url(owner, section)
    if section in FEED_SECTIONS:
        context["feed_url"] = f"/user/{quote(owner)}/{section}.atom"
    return _page(request, f"library/{section}.html", context, public=public)


def _section_json(request: Request, name: str, section: str) -> Response:
    owner = _owner(request, name)
    data = section_data(request, owner, section)
    body = {"user": owner, section: record_json(next(iter(data.values())))}
    return no_store(json_response(body, html_url=f"/user/{quote(owner)}/{section}"))


def _me(request: Request) -> User | None:
    return security.current_user(request)


def _watchlist_search(request: Request, q: str) -> list[search.TitleHit]:
    query = q.strip()[:200]
    return search.search_titles(get_store(request), query, limit=SEARCH_HITS) if query else []


@router.get("/me/watchlist")
def my_watchlist(request: Request, q: str = "") -> Response:
    """The signed-in member's watchlist; ``q`` finds films to add to it."""
    user = _me(request)
    if user is None:
        return _sign_in(request)
    hits = _watchlist_search(request, q)
    return _section(request, user.name, "watchlist", public=False, query=q.strip()[:200], hits=hits)


def _my(section: str) -> Any:
    def page(request: Request) -> Response:
        user = _me(request)
        return _section(request, user.name, section, public=False) if user else _sign_in(request)

    page.__doc__ = f"The signed-in member's {section}."
    return page


for _name in SECTIONS[1:]:
    router.add_api_route(f"/me/{_name}", _my(_name), methods=["GET"], name=f"my_{_name}")


@router.get("/me/lists/{list_id}")
def my_list(request: Request, list_id: int) -> Response:
    """One of the signed-in member's lists."""
    user = _me(request)
    if user is None:
        return _sign_in(request)
    found = library.get_list(get_store(request), list_id, user.name)
    context = {
        "owner": user.name,
        "list": found,
        "sections": SECTIONS,
        "section": "lists",
        "json_url": f"/user/{quote(user.name)}/lists/{list_id}.json",
        "feed_url": f"/user/{quote(user.name)}/lists/{list_id}.atom",
    }
    return _page(request, "library/list.html", context)


# The .json routes come first: "/user/{name}/lists/{list_id}" would also match "5.json".
@router.get("/user/{name}/lists/{list_id}.json")
def user_list_json(request: Request, name: str, list_id: int) -> Response:
    """One of a member's lists as JSON."""
    owner = _owner(request, name)
    found = library.get_list(get_store(request), list_id, owner)
    response = json_response(
        {"user": owner, **found.model_dump(mode="json")}, html_url=f"/user/{quote(owner)}/lists/{list_id}"
    )
    return no_store(response)


def _json_route(section: str) -> Any:
    def twin(request: Request, name: str) -> Response:
        return _section_json(request, name, section)

    twin.__doc__ = f"A member's {section} as JSON."
    return twin


def _public(section: str) -> Any:
    def page(request: Request, name: str) -> Response:
        return _section(request, _owner(request, name), section, public=True)

    page.__doc__ = f"A member's {section}, for anyone."
    return page


for _name in SECTIONS:
    router.add_api_route(
        f"/user/{{name}}/{_name}.json", _json_route(_name), methods=["GET"], name=f"user_{_name}_json"
    )
    router.add_api_route(f"/user/{{name}}/{_name}", _public(_name), methods=["GET"], name=f"user_{_name}")


@router.get("/user/{name}/lists/{list_id}")
def user_list(request: Request, name: str, list_id: int) -> Response:
    """One of a member's lists, for anyone."""
    owner = _owner(request, name)
    found = library.get_list(get_store(request), list_id, owner)
    follow = follow_context(request, "list", str(list_id), f"/user/{quote(owner)}/lists/{list_id}/follow")
    context = {
        "owner": owner,
        "list": found,
        "sections": SECTIONS,
        "section": "lists",
        "json_url": f"/user/{quote(owner)}/lists/{list_id}.json",
        "feed_url": f"/user/{quote(owner)}/lists/{list_id}.atom",
        "follow": follow,
    }
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
        return forged_form(request)
    user = _me(request)
    return user if user is not None else _sign_in(request)


@router.post("/me/watchlist")
def add_watchlist(request: Request, csrf: CsrfForm = "", film_id: FormText = "") -> Response:
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
