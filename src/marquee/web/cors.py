"""Cross-origin reads of the JSON API: a browser app on another site may GET (and HEAD) ``/api/v1/…``.

Why not more: the API's writes accept a session cookie (with a CSRF header), so they must never be
callable from another origin. Only reads are opened, and never with credentials: no
``Access-Control-Allow-Credentials``, so a browser does not let another site read what a member's
cookie would show. A preflight for any other method is refused (403, without CORS headers, so the
browser stops there); a write sent without a preflight gets no CORS headers and keeps its CSRF check.

Which origins: setting ``api_cors_origins`` (``MARQUEE_WEB_API_CORS_ORIGINS``): ``*`` (the default,
as public read APIs do), a comma-separated list of origins, or empty for none. With ``*`` every read
answer carries ``Access-Control-Allow-Origin: *`` whether or not the request named an origin, so a
shared cache can hand the same answer to anyone (nothing varies on ``Origin``).

Why not Starlette's ``CORSMiddleware``: it would add ``Vary: Origin`` to every answer, send CORS
headers on writes too, and leave ``*`` answers to requests without ``Origin`` bare (a cache could
then serve a bare answer to a browser on another site).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from marquee.errors import InputError
from marquee.web.api_common import problem_response

__all__ = ["ApiCors", "parse_origins"]

API_PATHS = "/api/v1/"
READS = frozenset({"GET", "HEAD"})
# Besides the CORS-safelisted ones (Accept, Content-Type…): a token, and conditional GETs.
ALLOW_HEADERS = ("Authorization", "If-None-Match")
_SAFELISTED = {"accept", "accept-language", "content-language", "content-type"}
# What a script on another origin may read besides the safelisted response headers.
EXPOSE_HEADERS = "ETag, Link, Retry-After"
MAX_AGE = "600"  # seconds a browser may keep a preflight's answer
SETTING = "MARQUEE_WEB_API_CORS_ORIGINS"

RawHeaders = list[tuple[bytes, bytes]]


def parse_origins(raw: str) -> tuple[str, ...]:
    """``"*"`` -> ``("*",)``; ``"https://a.org, http://b:8080/"`` -> the two origins; ``""`` -> ``()``."""
    origins: list[str] = []
    for item in raw.split(","):
        origin = item.strip().rstrip("/")
        if not origin:
            continue
        scheme, sep, host = origin.partition("://")
        if origin != "*" and not (sep and scheme.lower() in ("http", "https") and host and "/" not in host):
            raise InputError(
                f"{SETTING}: {item.strip()!r} is not an origin like https://app.example.org (or * for any)"
            )
        origins.append(origin if origin == "*" else origin.lower())
    return ("*",) if "*" in origins else tuple(origins)


class ApiCors:
    """ASGI middleware: CORS headers on API reads, answers to their preflights, nothing for writes."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...]) -> None:
        self.app = app
        self.any_origin = origins == ("*",)
        self.origins = frozenset(origins)
        self.any_origin_headers = self._read_headers(None)  # with "*", the same for every read

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.origins or not scope["path"].startswith(API_PATHS):
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method in READS:
            await self._read(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if method == "OPTIONS" and origin and "access-control-request-method" in headers:
            await self._preflight(scope, headers, origin)(scope, receive, send)
            return
        await self.app(scope, receive, send)  # a write: no CORS headers, whatever the origin

    async def _read(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any_origin:
            extra = self.any_origin_headers
        else:
            extra = self._read_headers(Headers(scope=scope).get("origin"))

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": _merged(list(message.get("headers", [])), extra)}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def _allowed(self, origin: str | None) -> bool:
        return self.any_origin or (origin is not None and origin.lower() in self.origins)

    def _read_headers(self, origin: str | None) -> RawHeaders:
        """The headers a read's answer gets (the same for GET and HEAD)."""
        extra: RawHeaders = []
        if not self.any_origin:
            extra.append((b"vary", b"Origin"))  # the answer names the origin: caches must key on it
        if self._allowed(origin):
            allow = "*" if self.any_origin else str(origin)
            extra += [
                (b"access-control-allow-origin", allow.encode("latin-1")),
                (b"access-control-expose-headers", EXPOSE_HEADERS.encode()),
            ]
        return extra

    def _preflight(self, scope: Scope, headers: Headers, origin: str) -> ASGIApp:
        """The answer to ``OPTIONS`` with ``Access-Control-Request-Method``: yes for reads, else 403."""
        method = headers["access-control-request-method"].strip().upper()
        asked = {h.strip().lower() for h in headers.get("access-control-request-headers", "").split(",")}
        unknown = sorted(asked - _SAFELISTED - {h.lower() for h in ALLOW_HEADERS} - {""})
        request = Request(scope)
        if not self._allowed(origin):
            detail = f"Origin {origin} may not call this API from a browser (setting {SETTING})."
        elif method not in READS:
            detail = f"Only reads (GET, HEAD) of this API are open to other sites, not {method}."
        elif unknown:
            detail = f"Request headers not allowed from other sites: {', '.join(unknown)}."
        else:
            allow = {
                "Access-Control-Allow-Origin": "*" if self.any_origin else origin,
                "Access-Control-Allow-Methods": ", ".join(sorted(READS)),
                "Access-Control-Allow-Headers": ", ".join(ALLOW_HEADERS),
                "Access-Control-Max-Age": MAX_AGE,
            }
            return Response(status_code=204, headers=allow)
        return problem_response(request, 403, detail)


def _merged(headers: RawHeaders, extra: RawHeaders) -> RawHeaders:
    """``headers`` plus ``extra``; a second ``Vary`` joins the first (``Vary: Accept, Origin``)."""
    for name, value in extra:
        if name == b"vary":
            index = next((i for i, (n, _) in enumerate(headers) if n.lower() == b"vary"), None)
            if index is not None:
                headers[index] = (headers[index][0], headers[index][1] + b", " + value)
                continue
        headers.append((name, value))
    return headers
