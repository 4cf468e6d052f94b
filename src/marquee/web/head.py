"""``HEAD`` for every ``GET``: the same status and headers as the ``GET`` would give, and no body.

Why a middleware: FastAPI routes answer only the methods they declare, so ``HEAD /title/tt1`` was
a 405. Declaring ``HEAD`` on each route would put a ``head`` operation beside every ``get`` in the
OpenAPI document and still send the body. Here the request goes in as a ``GET`` (so the page
caches and fast paths answer it as usual) and only the body is dropped on the way out;
``Content-Length`` stays what the ``GET`` would send, as RFC 9110 allows.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet"]

_BODY = {"http.response.body", "http.response.pathsend"}


class HeadAsGet:
    """ASGI middleware: answer ``HEAD`` as ``GET`` without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] not in _BODY:
                await send(message)  # the start, and anything else an extension sends
            elif not message.get("more_body", False):  # the body's last part: end the answer
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, headers_only)
