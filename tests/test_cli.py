"""The `marquee` command as a user types it, on real files and a real SQLite store.

Commands run in this process through Typer's runner (fast); two smoke tests start a real process,
for the console script's exit codes and streams.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.cli import Marquee

PAGES = Path(__file__).parent / "data" / "pages"
MASK = PAGES / "mask-1985.txt"


@dataclass
class Ran:
    """What a command printed and its exit code."""

    returncode: int
    stdout: str
    stderr: str


def marquee(*args: str, db: Path | None = None, stdin: str | None = None) -> Ran:
    """Run ``marquee [--db sqlite:///DB] ARGS`` in this process; a crash is raised, not hidden."""
    command = ["--db", f"sqlite:///{db}"] if db is not None else []
    result = Marquee()(*command, *args, input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def marquee_process(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m marquee`` as its own process."""
    command = [sys.executable, "-m", "marquee", *(["--db", f"sqlite:///{db}"] if db is not None else [])]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def new_db(tmp_path: Path, migrated_sqlite_at: Callable[[Path], str]) -> Callable[[str], Path]:
    """``new_db(name)``: a fresh SQLite file of that name, already migrated (a copy, not a migration)."""

    def put(name: str) -> Path:
        migrated_sqlite_at(tmp_path / name)
        return tmp_path / name

    return put


def assert_clean_failure(result: Ran | subprocess.CompletedProcess[str]) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_parse_prints_the_reference_film_as_json() -> None:
    result = marquee("parse", str(MASK))
    assert result.returncode == 0, result.stderr
    film = json.loads(result.stdout)
    assert film["rating"] == {"value": 7.0, "scale": 10, "votes": 12168}
    assert film["stars"] == ["Cher", "Eric Stoltz", "Sam Elliott"]
    assert len(film["cast"]) == 15
    assert film["published"] == "1985-03-08"
    assert film["comments_open"] is False
    assert "No valid json found" not in result.stdout


def test_parse_reports_what_it_cannot_place_as_file_line() -> None:
    result = marquee("parse", str(MASK))
    lines = result.stderr.strip().splitlines()
    assert lines, "the reference page has lines that cannot be placed"
    pattern = re.compile(rf"^{re.escape(str(MASK))}:(\d+): \S")
    for line in lines:
        assert pattern.match(line), line
    numbered = {int(pattern.match(line).group(1)) for line in lines}  # type: ignore[union-attr]
    source = MASK.read_text(encoding="utf-8").splitlines()
    no_json_line = source.index("No valid json found") + 1
    runtime_line = next(i for i, text in enumerate(source, 1) if text.startswith("Runtime:"))
    assert {no_json_line, runtime_line} <= numbered


def test_parse_renders_the_page_layout_back() -> None:
    result = marquee("parse", str(MASK), "--format", "text")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("March 8th, 1985")
    assert "Comments are closed." in result.stdout
    assert "Rating: 7.0/10 (12,168 voted)" in result.stdout


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\x89PNG\r\n\x1a\n\x00\x00",
        b"It was a bright cold day in April.\nThe clocks struck.\n",
    ],
    ids=["empty", "binary", "prose"],
)
def test_parse_refuses_what_is_not_a_movie_page(tmp_path: Path, content: bytes) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(content)
    result = marquee("parse", str(page))
    assert_clean_failure(result)
    assert str(page) in result.stderr


def test_parse_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    assert_clean_failure(marquee("parse", str(tmp_path / "nope.txt")))


def test_import_page_then_show_and_reimport_updates(new_db: Callable[[str], Path]) -> None:
    db = new_db("m.db")
    assert marquee("import", "page", str(MASK), db=db).returncode == 0
    again = marquee("import", "page", str(MASK), db=db)
    assert again.returncode == 0, again.stderr
    shown = marquee("show", "mask-1985", db=db)
    assert shown.returncode == 0, shown.stderr
    parsed = json.loads(marquee("parse", str(MASK)).stdout)
    stored = json.loads(shown.stdout)
    # The store fills in person ids; every other fact is the page's.
    for person in stored["cast"] + stored["directors"]:
        person.pop("id")
    for person in parsed["cast"] + parsed["directors"]:
        person.pop("id")
    # ... and names the page as the source of each section it filled.
    sources = stored.pop("sources")
    assert parsed.pop("sources") == {}
    assert sources["cast"] == sources["plot"] == f"page:{MASK}#marquee-text"  # the file and its layout
    assert stored == parsed
    exported = marquee("export", db=db)
    assert exported.stdout.count("\n") == 1, "re-importing a page must not duplicate the film"


def test_show_of_an_unknown_film_exits_2(new_db: Callable[[str], Path]) -> None:
    result = marquee("show", "tt0000000", db=new_db("m.db"))
    assert result.returncode == 2
    assert "tt0000000" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_import_json_round_trip_is_byte_identical(
    tmp_path: Path, new_db: Callable[[str], Path]
) -> None:
    first, second = new_db("a.db"), new_db("b.db")
    # Every movie page among the fixtures (prose.txt is the one that is not).
    pages = sorted(str(p) for p in PAGES.glob("*.txt") if p.name != "prose.txt")
    assert len(pages) >= 10
    assert marquee("import", "page", *pages, db=first).returncode == 0
    dump = tmp_path / "films.jsonl"
    assert marquee("export", "-o", str(dump), db=first).returncode == 0
    assert marquee("import", "json", str(dump), db=second).returncode == 0
    assert marquee("export", db=second).stdout == dump.read_text(encoding="utf-8")


def test_import_json_with_a_bad_line_names_it_and_keeps_the_store(
    tmp_path: Path, new_db: Callable[[str], Path]
) -> None:
    db = new_db("m.db")
    assert marquee("import", "page", str(MASK), db=db).returncode == 0
    before = marquee("export", db=db).stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text(before + '{"id": "x", "title": "X", "year": "not a year"}\n', encoding="utf-8")
    result = marquee("import", "json", str(bad), db=db)
    assert_clean_failure(result)
    assert f"{bad}:2" in result.stderr
    assert "year" in result.stderr
    assert marquee("export", db=db).stdout == before


def test_parse_reads_an_html_page_and_import_stores_it(new_db: Callable[[str], Path]) -> None:
    page = Path(__file__).parent / "data" / "html" / "tt0133093_2023-05-26.html"
    result = marquee("parse", str(page))
    assert result.returncode == 0, result.stderr
    film = json.loads(result.stdout)
    assert (film["id"], film["title"], film["year"]) == ("tt0133093", "The Matrix", 1999)
    db = new_db("m.db")
    assert marquee("import", "page", str(page), db=db).returncode == 0
    shown = json.loads(marquee("show", "tt0133093", db=db).stdout)
    assert [d["name"] for d in shown["directors"]] == [d["name"] for d in film["directors"]]


def test_import_imdb_then_show_and_search(new_db: Callable[[str], Path]) -> None:
    db = new_db("m.db")
    head = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"
    result = marquee("import", "imdb", str(head), "--quiet", db=db)
    assert result.returncode == 0, result.stderr
    film = json.loads(marquee("show", "tt0000001", db=db).stdout)
    assert (film["title"], film["year"], film["kind"]) == ("Carmencita", 1894, "short")
    assert film["rating"]["votes"] == 1472
    hits = json.loads(marquee("search", "carmencta", "--json", db=db).stdout)
    assert hits and hits[0]["id"] == "tt0000001"
    assert {"id", "title", "year", "kind"} <= set(hits[0])


def test_import_imdb_of_a_bad_folder_is_one_line(new_db: Callable[[str], Path]) -> None:
    bad = Path(__file__).parent / "data" / "imdb" / "bad" / "header"
    result = marquee("import", "imdb", str(bad), "--quiet", db=new_db("m.db"))
    assert_clean_failure(result)
    assert ":1:" in result.stderr


def test_member_exports_in_and_out_through_marquee(tmp_path: Path, new_db: Callable[[str], Path]) -> None:
    db = new_db("m.db")
    created = marquee("user", "create", "ada", "--password-stdin", db=db, stdin="correct horse battery\n")
    assert created.returncode == 0, created.stderr
    ratings = tmp_path / "ratings.csv"
    ratings.write_text(
        "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
        "Num Votes,Release Date,Directors\n"
        "tt0089560,8,2021-01-02,Mask,https://www.imdb.com/title/tt0089560/,movie,7.2,120,1985,"
        'Drama,12168,1985-03-08,"Peter Bogdanovich"\n',
        encoding="utf-8",
    )
    dry = marquee("import", "imdb-ratings", str(ratings), "--user", "ada", "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert marquee("show", "tt0089560", db=db).returncode == 2, "a dry run changes nothing"
    done = marquee("import", "imdb-ratings", str(ratings), "--user", "ada", db=db)
    assert done.returncode == 0, done.stderr
    out = marquee("export", "--user", "ada", "--format", "letterboxd", db=db)
    assert out.returncode == 0, out.stderr
    assert "tt0089560" in out.stdout and ",8," in out.stdout
    nobody = marquee("export", "--user", "nobody", "--format", "letterboxd", db=db)
    assert_clean_failure(nobody)


def test_token_create_prints_the_token_on_its_last_line(new_db: Callable[[str], Path]) -> None:
    db = new_db("m.db")
    marquee("user", "create", "bo", "--moderator", "--password-stdin", db=db, stdin="another long secret\n")
    result = marquee("token", "create", "bo", db=db)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert len(token) >= 20 and " " not in token


def test_import_page_reads_back_the_jsonld_and_nfo_exports(
    tmp_path: Path, new_db: Callable[[str], Path]
) -> None:
    db, from_ld, from_nfo = new_db("a.db"), new_db("b.db"), new_db("c.db")
    assert marquee("import", "page", str(MASK), db=db).returncode == 0
    original = json.loads(marquee("show", "mask-1985", db=db).stdout)
    ld, nfo = tmp_path / "films.jsonld", tmp_path / "nfo"
    assert marquee("export", "-f", "jsonld", "-o", str(ld), db=db).returncode == 0
    assert marquee("export", "-f", "nfo", "-o", str(nfo), db=db).returncode == 0
    stored = marquee("import", "page", str(ld), db=from_ld)
    assert stored.returncode == 0, stored.stderr
    assert "stored mask-1985: Mask (1985)" in stored.stdout
    [movie_nfo] = nfo.glob("*/movie.nfo")
    assert marquee("import", "page", str(movie_nfo), db=from_nfo).returncode == 0
    back_ld = json.loads(marquee("show", "mask-1985", db=from_ld).stdout)
    back_nfo = json.loads(marquee("show", "mask-1985", db=from_nfo).stdout)
    for back in (back_ld, back_nfo):
        assert (back["title"], back["year"], back["genres"]) == (original["title"], 1985, original["genres"])
        assert [c["name"] for c in back["cast"]] == [c["name"] for c in original["cast"]]
        assert back["rating"] == original["rating"]
    assert back_nfo["plot"] == original["plot"] and back_nfo["outline"] == original["outline"]
    assert [c["character"] for c in back_nfo["cast"]] == [c["character"] for c in original["cast"]]
    assert back_ld["reviews"] == original["reviews"]


def test_import_page_refuses_a_jsonld_file_without_a_film(
    tmp_path: Path, new_db: Callable[[str], Path]
) -> None:
    bad = tmp_path / "person.jsonld"
    bad.write_text(
        '{"@context": "https://schema.org", "@type": "Person", "name": "Cher"}\n', encoding="utf-8"
    )
    result = marquee("import", "page", str(bad), db=new_db("m.db"))
    assert_clean_failure(result)
    assert f"{bad}:1: not a movie page: no schema.org Movie" in result.stderr


# --- smoke tests: a real process -------------------------------------------------------------------


def test_the_console_command_prints_json_and_exits_0() -> None:
    result = marquee_process("parse", str(MASK))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Mask"


def test_the_console_command_exits_2_for_an_unknown_film(new_db: Callable[[str], Path]) -> None:
    db = new_db("m.db")  # a store with a film in it; only the failing command runs as a process
    assert marquee("import", "page", str(MASK), db=db).returncode == 0
    result = marquee_process("show", "tt9999999", db=db)
    assert_clean_failure(result)
    assert result.returncode == 2
