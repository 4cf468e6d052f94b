"""A member's recommendations on the site (issue 21): ``/user/{name}/recommendations`` and its JSON
twin, theirs alone (sign-in first; 403 for anyone else), each film with the reason it is there.

The same list, shorter, sits on the member's account page; ``/api/v1/users/{name}/recommendations``
answers programs with a token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import User
from marquee.services.accounts import name_key
from marquee.web import recommendations_view as view
from marquee.web import security
from marquee.web.community_forms import sign_in_first
from marquee.web.deps import get_site, get_store
from marquee.web.error_pages import error_response
from marquee.web.page_view import template_vars
from marquee.web.render import json_response, no_store
from marquee.web.router import Router

__all__ = ["router"]

router = Router(include_in_schema=False)
SHOWN = 30  # films on the page (the account page shows the first few)
PRIVATE = "Recommendations are private: only their member may read them."


def _owner(request: Request, name: str) -> User | None:
    """The signed-in member if ``name`` is theirs, else None."""
    user = security.current_user(request)
    return user if user is not None and name_key(user.name) == name_key(name) else None


def _context(request: Request, user: User) -> dict[str, Any]:
    page = f"/user/{quote(user.name)}/recommendations"
    context = view.recommendations_context(get_store(request), user.name, SHOWN)
    return {**template_vars(context), "json_url": f"{page}.json"}


@router.get("/user/{name}/recommendations.json")
def recommendations_json(request: Request, name: str) -> Response:
    """The member's recommendations with their reasons (401 signed out, 403 for anyone else)."""
    if security.current_user(request) is None:
        return error_response(request, 401, "Sign in to read your recommendations.")
    user = _owner(request, name)
    if user is None:
        return error_response(request, 403, PRIVATE)
    body = view.recommendations_json(view.recommendations_context(get_store(request), user.name, SHOWN))
    return no_store(json_response(body, html_url=f"/user/{quote(user.name)}/recommendations"))


@router.get("/user/{name}/recommendations")
def recommendations_page(request: Request, name: str) -> Response:
    """Films for the member to watch next, each with why (their own alone)."""
    if security.current_user(request) is None:
        return sign_in_first(request.url.path)
    user = _owner(request, name)
    if user is None:
        return error_response(request, 403, PRIVATE)
    response = get_site(request).renderer.page(request, "recommendations.html", _context(request, user))
    return no_store(response)
