"""Importing the IMDb datasets into the store: real excerpts, re-runs, bad input, both backends."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from marquee.errors import InputError
from marquee.records import CastMember, Film, PersonRef, Rating
from marquee.services.imdb_import import ImportSummary, import_imdb_datasets
from marquee.services.status import store_status
from marquee.storage import SqlStore
from marquee.storage.imdb_load import all_tables
from support.dumps import table_rows

DATA = Path(__file__).parent / "data" / "imdb"
PIMDB = DATA / "pimdb-test-fixtures"
HEAD = DATA / "othonas-head-samples"
BAD = DATA / "bad"


def dump(store: SqlStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the store, rows sorted: equal dumps mean equal stores."""
    return table_rows(store)


def test_the_real_excerpt_gives_a_film_with_cast_crew_rating_and_akas(store: SqlStore) -> None:
    summary = import_imdb_datasets(store, PIMDB)
    film = store.get_film("tt2535470")
    assert film is not None
    assert film.title == "Wyrmwood: Road of the Dead"
    assert film.original_title == "Wyrmwood"
    assert (film.kind, film.year) == ("movie", 2014)
    assert film.genres == ["Action", "Comedy", "Horror"]
    assert film.rating == Rating(value=6.2, scale=10, votes=15169)
    assert [r.minutes for r in film.runtimes] == [98]
    # Cast in billing order, characters from the JSON lists.
    assert film.cast[:4] == [
        CastMember(name="Jay Gallagher", character="Barry", id="nm1052026"),
        CastMember(name="Bianca Bradey", character="Brooke", id="nm3658287"),
        CastMember(name="Leon Burchill", character="Benny", id="nm3278698"),
        CastMember(name="Keith Agius", character="Frank", id="nm0013075"),
    ]
    assert film.directors == [PersonRef(name="Kiah Roache-Turner", id="nm3737504")]
    # title.crew lists both writers; principals add no second copy of either.
    assert film.writers == [
        PersonRef(name="Kiah Roache-Turner", id="nm3737504"),
        PersonRef(name="Tristan Roache-Turner", id="nm3736623"),
    ]
    crew = {(c.category, c.name) for c in film.crew}
    assert ("composer", "Michael Lira") in crew
    assert {c.category for c in film.crew} == {"composer", "cinematographer", "production_designer"}
    akas = {(a.title, a.region, a.language) for a in film.alternate_titles}
    assert ("ゾンビマックス！　怒りのデス・ゾンビ", "JP", "ja") in akas
    assert ("Лесной змей", "RU", None) in akas
    assert [a.title for a in film.alternate_titles if a.is_original] == ["Wyrmwood"]
    assert len(film.alternate_titles) == 15
    assert summary.rows_read == 1236 and summary.rows_skipped == 0
    assert summary.written["titles"] == 75


def test_several_characters_and_episodes(store: SqlStore) -> None:
    import_imdb_datasets(store, PIMDB)
    short = store.get_film("tt10105774")
    assert short is not None
    assert short.cast[0].character == "White Angel / Black Angel"
    episode = store.get_film("tt10070612")
    assert episode is not None and episode.episode_of is not None
    assert (episode.episode_of.series_id, episode.episode_of.season, episode.episode_of.episode) == (
        "tt7144668",
        2,
        5,
    )
    person = store.get_person("nm0013075")
    assert person is not None
    assert (person.name, person.birth_year, person.professions) == ("Keith Agius", 1963, ["actor"])
    assert "tt2535470" in {c.title_id for c in person.credits}


def test_head_samples_read_every_file(store: SqlStore) -> None:
    summary = import_imdb_datasets(store, HEAD)
    assert [f.rows_read for f in summary.files] == [99] * 7
    film = store.get_film("tt0000001")
    assert film is not None
    assert (film.title, film.year, film.kind) == ("Carmencita", 1894, "short")
    assert film.rating == Rating(value=5.8, votes=1472)
    assert ("Καρμενσίτα", "GR") in {(a.title, a.region) for a in film.alternate_titles}
    astaire = store.get_person("nm0000001")
    assert astaire is not None and (astaire.name, astaire.birth_year, astaire.death_year) == (
        "Fred Astaire",
        1899,
        1987,
    )


