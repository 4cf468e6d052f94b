"""An IMDb import into PostgreSQL commits the catalogue first, then builds the search and browse
indexes aside (issue 20): film pages and suggestions answer meanwhile, readers are never held by
the build, a failed build leaves the catalogue in and ``marquee reindex`` repairs it."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, make_url, text

from marquee.errors import InputError, StoreError
from marquee.services.accounts import create_user
from marquee.services.community import rate
from marquee.services.imdb_backends import CATALOGUE_IN
from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.search import search_index_building, search_people, suggest_titles
from marquee.services.status import store_status
from marquee.settings import Settings
from marquee.storage import SqlStore, browse_index, imdb_line_hashes, open_store, search_index
from marquee.web.app import create_app
from support.cli import Marquee
from support.dumps import table_names, table_rows
from support.progress import PhaseWatcher
from support.web import TestClient

HEAD = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"
BAD_AKAS = Path(__file__).parent / "data" / "imdb" / "bad" / "utf8"
NOTICE = "search index building: results may be incomplete"
# Indexes an import never builds (`marquee similar --rebuild`, the description model).
UNBUILT = {"similar", "description"}


def _impatient(url: str) -> str:
    """The same database, its connections giving up on any lock after 2 s (a held reader fails)."""
    return make_url(url).update_query_dict({"options": "-c lock_timeout=2000"}).render_as_string(False)


def _site_reads(url: str) -> dict[str, Any]:
    """What the site shows, read on connections of its own that do not wait for locks."""
    site = open_store(_impatient(url))
    try:
        film = site.get_film("tt0000001")
        status = store_status(site)
        app = create_app(Settings(page_cache_size=0), site)
        with TestClient(app, follow_redirects=False) as visitor:
            found = visitor.get("/search.json", params={"q": "carmencita"}).json()
            typo = visitor.get("/search.json", params={"q": "carmencta"}).json()
        return {
            "film": None if film is None else film.title,
            "building": search_index_building(site),
            "states": {i.key: i.state for i in status.indexes},
            "suggest": [h.id for h in suggest_titles(site, "carmenc")],
            "unarticled": [h.id for h in suggest_titles(site, "arrival of a")],  # The Arrival of a Train
            "people": search_people(site, "carmencita"),  # the old (empty) index: answers, not held
            "notice": found.get("notice"),
            "typo": [h["id"] for h in typo["titles"]],
            "browse_rows": next(i.rows for i in status.indexes if i.key == "browse"),
        }
    finally:
        site.close()


class SeenWhenCatalogueIsIn(PhaseWatcher):
    """An ImportProgress that reads the store as the site would once the catalogue is committed."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seen: dict[str, Any] = {}

    def stage(self, description: str) -> None:
        if description == CATALOGUE_IN:
            self.seen = _site_reads(self.url)


@pytest.fixture
def pg_store(pg_url: str) -> Iterator[SqlStore]:
    """An empty, migrated PostgreSQL store."""
    store = open_store(pg_url)
    try:
        yield store
    finally:
        store.close()


def test_film_pages_and_suggestions_answer_while_the_indexes_build(pg_store: SqlStore, pg_url: str) -> None:
    seen = SeenWhenCatalogueIsIn(pg_url)
    import_imdb_datasets(pg_store, HEAD, progress=seen)
    assert seen.seen["film"] == "Carmencita" and seen.seen["building"] is True
    assert seen.seen["states"]["title_names"] == "building" and seen.seen["states"]["browse"] == "building"
    assert seen.seen["suggest"][:1] == ["tt0000001"] and seen.seen["notice"] == NOTICE
    assert seen.seen["unarticled"][:1] == ["tt0000012"]
    status = store_status(pg_store)
    assert {i.key for i in status.indexes if i.state != "ready"} == UNBUILT
    assert not status.search_building and not search_index_building(pg_store)
    assert "title_prefix" not in table_names(pg_store)
    assert not _build_schemas(pg_store)
    assert store_status(pg_store).indexes[0].rows == pg_store.count_films() > 0


