"""The home page (``/`` and ``/index.json``), both rendered from ``home_view.home_context``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from marquee.web.deps import get_site
from marquee.web.home_view import home_context, home_json
from marquee.web.page_view import template_vars
from marquee.web.render import json_response
from marquee.web.router import Router

__all__ = ["router"]

router = Router()


@router.get("/index.json", include_in_schema=False)
def home_json_page(request: Request) -> Response:
    """The home page's data as JSON."""
    return json_response(home_json(home_context(get_site(request))), html_url="/")


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    """The home page: search, the most voted and top rated titles, genres and decades."""
    site = get_site(request)
    return site.renderer.page(request, "home.html", template_vars(home_context(site)))
