"""``marquee import wikidata``: the parser (pure), the merge, and the command on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from marquee.errors import InputError
from marquee.formats.wikidata import parse_wikidata
from marquee.records import Award, BoxOffice, ExternalScore, Film, ReleaseDate, Runtime
from marquee.services.wikidata_import import import_wikidata, merge_wikidata
from marquee.storage import open_store
from support.cli import Marquee

DATA = Path(__file__).parent / "data" / "wikidata"
SAMPLE = DATA / "wikidata-movies-sample.jsonl"
CSV_1953 = DATA / "wikidata_movies_1953-sample.csv"
SPARQL_JSON = DATA / "mask-sparql.json"
SPARQL_CSV = DATA / "mask-sparql.csv"


def parsed(path: Path) -> dict[str, object]:
    return {film.imdb_id: film for film in parse_wikidata(path.read_bytes(), str(path)).films}


# --- the parser ------------------------------------------------------------------------------------


def test_json_lines_of_a_real_dump_with_item_ids() -> None:
    result = parse_wikidata(SAMPLE.read_bytes(), "sample.jsonl")
    assert result.layout == "JSON lines" and result.rows == 4
    films = {film.imdb_id: film for film in result.films}
    mask = films["tt0089560"]
    assert mask.qid == "Q929647" and mask.title == "Mask"
    assert mask.countries == ["United States"]  # Q30
    assert mask.languages == ["Spanish"]  # Q1321: what this dump says
    assert mask.release_dates == [ReleaseDate(date="1985-10-31")]
    assert mask.external_ids == {"rotten_tomatoes": "m/1013472-mask"}
    wyrmwood = films["tt2535470"]
    assert wyrmwood.countries == ["Australia"]
    assert wyrmwood.release_dates == [ReleaseDate(date="2014")]  # 1 January: a year, not a day
    assert wyrmwood.external_ids["metacritic"] == "movie/wyrmwood-road-of-the-dead"
    le_brio = films["tt6462462"]
    assert le_brio.title is None and le_brio.filming_locations == []
    assert result.problems == [
        "sample.jsonl:2: filming_locations: Q50742 has no English label here (ask the query for its label); "
        "skipped"
    ]


def test_csv_with_labels() -> None:
    result = parse_wikidata(CSV_1953.read_bytes(), "1953.csv")
    assert result.layout == "CSV" and len(result.films) == 5
    films = {film.imdb_id: film for film in result.films}
    assert films["tt0046318"].release_dates == [ReleaseDate(date="1953-04-18")]
    assert films["tt0046318"].runtimes == [Runtime(minutes=7)]
    assert films["tt4164606"].countries == ["Soviet Union"]
    assert films["tt4164606"].runtimes == []  # an empty cell
    assert films["tt0045710"].title == "Duck! Rabbit, Duck!"


@pytest.mark.parametrize("path", [SPARQL_JSON, SPARQL_CSV], ids=["json", "csv"])
def test_a_sparql_result_merges_its_rows_per_film(path: Path) -> None:
    result = parse_wikidata(path.read_bytes(), path.name)
    (mask,) = result.films
    assert result.rows == 11
    assert mask.qid == "Q929647" and mask.title == "Mask"
    assert mask.countries == ["United States"] and mask.languages == ["English"]
    assert mask.filming_locations == ["Azusa"]
    assert mask.box_office == [BoxOffice(kind="box office", amount=48_230_162, currency="USD")]
    assert mask.release_dates == [
        ReleaseDate(date="1985-03-08", country="United States"),
        ReleaseDate(date="1985"),  # precision 9: a year
    ]
    assert mask.runtimes == [Runtime(minutes=120)]
    assert mask.scores == [
        ExternalScore(source="Rotten Tomatoes", kind="critics", value=92, scale=100, count=38)
    ]
    assert mask.awards == [
        Award(name="Academy Award for Best Makeup and Hairstyling", year=1986, outcome="won"),
        Award(
            name="Golden Globe Award for Best Actress – Motion Picture Drama", year=1986, outcome="nominated"
        ),
    ]
    assert len(result.problems) == 1 and "'A+' by CinemaScore is not a number" in result.problems[0]


def test_a_date_is_kept_to_its_precision() -> None:
    lines = (
        b'{"imdb": "tt0000001", "release_date": [{"date": "1985-03-01T00:00:00Z", "precision": 10},'
        b' {"date": "1980-01-01T00:00:00Z", "precision": 8}, {"date": "1986-01-01", "precision": 11}]}\n'
    )
    result = parse_wikidata(lines, "d.jsonl")
    assert result.films[0].release_dates == [ReleaseDate(date="1985-03"), ReleaseDate(date="1986-01-01")]
    assert result.problems == [
        "d.jsonl:1: release_dates: 1980-01-01T00:00:00Z is known only to the decade or century; skipped"
    ]


def test_scores_are_read_as_what_they_are() -> None:
    lines = (
        b'{"imdb": "tt0000001", "scores": [{"score": "7.1/10", "by": "Rotten Tomatoes"},'
        b' {"score": "64", "by": "http://www.wikidata.org/entity/Q150248", "count": 20}]}\n'
    )
    (film,) = parse_wikidata(lines, "s.jsonl").films
    assert film.scores == [
        ExternalScore(source="Rotten Tomatoes", kind="average", value=7.1, scale=10),
        ExternalScore(source="Metacritic", kind="metascore", value=64, scale=100, count=20),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n", "in.txt:1: not UTF-8 text"),
        (b"just some words\n", "in.txt:1: not JSON, and not CSV with an IMDb id column"),
        (b'{"imdb": "tt0000001"}\n{"title": "x"}\n', "in.txt:2: imdb: no IMDb id (P345)"),
        (b'{"imdb": "nm0000128"}\n', "in.txt:1: imdb: not an IMDb title id"),
        (b'{"imdb": "tt0000001", "item": "P31"}\n', "in.txt:1: item: not a Wikidata item"),
        (b'{"imdb": "tt0000001", "duration": "long"}\n', "in.txt:1: runtimes: not a number"),
        (b'{"imdb": "tt0000001", "box_office": -5, "currency": "USD"}\n', "in.txt:1: box_office: must be"),
        (b'{"imdb": "tt0000001", "release_date": "1985-02-30"}\n', "in.txt:1: release_dates: date:"),
        (b'{"imdb": "tt0000001", "award": {"name": "X", "year": "soon"}}\n', "in.txt:1: awards: year"),
        (b'{"imdb": "tt0000001", "country": {"a": [1]}}\n', "in.txt:1: countries: not a text value"),
        (b'{"imdb": "tt0000001"}\n[1]\n', "in.txt:2: not a JSON object"),
        (b'{"imdb": "tt0000001",\n', "in.txt:1: not valid JSON"),
        (b'{"head": {}, "results": {}}', "in.txt: not a SPARQL result"),
        (b"imdb,country\ntt0000001,France,extra\n", "in.txt:2: 3 cells for 2 columns"),
        (b"imdb,country\n", "in.txt: no films"),
        (b"", "in.txt: empty"),
    ],
)
def test_bad_input_is_refused_by_line_and_field(content: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_wikidata(content, "in.txt")
    assert str(caught.value).startswith(message), str(caught.value)


# --- the merge -------------------------------------------------------------------------------------


def wikidata_mask() -> object:
    return parse_wikidata(SPARQL_JSON.read_bytes(), "mask.json").films[0]


def test_merge_fills_empty_sections_and_keeps_the_stores() -> None:
    stored = Film(
        id="tt0089560",
        title="Mask",
        filming_locations=["Azusa, California, USA"],
        runtimes=[Runtime(minutes=120)],
        external_ids={"rotten_tomatoes": "m/mask"},
        sources={"filming_locations": "page:mask.html"},
    )
    merged, filled, kept = merge_wikidata(stored, wikidata_mask())  # type: ignore[arg-type]
    assert filled == ["countries", "languages", "box_office", "release_dates", "scores", "awards"]
    assert merged.countries == ["United States"]
    assert merged.filming_locations == ["Azusa, California, USA"]  # kept: another source's
    assert merged.runtimes == [Runtime(minutes=120)]  # the same: nothing to report
    assert kept == [
        "tt0089560: filming_locations: kept Azusa, California, USA (page:mask.html); wikidata has Azusa"
    ]
    assert merged.external_ids == {"rotten_tomatoes": "m/mask", "wikidata": "Q929647"}
    assert merged.sources["countries"] == "wikidata:Q929647"
    assert merged.sources["runtimes"] == "wikidata:Q929647"  # the same facts: Wikidata agrees
    assert merged.sources["filming_locations"] == "page:mask.html"
    # What an earlier Wikidata import filled is refreshed; nothing else is touched.
    again = merged.model_copy(update={"countries": ["France"]})
    refreshed, filled_again, _kept = merge_wikidata(again, wikidata_mask())  # type: ignore[arg-type]
    assert refreshed.countries == ["United States"] and filled_again == ["countries"]


# --- the service and the command, on both backends -----------------------------------------------


@pytest.fixture
def cli_db(db_url: str) -> str:
    store = open_store(db_url)
    try:
        store.save_films([Film(id="tt0089560", title="Mask", year=1985, countries=["USA"])])
    finally:
        store.close()
    return db_url


def stored(url: str, film_id: str) -> Film | None:
    store = open_store(url)
    try:
        return store.get_film(film_id)
    finally:
        store.close()


def test_the_command_dry_run_then_import(cli_db: str, runner: Marquee) -> None:
    dry = runner("--db", cli_db, "import", "wikidata", str(SAMPLE), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith(
        f"dry run: {SAMPLE} (JSON lines): read 4 films from 4 rows; would update 1, would create 0, "
        "unchanged 0, skipped 3 not in the store, 1 problems"
    )
    assert "kept: tt0089560: countries: kept USA (the store); wikidata has United States" in dry.stdout
    assert stored(cli_db, "tt0089560") == Film(id="tt0089560", title="Mask", year=1985, countries=["USA"])
    done = runner("--db", cli_db, "import", "wikidata", str(SAMPLE))
    assert done.exit_code == 0, done.output
    assert "updated 1" in done.stdout and "filled: languages 1, release_dates 1" in done.stdout
    film = stored(cli_db, "tt0089560")
    assert film is not None
    assert film.countries == ["USA"]  # the store's, kept
    assert film.languages == ["Spanish"]
    assert film.release_dates == [ReleaseDate(date="1985-10-31")]
    assert film.external_ids == {"wikidata": "Q929647", "rotten_tomatoes": "m/1013472-mask"}
    assert stored(cli_db, "tt2535470") is None  # not in the store: skipped


def test_create_adds_the_films_the_store_lacks(cli_db: str, runner: Marquee) -> None:
    result = runner("--db", cli_db, "import", "wikidata", str(SAMPLE), "--create")
    assert result.exit_code == 0, result.output
    assert "created 2" in result.stdout  # Le Brio has no label to be titled with
    assert "tt6462462: no title (label) to create it with" in result.stdout
    wyrmwood = stored(cli_db, "tt2535470")
    assert wyrmwood is not None
    assert (wyrmwood.title, wyrmwood.year, wyrmwood.countries) == ("Wyrmwood", 2014, ["Australia"])


def test_a_sparql_result_fills_every_section(cli_db: str) -> None:
    store = open_store(cli_db)
    try:
        report = import_wikidata(store, SPARQL_CSV)
        film = store.get_film("tt0089560")
    finally:
        store.close()
    assert report.updated == ["tt0089560"] and report.read == 1
    assert film is not None
    assert film.scores == [ExternalScore(source="Rotten Tomatoes", kind="critics", value=92, count=38)]
    assert [a.outcome for a in film.awards] == ["won", "nominated"]
    assert film.box_office[0].currency == "USD" and film.runtimes == [Runtime(minutes=120)]


def test_a_bad_file_changes_nothing(cli_db: str, tmp_path: Path, runner: Marquee) -> None:
    bad = tmp_path / "wd" / "films.jsonl"
    bad.parent.mkdir()
    bad.write_bytes(b'{"imdb": "tt0089560", "country": "France"}\n{"label": "no id"}\n')
    result = runner("--db", cli_db, "import", "wikidata", str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"marquee: error: {bad}:2: imdb: no IMDb id (P345): every row needs one"
    film = stored(cli_db, "tt0089560")
    assert film is not None and film.countries == ["USA"]
