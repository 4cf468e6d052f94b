"""Discovery in the JSON API (issue 21): a film's similar films, a member's recommendations.

``GET /api/v1/titles/{id}/similar`` is open; ``GET /api/v1/users/{name}/recommendations`` is
private: only the member themself (API token, or session) may read it (401 signed out, 403
someone else). Both read stored lists (``services.discover``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services import discover
from marquee.services.accounts import name_key
from marquee.web.api_common import ApiProblem, TitleId, api_router, problem_responses
from marquee.web.api_members import Reader
from marquee.web.deps import get_store
from marquee.web.recommendations_view import recommendations_context, recommendations_json
from marquee.web.render import json_bytes

__all__ = ["router"]

router = api_router("discovery")

MemberName = Annotated[str, Path(min_length=1, max_length=discover.MAX_ID_CHARS, pattern=r"^[^\x00]+$")]
Count = Annotated[int, Query(ge=1, le=discover.MAX_LIMIT, description="how many, 1–100")]


def _json(data: object) -> Response:
    return Response(json_bytes(data), media_type="application/json")


@router.get(
    "/titles/{id}/similar",
    operation_id="getTitleSimilar",
    summary="Films like this one",
    responses=problem_responses(400, 404, 429),
)
async def get_title_similar(request: Request, id: TitleId, limit: Count = 10) -> Response:
    """Films sharing people, genres, era and kind, blended with members' co-ratings; best first."""
    found = await run_in_threadpool(discover.similar_titles, get_store(request), id, limit)
    return _json({"id": id, "similar": [item.model_dump(mode="json") for item in found]})


@router.get(
    "/users/{name}/recommendations",
    operation_id="getUserRecommendations",
    summary="Films recommended to a member (theirs alone)",
    responses=problem_responses(400, 401, 403, 404, 429),
)
def get_user_recommendations(request: Request, name: MemberName, user: Reader, limit: Count = 20) -> Response:
    """From the films the member rated highly, leaving out what they rated, logged or listed."""
    if user is None:
        raise ApiProblem(
            401, "Send an API token: Authorization: Bearer …", headers={"WWW-Authenticate": "Bearer"}
        )
    if name_key(user.name) != name_key(name):
        raise ApiProblem(403, "Recommendations are private: only their member may read them.")
    return _json(recommendations_json(recommendations_context(get_store(request), user.name, limit)))