def _build_schemas(store: SqlStore) -> list[str]:
    """Schemas a build left behind (``search_aside_pg``)."""
    with store.reading() as conn:
        names = inspect(conn).get_schema_names()
    return [name for name in names if name.startswith(("marquee_index_build", "marquee_beside_"))]


def test_the_browse_and_people_indexes_are_built_beside_the_search_index(
    pg_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search build waits (up to 20 s each) until the browse and people builds have begun: it
    ends only if the three run at the same time, each on its own connection; their tables are then
    swapped in with the others."""
    started = {"browse": threading.Event(), "people": threading.Event()}
    pids: dict[str, int] = {}
    search, browse, people = search_index.rebuild, browse_index.rebuild, search_index.rebuild_people

    def search_waiting(conn: Any, *args: Any, **kwargs: Any) -> None:
        pids["search"] = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        for part, event in started.items():
            assert event.wait(20), f"the {part} build did not begin while the search index was built"
        search(conn, *args, **kwargs)

    def begun(part: str, build: Any) -> Any:
        def run(conn: Any, *args: Any) -> None:
            pids[part] = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            started[part].set()
            build(conn, *args)

        return run

    monkeypatch.setattr(search_index, "rebuild", search_waiting)
    monkeypatch.setattr(browse_index, "rebuild", begun("browse", browse))
    monkeypatch.setattr(search_index, "rebuild_people", begun("people", people))
    import_imdb_datasets(pg_store, HEAD)
    assert len(set(pids.values())) == 3
    home = _home(pg_store)
    with pg_store.reading() as conn:
        rows = conn.execute(text("SELECT count(DISTINCT title_key) FROM title_browse")).scalar_one()
        where = dict(
            conn.execute(
                text(
                    "SELECT tablename, schemaname FROM pg_tables"
                    " WHERE tablename IN ('title_browse', 'title_browse_counts', 'person_search')"
                )
            ).all()
        )
        indexes = conn.execute(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'person_search'")
        ).scalars()
        named = set(indexes)
    assert rows == pg_store.count_films() and set(where.values()) == {home} and len(where) == 3
    assert {"ix_person_search_name", "ix_person_search_name_top", "ix_person_search_word_list"} <= named
    assert [p.id for p in search_people(pg_store, "carmencita")][:1] or search_people(pg_store, "william")
    assert not _build_schemas(pg_store)


def _home(store: SqlStore) -> str:
    with store.reading() as conn:
        return str(conn.execute(text("SELECT current_schema()")).scalar_one())


def test_a_failed_browse_build_fails_the_build_and_leaves_nothing_of_it(
    pg_store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(conn: Any, *args: Any) -> None:
        conn.execute(text("CREATE TABLE browse_broken (x int)"))  # in the browse schema, dropped
        raise RuntimeError("no space left on device")

    monkeypatch.setattr(browse_index, "rebuild", fail)
    with pytest.raises(StoreError, match="marquee reindex"):
        import_imdb_datasets(pg_store, HEAD)
    assert pg_store.get_film("tt0000001") is not None  # the catalogue is committed
    assert not _build_schemas(pg_store) and "title_search" in table_names(pg_store)
    assert "browse_broken" not in table_names(pg_store)
    title = next(i for i in store_status(pg_store).indexes if i.key == "title_names")
    assert title.state == "stale"


def test_the_import_gives_each_name_index_a_tier_of_its_most_popular_names(pg_store: SqlStore) -> None:
    """The tier index (``storage.search_window``) of the names built aside: its bound is the
    popularity at a thirty-second of the titles' names, a sixty-fourth of the people's."""
    import_imdb_datasets(pg_store, HEAD)
    shares = {"title_search": 32, "person_search": 64}
    with pg_store.reading() as conn:
        bounds = dict(
            conn.execute(
                text(
                    "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i"
                    " JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE '%_name_top'"
                )
            ).all()
        )
        ranked = {
            t: conn.execute(text(f"SELECT pop FROM {t} ORDER BY pop DESC")).scalars().all() for t in shares
        }
    expected = {t: max(1, pops[len(pops) // shares[t]]) for t, pops in ranked.items()}
    assert bounds == {f"ix_{t}_name_top": f"(pop >= {bound})" for t, bound in expected.items()}
    assert expected["title_search"] > 1  # a bound from the titles' votes, not the floor


def test_readers_are_not_held_while_the_indexes_are_built(
    pg_store: SqlStore, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_imdb_datasets(pg_store, HEAD)
    during: dict[str, Any] = {}
    real = search_index.rebuild

    def rebuild_then_read(conn: Any, *args: Any, **kwargs: Any) -> None:
        real(conn, *args, **kwargs)  # the new tables are built, not yet swapped in nor committed
        during.update(_site_reads(pg_url))

    monkeypatch.setattr(search_index, "rebuild", rebuild_then_read)
    # Again, the full way (the same dump would otherwise be a re-import by difference, which builds
    # no index): the old index stays readable meanwhile.
    with pg_store.writing() as conn:
        imdb_line_hashes.clear(conn)
    import_imdb_datasets(pg_store, HEAD)
    assert during["film"] == "Carmencita" and during["states"]["title_names"] == "building"
    # a re-import: searches keep reading the index built before (typos forgiven), no lookup, no notice
    assert during["suggest"][:1] == ["tt0000001"] and during["notice"] is None
    assert during["typo"][:1] == ["tt0000001"]
    assert during["browse_rows"]  # the previous import's browse index, read while the new one builds
    assert not search_index_building(pg_store)


def test_a_failed_index_build_leaves_the_catalogue_and_reindex_repairs_it(
    pg_store: SqlStore, pg_url: str, monkeypatch: pytest.MonkeyPatch, runner: Marquee
) -> None:
    def fail(conn: Any, *args: Any, **kwargs: Any) -> None:
        conn.execute(text("CREATE TABLE title_search_broken (x int)"))  # undone with the build
        raise RuntimeError("no space left on device")

    monkeypatch.setattr(search_index, "rebuild", fail)
    with pytest.raises(StoreError, match="marquee reindex"):
        import_imdb_datasets(pg_store, HEAD)
    monkeypatch.undo()
    assert pg_store.get_film("tt0000001") is not None  # the catalogue is committed
    seen = _site_reads(pg_url)
    assert seen["states"]["title_names"] == "stale" and seen["notice"] == NOTICE
    assert seen["suggest"][:1] == ["tt0000001"]
    title = next(i for i in store_status(pg_store).indexes if i.key == "title_names")
    assert "marquee reindex" in str(title.action)
    assert "title_search_broken" not in table_names(pg_store)
    done = runner("--db", pg_url, "reindex")
    assert done.exit_code == 0, done.stderr
    status = store_status(pg_store)
    assert {i.key for i in status.indexes if i.state != "ready"} == UNBUILT
    assert "title_prefix" not in table_names(pg_store)
    assert _site_reads(pg_url)["notice"] is None


def test_a_reimport_keeps_members_data(pg_store: SqlStore) -> None:
    import_imdb_datasets(pg_store, HEAD)
    ann = create_user(pg_store, "ann", "correct horse battery staple")
    rate(pg_store, ann, "tt0000001", 8)
    import_imdb_datasets(pg_store, HEAD)
    with pg_store.reading() as conn:
        score = conn.execute(
            text("SELECT score FROM member_ratings WHERE title_id = 'tt0000001'")
        ).scalar_one()
    assert score == 8 and not search_index_building(pg_store)


def test_bad_input_names_file_and_line_and_leaves_the_store_unchanged(
    pg_store: SqlStore, tmp_path: Path
) -> None:
    import_imdb_datasets(pg_store, HEAD)
    before = table_rows(pg_store)
    folder = tmp_path / "input"
    shutil.copytree(HEAD, folder)
    for bad in BAD_AKAS.iterdir():
        shutil.copy(bad, folder / bad.name)
    with pytest.raises(InputError, match=r"title\.akas\.tsv:\d+: .*invalid UTF-8"):
        import_imdb_datasets(pg_store, folder)
    assert table_rows(pg_store) == before
    assert not search_index_building(pg_store)
