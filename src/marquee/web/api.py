"""Marquee's public JSON API: ``router`` serves ``/api/v1/…``, its OpenAPI document and ``/api/docs``.

The endpoints live by subject (``api_community``, ``api_titles``, ``api_people``, ``api_search``);
this module gathers them. Include it in the site's app (``app.include_router(router)``) after any
other router that serves ``/api/…`` paths: its last route answers unknown ``/api/…`` paths with a
404 problem. The OpenAPI document at ``/api/v1/openapi.json`` is built from every route of the
app under ``/api/v1``, so the site's HTML pages stay out of it.
"""

from __future__ import annotations

import copy
import html
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from marquee.web import (
    api_community,
    api_describe,
    api_discover,
    api_editing,
    api_follows,
    api_library,
    api_people,
    api_search,
    api_titles,
)
from marquee.web.api_common import (
    CACHE_CONTROL,
    PROBLEM_MEDIA_TYPE,
    etag_for,
    etag_matches,
    json_ok,
    problem_response,
    problem_responses,
)
from marquee.web.api_models import Problem, ProblemItem
from marquee.web.ratelimit import limiter_of_app
from marquee.web.router import Router
from marquee.web.status import api_router as status_api_router

__all__ = ["API_PREFIX", "ApiFastPath", "install", "openapi_document", "router"]

API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
DOCS_PATH = "/api/docs"
DESCRIPTION = """\
Marquee's catalogue as JSON: films with every section of their page, people, credits, search,
browsing, charts, and members' ratings, reviews and comments.

* **Errors** are `application/problem+json` (RFC 9457) with an `errors` list naming the parameter.
* **Lists** are paged by an opaque `cursor`: follow `next` (also sent as `Link: rel="next"`).
* **Partial records**: `?fields=title,year,cast` (`id` always comes).
* **Caching**: every read has a strong `ETag`; send it back as `If-None-Match` to get `304`.
* **Rate limits** per address and per API token: `429` with `Retry-After`.
* **JSON-LD**: `GET /api/v1/titles/{id}` with `Accept: application/ld+json` gives a schema.org Movie.
* **Writes** (ratings, reviews, comments, edits: `PATCH /api/v1/titles/{id}`) need an API token:
  `Authorization: Bearer mq_…`.
* **Your library** (`/api/v1/me/…`: watchlist, diary, lists, likes) needs one for reads too.
"""

router = Router()
# The community's first: the order the OpenAPI document has always listed them in.
router.include_router(api_community.router)
router.include_router(api_titles.router)
router.include_router(api_people.router)
router.include_router(api_search.router)
router.include_router(api_library.router)
router.include_router(api_editing.router)
router.include_router(api_discover.router)
router.include_router(api_follows.router)
router.include_router(api_describe.router)
router.include_router(status_api_router)


def _schema_of(model: type[Problem] | type[ProblemItem]) -> dict[str, Any]:
    return model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")


def _problemize(doc: dict[str, Any]) -> None:
    """Errors are problem+json: FastAPI's default 422 goes; every 4xx/5xx answers a Problem."""
    for path_item in doc.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.get("responses", {})
            default_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
            if "HTTPValidationError" in str(default_422):
                del responses["422"]  # request validation answers 400 (see api_common.problem_for)
                responses.setdefault("400", problem_responses(400)[400])
            if "401" in responses and "security" not in operation:
                operation["security"] = [{"bearerAuth": []}]  # answers 401 without a token
            for status, response in responses.items():
                if status[0] in "45" and "content" in response:
                    response["content"] = {
                        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    }
    components = doc.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearerAuth"] = {
        "type": "http",
        "scheme": "bearer",
        "description": "an API token of a member (made on the account page): `Authorization: Bearer mq_…`",
    }
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        if name not in str(doc.get("paths")):
            schemas.pop(name, None)
    schemas["ProblemItem"] = _schema_of(ProblemItem)
    problem = _schema_of(Problem)
    problem.pop("$defs", None)
    schemas["Problem"] = problem


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of the app's ``/api/v1`` routes (built once per app)."""
    cached: dict[str, Any] | None = getattr(app.state, "marquee_api_openapi", None)
    if cached is not None:
        return cached
    # FastAPI keeps included routers nested: walk their effective routes (with prefixes applied).
    routes = [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and (context.path or "").startswith(API_PREFIX + "/")
        and context.include_in_schema
    ]
    # The same route included twice (by mistake) would be documented twice: keep the first.
    unique = {(context.path, frozenset(context.methods or ())): context for context in reversed(routes)}
    routes = [
        context for context in routes if unique[(context.path, frozenset(context.methods or ()))] is context
    ]
    doc = get_openapi(
        title="Marquee API", version="1.0.0", openapi_version="3.1.0", description=DESCRIPTION, routes=routes
    )
    _problemize(doc)
    app.state.marquee_api_openapi = doc
    return doc


