"""Serve cached film and person pages straight from memory, before routing;
a film page not cached is rendered here too (``titles.shared_page``), without FastAPI's routing.

Why: most traffic asks for the same popular pages; once one is rendered, answering it through
FastAPI's routing and exception layers costs more than the page itself. This pure ASGI
middleware answers a GET for a cached page (and its JSON twin) at once, with the same body and
headers as the route would give. Anything else, and anyone signed in, goes to the app.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from marquee.web.cache import PageCache
from marquee.web.security import SESSION_COOKIE
from marquee.web.titles import shared_page

__all__ = ["FastPath", "cache_key"]

_KINDS = {b"title": "title", b"person": "person"}
_SESSION = SESSION_COOKIE.encode("ascii") + b"="
_HTML = b"text/html; charset=utf-8"
_JSON = b"application/json"


def cache_key(path: str) -> tuple[str, str, str] | None:
    """``/title/tt1`` -> ``("title", "tt1", "html")``; ``/person/x.json`` -> ``("person", "x", "json")``."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] or not parts[2]:
        return None
    kind = _KINDS.get(parts[1].encode())
    if kind is None:
        return None
    name = parts[2]
    if name.endswith(".json"):
        return (kind, name[: -len(".json")], "json")
    return (kind, name, "html")


def _signed_in(scope: Scope) -> bool:
    return any(name == b"cookie" and _SESSION in value for name, value in scope["headers"])


def _link(kind: str, item: str, form: str) -> bytes:
    if form == "html":
        return f'</{kind}/{item}.json>; rel="alternate"; type="application/json"'.encode()
    return f'</{kind}/{item}>; rel="alternate"; type="text/html"'.encode()


class FastPath:
    """ASGI middleware: cached pages for visitors not signed in, without touching the router."""

    def __init__(self, app: ASGIApp, pages: PageCache[Any]) -> None:
        self.app = app
        self.pages = pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]:
            key = cache_key(scope["path"])
            body = self.pages.get(key) if key is not None else None
            if key is not None and not _signed_in(scope):
                if body is None and key[0] == "title" and key[2] == "html":
                    body = await shared_page(Request(scope), key[1])  # a cold page, without routing
                if isinstance(body, bytes):
                    await self._answer(send, key, body)
                    return
        await self.app(scope, receive, send)

    @staticmethod
    async def _answer(send: Send, key: tuple[str, str, str], body: bytes) -> None:
        kind, item, form = key
        headers = [
            (b"content-type", _HTML if form == "html" else _JSON),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"link", _link(kind, item, form)),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
