"""Turning page contexts into responses: Jinja2 HTML, orjson JSON, and the twin ``Link`` header."""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from typing import Any
from urllib.parse import quote, quote_from_bytes

import orjson
from jinja2 import BytecodeCache, Environment, PackageLoader, select_autoescape
from jinja2.bccache import Bucket
from jinja2.filters import do_urlencode
from starlette.requests import Request
from starlette.responses import Response

from marquee.settings import Settings
from marquee.web import display

__all__ = ["Renderer", "alternate_link", "json_bytes", "json_response", "json_twin_url", "no_store"]


def json_bytes(data: Any) -> bytes:
    """Compact JSON (orjson: fast, and it understands dates and pydantic-dumped values)."""
    return orjson.dumps(data)


def json_response(data: Any, *, status: int = 200, html_url: str | None = None) -> Response:
    """A JSON response; ``html_url`` adds a ``Link`` back to the page it twins."""
    headers = {"Link": f'<{html_url}>; rel="alternate"; type="text/html"'} if html_url else None
    return Response(json_bytes(data), status_code=status, media_type="application/json", headers=headers)


def no_store(response: Response) -> Response:
    """The response marked never to be cached anywhere (a member's own page or data)."""
    response.headers["Cache-Control"] = "no-store"
    return response


def json_twin_url(request: Request) -> str:
    """``/title/tt1?x=1`` -> ``/title/tt1.json?x=1`` (``/`` -> ``/index.json``)."""
    path = request.url.path
    twin = "/index.json" if path == "/" else f"{path.rstrip('/')}.json"
    query = request.url.query
    return f"{quote(twin)}?{query}" if query else quote(twin)


def alternate_link(json_url: str) -> str:
    """The ``Link`` header value that advertises a page's JSON twin."""
    return f'<{json_url}>; rel="alternate"; type="application/json"'


# What ``urllib.parse.quote`` leaves as it is in a path: letters, digits, ``_.-~`` and ``/``.
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~/-]*").fullmatch


def urlencode(value: Any) -> str:
    """Jinja's ``urlencode``, without its work for a string it would leave unchanged (a film's or a
    person's id: a film page quotes some twenty of them), and a string quoted as it quotes one."""
    if type(value) is str:
        return value if _URL_SAFE(value) else quote_from_bytes(value.encode("utf-8"), b"/")
    return do_urlencode(value)


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process, whatever app renders them (each app builds its own
    environment: tests build hundreds). Jinja checks each entry against its source's checksum."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class _Environment(Environment):
    """Jinja's environment, each template's globals one plain dict instead of a ``ChainMap`` over the
    environment's: Jinja takes the set difference of a context's globals and a template's at every
    ``import`` (~10 µs on a ChainMap, 0.3 µs on a dict) and a set of them at every ``include`` (a cold
    film page does three and seven). The app sets its globals before any page renders (``Renderer``,
    ``community.install``): a global added later would not reach a template already loaded."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


class Renderer:
    """One Jinja2 environment for the app, built once (templates compile on first use, then stay)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.env = _Environment(
            loader=PackageLoader("marquee.web", "templates"),
            autoescape=select_autoescape(["html"]),
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_COMPILED,
        )
        self.env.filters.update(
            thousands=display.thousands,
            partial_date=display.partial_date,
            human_date=display.human_date,
            kind_label=display.kind_label,
            money=display.money,
            runtime_text=display.runtime_text,
            release_text=display.release_text,
            rating_text=display.rating_text,
            score_text=display.score_text,
            urlencode=urlencode,
        )
        self.env.globals.update(site_name=settings.site_name)
        # Who is signed in, for the header's member menu (the app sets it: security.current_user);
        # looked up here, before rendering, so that templates read nothing themselves.
        self.viewer: Callable[[Request], Any] | None = None

    def render(self, name: str, context: dict[str, Any]) -> str:
        """The template rendered to text (with ``viewer``, the member signed in, for the header)."""
        request = context.get("request")
        if "viewer" not in context and self.viewer is not None and isinstance(request, Request):
            context = {**context, "viewer": self._viewer_of(request)}
        return self.env.get_template(name).render(context)

    def _viewer_of(self, request: Request) -> Any:
        assert self.viewer is not None
        try:
            return self.viewer(request)
        except Exception:  # the header never breaks a page (an error page about a busy store least of all)
            return None

    def page(
        self, request: Request, name: str, context: dict[str, Any], *, status: int = 200, twin: bool = True
    ) -> Response:
        """An HTML response; ``twin`` advertises the page's JSON twin in a ``Link`` header."""
        json_url = json_twin_url(request) if twin else None
        body = self.render(name, {"request": request, "json_url": json_url, **context})
        headers = {"Link": alternate_link(json_url)} if json_url else None
        return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)
