"""Atom feeds (issue 21): ``/user/{name}/diary.atom``, ``/user/{name}/reviews.atom``,
``/user/{name}/lists/{id}.atom`` and ``/title/{id}/reviews.atom``; 404 for an unknown member,
list or film. Registered before the library's and the film pages' routes, which would take
these paths for their own parameters.

``/user/{name}/notices.atom?token=…``: the member's private notices, read with the secret token
their notices page shows (feed readers send no cookies); a wrong or missing token is a 404, as
for a member who does not exist, and the answer is never stored by a cache."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from marquee.formats.atom import ATOM_MEDIA_TYPE, AtomFeed, render_feed
from marquee.services import feeds
from marquee.web.deps import get_site, get_store
from marquee.web.router import Router

__all__ = ["router"]

router = Router(include_in_schema=False)


def _base(request: Request) -> str:
    configured = get_site(request).settings.base_url
    return (configured or str(request.base_url)).rstrip("/")


def _atom(feed: AtomFeed) -> Response:
    return Response(render_feed(feed), media_type=ATOM_MEDIA_TYPE)


@router.get("/user/{name}/diary.atom")
def diary_atom(request: Request, name: str) -> Response:
    """A member's diary as Atom."""
    return _atom(feeds.diary_feed(get_store(request), name, _base(request)))


@router.get("/user/{name}/reviews.atom")
def reviews_atom(request: Request, name: str) -> Response:
    """A member's reviews as Atom."""
    return _atom(feeds.reviews_feed(get_store(request), name, _base(request)))


@router.get("/user/{name}/lists/{list_id}.atom")
def list_atom(request: Request, name: str, list_id: int) -> Response:
    """A member's list as Atom."""
    return _atom(feeds.list_feed(get_store(request), name, list_id, _base(request)))


@router.get("/title/{film_id}/reviews.atom")
def film_reviews_atom(request: Request, film_id: str) -> Response:
    """Members' reviews of a film as Atom."""
    return _atom(feeds.film_reviews_feed(get_store(request), film_id, _base(request)))


@router.get("/user/{name}/notices.atom")
def notices_atom(request: Request, name: str, token: str = "") -> Response:
    """A member's notices as Atom, for the holder of their feed token."""
    response = _atom(feeds.notices_feed(get_store(request), name, token, _base(request)))
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
