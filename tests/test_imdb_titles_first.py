"""A big IMDb import into a store without titles commits them first (issue 20): film pages and
suggestions answer while the rest is staged, merged and indexed; the end is as without it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import InputError
from marquee.services import imdb_backends, imdb_import, imdb_reimport
from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.imdb_stage import StageJob, StageResult
from marquee.services.imdb_stage_run import _Staging
from marquee.services.search import search_index_building, search_titles, suggest_titles
from marquee.storage import open_store
from support.dumps import table_names, table_rows
from support.progress import PhaseWatcher

HEAD = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"
BAD_AKAS = Path(__file__).parent / "data" / "imdb" / "bad" / "utf8"


class SeenWhenTitlesAreIn(PhaseWatcher):
    """An ImportProgress that, when the titles are committed, reads the store as the site would."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seen: dict[str, Any] = {}

    def stage(self, description: str) -> None:
        if not description.startswith("titles are in"):
            return
        site = open_store(self.url)  # another connection, as the web process has
        try:
            film = site.get_film("tt0000001")
            self.seen = {
                "film": None if film is None else (film.title, film.cast),
                "building": search_index_building(site),
                "suggest": [h.id for h in suggest_titles(site, "carmenc")],
                "unarticled": [h.id for h in suggest_titles(site, "arrival of a")],  # The Arrival of a Train
                "search": [h.id for h in search_titles(site, "Carmencita")],
                "films": site.count_films(),
            }
        finally:
            site.close()


@pytest.fixture
def titles_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import into a store without titles commits them first (big imports only, otherwise)."""
    monkeypatch.setattr(imdb_import, "_TITLES_FIRST_MIN_TITLES", 0)


def test_film_pages_and_suggestions_answer_once_titles_are_in(
    sqlite_url: str, tmp_path: Path, titles_first: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imdb_backends, "AHEAD_MIN_TITLES", 0)  # and the indexes built ahead, copied
    store = open_store(sqlite_url)
    seen = SeenWhenTitlesAreIn(sqlite_url)
    try:
        summary = import_imdb_datasets(store, HEAD, progress=seen)
        assert seen.seen["film"] == ("Carmencita", [])  # the page answers; its cast comes with the rest
        assert seen.seen["building"] is True
        assert seen.seen["suggest"][:1] == ["tt0000001"] and seen.seen["search"][:1] == ["tt0000001"]
        assert seen.seen["unarticled"][:1] == ["tt0000012"]  # the quick lookup knows names without "The"
        assert seen.seen["films"] == store.count_films() > 0
        assert search_index_building(store) is False
        assert "title_prefix" not in table_names(store)
        assert table_rows(store)["people"] and table_rows(store)["alternate_titles"]  # the rest is in
        assert summary.written["titles"] == store.count_films() and summary.written["title_genres"] > 0
        monkeypatch.setattr(imdb_import, "_TITLES_FIRST_MIN_TITLES", 10**9)
        monkeypatch.setattr(imdb_backends, "AHEAD_MIN_TITLES", 10**9)
        whole = open_store(f"sqlite:///{tmp_path / 'whole.db'}")
        try:
            assert str(import_imdb_datasets(whole, HEAD)).split("\n")[:-1] == str(summary).split("\n")[:-1]
            assert table_rows(store) == table_rows(whole)  # the same store as an import in one transaction
        finally:
            whole.close()
    finally:
        store.close()


def test_bad_input_after_the_titles_are_in_takes_them_out_again(
    sqlite_url: str, tmp_path: Path, titles_first: None
) -> None:
    folder = tmp_path / "input"
    shutil.copytree(HEAD, folder)
    for bad in BAD_AKAS.iterdir():
        shutil.copy(bad, folder / bad.name)
    store = open_store(sqlite_url)
    seen = SeenWhenTitlesAreIn(sqlite_url)
    try:
        before = table_rows(store)
        with pytest.raises(InputError, match="invalid UTF-8"):
            import_imdb_datasets(store, folder, progress=seen)
        assert seen.seen["films"] > 0  # the titles were in
        assert table_rows(store) == before
        assert "title_prefix" not in table_names(store)
    finally:
        store.close()


def test_a_store_with_titles_is_imported_in_one_transaction(sqlite_url: str, titles_first: None) -> None:
    store = open_store(sqlite_url)
    try:
        import_imdb_datasets(store, HEAD)
        seen = SeenWhenTitlesAreIn(sqlite_url)
        import_imdb_datasets(store, HEAD, progress=seen)
        assert seen.seen == {}  # never committed early: the site reads the previous import meanwhile
    finally:
        store.close()


class DiskWhenIndexing(PhaseWatcher):
    """An ImportProgress that, when the search indexes are next, lists the store's folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, int] | None = None

    def stage(self, description: str) -> None:
        if description == "building search indexes":
            self.files = {
                str(p.relative_to(self.folder)): p.stat().st_size
                for p in self.folder.rglob("*")
                if p.is_file()
            }


