"""Errors to responses, in one place: an HTML page for pages, JSON for ``.json`` twins and the API."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from marquee.errors import MarqueeError, StoreError
from marquee.storage.engine import StoreBusy
from marquee.web.deps import get_site
from marquee.web.guards import SECURITY_HEADERS
from marquee.web.render import json_response
from marquee.web.security import TooManyRequests

__all__ = ["FORGED_FORM", "error_response", "forged_form", "install", "too_many", "wants_json"]

log = logging.getLogger(__name__)
# What every writing form says when its CSRF token is missing, stale or from another site.
FORGED_FORM = "This form has expired or did not come from this site; reload it and try again."


def wants_json(request: Request) -> bool:
    """JSON for ``.json`` URLs and the API; HTML for everything else."""
    path = request.url.path
    return path.endswith(".json") or path.startswith("/api/")


def error_response(request: Request, status: int, message: str) -> Response:
    """The error as JSON or as a page of the site."""
    reason = HTTPStatus(status).phrase
    if wants_json(request):
        return json_response(
            {"error": {"status": status, "reason": reason, "message": message}}, status=status
        )
    context = {"status": status, "reason": reason, "message": message}
    return get_site(request).renderer.page(request, "error.html", context, status=status, twin=False)


def forged_form(request: Request) -> Response:
    """403 for a writing form whose CSRF token is missing, stale or not this site's."""
    return error_response(request, 403, FORGED_FORM)


def too_many(request: Request, error: TooManyRequests) -> Response:
    """429 for a rate limit reached, with ``Retry-After`` (seconds until the next try may pass)."""
    response = error_response(request, 429, str(error))
    response.headers["Retry-After"] = str(error.retry_after)
    return response


def _validation_message(exc: RequestValidationError) -> str:
    """``"year_from: Input should be a valid integer"``: the field and what is wrong with it."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path"))
        parts.append(f"{field}: {error.get('msg', 'invalid')}" if field else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "Invalid request"


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        message = "There is no page at this address." if status == 404 else str(exc.detail)
        return error_response(request, status, message)

    async def on_marquee(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MarqueeError)
        return error_response(request, exc.status, str(exc))  # each error class carries its status

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, 400, _validation_message(exc))

    async def on_store(request: Request, exc: Exception) -> Response:
        if isinstance(exc, StoreBusy):  # an import holds the write lock: come back soon
            response = error_response(request, 503, f"The database is busy with a large write; {exc}.")
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(request, 503, "The database is not available right now.")

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("error on %s", request.url.path, exc_info=exc)
        response = error_response(request, 500, "Something went wrong on our side.")
        # Starlette answers this one outside every middleware, SecurityHeaders included.
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode("ascii")] = value.decode("ascii")
        return response

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(MarqueeError, on_marquee)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StoreError, on_store)
    app.add_exception_handler(Exception, on_crash)
