"""ASGI guards around the whole app: a bound on request bodies, and security headers on every answer.

``BodyLimit`` refuses a body larger than ``limits.MAX_BODY_BYTES`` with 413 before reading it: at
once when ``Content-Length`` says so, and, for a chunked body, as soon as the bytes received pass
the bound (the rest is never read; the connection is closed). It is a pure ASGI middleware, not
Starlette's ``BaseHTTPMiddleware``, so it sees each body chunk as it arrives.

``SecurityHeaders`` adds ``X-Content-Type-Options``, ``Referrer-Policy``, ``X-Frame-Options`` and a
Content-Security-Policy to every response (pages, JSON, errors, static files). The pages load only
the site's own script and style sheet, with no inline script, style or event handler, so the policy
needs no ``'unsafe-inline'``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from starlette.exceptions import HTTPException

from marquee import limits

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "BodyLimit", "SecurityHeaders"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
)


class SecurityHeaders:
    """Add ``SECURITY_HEADERS`` to every HTTP response (the app's own values, if any, are replaced)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in SECURITY_HEADERS}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message["headers"] = headers + list(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _BodyTooLarge(HTTPException):
    """Raised inside the app's ``receive`` when a streamed body passes the bound.

    An ``HTTPException``, so FastAPI passes it through its body parsing and the app's own error
    handlers answer 413 in the route's style (a page, JSON or a problem).
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than {max_bytes:,} bytes.")


def _too_large(scope: Scope, max_bytes: int) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """Headers and body of the 413: problem+json for the API, JSON for ``.json``, else plain text."""
    detail = f"The request body is larger than {max_bytes:,} bytes."
    path = str(scope.get("path", ""))
    if path.startswith("/api/"):
        media = b"application/problem+json"
        body = orjson.dumps(
            {
                "type": "/api/docs#problem-413",
                "title": "Content Too Large",
                "status": 413,
                "detail": detail,
                "instance": path,
                "errors": [{"in": "body", "name": "body", "detail": detail}],
            }
        )
    elif path.endswith(".json"):
        media = b"application/json"
        body = orjson.dumps({"error": {"status": 413, "reason": "Content Too Large", "message": detail}})
    else:
        media = b"text/plain; charset=utf-8"
        body = detail.encode("utf-8") + b"\n"
    headers = [
        (b"content-type", media),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"connection", b"close"),  # the rest of the body is not read: the connection cannot go on
    ]
    return headers, body


class BodyLimit:
    """Answer 413 to a request whose body is over ``max_bytes``, without reading it."""

    def __init__(self, app: ASGIApp, max_bytes: int = limits.MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, scope: Scope, send: Send) -> None:
        headers, body = _too_large(scope, self.max_bytes)
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = None
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send)
            return

        received = 0
        over = False
        started = passing = False

        async def counting_receive() -> Message:
            nonlocal received, over
            if over:
                raise _BodyTooLarge(self.max_bytes)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _BodyTooLarge(self.max_bytes)
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, passing
            if message["type"] == "http.response.start":
                # After an overflow only the app's own 413 goes out; any other answer is replaced.
                passing = not over or message["status"] == 413
                started = started or passing
            if passing:
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            pass
        except Exception:
            if not over:
                raise
        if over and not started:
            await self._refuse(scope, send)
