"""The shared route models (``support.routes``): built once, and every app still checks its input."""

from __future__ import annotations

from collections.abc import Callable

import fastapi.routing

from marquee.settings import Settings
from marquee.web.app import create_app
from support.web import TestClient


def _endpoint(n: int, q: str = "") -> None:
    """A route's endpoint, for the builder."""


def test_the_dependency_model_of_a_route_is_built_once() -> None:
    build = fastapi.routing._build_dependant_with_parameterless_dependencies
    first = build(path="/x/{n}", call=_endpoint, dependencies=[])
    again = build(path="/x/{n}", call=_endpoint, dependencies=[])
    assert again[0] is first[0]  # the same model
    assert again[1] == first[1] and again[1] is not first[1]  # a list of its own for each caller
    assert build(path="/y/{n}", call=_endpoint, dependencies=[])[0] is not first[0]


def test_two_apps_sharing_the_models_each_refuse_a_bad_parameter(
    sqlite_url: str, new_sqlite_url: Callable[[], str]
) -> None:
    for url in (sqlite_url, new_sqlite_url()):
        with TestClient(create_app(Settings(database_url=url))) as client:
            answer = client.get("/api/v1/search", params={"q": "night", "limit": "ten"})
            assert answer.status_code == 400, answer.text
            assert "limit" in answer.text