def test_running_twice_on_the_same_files_changes_nothing(store: SqlStore) -> None:
    import_imdb_datasets(store, PIMDB)
    first = dump(store)
    import_imdb_datasets(store, PIMDB)
    assert dump(store) == first


def test_the_indexes_built_ahead_are_the_ones_the_merge_builds(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An empty store gets its title search index and its browse index built from the staged files
    # in another process while it merges (big imports only: forced here), copied in whole, and
    # must end up with exactly the same indexes, b-trees intact.
    from marquee.services import imdb_backends
    from marquee.services.browse import BrowseFilters, browse
    from marquee.storage import open_store

    used: list[bool] = []

    class Recorded(imdb_backends.IndexAheadJob):
        def wait(self) -> bool:
            used.append(super().wait())
            wal = self.out.with_name(self.out.name + "-wal")
            assert wal.stat().st_size == 0  # folded in and cut by the child when it ended
            with closing(sqlite3.connect(self.out)) as built_ahead:  # the word index is built there too
                words = built_ahead.execute("SELECT count(*) FROM title_search_words_docsize").fetchone()
                assert words[0] > 0
            return used[-1]

    monkeypatch.setattr(imdb_backends, "IndexAheadJob", Recorded)
    monkeypatch.setattr(imdb_backends, "AHEAD_MIN_TITLES", 0)
    ahead = open_store(sqlite_url)
    built = open_store(f"sqlite:///{tmp_path / 'built.db'}")
    try:
        import_imdb_datasets(ahead, HEAD)
        assert used == [True]
        monkeypatch.setattr(imdb_backends, "AHEAD_MIN_TITLES", 10**9)
        import_imdb_datasets(built, HEAD)
        assert used == [True]  # not asked for the second store
        copied = dump(ahead)
        assert copied["title_browse"] and copied["title_browse_counts"]
        assert copied == dump(built)
        with ahead.reading() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
        from marquee.services.search import suggest_titles

        assert [h.id for h in suggest_titles(ahead, "carmenc")][:1] == ["tt0000001"]
        # The word index (contentless: the dumps see only its rowids) finds the same names, word by word.
        assert word_hits(ahead) == word_hits(built) and sum(map(len, word_hits(ahead).values())) > 100
        with ahead.reading() as conn:
            for table in ("title_search", "title_search_words"):
                conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('integrity-check')"))
        for sort in ("title", "rating"):
            page = browse(ahead, BrowseFilters(genre="short"), sort=sort)
            assert page.total > 0 and page == browse(built, BrowseFilters(genre="short"), sort=sort)
    finally:
        ahead.close()
        built.close()


def word_hits(store: SqlStore) -> dict[str, list[int]]:
    """Each dictionary word: the rowids of the title names holding it, read from the word index."""
    with store.reading() as conn:
        words = conn.execute(text("SELECT word FROM search_words")).scalars().all()
        sql = text("SELECT rowid FROM title_search_words WHERE title_search_words MATCH :w ORDER BY rowid")
        return {w: list(conn.execute(sql, {"w": f'"{w}"'}).scalars()) for w in words}


def test_the_merge_holds_the_store_write_lock_from_its_start(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The merge begins a deferred transaction (BEGIN IMMEDIATE would lock the file written
    # ahead as well) and takes the store's write lock with its first statement: another writer
    # waits, it does not slip in between.
    from marquee.storage import imdb_load, open_store

    store = open_store(sqlite_url)
    seen: list[str] = []
    merge = imdb_load.merge_staged

    def checked(*args: Any) -> Any:
        other = sqlite3.connect(imdb_load.sqlite_store_file(store), timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            seen.append(str(err))
        finally:
            other.close()
        return merge(*args)

    monkeypatch.setattr(imdb_load, "merge_staged", checked)
    try:
        import_imdb_datasets(store, PIMDB)
    finally:
        store.close()
    assert seen == ["database is locked"]


def test_rows_naming_what_the_dump_lacks_are_counted_never_dropped_silently(
    store: SqlStore, tmp_path: Path
) -> None:
    # The real excerpt credits people name.basics does not list, and one alternate title is added
    # for a title title.basics does not have: left out, and the summary says how many of each.
    lacking = tmp_path / "lacking"
    shutil.copytree(PIMDB, lacking)
    with (lacking / "title.akas.tsv").open("a", encoding="utf-8") as fh:
        fh.write("tt9999998\t1\tNowhere\tUS\t\\N\t\\N\t\\N\t0\n")
    # The same dump with every credited person added to name.basics: the reference.
    full = tmp_path / "full"
    shutil.copytree(lacking, full)
    rows = lambda name: [ln.split("\t") for ln in (PIMDB / name).read_text().splitlines()[1:]]  # noqa: E731
    known = {r[0] for r in rows("name.basics.tsv")}
    credited = {r[2] for r in rows("title.principals.tsv")}
    credited |= {nm for r in rows("title.crew.tsv") for col in r[1:] for nm in col.split(",") if col != "\\N"}
    missing = sorted(credited - known)
    assert missing
    with (full / "name.basics.tsv").open("a", encoding="utf-8") as fh:
        fh.writelines(f"{nm}\tSomeone {nm}\t\\N\t\\N\t\\N\t\\N\n" for nm in missing)
    from marquee.storage import open_store

    reference = open_store(f"sqlite:///{tmp_path / 'reference.db'}")
    try:
        whole = import_imdb_datasets(reference, full)
        with reference.reading() as conn:
            added = "SELECT person_key FROM people WHERE name LIKE 'Someone %'"
            expected = conn.execute(text(f"SELECT * FROM credits WHERE person_key NOT IN ({added})")).all()
    finally:
        reference.close()
    aka = {"title.akas rows (title not in title.basics)": 1}
    assert whole.unplaced == aka
    summary = import_imdb_datasets(store, lacking)
    lost = whole.written["credits"] - summary.written["credits"]
    assert lost > 0
    assert summary.unplaced == {**aka, "credits (person not in name.basics)": lost}
    assert f"{lost} credits (person not in name.basics)" in str(summary)
    with store.reading() as conn:
        stored = conn.execute(text("SELECT * FROM credits")).all()
    assert sorted(map(tuple, stored), key=repr) == sorted(map(tuple, expected), key=repr)


def _newer_dump(tmp_path: Path) -> Path:
    """The excerpt a month later: one title gone, a rating changed, a title added (gzipped)."""
    out = tmp_path / "newer"
    out.mkdir()
    for src in PIMDB.iterdir():
        data = src.read_text(encoding="utf-8")
        lines = [ln for ln in data.split("\n") if not ln.startswith("tt1754912\t")]  # Wrath is gone
        data = "\n".join(lines)
        if src.name == "title.ratings.tsv":
            data = data.replace("tt2535470\t6.2\t15169", "tt2535470\t6.3\t16000")
        if src.name == "title.basics.tsv":
            data = data.rstrip("\n") + "\ntt9999999\tmovie\tBrand New\tBrand New\t0\t2026\t\\N\t101\tDrama\n"
        with gzip.open(out / f"{src.name}.gz", "wt", encoding="utf-8", newline="") as fh:
            fh.write(data)
    return out


def test_a_newer_dump_updates_in_place_and_keeps_page_films(store: SqlStore, tmp_path: Path) -> None:
    # A film only a page knows (slug id), saved before any import, then the datasets arrive.
    page_film = Film(id="a-page-film-1999", title="A Page Film", year=1999, plot="Only here.")
    store.save_film(page_film)
    import_imdb_datasets(store, PIMDB)
    assert store.get_film("tt1754912") is not None
    import_imdb_datasets(store, _newer_dump(tmp_path))
    assert store.get_film("tt1754912") is None  # gone from the dump: removed
    wyrmwood = store.get_film("tt2535470")
    assert wyrmwood is not None and wyrmwood.rating == Rating(value=6.3, votes=16000)
    new = store.get_film("tt9999999")
    assert new is not None and (new.title, new.year, new.genres) == ("Brand New", 2026, ["Drama"])
    kept = store.get_film("a-page-film-1999")
    assert kept is not None and kept.plot == "Only here."
    assert store.count_films() == 75 - 1 + 1 + 1


def test_a_page_film_and_the_dataset_title_are_one_film(store: SqlStore) -> None:
    # The page came first and got whatever id the store gave it; the import must adopt it.
    store.save_film(Film(id="tt2535470", title="Wyrmwood", plot="Zombies and a mechanic.", year=2014))
    store.save_film(Film(id="some-slug-film", title="Some Slug Film"))
    import_imdb_datasets(store, PIMDB)
    film = store.get_film("tt2535470")
    assert film is not None
    assert film.plot == "Zombies and a mechanic."  # the page's part stays
    assert film.title == "Wyrmwood: Road of the Dead"  # the dataset's part is the dump's
    assert film.cast[0].name == "Jay Gallagher"
    assert store.get_film("some-slug-film") is not None
    assert store.count_films() == 76
    # And the page saved again afterwards still updates the same film.
    film.outline = "Outline from a page."
    store.save_film(film)
    assert store.count_films() == 76


def test_films_saved_after_an_import_survive_the_next_one(store: SqlStore) -> None:
    import_imdb_datasets(store, PIMDB)
    store.save_film(Film(id="after-the-import", title="After The Import", year=2026))
    store.save_film(Film(id="tt0000003", title="Pauvre Pierrot", year=1892))  # a tt film the dump lacks
    import_imdb_datasets(store, HEAD)  # which has tt0000003: the page film becomes that title
    assert store.get_film("after-the-import") is not None
    film = store.get_film("tt0000003")
    assert film is not None and film.kind == "short" and film.rating == Rating(value=6.6, votes=1101)
    assert store.count_films() == 99 + 1


# ------------------------------------------------------------------ bad input


def _with(tmp_path: Path, bad: Path) -> Path:
    """The good excerpt with one file replaced by a bad one."""
    out = tmp_path / "input"
    shutil.copytree(PIMDB, out)
    for f in bad.iterdir():
        (out / f.name.removesuffix(".gz")).unlink(missing_ok=True)
        shutil.copy(f, out / f.name)
    return out


# Messages name the file as the user gave it: the directory given, joined with the file's name.
BAD_CASES = [
    ("truncated", r"^\S+/input/title\.basics\.tsv\.gz:\d+: the gzip file is truncated"),
    ("columns", r"^\S+/input/title\.basics\.tsv:4: expected 9 tab-separated columns, found 8$"),
    ("utf8", r"^\S+/input/title\.akas\.tsv:3: title: invalid UTF-8"),
    ("duplicate", r"^\S+/input/title\.ratings\.tsv:6: duplicate key 10854062 \(first on line 2\)$"),
    ("header", r"^\S+/input/title\.ratings\.tsv:1: this is the header of title\.crew"),
]


@pytest.mark.parametrize(("case", "message"), BAD_CASES, ids=[c for c, _ in BAD_CASES])
def test_bad_input_stops_the_import_and_keeps_the_store(
    catalogue_store: SqlStore, tmp_path: Path, case: str, message: str
) -> None:
    before = dump(catalogue_store)
    with pytest.raises(InputError, match=message):
        import_imdb_datasets(catalogue_store, _with(tmp_path, BAD / case))
    assert dump(catalogue_store) == before


SKIPPABLE = [
    ("columns", "title.basics.tsv:4\texpected 9 tab-separated columns, found 8\ttt10070674\t"),
    ("utf8", "title.akas.tsv:3\ttitle: invalid UTF-8 (byte 0xe4)\ttt10854062\t1\tK"),
    ("duplicate", "title.ratings.tsv:6\tduplicate key 10854062 (first on line 2)\ttt10854062\t9.9\t999"),
]


@pytest.mark.parametrize(("case", "reject"), SKIPPABLE, ids=[c for c, _ in SKIPPABLE])
def test_skip_bad_rows_goes_on_and_writes_the_rejects(
    store: SqlStore, tmp_path: Path, case: str, reject: str
) -> None:
    rejects = tmp_path / "rejects.txt"
    summary = import_imdb_datasets(
        store, _with(tmp_path, BAD / case), skip_bad_rows=True, rejects_path=rejects
    )
    assert summary.rows_skipped == 1
    assert rejects.read_bytes().decode("utf-8", "replace").startswith(f"{tmp_path}/input/{reject}")
    assert "skipped" in str(summary) and str(rejects) in str(summary)
    assert store.count_films() == 75 - (1 if case == "columns" else 0)
    if case == "duplicate":  # the first line wins
        film = store.get_film("tt10854062")
        assert film is not None and film.rating == Rating(value=6.0, votes=33)


@pytest.mark.parametrize("case", ["truncated", "header"])
def test_a_damaged_file_stops_even_when_skipping(store: SqlStore, tmp_path: Path, case: str) -> None:
    with pytest.raises(InputError):
        import_imdb_datasets(store, _with(tmp_path, BAD / case), skip_bad_rows=True)
    assert store.count_films() == 0


def test_a_directory_without_datasets_is_an_input_error(store: SqlStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no IMDb dataset files"):
        import_imdb_datasets(store, tmp_path)


class Recorder:
    """An ImportProgress that writes down what it is told."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def start_file(self, name: str, total_bytes: int) -> None:
        self.events.append(("start", name, total_bytes))

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        self.events.append(("advance", name, bytes_done, rows))

    def finish_file(self, name: str) -> None:
        self.events.append(("finish", name))

    def stage(self, description: str) -> None:
        self.events.append(("stage", description))


def test_progress_is_reported_per_file(sqlite_url: str) -> None:
    from marquee.storage import open_store

    store = open_store(sqlite_url)
    try:
        recorder = Recorder()
        summary: ImportSummary = import_imdb_datasets(store, PIMDB, progress=recorder)
    finally:
        store.close()
    starts = [e[1] for e in recorder.events if e[0] == "start"]
    finishes = [e[1] for e in recorder.events if e[0] == "finish"]
    assert sorted(starts) == sorted(f.source for f in summary.files)  # each file once
    assert finishes == starts  # one file at a time here (small input: no worker processes)
    size = (PIMDB / "title.principals.tsv").stat().st_size
    principals = str(PIMDB / "title.principals.tsv")  # the file as the caller named it
    assert ("start", principals, size) in recorder.events
    assert ("advance", principals, size, 572) in recorder.events
    assert recorder.events[-1] == ("stage", "building search indexes")


# ------------------------------------------------------------------ atomicity

RUNNER = """
import sys
from marquee.storage import open_store
from marquee.services.imdb_import import import_imdb_datasets

class Say:
    def start_file(self, name, total): print("start", name, flush=True)
    def advance(self, name, done, rows): print("advance", name, rows, flush=True)
    def finish_file(self, name): print("finish", name, flush=True)
    def stage(self, what): print("stage", what, flush=True)

if __name__ == "__main__":
    store = open_store(sys.argv[1])
    import_imdb_datasets(store, sys.argv[2], progress=Say(), workers=int(sys.argv[3]))
    print("done", flush=True)
"""


def _synthetic(out: Path, titles: int) -> Path:
    """A bigger, consistent data set in the real format (gzipped), made here so tests need nothing else."""
    out.mkdir(parents=True, exist_ok=True)
    people = titles * 2

    def write(name: str, header: str, rows: Any) -> None:
        with gzip.open(out / f"{name}.tsv.gz", "wt", encoding="utf-8", newline="") as fh:
            fh.write(header + "\n")
            fh.writelines(rows)

    write(
        "title.basics",
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
        (
            f"tt{i:07d}\tmovie\tFilm number {i}\tFilm {i}\t0\t{1900 + i % 120}\t\\N\t{60 + i % 90}"
            "\tDrama,Comedy\n"
            for i in range(1, titles + 1)
        ),
    )
    write(
        "title.akas",
        "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle",
        (
            f"tt{i:07d}\t{k}\tFilme {i} ({k})\tBR\tpt\timdbDisplay\t\\N\t0\n"
            for i in range(1, titles + 1)
            for k in (1, 2, 3)
        ),
    )
    write(
        "title.principals",
        "tconst\tordering\tnconst\tcategory\tjob\tcharacters",
        (
            f'tt{i:07d}\t{k}\tnm{(i * 7 + k) % people + 1:07d}\tactor\t\\N\t["Role {k}"]\n'
            for i in range(1, titles + 1)
            for k in range(1, 6)
        ),
    )
    write(
        "name.basics",
        "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles",
        (f"nm{j:07d}\tPerson {j}\t\\N\t\\N\tactor\t\\N\n" for j in range(1, people + 1)),
    )
    write(
        "title.ratings",
        "tconst\taverageRating\tnumVotes",
        (f"tt{i:07d}\t{1 + i % 90 / 10:.1f}\t{i * 3}\n" for i in range(1, titles + 1)),
    )
    # All seven files: a full dump, which replaces the titles of the one before.
    write(
        "title.crew",
        "tconst\tdirectors\twriters",
        (f"tt{i:07d}\tnm{i % people + 1:07d}\t\\N\n" for i in range(1, titles + 1)),
    )
    write("title.episode", "tconst\tparentTconst\tseasonNumber\tepisodeNumber", ())
    return out


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synthetic(tmp_path_factory.mktemp("imdb") / "big", 8_000)


@pytest.fixture(scope="module")
def next_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another full dump, smaller: what the import after a killed one reads (it replaces the titles)."""
    return _synthetic(tmp_path_factory.mktemp("imdb") / "next", 300)


def kill_import_at(tmp_path: Path, db_url: str, data: Path, workers: int, marker: str) -> None:
    """Run an import in a child process and kill -9 it when it prints a line starting with ``marker``."""
    import signal
    import subprocess
    import sys

    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER, encoding="utf-8")
    seen = []
    with subprocess.Popen(
        [sys.executable, str(runner), db_url, str(data), str(workers)],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            seen.append(line.strip())
            if line.startswith(marker):
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, seen[-5:]


ORPHAN = """
import multiprocessing, os, sys, time
from pathlib import Path

def worker(out):
    time.sleep(1.0)  # its parent is gone by now, as when an import is killed while a worker starts
    from marquee.storage.imdb_stage import die_with_parent
    die_with_parent()
    Path(out).write_text("still working, for no one")

if __name__ == "__main__":
    proc = multiprocessing.get_context("spawn").Process(target=worker, args=(sys.argv[1],), daemon=True)
    proc.start()
    print(proc.pid, flush=True)
    os._exit(0)  # as kill -9 would: no join, no clean-up
"""


def test_a_worker_whose_parent_died_before_it_started_exits_at_once(tmp_path: Path) -> None:
    """The kernel's death signal comes only if the parent dies after the worker asked for it: a worker
    that asks too late must see it is an orphan, or it stages a file for no one and hangs at exit."""
    import subprocess
    import sys
    import time

    script, out = tmp_path / "orphan.py", tmp_path / "out.txt"
    script.write_text(ORPHAN, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True, check=True)
    stat = Path(f"/proc/{int(done.stdout)}/stat")
    deadline = time.monotonic() + 30
    while stat.exists() and stat.read_text().split(") ")[-1][0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not out.exists(), "the orphaned worker went on working"
    assert not stat.exists() or stat.read_text().split(") ")[-1][0] == "Z", "the orphaned worker still runs"


KILL_POINTS = [
    ("advance", 2),  # staging, two worker processes
    ("stage merging into the store", 1),  # the merge transaction
    ("stage building search indexes", 1),  # everything written, not yet committed
]


@pytest.mark.parametrize(("marker", "workers"), KILL_POINTS, ids=["staging", "merge", "search-index"])
def test_kill_9_leaves_the_store_as_it_was(
    db_url: str,
    tmp_path: Path,
    big_input: Path,
    next_input: Path,
    marker: str,
    workers: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    from marquee.services import imdb_read
    from marquee.storage import imdb_load, open_store

    store = open_store(db_url)
    try:
        import_imdb_datasets(store, PIMDB)
        before = dump(store)
    finally:
        store.close()
    kill_import_at(tmp_path, db_url, big_input, workers, marker)
    store = open_store(db_url)
    try:
        if store.dialect == "postgresql" and marker.endswith("search indexes"):
            # PostgreSQL commits the catalogue before it builds the indexes: that build is stale.
            assert store.count_films() == 8_000 and dump(store) != before
            states = {i.key: i.state for i in store_status(store).indexes}
            assert states["title_names"] == states["browse"] == "stale"
        else:
            assert dump(store) == before
        # And the next import just works. It reads in 16 KiB blocks, so that a title's lines run across
        # block ends in its small files as they do in the big one's 1 MiB blocks.
        monkeypatch.setattr(imdb_read, "BLOCK", 16 * 1024)
        summary = import_imdb_datasets(store, next_input)
        assert summary.written["titles"] == 300
        assert store.count_films() == 300
        film = store.get_film("tt0000042")
        assert film is not None and film.cast[0].character == "Role 1"
        if store.dialect == "sqlite":  # the killed run's staging files are gone too
            database = imdb_load.sqlite_store_file(store)
            assert list(database.parent.glob(f".{database.name}.imdb-stage-*")) == []
    finally:
        store.close()


def test_the_merge_sees_every_table_and_column_the_inspector_sees(store: SqlStore) -> None:
    # The merge moves ids in every table holding a title or person key: it must know them all.
    with store.writing() as conn:
        conn.execute(text("CREATE TABLE zz_added (a INTEGER, title_key INTEGER)"))
        conn.execute(text("ALTER TABLE zz_added DROP COLUMN a"))
        insp = inspect(conn)
        expected = {name: [c["name"] for c in insp.get_columns(name)] for name in insp.get_table_names()}
        assert all_tables(conn) == expected
        assert all_tables(conn)["zz_added"] == ["title_key"]
        conn.rollback()


def test_crew_lines_carry_the_job_title_principals_gives_them(store: SqlStore) -> None:
    """title.crew orders the directors and writers; title.principals adds each one's job (the first
    in sort order where it gives several), once, on that line."""
    rows = lambda name: [ln.split("\t") for ln in (PIMDB / name).read_text().splitlines()[1:]]  # noqa: E731
    known = {r[0] for r in rows("name.basics.tsv")}
    listed = {
        (r[0], category, person)
        for r in rows("title.crew.tsv")
        for category, column in (("director", r[1]), ("writer", r[2]))
        if column != "\\N"
        for person in column.split(",")
    }
    jobs: dict[tuple[str, str, str], str] = {}
    for tconst, _, person, category, job, _ in rows("title.principals.tsv"):
        key = (tconst, category, person)
        if category in ("director", "writer") and job != "\\N" and key in listed and person in known:
            jobs[key] = min(job, jobs.get(key, job))
    assert len(jobs) >= 3  # the excerpt holds some: "screenplay", "co-director", "story editor"
    import_imdb_datasets(store, PIMDB)
    for (tconst, category, person), job in jobs.items():
        found = store.get_person(person)
        assert found is not None
        lines = [c for c in found.credits if c.title_id == tconst and c.category == category]
        assert [c.job for c in lines] == [job], (tconst, category, person)


def test_a_person_given_two_jobs_gets_the_first_in_sort_order_on_full_and_partial_imports(
    store: SqlStore, tmp_path: Path
) -> None:
    """title.principals may list a writer twice ("screenplay", "novel"): the line gets one job, the
    same one whether a full dump or a folder of title.principals alone brings it."""
    dump_ = tmp_path / "dump"
    shutil.copytree(PIMDB, dump_)
    principals = dump_ / "title.principals.tsv"
    lines = principals.read_text(encoding="utf-8").splitlines()
    lines.append("tt2535470\t99\tnm3736623\twriter\tadaptation\t\\N")  # before "screenplay"
    principals.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def job() -> list[str | None]:
        person = store.get_person("nm3736623")
        assert person is not None
        return [c.job for c in person.credits if c.title_id == "tt2535470" and c.category == "writer"]

    import_imdb_datasets(store, dump_)
    assert job() == ["adaptation"]
    partial = tmp_path / "partial"
    partial.mkdir()
    shutil.copy(principals, partial / "title.principals.tsv")
    import_imdb_datasets(store, partial)
    assert job() == ["adaptation"]
