"""Film pages: ``/title/{id}`` (HTML with JSON-LD) and ``/title/{id}.json`` (the Film record)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import NotFound
from marquee.records import Film
from marquee.services import discover
from marquee.web.deps import Site, get_site
from marquee.web.film_view import FilmContext, film_context
from marquee.web.render import alternate_link, json_bytes
from marquee.web.security import SESSION_COOKIE

__all__ = ["router"]

router = APIRouter()

_HTML = "text/html; charset=utf-8"
_JSON = "application/json"
MORE_LIKE_THIS = 8  # films in the film page's "More like this" list


async def _load_film(site: Site, film_id: str) -> Film:
    """The film, read in a worker thread (the store is synchronous); NotFound if absent."""
    film = await run_in_threadpool(site.store.get_film, film_id)
    if film is None:
        raise NotFound(f"No film with id {film_id!r}")
    return film


# The .json route comes first: "/title/{film_id}" would also match "tt1.json".
@router.get("/title/{film_id}.json", include_in_schema=False)
async def film_json(request: Request, film_id: str) -> Response:
    """The Film record as JSON (``model_dump(mode="json")``)."""
    site = get_site(request)
    key = ("title", film_id, "json")
    body = site.pages.get(key)
    if body is None:
        film = await _load_film(site, film_id)
        body = json_bytes(film.model_dump(mode="json"))
        site.pages.put(key, body)
    link = f'</title/{film_id}>; rel="alternate"; type="text/html"'
    return Response(body, media_type=_JSON, headers={"Link": link})


def _render_film(site: Site, request: Request, film_id: str) -> bytes:
    """Render the film page (in a worker thread: the context and the community partial read the store)."""
    key = ("title", film_id, "ctx")
    context = site.pages.get(key)
    if not isinstance(context, FilmContext):
        film = site.store.get_film(film_id)
        if film is None:
            raise NotFound(f"No film with id {film_id!r}")
        similar = discover.similar_titles(site.store, film.id, MORE_LIKE_THIS)
        context = film_context(film, base_url=site.settings.base_url, similar=similar)
        site.pages.put(key, context)
    page = {"request": request, "ctx": context, "json_url": f"/title/{context.film.id}.json"}
    return site.renderer.render("film.html", page).encode("utf-8")


def _shared_page(request: Request) -> bool:
    """True when the page is the same for every such visitor: nobody signed in.

    Signed-in members see their own rating and forms, so their pages are rendered each time;
    writes through the site call ``invalidate_film``, so shared pages never outlive a change made here.
    """
    return SESSION_COOKIE not in request.cookies


@router.get("/title/{film_id}", include_in_schema=False)
async def film_page(request: Request, film_id: str) -> Response:
    """The film's page: every section that has data, plus schema.org JSON-LD."""
    site = get_site(request)
    shared = _shared_page(request)
    key = ("title", film_id, "html")
    body = site.pages.get(key) if shared else None
    if body is None:
        body = await run_in_threadpool(_render_film, site, request, film_id)
        if shared:
            site.pages.put(key, body)
    return Response(body, media_type=_HTML, headers={"Link": alternate_link(f"/title/{film_id}.json")})
