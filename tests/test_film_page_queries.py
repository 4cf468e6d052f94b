"""What a cold film page asks the store (issue 20: a cold page's cost): the members' panel of a film no
member touched is one query, and it reads reviews, comments and ratings only where members wrote."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from marquee.records import Film
from marquee.services import accounts, community
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.storage.engine import engine_of
from marquee.web.app import create_app
from support.members import PASSWORD
from support.web import TestClient

MEMBER_TABLE = re.compile(r"\b(member_ratings|member_reviews|comments)\b")  # not titles.comments_open


@pytest.fixture
def statements(store: SqlStore) -> Iterator[list[str]]:
    """Every SQL statement the database runs for the store while the test runs (after this fixture
    starts), counted at the driver: the film page's own reads bypass SQLAlchemy (plain DBAPI cursors)."""
    seen: list[str] = []

    def trace(dbapi_conn: Any, *_: Any) -> None:
        if store.dialect == "sqlite":
            dbapi_conn.set_trace_callback(seen.append)
        else:  # psycopg: every cursor of the connection records what it runs
            dbapi_conn.cursor_factory = _recording_cursor(seen)

    event.listen(engine_of(store), "checkout", trace)
    yield seen
    event.remove(engine_of(store), "checkout", trace)


def _recording_cursor(seen: list[str]) -> Any:
    import psycopg

    class Recording(psycopg.Cursor[Any]):
        def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            seen.append(str(query))
            return super().execute(query, *args, **kwargs)

    return Recording


def _member_queries(seen: list[str]) -> list[str]:
    return [s for s in seen if MEMBER_TABLE.search(s)]


def test_an_untouched_films_members_panel_is_one_query_and_a_rated_one_reads_its_ratings(
    store: SqlStore, statements: list[str]
) -> None:
    store.save_films(
        [Film(id="tt0089560", title="Mask", year=1985), Film(id="tt0070510", title="Paper Moon")]
    )
    with TestClient(create_app(Settings(page_cache_size=0), store)) as client:
        client.get("/")  # the app's own start-up reads are not the page's
        statements.clear()
        quiet = client.get("/title/tt0089560")
        assert quiet.status_code == 200
        untouched = _member_queries(statements)
        assert len(untouched) == 1, untouched  # whether comments are open, and that nobody wrote
        ann = accounts.create_user(store, "ann", PASSWORD)
        community.rate(store, ann, "tt0089560", 8)
        statements.clear()
        rated = client.get("/title/tt0089560")
        touched = _member_queries(statements)
    assert len(touched) == 2, touched  # and now the ratings' histogram
    assert "GROUP BY member_ratings.score" in touched[1]
    assert rated.status_code == 200
