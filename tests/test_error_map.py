"""One error map (issue 16, step 3): every error class carries its HTTP status and exit code, and
each edge (HTML pages, ``.json`` twins and the API, the CLI) answers with exactly those."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
import typer
from fastapi import APIRouter

import marquee
from marquee.cli_common import errors_to_exit
from marquee.errors import InputError, MarqueeError, NotFound, StoreError, http_status
from marquee.services.accounts import FieldError, Forbidden
from marquee.services.community import CommentsClosed, Conflict
from marquee.services.editing import EditConflict
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.storage.engine import StoreBusy
from marquee.storage.transactions import RowConflict
from marquee.web.api_common import ProblemRoute
from marquee.web.app import create_app
from support.web import TestClient

EXPECTED: dict[type[MarqueeError], tuple[int, int]] = {
    InputError: (400, 1),
    FieldError: (422, 1),
    Conflict: (409, 1),
    EditConflict: (409, 1),
    RowConflict: (409, 1),
    NotFound: (404, 2),
    Forbidden: (403, 1),
    CommentsClosed: (403, 1),
    StoreError: (503, 3),
    StoreBusy: (503, 3),
}


def _all_subclasses(cls: type[MarqueeError]) -> Iterator[type[MarqueeError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _import_package() -> None:
    for module in pkgutil.walk_packages(marquee.__path__, "marquee."):
        if ".migrations" not in module.name and not module.name.endswith("__main__"):
            importlib.import_module(module.name)


def _instance(cls: type[MarqueeError]) -> MarqueeError:
    if issubclass(cls, FieldError):
        return cls("year", "must be a number")
    if issubclass(cls, EditConflict):
        return cls("stale revision", {})
    return cls(f"a {cls.__name__}")


def test_every_error_class_in_the_package_carries_a_status_and_exit_code() -> None:
    _import_package()
    classes = list(_all_subclasses(MarqueeError))
    assert len(classes) >= len(EXPECTED)
    for cls in classes:
        assert 400 <= cls.status < 600, cls
        assert 1 <= cls.exit_code <= 3, cls
        # a user's mistake is a 4xx, the store's failure a 5xx
        assert (cls.status < 500) == (not issubclass(cls, StoreError)), cls


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_status_and_exit_code_of_each_error(cls: type[MarqueeError]) -> None:
    assert (cls.status, cls.exit_code) == EXPECTED[cls]
    assert http_status(_instance(cls)) == EXPECTED[cls][0]


def test_an_error_that_is_not_marquees_is_a_500() -> None:
    assert http_status(ValueError("x")) == 500


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_the_cli_exits_with_the_error_classes_code(cls: type[MarqueeError]) -> None:
    with pytest.raises(typer.Exit) as stopped, errors_to_exit():
        raise _instance(cls)
    assert stopped.value.exit_code == EXPECTED[cls][1]


@pytest.fixture
def raising_client(sqlite_url: str) -> Iterator[TestClient]:
    """A site with three extra routes that raise the error class named in the path: a page, a
    ``.json`` twin and an API route."""
    store = open_store(sqlite_url)
    app = create_app(Settings(page_cache_size=0), store)
    classes = {cls.__name__: cls for cls in EXPECTED}
    existing = len(app.router.routes)

    def raise_named(name: str) -> None:
        raise _instance(classes[name])

    @app.get("/raise/{name}.json")
    def twin(name: str) -> None:
        raise_named(name)

    @app.get("/raise/{name}")
    def page(name: str) -> None:
        raise_named(name)

    api = APIRouter(prefix="/api/v1", route_class=ProblemRoute)

    @api.get("/raise/{name}")
    def api_route(name: str) -> None:
        raise_named(name)

    app.include_router(api)
    ours = app.router.routes[existing:]  # ahead of the site's own (the API's catch-all 404 included)
    del app.router.routes[existing:]
    app.router.routes[:0] = ours
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    store.close()


@pytest.mark.parametrize("cls", list(EXPECTED), ids=lambda c: c.__name__)
def test_pages_twins_and_api_answer_with_the_error_classes_status(
    raising_client: TestClient, cls: type[MarqueeError]
) -> None:
    status = EXPECTED[cls][0]
    page = raising_client.get(f"/raise/{cls.__name__}")
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    twin = raising_client.get(f"/raise/{cls.__name__}.json")
    assert twin.status_code == status
    assert twin.json()["error"]["status"] == status
    problem = raising_client.get(f"/api/v1/raise/{cls.__name__}")
    assert problem.status_code == status
    assert problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["status"] == status
    if cls is FieldError:
        assert problem.json()["errors"] == [{"in": "body", "name": "year", "detail": "must be a number"}]
