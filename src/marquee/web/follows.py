"""Following on the site (issue 21): follow/unfollow forms on person and list pages (CSRF), and a
member's notices page ``/user/{name}/notices`` and its JSON twin (their own alone: 403 for anyone
else), with what they follow and the address of their private Atom feed of notices.

``follow_context`` gives the person and list pages what ``_follow.html`` shows; the forms post
here and come back to the page. Signed-out visitors see a sign-in link instead of a form. The
notices page shows the feed's secret address (``/user/{name}/notices.atom?token=…``, made on the
first visit) and a form (CSRF) that replaces the token, so an address that leaked stops working.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from marquee.errors import MarqueeError, NotFound
from marquee.records_community import User
from marquee.services import follows, library
from marquee.services.accounts import Forbidden
from marquee.services.follows import FollowKind
from marquee.web import security
from marquee.web.community_forms import CsrfForm, FormText, sign_in_first
from marquee.web.deps import get_site, get_store
from marquee.web.error_pages import error_response, forged_form
from marquee.web.notices_view import notice_json, notices_context
from marquee.web.page_view import template_vars
from marquee.web.render import json_response, no_store
from marquee.web.router import Router

__all__ = ["FollowContext", "follow_context", "router"]

router = Router(include_in_schema=False)


@dataclass(frozen=True)
class FollowContext:
    """What ``_follow.html`` shows: the form's action, whether the visitor follows, their CSRF token."""

    action: str
    following: bool
    signed_in: bool
    csrf_token: str
    login_url: str


def follow_context(request: Request, kind: FollowKind, target: str, action: str) -> FollowContext:
    user = security.current_user(request)
    following = follows.is_following(get_store(request), user, kind, target)
    back = quote(request.url.path)
    return FollowContext(
        action, following, user is not None, security.csrf_token(request), f"/login?next={back}"
    )


def _member(request: Request, csrf: str, back: str) -> User | Response:
    """The member sending a form, or the answer refusing it: signed out (to the login page, then
    ``back``), or a form that did not come from this site (403)."""
    user = security.current_user(request)
    if user is None:
        return sign_in_first(back)
    if not security.check_csrf(request, csrf):
        return forged_form(request)
    return user


def _act(request: Request, csrf: str, kind: FollowKind, target: str, stop: str, back: str) -> Response:
    user = _member(request, csrf, back)
    if not isinstance(user, User):
        return user
    try:
        if stop:
            follows.unfollow(get_store(request), user, kind, target)
        else:
            follows.follow(get_store(request), user, kind, target)
    except NotFound as error:
        return error_response(request, 404, str(error))
    if kind == "person":
        get_site(request).pages.invalidate(("person", target))
    return RedirectResponse(back, status_code=303)


@router.post("/person/{person_id}/follow")
def follow_person(request: Request, person_id: str, csrf: CsrfForm = "", stop: FormText = "") -> Response:
    """Follow (or, with ``stop``, unfollow) a person."""
    return _act(request, csrf, "person", person_id, stop, f"/person/{person_id}")


@router.post("/user/{name}/lists/{list_id}/follow")
def follow_list(
    request: Request, name: str, list_id: int, csrf: CsrfForm = "", stop: FormText = ""
) -> Response:
    """Follow (or, with ``stop``, unfollow) a member's list."""
    try:
        library.get_list(get_store(request), list_id, name)
    except MarqueeError as error:
        return error_response(request, 404, str(error))
    return _act(request, csrf, "list", str(list_id), stop, f"/user/{quote(name)}/lists/{list_id}")


def _base(request: Request) -> str:
    configured = get_site(request).settings.base_url
    return (configured or str(request.base_url)).rstrip("/")


def _notices_context(request: Request, name: str) -> dict[str, Any]:
    """What the notices page and its twin show (Forbidden unless the viewer is ``name``)."""
    user = security.current_user(request)
    context = notices_context(get_store(request), user, name)
    page = f"/user/{quote(context.owner)}/notices"
    return {
        "user": user,
        **template_vars(context),
        "feed_url": context.feed_path,
        "feed_address": f"{_base(request)}{context.feed_path}",
        "reset_action": f"{page}/feed-token",
        "csrf_token": security.csrf_token(request),
        "json_url": f"{page}.json",
    }


@router.get("/user/{name}/notices.json")
def notices_json(request: Request, name: str) -> Response:
    """The member's notices and follows as JSON (theirs alone: 403 for anyone else, 401 signed out)."""
    if security.current_user(request) is None:
        return error_response(request, 401, "Sign in to read your notices.")
    try:
        context = _notices_context(request, name)
    except Forbidden as error:
        return error_response(request, 403, str(error))
    body = {
        "user": context["owner"],
        "notices": [notice_json(n) for n in context["notices"]],
        "following": [f.model_dump(mode="json") for f in context["following"]],
        "feed": context["feed_address"],
    }
    return no_store(json_response(body, html_url=f"/user/{quote(context['owner'])}/notices"))


@router.get("/user/{name}/notices")
def notices_page(request: Request, name: str) -> Response:
    """The member's notices: new titles of the people and lists they follow (theirs alone)."""
    if security.current_user(request) is None:
        return sign_in_first(request.url.path)
    try:
        context = _notices_context(request, name)
    except Forbidden as error:
        return error_response(request, 403, str(error))
    response = get_site(request).renderer.page(request, "notices.html", context, twin=False)
    security.ensure_csrf_cookie(request, response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/user/{name}/notices/feed-token")
def reset_feed_token(request: Request, name: str, csrf: CsrfForm = "") -> Response:
    """Replace the member's notices feed token: the old feed address answers 404 from now on."""
    user = _member(request, csrf, f"/user/{quote(name)}/notices")
    if not isinstance(user, User):
        return user
    try:
        follows.reset_feed_token(get_store(request), user, name)
    except Forbidden as error:
        return error_response(request, 403, str(error))
    return RedirectResponse(f"/user/{quote(user.name)}/notices#feed", status_code=303)