@router.get(OPENAPI_PATH, include_in_schema=False)
async def openapi_json(request: Request) -> Response:
    """The OpenAPI 3.1 document describing every endpoint under ``/api/v1``."""
    import orjson

    return json_ok(request, orjson.dumps(openapi_document(request.app)))


# ---- /api/docs: a self-contained reference page (no script or style from another host) -----------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Marquee API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}
code,pre{{font-family:ui-monospace,monospace;background:#f4f4f4;padding:.1em .3em;border-radius:3px}}
.op{{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}}
.method{{font-weight:bold;text-transform:uppercase;margin-right:.5em}}
table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #eee;text-align:left;padding:.2em .5em}}
</style></head><body>
<h1>Marquee API</h1>
<p>The machine-readable description: <a href="{openapi}"><code>{openapi}</code></a> (OpenAPI 3.1).</p>
{description}
<h2>Endpoints</h2>
{operations}
<h2 id="problems">Problems</h2>
<p>Errors come as <code>application/problem+json</code>: <code>type</code>, <code>title</code>,
<code>status</code>, <code>detail</code>, <code>instance</code> and <code>errors</code>
(<code>in</code>, <code>name</code>, <code>detail</code> of each offending parameter).</p>
{problems}
</body></html>
"""


def _description_html(text: str) -> str:
    """The API description: paragraphs and ``*`` bullets, with ``code`` spans."""
    blocks: list[str] = []
    bullets: list[str] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(f"<p>{_inline(' '.join(lines))}</p>")
            lines.clear()
        if bullets:
            blocks.append("<ul>" + "".join(bullets) + "</ul>")
            bullets.clear()

    for line in text.splitlines():
        if line.startswith("* "):
            if lines:
                flush()
            bullets.append(f"<li>{_inline(line[2:])}</li>")
        elif line.strip():
            if bullets:
                flush()
            lines.append(line.strip())
        else:
            flush()
    flush()
    return "\n".join(blocks)


def _inline(text: str) -> str:
    """Escape, then turn ``**bold**`` and `` `code` `` into markup."""
    parts = html.escape(text).split("`")
    out = "".join(f"<code>{part}</code>" if i % 2 else part for i, part in enumerate(parts))
    bold = out.split("**")
    return "".join(f"<strong>{part}</strong>" if i % 2 else part for i, part in enumerate(bold))


def _operation_html(path: str, method: str, op: dict[str, Any]) -> str:
    params = "".join(
        f"<tr><td><code>{html.escape(p['name'])}</code></td><td>{html.escape(p['in'])}</td>"
        f"<td>{'yes' if p.get('required') else ''}</td><td>{_inline(p.get('description', ''))}</td></tr>"
        for p in op.get("parameters", [])
    )
    table = (
        "<table><tr><th>parameter</th><th>in</th><th>required</th><th>meaning</th></tr>" + params + "</table>"
        if params
        else ""
    )
    statuses = ", ".join(f"<code>{html.escape(code)}</code>" for code in op.get("responses", {}))
    anchor = html.escape(op.get("operationId", f"{method}-{path}"))
    return (
        f'<div class="op" id="{anchor}"><p><span class="method">{method}</span>'
        f"<code>{html.escape(path)}</code>"
        f" — {html.escape(op.get('summary', ''))} (<code>{anchor}</code>)</p>"
        f"<p>{_inline(op.get('description', ''))}</p>{table}<p>Answers: {statuses}</p></div>"
    )


def docs_html(doc: dict[str, Any]) -> str:
    """The reference page for an OpenAPI document."""
    operations = "\n".join(
        _operation_html(path, method, op)
        for path, item in sorted(doc.get("paths", {}).items())
        for method, op in item.items()
    )
    documented = problem_responses(400, 401, 403, 404, 405, 409, 422, 429, 503)
    problems = "\n".join(
        f'<p id="problem-{status}"><code>{status}</code> {_inline(entry["description"])}</p>'
        for status, entry in documented.items()
    )
    problems += '\n<p id="problem-500"><code>500</code> Something went wrong on our side (a bug).</p>'
    return _PAGE.format(
        openapi=OPENAPI_PATH,
        description=_description_html(str(doc.get("info", {}).get("description", ""))),
        operations=operations,
        problems=problems,
    )


@router.get(DOCS_PATH, include_in_schema=False)
async def api_docs(request: Request) -> Response:
    """A readable reference of the API, rendered on the server from its OpenAPI document."""
    page = docs_html(copy.deepcopy(openapi_document(request.app)))
    return Response(page, media_type="text/html; charset=utf-8")


# ---- unknown API paths: a problem, not the site's HTML 404 page ----------------------------------


# No methods listed: the route matches every method, even ones nobody has heard of (QUERY, FOO).
@router.api_route("/api/{rest:path}", methods=[], include_in_schema=False, operation_id="unknownApiPath")
async def unknown_api_path(request: Request, rest: str) -> Response:
    """404 for paths no route serves; 405 (with ``Allow``) for a known path and the wrong method."""
    allowed: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        if context.name == "unknown_api_path":
            continue
        match, _ = context.matches(request.scope)
        if match is Match.PARTIAL:
            allowed |= set(context.methods or ())
    if allowed:
        return problem_response(
            request,
            405,
            f"{request.method} is not allowed on {request.url.path}; use {', '.join(sorted(allowed))}.",
            headers={"Allow": ", ".join(sorted(allowed))},
        )
    return problem_response(request, 404, f"No API endpoint at {request.url.path}; see {DOCS_PATH}.")


# ---- the fast path: cached records answered before routing ---------------------------------------

_FAST_PREFIXES = {"/api/v1/titles/": "title", "/api/v1/people/": "person"}


def _fast_key(path: str) -> tuple[str, str, str] | None:
    """``/api/v1/titles/tt1`` -> ``("title", "tt1", "api")`` (the key the routes cache under)."""
    for prefix, kind in _FAST_PREFIXES.items():
        if path.startswith(prefix):
            item = path[len(prefix) :]
            return (kind, item, "api") if item and "/" not in item else None
    return None


class ApiFastPath:
    """ASGI middleware: a cached film or person record answered without FastAPI's routing.

    Why: routing, dependency solving and the exception layers cost several times more than
    sending a cached body. Only the plain case is taken (GET, no query, no JSON-LD, no proxy
    header); it gives the same body and headers as the route, honours ``If-None-Match`` and the
    rate limits. Anything else goes to the app, which also fills the cache.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]:
            key = _fast_key(scope["path"])
            if key is not None and await self._answer(scope, key, send):
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _answer(scope: Scope, key: tuple[str, str, str], send: Send) -> bool:
        """Send the cached answer; False (nothing sent) when the app must answer."""
        app = scope["app"]
        body = app.state.marquee.pages.get(key)
        if not isinstance(body, bytes):
            return False
        headers = dict(scope["headers"])
        if b"x-forwarded-for" in headers or b"application/ld+json" in headers.get(b"accept", b""):
            return False
        token = headers.get(b"authorization", b"").decode("latin-1")
        bearer = token[7:].strip() if token[:7].lower() == "bearer " else None
        client = scope.get("client")
        if limiter_of_app(app).check(client[0] if client else "unknown", bearer or None):
            return False  # over the limit: the app answers the 429 problem
        etag = etag_for(body)
        answer = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL.encode())]
        if key[0] == "title":
            answer.append((b"vary", b"Accept"))
        condition = headers.get(b"if-none-match")
        if condition is not None and etag_matches(condition.decode("latin-1"), etag):
            await send({"type": "http.response.start", "status": 304, "headers": answer})
            await send({"type": "http.response.body", "body": b""})
            return True
        answer += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": answer})
        await send({"type": "http.response.body", "body": body})
        return True


def install(app: FastAPI) -> None:
    """Called by the site's ``create_app`` after including ``router``: adds the fast path."""
    app.add_middleware(ApiFastPath)
