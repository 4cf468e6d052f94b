"""Search: ``/search?q=`` (titles, people, text), its JSON twin, and ``/search/suggest.json`` for typing."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import search
from marquee.storage.base import Store
from marquee.web.deps import Site, get_site
from marquee.web.describe_pages import description_json, description_page
from marquee.web.render import json_response

__all__ = ["router"]

router = APIRouter()

MAX_QUERY = 200
SECTIONS = ("all", "titles", "people", "text")


def _clean(query: str | None) -> str:
    """The query, trimmed and capped (a search box is not a place for megabytes)."""
    return (query or "").strip()[:MAX_QUERY]


def _results(store: Store, query: str, section: str, limit: int) -> dict[str, list[Any]]:
    """Hits for each section asked for: titles, people and text (plots, quotes, trivia…)."""
    results: dict[str, list[Any]] = {"titles": [], "people": [], "text": []}
    if not query:
        return results
    if section in ("all", "titles"):
        results["titles"] = search.search_titles(store, query, limit=limit)
    if section in ("all", "people"):
        results["people"] = search.search_people(store, query, limit=limit)
    if section in ("all", "text"):
        results["text"] = search.search_text(store, query, limit=limit)
    return results


def _cached_results(site: Site, query: str, section: str) -> dict[str, list[Any]]:
    """Results of a search, kept in the page cache: people repeat popular searches."""
    key = ("search", query.casefold(), section)
    results = site.pages.get(key)
    if not isinstance(results, dict):
        results = _results(site.store, query, section, site.settings.per_page)
        site.pages.put(key, results)
    return results


def _section(value: str | None) -> str:
    return value if value in SECTIONS else "all"


def _dump(results: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {name: [hit.model_dump(mode="json") for hit in hits] for name, hits in results.items()}


@router.get("/search/suggest.json", include_in_schema=False)
async def suggest(request: Request, q: str | None = None) -> Response:
    """Titles starting with what was typed so far, for the search box."""
    query = _clean(q)
    site = get_site(request)
    key = ("suggest", query.casefold())
    suggestions = site.pages.get(key)
    if not isinstance(suggestions, list):
        hits = await run_in_threadpool(search.suggest_titles, site.store, query, limit=8) if query else []
        suggestions = [
            {"id": hit.id, "title": hit.title, "year": hit.year, "kind": hit.kind, "url": f"/title/{hit.id}"}
            for hit in hits
        ]
        site.pages.put(key, suggestions)
    return json_response({"query": query, "suggestions": suggestions})


@router.get("/search.json", include_in_schema=False)
def search_json(request: Request, q: str | None = None, type: str | None = None) -> Response:
    """Search results as JSON."""
    if type == "description":  # by meaning, longer queries: its own module
        return description_json(get_site(request), q)
    query, section = _clean(q), _section(type)
    results = _cached_results(get_site(request), query, section)
    return json_response({"query": query, "type": section, **_dump(results)})


@router.get("/search", include_in_schema=False)
def search_page(request: Request, q: str | None = None, type: str | None = None) -> Response:
    """The search page: a form, and results grouped as titles, people and text matches."""
    site = get_site(request)
    if type == "description":  # by meaning, longer queries: its own module
        return description_page(request, site, q)
    query, section = _clean(q), _section(type)
    results = _cached_results(site, query, section)
    context = {
        "query": query,
        "section": section,
        "results": results,
    }
    return site.renderer.page(request, "search.html", context)
