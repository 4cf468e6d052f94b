"""``web.router.Router``: turning a request away by its path's text gives the same routing as trying
every route, for every route of the site and paths around them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.routing import Match

from marquee.settings import Settings
from marquee.web.app import create_app
from marquee.web.router import Router, path_filter

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# What a path parameter is given in the probes: ids, numbers, words, dotted names, nothing.
VALUES = ("tt0089560", "")


@pytest.fixture(scope="module")
def site_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The whole site's app on an empty SQLite store (routing reads no data)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('router') / 'site.db'}"
    app = create_app(Settings(database_url=url))
    with TestClient(app):  # the lifespan opens the store
        yield app


def _route_paths(app: FastAPI) -> list[str]:
    return sorted({rc.path for rc in iter_route_contexts(app.routes) if rc.path})


def _filled(path: str) -> Iterator[str]:
    for value in VALUES:
        yield re.sub(r"\{[^}]*\}", value, path)


def _probes(app: FastAPI) -> list[str]:
    """Every route's path with its parameters filled, and the paths one step away from each."""
    out = {"/", "", "/nope", "//", "/title", "/title/", "/api", "/api/v1", "/api/v1/"}
    for path in _route_paths(app):
        for filled in _filled(path):
            out |= {filled, filled + "/", filled + "/x", filled[:-1]}
    return sorted(out)


def _outcome(app: FastAPI, path: str, method: str, root_path: str = "") -> list[Match]:
    """What each of the app's top-level routes answers for the request (the router takes the first
    full match, else the first partial one, else tries the other slash form, then 404)."""
    scope = {
        "type": "http",
        "method": method,
        "path": root_path + path,
        "root_path": root_path,
        "headers": [],
        "query_string": b"",
    }
    return [route.matches(dict(scope))[0] for route in app.router.routes]


@contextmanager
def _trying_every_route() -> Iterator[None]:
    """Routers without the check: FastAPI's own matching, every route tried."""
    original = Router._current_filter
    Router._current_filter = lambda self: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        Router._current_filter = original  # type: ignore[method-assign]


def test_every_router_of_the_site_is_a_router_that_filters(site_app: FastAPI) -> None:
    from marquee.web import app as app_module

    for module in app_module.ROUTERS:
        assert isinstance(module.router, Router), module.__name__


def test_turning_away_by_path_routes_every_probe_as_trying_every_route(site_app: FastAPI) -> None:
    probes = _probes(site_app)
    assert len(probes) > 500, len(probes)
    cases = [(p, "GET", "") for p in probes] + [(p, "GET", "/under") for p in probes[::9]]
    cases += [(p, m, "") for p in probes[1::9] for m in METHODS[1:]]
    filtered = [_outcome(site_app, *case) for case in cases]
    with _trying_every_route():
        plain = [_outcome(site_app, *case) for case in cases]
    assert filtered == plain
    # The probes reach real routes: most route paths are a full match somewhere.
    assert sum(Match.FULL in outcome for outcome in plain) > len(_route_paths(site_app))


_WORDS = "title api v1 titles person tt0089560 reviews search static x edit history json me lists"
_SEGMENTS = st.sampled_from([*_WORDS.split(), "", ".json", "index.json", "feed", "people", "nm0000001"])


@settings(max_examples=150, deadline=None)
@given(segments=st.lists(_SEGMENTS, max_size=5), trailing=st.booleans(), method=st.sampled_from(METHODS))
def test_any_path_of_route_words_routes_as_trying_every_route(
    site_app: FastAPI, segments: list[str], trailing: bool, method: str
) -> None:
    path = "/" + "/".join(segments) + ("/" if trailing else "")
    filtered = _outcome(site_app, path, method)
    with _trying_every_route():
        plain = _outcome(site_app, path, method)
    assert filtered == plain, path


def test_a_mount_and_a_route_added_after_the_first_request_are_found() -> None:
    router = Router()

    @router.get("/first")
    def first() -> dict[str, int]:
        return {"n": 1}

    files = Router()

    @files.get("/{name}")
    def file(name: str) -> dict[str, str]:
        return {"name": name}

    router.mount("/files", files)
    app = FastAPI()
    app.include_router(router)
    client = TestClient(app)
    assert client.get("/first").json() == {"n": 1}
    assert client.get("/files/a.txt").json() == {"name": "a.txt"}
    assert client.get("/second").status_code == 404

    @router.get("/second/{n}")
    def second(n: int) -> dict[str, int]:
        return {"n": n}

    assert client.get("/second/2").json() == {"n": 2}


def test_path_filter_reads_exact_paths_literal_starts_mounts_and_gives_up_on_unknown_paths() -> None:
    known = path_filter([("/", True), ("/title/{id}", True), ("/static", False), ("/a{b}c", True)])
    assert known == (frozenset({"/"}), ("/a", "/static", "/title/"))
    assert path_filter([("/x", True), (None, True)]) is None
    assert path_filter([]) == (frozenset(), ())
