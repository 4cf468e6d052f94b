"""The store's status page (issue 20): ``/status`` and its JSON twin ``/status.json``, and
``/api/v1/status`` in the API's shape.

The data is ``services.status.store_status``, gathered by ``status_view``; counts are public (as
IMDb publishes its own), where the store is and which process builds an index only for
administrators. Administrators get it fresh (the page is how an operator watches an import finish);
others get it from the page cache (the counts read whole tables: ~0.1 s at 100k titles). Browsers
and proxies are told not to store it either way.
"""

from __future__ import annotations

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from marquee.services.status import StoreStatus
from marquee.web import security, status_view
from marquee.web.api_common import ProblemRoute, problem_responses, rate_limit
from marquee.web.deps import get_site
from marquee.web.page_view import template_vars
from marquee.web.render import json_response
from marquee.web.router import Router

__all__ = ["api_router", "router", "status_for"]

router = Router(include_in_schema=False)
api_router = Router(
    prefix="/api/v1", route_class=ProblemRoute, dependencies=[Depends(rate_limit)], tags=["status"]
)


def status_for(request: Request) -> status_view.StatusContext:
    """The status as this visitor may see it (administrators: whole)."""
    return status_view.status_context(get_site(request), security.current_user(request))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/status.json")
async def status_json(request: Request) -> Response:
    """The status as JSON."""
    context = await run_in_threadpool(status_for, request)
    return _no_store(json_response(status_view.status_json(context), html_url="/status"))


@router.get("/status")
async def status_page(request: Request) -> Response:
    """What the store holds and the state of each index, with what to run when one is not ready."""
    context = await run_in_threadpool(status_for, request)
    response = get_site(request).renderer.page(request, "status.html", template_vars(context), twin=False)
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
    context = await run_in_threadpool(status_for, request)
    return _no_store(json_response(status_view.status_json(context)))
