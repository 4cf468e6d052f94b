"""Search by description in the JSON API (issue 21): ``GET /api/v1/search/description?q=…``.

Films whose stories match a description in plain words, best first, paged like the other searches.
A query over ``describe.MAX_QUERY_CHARS`` is a 400; a store where the model was never built
answers 503 with how to build it (``marquee search --rebuild-descriptions``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import describe
from marquee.web.api_common import TEXT_PATTERN, ApiProblem, Cursor, IfNoneMatch, Limit, api_router
from marquee.web.api_search import ranked_page
from marquee.web.api_titles import PAGED_TITLES, hit_dict
from marquee.web.deps import get_site

__all__ = ["router"]

router = api_router("search")

Description = Annotated[
    str,
    Query(
        min_length=1,
        max_length=describe.MAX_QUERY_CHARS,
        pattern=TEXT_PATTERN,
        description="the story in your own words, e.g. a teenage boy with a deformed skull and his mother",
    ),
]


@router.get(
    "/search/description",
    operation_id="searchDescription",
    summary="Search films by a description of their story",
    **PAGED_TITLES,
)
async def search_description(
    request: Request,
    q: Description,
    limit: Limit = 20,
    cursor: Cursor = None,
    if_none_match: IfNoneMatch = None,
) -> Response:
    """Films whose storyline, outline, taglines, trivia or quotes match `q` by meaning and by words."""
    site = get_site(request)
    model = site.settings.description_model or None

    def find(n: int) -> list[Any]:
        if not q.strip():
            return []
        try:
            return list(describe.search_descriptions(site.store, q, limit=n, model_path=model))
        except describe.NoDescriptionIndex as exc:
            raise ApiProblem(503, f"Search by description is not ready: {exc}.") from None

    return await ranked_page(request, find, hit_dict, limit=limit, cursor=cursor, key="votes")
