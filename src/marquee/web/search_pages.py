"""Search: ``/search?q=`` (titles, people, text), its JSON twin, and ``/search/suggest.json`` for typing."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import search
from marquee.web.deps import get_site
from marquee.web.describe_pages import description_json, description_page
from marquee.web.page_view import template_vars
from marquee.web.render import json_response
from marquee.web.router import Router
from marquee.web.search_view import SearchQuery, building_notice, search_context, search_json

__all__ = ["router"]

router = Router()


def _clean(query: str | None) -> str:
    return SearchQuery.from_params(query, None).q


@router.get("/search/suggest.json", include_in_schema=False)
async def suggest(request: Request, q: str | None = None) -> Response:
    """Titles starting with what was typed so far, for the search box (not cached while the search
    index is being built: the quick lookup's answers would outlive it)."""
    query = _clean(q)
    site = get_site(request)
    notice = await run_in_threadpool(building_notice, site.store)
    key = ("suggest", query.casefold())
    suggestions = None if notice else site.pages.get(key)
    if not isinstance(suggestions, list):
        hits = await run_in_threadpool(search.suggest_titles, site.store, query, limit=8) if query else []
        suggestions = [
            {"id": hit.id, "title": hit.title, "year": hit.year, "kind": hit.kind, "url": f"/title/{hit.id}"}
            for hit in hits
        ]
        if not notice:
            site.pages.put(key, suggestions)
    return json_response(
        {"query": query, "suggestions": suggestions, **({"notice": notice} if notice else {})}
    )


@router.get("/search.json", include_in_schema=False)
def search_json_page(request: Request, q: str | None = None, type: str | None = None) -> Response:
    """Search results as JSON."""
    if type == "description":  # by meaning, longer queries: its own module
        return description_json(get_site(request), q)
    return json_response(search_json(search_context(get_site(request), SearchQuery.from_params(q, type))))


@router.get("/search", include_in_schema=False)
def search_page(request: Request, q: str | None = None, type: str | None = None) -> Response:
    """The search page: a form, and results grouped as titles, people and text matches."""
    site = get_site(request)
    if type == "description":  # by meaning, longer queries: its own module
        return description_page(request, site, q)
    context = search_context(site, SearchQuery.from_params(q, type))
    return site.renderer.page(request, "search.html", template_vars(context))
