"""Schemathesis against /api/v1/openapi.json: no 5xx, no answer off its schema, no undocumented status.

The schema is read once per session (a fixture) from an app on an empty store (the document does
not depend on data), and the cases are made when the test runs, not at collection (making them
took ~20 s of every collection, on every worker); every case is sent to an app serving the test
catalogue.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from marquee.settings import Settings
from marquee.web.app import create_app
from support.api import catalogue_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis
    import schemathesis.pytest

__all__ = ["catalogue_url"]
# Each test sends hundreds of cases (tens of seconds of CPU): started first (see tests/conftest.py).
pytestmark = pytest.mark.long


def _load_schema() -> Any:
    """The OpenAPI document as the app serves it, loaded through schemathesis."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(Settings(database_url=f"sqlite:///{Path(folder) / 'schema.db'}"))
        try:
            return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
        finally:
            app.state.marquee.store.close()


@pytest.fixture(scope="session")
def api_schema() -> Any:
    """The API's OpenAPI document, loaded through schemathesis once per session."""
    return _load_schema()


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """Schemathesis' lazy tests read ``node._nodeid``, which pytest 9 no longer has (it is ``nodeid``)."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """A cursor is opaque: only one the API gave out is valid (any other is a documented 400), so a
    made-up string is not a "valid request". Real cursors are followed in test_api.py."""
    meta = case.meta
    if case.query and "cursor" in case.query and not (meta and meta.generation.mode.is_negative):
        del case.query["cursor"]
    return case


@pytest.fixture
def catalogue_client(catalogue_url: str) -> Iterator[Any]:
    """One in-process client for all the examples of a test (a client per call costs a lifespan each)."""
    from schemathesis.python.asgi import get_client

    app = create_app(Settings(database_url=catalogue_url))
    with get_client(app) as client:
        # No proxy or .netrc for an in-process app: else requests reads the environment's proxy
        # settings at every call (~4 % of these tests' CPU).
        client.trust_env = False
        yield client
    app.state.marquee.store.close()


# Every operation, in three tests of about 25 operations each (a member's own, the titles', the rest),
# so that test workers can share them: one test of all 76 took most of the suite's time on one worker.
MEMBERS_OWN = "^/api/v1/me(/|$)"
TITLES = "^/api/v1/titles(/|$)"
# Each operation gets its coverage phase (about 30 cases: every parameter at its bounds, missing,
# and of the wrong type or shape, positive and negative), then 12 random examples. 12 rather than 25:
# the random half costs a Hypothesis draw of ~3 ms a case, and the lines of src/ the file reaches
# were the same (8,788 and 8,899 lines in one run each, the difference a draw's luck in search).
EXAMPLES = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))


@lazy_schema.include(path_regex=MEMBERS_OWN).parametrize()
@EXAMPLES
def test_every_operation_on_a_members_own_data_keeps_its_promises(case: Any, catalogue_client: Any) -> None:
    case.call_and_validate(session=catalogue_client)


@lazy_schema.include(path_regex=TITLES).parametrize()
@EXAMPLES
def test_every_operation_on_titles_keeps_its_promises(case: Any, catalogue_client: Any) -> None:
    case.call_and_validate(session=catalogue_client)


@lazy_schema.exclude(path_regex=MEMBERS_OWN).exclude(path_regex=TITLES).parametrize()
@EXAMPLES
def test_every_other_operation_keeps_its_promises(case: Any, catalogue_client: Any) -> None:
    case.call_and_validate(session=catalogue_client)


def test_links_lead_where_they_say(api_schema: Any, catalogue_client: Any) -> None:
    """Stateful: follow the document's links (search hit -> title -> credits, ratings; person -> credits)."""
    base = api_schema.as_state_machine()

    class Workflow(base):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"session": catalogue_client}

    Workflow.run(
        settings=settings(
            max_examples=10, stateful_step_count=4, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
