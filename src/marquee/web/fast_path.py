"""Serve cached film and person pages straight from memory, before the app's middlewares and routing;
a film or person page or JSON twin not cached is rendered here too (``titles.shared_page`` and
``shared_twin``, ``people.shared_person_page`` and ``shared_person_twin``), without FastAPI's routing.

Why: most traffic asks for the same popular pages; once one is rendered, answering it through
FastAPI's routing and exception layers costs more than the page itself, and a cold page went through
nine ASGI layers (error pages, FastAPI's own two, the guards, HEAD, CORS, the API's fast path) before
any work of its own. ``FastPathApp`` is the FastAPI app with this path in front of all of them: a GET
or HEAD for a film or person page (or its JSON twin) from a visitor not signed in, with no query and
no request body, is answered with the same body and headers as the whole stack would give (the
guards' security headers included, precomputed as bytes). Anything else, anyone signed in, and any
error, goes through the app.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from marquee.web.guards import SECURITY_HEADERS
from marquee.web.people import shared_person_page, shared_person_twin
from marquee.web.security import SESSION_COOKIE
from marquee.web.titles import shared_page, shared_twin

__all__ = ["FastPathApp", "cache_key"]

_KINDS = {b"title": "title", b"person": "person"}
_SESSION = SESSION_COOKIE.encode("ascii") + b"="
_HTML = (b"content-type", b"text/html; charset=utf-8")
_JSON = (b"content-type", b"application/json")
_READS = frozenset({"GET", "HEAD"})
# A request that sends a body goes through the app (``guards.BodyLimit`` may refuse it).
_BODY = frozenset({b"content-length", b"transfer-encoding"})


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


def _plain(scope: Scope) -> bool:
    """True for a visitor not signed in whose request has no body."""
    for name, value in scope["headers"]:
        if (name == b"cookie" and _SESSION in value) or name in _BODY:
            return False
    return True


def _link(kind: str, item: str, form: str) -> bytes:
    if form == "html":
        return f'</{kind}/{item}.json>; rel="alternate"; type="application/json"'.encode()
    return f'</{kind}/{item}>; rel="alternate"; type="text/html"'.encode()


def _cold_renderer(kind: str, form: str) -> Callable[[Request, str], Awaitable[bytes | None]]:
    """What renders a page not cached: a film's or a person's page or JSON twin."""
    if kind == "title":
        return shared_page if form == "html" else shared_twin
    return shared_person_page if form == "html" else shared_person_twin


class FastPathApp(FastAPI):
    """The FastAPI app, with cached and cold shared pages answered before its middleware stack."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in _READS and not scope["query_string"]:
            key = cache_key(scope["path"])
            if key is not None and _plain(scope) and await self._fast(scope, key, send):
                return
        await super().__call__(scope, receive, send)

    async def _fast(self, scope: Scope, key: tuple[str, str, str], send: Send) -> bool:
        """Send the page; False (nothing sent) when the app must answer: its rendering failed (the
        route then answers with its error page)."""
        body = self.state.marquee.pages.get(key)
        if body is None:
            scope["app"] = self  # as Starlette sets it: the page's code finds the site through it
            render = _cold_renderer(key[0], key[2])
            try:
                body = await render(Request(scope), key[1])  # a cold page, without routing
            except Exception:  # any error: the app's own layers answer it
                return False
        if not isinstance(body, bytes):
            return False
        kind, item, form = key
        headers = [
            _HTML if form == "html" else _JSON,
            (b"content-length", str(len(body)).encode("ascii")),
            (b"link", _link(kind, item, form)),
            *SECURITY_HEADERS,
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
        return True
