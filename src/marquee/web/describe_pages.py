"""Search by description on the site: ``/search?type=description&q=…`` and its ``.json`` twin.

The search page's routes (``search_pages``) hand a ``type=description`` search here. The query is
capped at ``describe.MAX_QUERY_CHARS`` (longer: 400); a store where the model was never built
answers 503 with how to build it; both are shown on the page (and in the JSON), never a traceback.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import InputError
from marquee.services import describe
from marquee.web.deps import Site
from marquee.web.render import json_response

__all__ = ["description_json", "description_page"]


def _find(site: Site, query: str) -> tuple[list[Any], str | None, int]:
    """(hits, problem, status) of a description query (no query: nothing, no problem)."""
    if not query.strip():
        return [], None, 200
    try:
        hits = describe.search_descriptions(
            site.store,
            query,
            limit=site.settings.per_page,
            model_path=site.settings.description_model or None,
        )
    except describe.NoDescriptionIndex as exc:
        return [], f"Search by description is not ready: {exc}.", 503
    except InputError as exc:
        return [], f"{str(exc)[:1].upper()}{str(exc)[1:]}.", 400
    return hits, None, 200


def _shown(query: str) -> str:
    """The query as echoed back: whitespace folded, and an oversized one cut for display."""
    return " ".join(query[: describe.MAX_QUERY_CHARS * 2].split())[: describe.MAX_QUERY_CHARS]


def description_page(request: Request, site: Site, q: str | None) -> Response:
    """The search page with films found by description (or why there are none)."""
    query = q or ""
    hits, problem, status = _find(site, query)
    context = {
        "query": _shown(query),
        "section": "description",
        "results": {"titles": [], "people": [], "text": [], "description": hits},
        "problem": problem,
    }
    return site.renderer.page(request, "search.html", context, status=status)


def description_json(site: Site, q: str | None) -> Response:
    """The same as JSON: ``{"query", "type", "description": [hits]}`` or a ``problem``."""
    query = q or ""
    hits, problem, status = _find(site, query)
    data: dict[str, Any] = {
        "query": _shown(query),
        "type": "description",
        "description": [hit.model_dump(mode="json") for hit in hits],
    }
    if problem:
        data["problem"] = problem
    return json_response(data, status=status)