def test_staged_files_and_the_wal_are_given_back_before_the_search_indexes(
    tmp_path: Path, titles_first: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imdb_backends, "AHEAD_MIN_TITLES", 0)
    folder = tmp_path / "store"
    folder.mkdir()
    store = open_store(f"sqlite:///{folder / 'marquee.db'}")
    disk = DiskWhenIndexing(folder)
    try:
        import_imdb_datasets(store, HEAD, progress=disk)
        assert disk.files is not None
        staged = [name for name in disk.files if ".imdb-stage-" in name]
        assert staged and all(
            name.endswith(("indexes-ahead.db", "indexes-ahead.db-wal", "-shm")) for name in staged
        )
        assert disk.files.get("marquee.db-wal", 0) == 0  # the merge's WAL folded into the store and cut
        assert store.count_films() > 0 and not search_index_building(store)
    finally:
        store.close()


class PhasesAndHashing(PhaseWatcher):
    """Records the import's phases, and (through ``Hashing.start``) when the line hashes begin."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def stage(self, description: str) -> None:
        self.events.append(description)


def test_the_line_hashes_begin_once_the_titles_are_in(
    sqlite_url: str, titles_first: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashing every line in a thread beside the titles' commit held the GIL against its Python folds."""
    watcher = PhasesAndHashing()
    start = imdb_reimport.Hashing.start

    def recorded(self: imdb_reimport.Hashing) -> None:
        if self.thread.ident is None:
            watcher.events.append("hashing")
        start(self)

    monkeypatch.setattr(imdb_reimport.Hashing, "start", recorded)
    store = open_store(sqlite_url)
    try:
        import_imdb_datasets(store, HEAD, progress=watcher)
        assert watcher.events.count("hashing") == 1
        began = watcher.events.index("hashing")
        assert watcher.events[began - 1].startswith("titles are in")
        assert table_rows(store)["imdb_line_hashes"]  # and they were stored: the next import compares
    finally:
        store.close()


def test_while_the_titles_are_committed_the_worker_on_the_largest_file_goes_on(tmp_path: Path) -> None:
    """All staging workers but one stop meanwhile: the one kept is the one with the most left to read
    (it was always the second worker, which at 1M titles is the one on title.principals: 7.7 s more)."""
    sizes = {"title.basics": 100, "title.principals": 5000, "title.akas": 3000, "title.ratings": 10}
    jobs = {}
    for ds, size in sizes.items():
        (tmp_path / ds).write_bytes(b"x" * size)
        jobs[ds] = StageJob(ds, tmp_path / ds, ds, False, None)
    results: dict[str, StageResult] = {}
    staging = _Staging(jobs, results)
    staging.current = {0: "title.basics", 1: "title.principals"}
    results["title.basics"] = StageResult("title.basics", "title.basics", 1, 1, 0)
    assert staging.busiest(2) == 1  # worker 0's file is done: it has not said what it took next
    staging.current[0] = "title.akas"
    assert staging.busiest(2) == 1
    staging.done["title.principals"] = 4000  # 1000 bytes left against akas' 3000
    assert staging.busiest(2) == 0
    assert staging.busiest(3) in (0, 1)  # a worker that has not started a file has nothing left
