"""Person pages: ``/person/{id}`` and ``/person/{id}.json``, both built by ``person_view``."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.web import person_view
from marquee.web.deps import get_site
from marquee.web.follows import follow_context
from marquee.web.person_view import PersonContext, load_person, person_context, person_key
from marquee.web.render import alternate_link
from marquee.web.security import SESSION_COOKIE

__all__ = ["PersonContext", "person_context", "router"]

router = APIRouter()

_HTML = "text/html; charset=utf-8"


@router.get("/person/{person_id}.json", include_in_schema=False)
async def person_json(request: Request, person_id: str) -> Response:
    """The Person record as JSON."""
    body = await run_in_threadpool(person_view.person_json, get_site(request), person_id)
    link = f'</person/{person_id}>; rel="alternate"; type="text/html"'
    return Response(body, media_type="application/json", headers={"Link": link})


@router.get("/person/{person_id}", include_in_schema=False)
async def person_page(request: Request, person_id: str) -> Response:
    """The person's page: known for, filmography by role and year, life years, professions."""
    site = get_site(request)
    key = person_key(person_id, "html")
    # A member's page has their menu in the header and their own follow form: rendered each time.
    shared = SESSION_COOKIE not in request.cookies
    body = site.pages.get(key) if shared else None
    if not isinstance(body, bytes):
        person = await run_in_threadpool(load_person, site, person_id)
        follow = await run_in_threadpool(
            follow_context, request, "person", person.id, f"/person/{quote(person.id)}/follow"
        )
        context = {"request": request, "ctx": person_context(person), "follow": follow}
        context["json_url"] = f"/person/{person_id}.json"
        text = await run_in_threadpool(site.renderer.render, "person.html", context)
        body = text.encode("utf-8")
        if shared:
            site.pages.put(key, body)
    return Response(body, media_type=_HTML, headers={"Link": alternate_link(f"/person/{person_id}.json")})
