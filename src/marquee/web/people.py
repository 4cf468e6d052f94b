"""Person pages: ``/person/{id}`` and ``/person/{id}.json``, both built by ``person_view``."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import MarqueeError
from marquee.web import person_view
from marquee.web.deps import Site, get_site
from marquee.web.follows import follow_context
from marquee.web.person_view import PersonContext, load_person, person_context, person_key
from marquee.web.render import alternate_link
from marquee.web.router import Router
from marquee.web.security import SESSION_COOKIE
from marquee.web.titles import on_render_threads

__all__ = ["PersonContext", "person_context", "router", "shared_person_page", "shared_person_twin"]

router = Router()

_HTML = "text/html; charset=utf-8"


@router.get("/person/{person_id}.json", include_in_schema=False)
async def person_json(request: Request, person_id: str) -> Response:
    """The Person record as JSON."""
    body = await run_in_threadpool(person_view.person_json, get_site(request), person_id)
    link = f'</person/{person_id}>; rel="alternate"; type="text/html"'
    return Response(body, media_type="application/json", headers={"Link": link})


def _render_person(site: Site, request: Request, person_id: str) -> bytes:
    """The person's page for this visitor (NotFound if there is no such person)."""
    person = load_person(site, person_id)
    follow = follow_context(request, "person", person.id, f"/person/{quote(person.id)}/follow")
    context = {"request": request, "ctx": person_context(person), "follow": follow}
    context["json_url"] = f"/person/{person_id}.json"
    return site.renderer.render("person.html", context).encode("utf-8")


async def shared_person_page(request: Request, person_id: str) -> bytes | None:
    """The page of a person for a visitor not signed in, rendered and kept in the page cache; None if
    it cannot be (no such person, a busy store…): the app's route then answers with its error page.
    ``fast_path`` calls this before routing, as it does ``titles.shared_page`` (FastAPI's route
    matching alone cost a person page ~0.6 ms: BENCHMARKS.md)."""
    site = get_site(request)
    try:
        body = await on_render_threads(_render_person, site, request, person_id)
    except MarqueeError:
        return None
    site.pages.put(person_key(person_id, "html"), body)
    return body


async def shared_person_twin(request: Request, person_id: str) -> bytes | None:
    """A person's JSON twin (``person_view.person_json``, which keeps it in the page cache), rendered
    on the pages' threads; None if it cannot be. ``fast_path`` calls this before routing."""
    try:
        return await on_render_threads(person_view.person_json, get_site(request), person_id)
    except MarqueeError:
        return None


@router.get("/person/{person_id}", include_in_schema=False)
async def person_page(request: Request, person_id: str) -> Response:
    """The person's page: known for, filmography by role and year, life years, professions."""
    site = get_site(request)
    key = person_key(person_id, "html")
    # A member's page has their menu in the header and their own follow form: rendered each time.
    shared = SESSION_COOKIE not in request.cookies
    body = site.pages.get(key) if shared else None
    if not isinstance(body, bytes):
        body = await on_render_threads(_render_person, site, request, person_id)
        if shared:
            site.pages.put(key, body)
    return Response(body, media_type=_HTML, headers={"Link": alternate_link(f"/person/{person_id}.json")})
