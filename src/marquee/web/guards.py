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

        if declared is not None:
            # The server delivers no more than the declared length: the app may read it as it likes.
            await self.app(scope, receive, send)
            return
        # No length given (chunked): read up to the bound first, stop reading past it.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
