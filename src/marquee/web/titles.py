"""Film pages: ``/title/{id}`` (HTML with JSON-LD) and ``/title/{id}.json`` (the Film record)."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import MarqueeError, NotFound
from marquee.services import film_page as page_data
from marquee.services.episodes import episode_guide, is_series
from marquee.services.film_page import FilmPage
from marquee.storage.base import Store
from marquee.web.community import community_panel
from marquee.web.deps import Site, get_site
from marquee.web.film_view import FilmContext, film_context
from marquee.web.library_forms import film_panel
from marquee.web.render import alternate_link, json_bytes
from marquee.web.router import Router
from marquee.web.security import SESSION_COOKIE

__all__ = ["on_render_threads", "router", "shared_page", "shared_twin"]

router = Router()

_HTML = "text/html; charset=utf-8"
_JSON = "application/json"
MORE_LIKE_THIS = 8  # films in the film page's "More like this" list
# Film and person pages render on two threads of their own per process, not on the thread pool of
# ``anyio`` (40 threads): rendering is Python holding the GIL, and 64 clients kept dozens of threads fighting
# for it. Measured (``bench/bench_cold_web.sh``'s store, one uvicorn worker, 64 connections): the
# shared pool 1.9 ms of CPU a cold page, 505 pages/s; two threads 1.5 ms, 667/s; one thread 1.3 ms
# but 521/s (the loop waits on it); rendering on the event loop itself stalled it (timeouts).
RENDER_THREADS = 2
_RENDERING = ThreadPoolExecutor(RENDER_THREADS, thread_name_prefix="marquee-page")


def _load_page(store: Store, film_id: str) -> FilmPage:
    """The film and what its page shows beside it (``services.film_page``); NotFound if absent."""
    page = page_data.film_page(store, film_id, MORE_LIKE_THIS)
    if page is None:
        raise NotFound(f"No film with id {film_id!r}")
    return page


def _season(request: Request) -> int | None:
    """``?season=N`` (absent: the series' first season); anything but a season number is a 404."""
    raw = request.query_params.get("season")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise NotFound(f"No season {raw!r}")
    return int(raw)


def _key(film_id: str, form: str, season: int | None) -> tuple[object, ...]:
    """The page cache's key; the default page keeps ``fast_path``'s three-part key."""
    return ("title", film_id, form) if season is None else ("title", film_id, form, season)


def _context(store: Store, page: FilmPage, season: int | None, base_url: str) -> FilmContext:
    """The page's context, gathered here: a series' episode guide, or an episode's series and neighbours;
    the films "more like this"."""
    film = page.film
    guide = page.guide  # a series' first season, read with the film
    if season is not None:
        if not is_series(film):
            raise NotFound(f"{film.id!r} is not a series: it has no seasons")
        guide = episode_guide(store, film.id, season)
    return film_context(film, base_url=base_url, guide=guide, place=page.place, similar=page.similar)


def _twin(store: Store, film_id: str, season: int | None) -> dict[str, object]:
    """The Film record; a series adds ``episode_guide``, an episode ``episode_of_series`` (its place);
    every film ``similar``, its films "more like this" as the page lists them."""
    page = _load_page(store, film_id)
    film = page.film
    data: dict[str, object] = film.model_dump(mode="json")
    data["similar"] = [item.model_dump(mode="json") for item in page.similar]
    if is_series(film):
        guide = page.guide if season is None else None  # the first season, read with the film
        if guide is None:
            guide = episode_guide(store, film.id, season)
        data["episode_guide"] = guide.model_dump(mode="json")
    elif season is not None:
        raise NotFound(f"{film.id!r} is not a series: it has no seasons")
    if page.place is not None:
        data["episode_of_series"] = page.place.model_dump(mode="json")
    return data


# The .json route comes first: "/title/{film_id}" would also match "tt1.json".
@router.get("/title/{film_id}.json", include_in_schema=False)
async def film_json(request: Request, film_id: str) -> Response:
    """The Film record as JSON (``model_dump(mode="json")``)."""
    site = get_site(request)
    season = _season(request)
    key = _key(film_id, "json", season)
    body = site.pages.get(key)
    if body is None:
        body = json_bytes(await run_in_threadpool(_twin, site.store, film_id, season))
        site.pages.put(key, body)
    link = f'</title/{film_id}>; rel="alternate"; type="text/html"'
    return Response(body, media_type=_JSON, headers={"Link": link})


def _twin_bytes(site: Site, film_id: str) -> bytes:
    return json_bytes(_twin(site.store, film_id, None))


async def shared_twin(request: Request, film_id: str) -> bytes | None:
    """A film's JSON twin, rendered on the pages' threads and kept in the page cache; None if it
    cannot be (the app's route then answers). ``fast_path`` calls this before routing."""
    site = get_site(request)
    try:
        body = await on_render_threads(_twin_bytes, site, film_id)
    except MarqueeError:
        return None
    site.pages.put(_key(film_id, "json", None), body)
    return body


async def on_render_threads(render: Callable[..., bytes], *args: Any) -> bytes:
    """``render(*args)`` on the pages' own threads (with the caller's context variables)."""
    context = contextvars.copy_context()
    return await asyncio.get_running_loop().run_in_executor(_RENDERING, context.run, render, *args)


async def _rendered(site: Site, request: Request, film_id: str, season: int | None) -> bytes:
    """``_render_film`` on the pages' own threads."""
    return await on_render_threads(_render_film, site, request, film_id, season)


def _render_film(site: Site, request: Request, film_id: str, season: int | None) -> bytes:
    """Render the film page (in a worker thread: the context and the community partial read the store)."""
    key = _key(film_id, "ctx", season)
    cached = site.pages.get(key)
    activity = None
    if isinstance(cached, FilmContext):
        context = cached
    else:
        shared = _load_page(site.store, film_id)
        context, activity = _context(site.store, shared, season, site.settings.base_url), shared.activity
        site.pages.put(key, context)
    query = f"?season={season}" if season is not None else ""
    page = {
        "request": request,
        "ctx": context,
        "json_url": f"/title/{context.film.id}.json{query}",
        "library": film_panel(request, context.film.id),  # the member's watchlist, diary, lists
        "panel": community_panel(request, context.film.id, activity),  # members' ratings, reviews, comments
    }
    return site.renderer.render("film.html", page).encode("utf-8")


def _shared_page(request: Request) -> bool:
    """True when the page is the same for every such visitor: nobody signed in.

    Signed-in members see their own rating and forms, so their pages are rendered each time;
    writes through the site call ``invalidate_film``, so shared pages never outlive a change made here.
    """
    return SESSION_COOKIE not in request.cookies


async def shared_page(request: Request, film_id: str) -> bytes | None:
    """The default page of a film for a visitor not signed in, rendered and kept in the page cache;
    None if it cannot be (no such film, a busy store…): the app's route then answers with its error
    page. ``fast_path`` calls this before routing (FastAPI's routing cost a cold page ~0.3 ms)."""
    site = get_site(request)
    try:
        body = await _rendered(site, request, film_id, None)
    except MarqueeError:
        return None
    site.pages.put(_key(film_id, "html", None), body)
    return body


@router.get("/title/{film_id}", include_in_schema=False)
async def film_page(request: Request, film_id: str) -> Response:
    """The film's page: every section that has data, plus schema.org JSON-LD."""
    site = get_site(request)
    shared = _shared_page(request)
    season = _season(request)
    key = _key(film_id, "html", season)
    body = site.pages.get(key) if shared else None
    if body is None:
        body = await _rendered(site, request, film_id, season)
        if shared:
            site.pages.put(key, body)
    query = f"?season={season}" if season is not None else ""
    return Response(body, media_type=_HTML, headers={"Link": alternate_link(f"/title/{film_id}.json{query}")})
