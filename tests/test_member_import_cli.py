"""The member import/export commands, through ``marquee`` run in process (the ``runner`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marquee import cli
from marquee.cli_library import export_command
from marquee.errors import InputError
from marquee.records import Film
from marquee.services.accounts import create_user
from marquee.storage import open_store
from support.cli import Marquee

DATA = Path(__file__).parent / "data" / "exports"
IMDB = DATA / "imdb-ratings" / "rollekino_2021_imdb_ratings.csv"


@pytest.fixture
def db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    url = sqlite_url
    store = open_store(url)
    create_user(store, "ann", "password123")
    store.close()
    monkeypatch.setattr(cli.state, "db_url", url)
    return url


def test_import_dry_run_then_import_then_undo(db: str, tmp_path: Path, runner: Marquee) -> None:
    head = tmp_path / "ratings.csv"
    head.write_bytes(b"".join(IMDB.read_bytes().splitlines(keepends=True)[:41]))
    dry = runner("--db", db, "import", "imdb-ratings", str(head), "--user", "ann", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would change 80 rows" in dry.output and "undo with" not in dry.output
    done = runner("--db", db, "import", "imdb-ratings", str(head), "--user", "ann")
    assert done.exit_code == 0 and "changed 80 rows" in done.output
    assert "not found, added: The Rental (2020) as tt10003008" in done.output
    assert "marquee import undo 2" in done.output
    undone = runner("--db", db, "import", "undo", "2")
    assert undone.exit_code == 0 and "member_ratings: +0 ~0 =0 -40" in undone.output
    history = runner("--db", db, "import", "history", "--user", "ann")
    lines = [line.split("\t") for line in history.output.splitlines()]
    assert [(f[0], f[2], f[3], f[4].split(" ")[0], f[5]) for f in lines] == [
        ("2", "ann", "imdb-ratings", "undone", "80 rows"),
        ("1", "ann", "imdb-ratings", "dry", "80 rows"),
    ]


def test_bad_input_is_one_line_and_an_exit_code(db: str, tmp_path: Path, runner: Marquee) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Const,Your Rating\nnm123,5\n", encoding="utf-8")
    result = runner("--db", db, "import", "imdb-ratings", str(bad), "--user", "ann")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"marquee: error: {bad}:2: Const: not an IMDb title id: 'nm123'" in result.output
    missing = runner("--db", db, "import", "letterboxd", str(tmp_path / "nope.zip"), "--user", "ann")
    assert missing.exit_code == 1 and "no such file or folder" in missing.output
    nobody = runner("--db", db, "import", "undo", "77")
    assert nobody.exit_code == 2 and "no import with id 77" in nobody.output


def test_export_command_formats(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(db)
    try:
        store.save_film(Film(id="tt0089560", title="Mask", year=1985))
        out = tmp_path / "films.jsonld"
        assert export_command(store, None, "jsonld", out) == "exported 1 films as JSON-LD"
        assert json.loads(out.read_text(encoding="utf-8"))["name"] == "Mask"
        assert "under" in export_command(store, None, "nfo", tmp_path / "nfo")
        assert (tmp_path / "nfo" / "Mask (1985) [tt0089560]" / "movie.nfo").is_file()
        message = export_command(store, "ann", "archive", None)
        assert message.startswith("exported ann's archive: 0 ratings")
        assert json.loads(capsys.readouterr().out)["user"] == "ann"
        assert "Letterboxd" in export_command(store, "ann", "letterboxd", tmp_path / "lb.csv")
        assert (tmp_path / "lb.csv").read_text(encoding="utf-8").startswith("Title,Year,imdbID")
        for user, fmt, output, expected in [
            (None, "letterboxd", None, "--user"),
            ("ann", "jsonld", None, "drop --user"),
            (None, "nfo", None, "-o DIR"),
            (None, "xml", None, "must be one of"),
        ]:
            with pytest.raises(InputError, match=expected):
                export_command(store, user, fmt, output)
    finally:
        store.close()
