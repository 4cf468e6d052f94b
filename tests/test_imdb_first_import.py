"""The first import into an empty SQLite store (``imdb_bulk`` lanes): same store as staging + merge.

The lanes write the store's tables in their own files and the store copies them in; these tests
check that this gives exactly the tables the merge gives, that bad input and kill -9 leave the
store empty, and that the lanes' own checks for repeated keys work.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from marquee.errors import InputError
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import SqlStore, open_store
from test_imdb_import import BAD, HEAD, PIMDB, _synthetic, _with, dump, kill_import_at


def _both_ways(tmp_path: Path, data: Path, workers: int, skip: bool = False) -> tuple[SqlStore, SqlStore]:
    lanes = open_store(f"sqlite:///{tmp_path / 'lanes.db'}")
    merged = open_store(f"sqlite:///{tmp_path / 'merged.db'}")
    a = import_imdb_datasets(lanes, data, workers=workers, skip_bad_rows=skip)
    b = import_imdb_datasets(merged, data, workers=workers, first_import_lanes=False, skip_bad_rows=skip)
    assert [(f.dataset, f.rows_read, f.rows_staged, f.rows_skipped) for f in a.files] == [
        (f.dataset, f.rows_read, f.rows_staged, f.rows_skipped) for f in b.files
    ]
    assert a.written == b.written
    return lanes, merged


@pytest.mark.parametrize("data", [PIMDB, HEAD], ids=["pimdb", "head"])
def test_lanes_and_merge_give_the_same_store(tmp_path: Path, data: Path) -> None:
    lanes, merged = _both_ways(tmp_path, data, workers=1)
    try:
        assert dump(lanes) == dump(merged)
        assert lanes.count_films() > 0
    finally:
        lanes.close()
        merged.close()


def test_skipped_bad_rows_give_the_same_store_too(tmp_path: Path) -> None:
    # A title.basics row with a column missing: its id is read ahead, but the title is not stored,
    # so its credits must go (the credits lane then checks every credit against the tables).
    lanes, merged = _both_ways(tmp_path, _with(tmp_path, BAD / "columns"), workers=1, skip=True)
    try:
        assert dump(lanes) == dump(merged)
        assert lanes.get_film("tt10070674") is None
    finally:
        lanes.close()
        merged.close()


@pytest.fixture(scope="module")
def mid_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synthetic(tmp_path_factory.mktemp("imdb-first") / "mid", 3_000)


def test_two_lane_processes_give_the_same_store(tmp_path: Path, mid_input: Path) -> None:
    lanes, merged = _both_ways(tmp_path, mid_input, workers=2)
    try:
        assert dump(lanes) == dump(merged)
        assert lanes.count_films() == 3_000
        film = lanes.get_film("tt0000042")
        assert film is not None and [c.character for c in film.cast][:2] == ["Role 1", "Role 2"]
    finally:
        lanes.close()
        merged.close()


def test_search_works_right_after_the_first_import(tmp_path: Path) -> None:
    from marquee.services.search import search_people, suggest_titles

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        import_imdb_datasets(store, HEAD)
        hits = suggest_titles(store, "carmenc")
        assert hits and hits[0].id == "tt0000001"
        people = search_people(store, "fred astair")
        assert people and people[0].id == "nm0000001"
        with store.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            for table in ("title_search", "person_search"):
                raw.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    finally:
        store.close()


def _write(folder: Path, name: str, header: str, lines: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / f"{name}.tsv.gz", "wt", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n" + "".join(line + "\n" for line in lines))


PRINCIPALS = "tconst\tordering\tnconst\tcategory\tjob\tcharacters"
CREW = "tconst\tdirectors\twriters"


@pytest.mark.parametrize(
    ("name", "header", "lines", "message"),
    [
        # Same title and ordering, another category: the credits table's key would not see it.
        (
            "title.principals",
            PRINCIPALS,
            ["tt0000001\t1\tnm0000001\tactor\t\\N\t\\N", "tt0000001\t1\tnm0000002\tproducer\t\\N\t\\N"],
            r"title\.principals\.tsv\.gz:3: duplicate key 1/1 \(first on line 2\)",
        ),
        # The title comes back after another one (rows of a title not together).
        (
            "title.principals",
            PRINCIPALS,
            [
                "tt0000001\t1\tnm0000001\tactor\t\\N\t\\N",
                "tt0000002\t1\tnm0000001\tactor\t\\N\t\\N",
                "tt0000001\t1\tnm0000002\tdirector\t\\N\t\\N",
            ],
            r"title\.principals\.tsv\.gz:4: duplicate key 1/1 \(first on line 2\)",
        ),
        # A crew row repeated, even one that names nobody.
        (
            "title.crew",
            CREW,
            ["tt0000001\t\\N\t\\N", "tt0000002\tnm0000001\t\\N", "tt0000001\t\\N\t\\N"],
            r"title\.crew\.tsv\.gz:4: duplicate key 1 \(first on line 2\)",
        ),
    ],
    ids=["principals-category", "principals-revisited", "crew"],
)
def test_repeated_keys_the_tables_cannot_see(
    tmp_path: Path, name: str, header: str, lines: list[str], message: str
) -> None:
    data = tmp_path / "in"
    _write(data, name, header, lines)
    store = open_store(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        with pytest.raises(InputError, match=message):
            import_imdb_datasets(store, data)
        assert store.count_films() == 0
        rejects = tmp_path / "rejects.txt"
        summary = import_imdb_datasets(store, data, skip_bad_rows=True, rejects_path=rejects)
        assert summary.rows_skipped == 1
        assert rejects.read_text(encoding="utf-8").count("\n") == 1
    finally:
        store.close()


def test_bad_input_leaves_an_empty_store_empty(tmp_path: Path) -> None:
    data = tmp_path / "in"
    _write(
        data,
        "title.basics",
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres",
        [
            "tt0000001\tmovie\tA\tA\t0\t1999\t\\N\t90\tDrama",
            "tt0000002\tmovie\tB\tB\t0\tsoon\t\\N\t90\tDrama",
        ],
    )
    store = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        before = dump(store)
        message = r"title\.basics\.tsv\.gz:3: startYear: 'soon' is not a whole number"
        with pytest.raises(InputError, match=message):
            import_imdb_datasets(store, data)
        assert dump(store) == before
    finally:
        store.close()


@pytest.mark.parametrize(
    "marker",
    ["advance", "stage merging into the store", "stage building search indexes"],
    ids=["lanes", "copy", "search-copy"],
)
def test_kill_9_during_a_first_import_leaves_the_store_empty(
    tmp_path: Path, mid_input: Path, marker: str
) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    store = open_store(url)
    before = dump(store)
    store.close()
    kill_import_at(tmp_path, url, mid_input, 2, marker)
    store = open_store(url)
    try:
        assert dump(store) == before
        summary = import_imdb_datasets(store, mid_input)
        assert summary.written["titles"] == 3_000
        database = Path(str(store.engine.url.database))
        assert list(database.parent.glob(f".{database.name}.imdb-stage-*")) == []
    finally:
        store.close()
