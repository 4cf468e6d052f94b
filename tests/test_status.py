"""The store's status (issue 20): ``marquee status``, ``marquee reindex``, ``/status`` and its twins."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.search import search_index_building
from marquee.services.status import rebuild_indexes, store_status
from marquee.settings import Settings
from marquee.storage import SqlStore, open_store
from marquee.storage.status_rows import building_build, write_index_build
from marquee.web.app import create_app
from support.cli import Marquee
from support.members import sign_up
from support.web import TestClient

HEAD = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"


@pytest.fixture
def imported(sqlite_url: str) -> Iterator[SqlStore]:
    """A SQLite store with the IMDb excerpt imported."""
    store = open_store(sqlite_url)
    import_imdb_datasets(store, HEAD)
    try:
        yield store
    finally:
        store.close()


def _interrupted(store: SqlStore) -> None:
    """As an import killed after it committed its titles leaves the store: a build by a dead process."""
    record = building_build("marquee import imdb") | {"pid": 2**22 + 12345, "host": socket.gethostname()}
    with store.reading() as conn, conn.begin():
        write_index_build(conn, "search", record)
        conn.execute(text("CREATE TABLE title_prefix (name TEXT, title_key INTEGER, bucket INTEGER)"))


def test_an_imported_store_has_every_search_index_ready_with_its_rows(imported: SqlStore) -> None:
    status = store_status(imported)
    assert status.backend == "sqlite" and status.revision
    assert status.counts["titles"] == imported.count_films() > 0 and status.counts["people"] > 0
    by_key = {i.key: i for i in status.indexes}
    assert by_key["title_names"].state == "ready" and by_key["title_names"].rows == status.counts["titles"]
    assert by_key["title_names"].built_at is not None
    assert by_key["browse"].rows and by_key["search_words"].rows
    assert by_key["similar"].state == "missing" and "similar --rebuild" in str(by_key["similar"].action)
    run = status.last_import
    assert run is not None and run.rows_read and run.dump and run.dump.startswith("imdb-datasets:")
    assert run.written["titles"] == status.counts["titles"] and run.seconds is not None
    assert not status.search_building and "title_prefix" not in by_key


def test_an_interrupted_build_is_stale_and_reindex_makes_it_ready(
    imported: SqlStore, sqlite_url: str, runner: Marquee
) -> None:
    _interrupted(imported)
    assert search_index_building(imported)  # searches read the quick lookup meanwhile
    status = store_status(imported)
    title = next(i for i in status.indexes if i.key == "title_names")
    assert title.state == "stale" and "marquee import imdb" in str(title.action)
    shown = runner("--db", sqlite_url, "status")
    assert shown.exit_code == 0 and "STALE" in shown.stdout and "marquee reindex" in shown.stdout
    done = runner("--db", sqlite_url, "reindex")
    assert done.exit_code == 0, done.stderr
    after = json.loads(runner("--db", sqlite_url, "status", "--json").stdout)
    assert {i["state"] for i in after["indexes"] if i["key"] != "similar" and i["key"] != "description"} == {
        "ready"
    }
    assert not search_index_building(imported)
    assert "title_prefix" not in {i["key"] for i in after["indexes"]}


def test_a_build_in_progress_says_building(imported: SqlStore) -> None:
    record = building_build("marquee import imdb") | {"pid": os.getpid()}  # this process: alive
    with imported.reading() as conn, conn.begin():
        write_index_build(conn, "search", record)
    states = {i.key: i.state for i in store_status(imported).indexes}
    assert states["title_names"] == "building" and states["browse"] == "building"


def test_the_page_shows_counts_to_all_and_the_store_to_administrators(imported: SqlStore) -> None:
    _interrupted(imported)
    app = create_app(Settings(page_cache_size=0), imported)
    with TestClient(app, follow_redirects=False) as visitor:
        page = visitor.get("/status")
        assert page.status_code == 200 and "stale" in page.text and "marquee.db" not in page.text
        assert "being built" in page.text
        body = visitor.get("/status.json").json()
        assert body["counts"]["titles"] == imported.count_films() and body["location"] is None
        assert all(i["builder"] is None for i in body["indexes"])
        notice = "search index building: results may be incomplete"
        assert visitor.get("/search.json", params={"q": "carmen"}).json()["notice"] == notice
        assert visitor.get("/search/suggest.json", params={"q": "carmen"}).json()["notice"] == notice
        assert "being built" in visitor.get("/search", params={"q": "carmen"}).text
        api = visitor.get("/api/v1/status")
        assert api.status_code == 200 and api.json()["counts"] == body["counts"]
    with TestClient(app, follow_redirects=False) as admin:
        sign_up(admin, "root", "admin")
        body = admin.get("/status.json").json()
        assert "marquee.db" in body["location"]
        assert any(i["builder"] and "pid" in i["builder"] for i in body["indexes"])
    rebuild_indexes(imported)
    with TestClient(app, follow_redirects=False) as visitor:
        assert "notice" not in visitor.get("/search.json", params={"q": "carmen"}).json()


def test_a_postgresql_store_reports_its_indexes_and_reindexes(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        import_imdb_datasets(store, HEAD)
        status = store_status(store)
        assert status.backend == "postgresql" and status.revision
        by_key = {i.key: i for i in status.indexes}
        assert by_key["title_names"].state == "ready"
        assert by_key["title_names"].rows == status.counts["titles"] == store.count_films() > 0
        assert "title_prefix" not in by_key and not search_index_building(store)
        assert rebuild_indexes(store) >= 0
        rebuilt = {i.key: i for i in store_status(store).indexes}
        assert rebuilt["title_names"].rows == by_key["title_names"].rows and rebuilt["browse"].rows
    finally:
        store.close()


def test_visitors_share_one_status_per_cache_lifetime_and_administrators_get_it_fresh(
    imported: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counts read whole tables: a public page gathers them once per page-cache lifetime."""
    from marquee.web import status_view

    gathered: list[int] = []
    gather = status_view.store_status
    monkeypatch.setattr(status_view, "store_status", lambda store: gathered.append(1) or gather(store))
    app = create_app(Settings(), imported)
    with TestClient(app, follow_redirects=False) as visitor:
        body = visitor.get("/status.json").json()
        assert visitor.get("/status").status_code == 200 and visitor.get("/api/v1/status").json() == body
        assert len(gathered) == 1 and body["location"] is None
    with TestClient(app, follow_redirects=False) as admin:
        sign_up(admin, "root", "admin")
        assert "marquee.db" in admin.get("/status.json").json()["location"]
        assert "marquee.db" in admin.get("/status.json").json()["location"]
        assert len(gathered) == 3  # each administrator's request, fresh
    site = app.state.marquee
    site.pages.invalidate(status_view.STATUS_KEY)  # the cache's lifetime over
    with TestClient(app, follow_redirects=False) as visitor:
        counts = visitor.get("/status.json").json()["counts"]
        assert len(gathered) == 4 and counts == body["counts"] | {"members": 1}  # the administrator
