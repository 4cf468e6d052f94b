"""The store's status page (issue 20): ``/status`` and its JSON twin ``/status.json``, and
``/api/v1/status`` in the API's shape.

The data is ``services.status.store_status``; counts are public (as IMDb publishes its own), where
the store is and which process builds an index only for administrators. Not cached: the page is
how an operator watches an import finish (the counts cost ~0.1 s at 1M titles).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services.status import StoreStatus, store_status
from marquee.web import security
from marquee.web.api_common import ProblemRoute, problem_responses, rate_limit
from marquee.web.deps import get_site
from marquee.web.render import json_response

__all__ = ["api_router", "router", "status_for"]

router = APIRouter(include_in_schema=False)
api_router = APIRouter(
    prefix="/api/v1", route_class=ProblemRoute, dependencies=[Depends(rate_limit)], tags=["status"]
)


def status_for(request: Request) -> StoreStatus:
    """The status as this visitor may see it (administrators: whole)."""
    data = store_status(get_site(request).store)
    viewer = security.current_user(request)
    return data if viewer is not None and viewer.is_admin else data.public()


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/status.json")
async def status_json(request: Request) -> Response:
    """The status as JSON."""
    data = await run_in_threadpool(status_for, request)
    return _no_store(json_response(data.model_dump(mode="json"), html_url="/status"))


@router.get("/status")
async def status_page(request: Request) -> Response:
    """What the store holds and the state of each index, with what to run when one is not ready."""
    data = await run_in_threadpool(status_for, request)
    response = get_site(request).renderer.page(request, "status.html", {"status": data}, twin=False)
    response.headers["Link"] = '</status.json>; rel="alternate"; type="application/json"'
    return _no_store(response)


@api_router.get(
    "/status",
    operation_id="storeStatus",
    summary="What the store holds and the state of its indexes",
    response_model=StoreStatus,
    responses=problem_responses(429, 503),
)
async def api_status(request: Request) -> Response:
    """Counts, each derived index's state (ready, building, stale, missing) and the last IMDb import."""
    data = await run_in_threadpool(status_for, request)
    return _no_store(json_response(data.model_dump(mode="json")))
