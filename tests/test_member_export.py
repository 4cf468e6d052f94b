"""Exports out: Letterboxd CSV and Marquee archive of a member; JSON-LD lines and NFO files of films."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from marquee.errors import InputError
from marquee.records import CastMember, Film, PersonRef, Rating
from marquee.services import library
from marquee.services.accounts import create_user
from marquee.services.community import my_rating, rate
from marquee.services.member_export import (
    export_archive,
    export_jsonld,
    export_letterboxd,
    export_nfo,
    import_archive,
)
from marquee.services.member_import import import_imdb_ratings, import_letterboxd
from marquee.storage import SqlStore, open_store

DATA = Path(__file__).parent / "data" / "exports"
LETTERBOXD = DATA / "letterboxd" / "extratone"
IMDB = DATA / "imdb-ratings" / "rollekino_2021_imdb_ratings.csv"


@pytest.fixture
def filled(store: SqlStore, tmp_path: Path) -> SqlStore:
    """Member "ann": the real Letterboxd export, 30 IMDb ratings, a list and a watchlist entry of her own."""
    ann = create_user(store, "ann", "password123")
    store.save_film(
        Film(
            id="tt0780504",
            title="Drive",
            year=2011,
            directors=[PersonRef(name="Nicolas Winding Refn", id="nm0716347")],
            rating=Rating(value=7.8, votes=700000),
        )
    )
    import_letterboxd(store, LETTERBOXD, "ann")
    head = tmp_path / "head.csv"
    head.write_bytes(b"".join(IMDB.read_bytes().splitlines(keepends=True)[:31]))
    import_imdb_ratings(store, head, "ann")
    rate(store, ann, "tt0780504", 9)
    library.create_list(store, "ann", "Night drives", ["tt0780504", "christine-1983"], "by night")
    library.add_to_watchlist(store, "ann", "tt0100157", note="Kathy Bates")
    return store


def test_archive_reimports_to_the_same_state(filled: SqlStore, other_db_url: str, tmp_path: Path) -> None:
    first = io.StringIO()
    archive = export_archive(filled, "ann", first)
    assert len(archive.ratings) == 233 + 30 and len(archive.reviews) == 125
    assert len(archive.lists) == 7 and len(archive.watchlist) == 114
    data = json.loads(first.getvalue())
    assert set(data) >= {"ratings", "reviews", "diary", "watchlist", "lists"}
    path = tmp_path / "archive.json"
    path.write_text(first.getvalue(), encoding="utf-8")

    fresh = open_store(other_db_url)
    try:
        create_user(fresh, "ann", "password123")
        report = import_archive(fresh, path, "ann")
        assert report.change("member_ratings").added == 263
        second = io.StringIO()
        export_archive(fresh, "ann", second)
        assert second.getvalue() == first.getvalue()
        again = import_archive(fresh, path, "ann")  # re-importing changes nothing
        assert again.changed == 0
    finally:
        fresh.close()


def test_letterboxd_csv_has_viewings_ratings_reviews_and_imdb_ids(filled: SqlStore) -> None:
    out = io.StringIO()
    count = export_letterboxd(filled, "ann", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == count
    assert list(rows[0]) == [
        "Title",
        "Year",
        "imdbID",
        "Directors",
        "WatchedDate",
        "Rating",
        "Rating10",
        "Rewatch",
        "Tags",
        "Review",
    ]
    spectre = [r for r in rows if r["Title"] == "Spectre" and r["WatchedDate"] == "2017-12-31"]
    assert len(spectre) == 1
    assert (spectre[0]["Rating"], spectre[0]["Rating10"], spectre[0]["Rewatch"]) == ("3", "6", "true")
    assert spectre[0]["Review"].startswith("Big Dan") and spectre[0]["imdbID"] == ""
    drive = [r for r in rows if r["Title"] == "Drive"]
    assert {r["imdbID"] for r in drive} == {"tt0780504"}
    assert {r["Directors"] for r in drive} == {"Nicolas Winding Refn"}
    misery = [r for r in rows if r["imdbID"] == "tt0100157"]  # rated on IMDb, never logged: one row
    assert [(m["Rating10"], m["Rating"], m["WatchedDate"]) for m in misery] == [("7", "3.5", "")]
    abyss = [r for r in rows if r["Title"] == "The Abyss"]
    assert sorted(r["Tags"] for r in abyss) == ["", "sierra"]
    assert len([r for r in rows if r["WatchedDate"]]) == 317


def test_archive_import_bad_file_names_the_field(store: SqlStore, tmp_path: Path) -> None:
    create_user(store, "ann", "password123")
    path = tmp_path / "bad.json"
    path.write_text('{"user": "ann", "ratings": [{"film_id": "tt1", "score": 11}]}', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.json: ratings\.0\.score"):
        import_archive(store, path, "ann")
    with pytest.raises(InputError, match=r"missing\.json: no such file"):
        import_archive(store, tmp_path / "missing.json", "ann")


def test_undo_of_an_archive_import(store: SqlStore, tmp_path: Path) -> None:
    from marquee.services.member_import import undo_import

    ann = create_user(store, "ann", "password123")
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            {
                "user": "someone",
                "ratings": [{"film_id": "tt0133093", "title": "The Matrix", "year": 1999, "score": 9}],
                "watchlist": [{"film_id": "tt0089560", "title": "Mask", "year": 1985}],
            }
        ),
        encoding="utf-8",
    )
    report = import_archive(store, path, "ann")
    assert my_rating(store, ann, "tt0133093") == 9 and store.get_film("tt0089560") is not None
    undo_import(store, report.import_id or 0)
    assert my_rating(store, ann, "tt0133093") is None
    assert store.count_films() == 0 and library.watchlist_of(store, "ann") == []


def _films(store: SqlStore) -> None:
    store.save_films(
        [
            Film(
                id="tt0089560",
                title="Mask",
                year=1985,
                genres=["Drama"],
                directors=[PersonRef(name="Peter Bogdanovich", id="nm0000953")],
                cast=[
                    CastMember(name="Cher", character="Rusty"),
                    CastMember(name="Sam Elliott", character="Gar"),
                ],
                rating=Rating(value=7.2, votes=30561),
            ),
            Film(id="christine-1983", title="Christine", year=1983),
        ]
    )


def test_jsonld_lines_one_movie_per_film(store: SqlStore) -> None:
    _films(store)
    out = io.StringIO()
    assert export_jsonld(store, out) == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(m["@type"], m["name"]) for m in lines] == [("Movie", "Christine"), ("Movie", "Mask")]
    mask = lines[1]
    assert mask["@context"].startswith("https://schema.org")
    assert mask["aggregateRating"]["ratingValue"] == 7.2


def test_nfo_files_one_folder_per_film(store: SqlStore, tmp_path: Path) -> None:
    _films(store)
    target = tmp_path / "nfo"
    assert export_nfo(store, target) == 2
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.nfo"))
    assert files == ["Christine (1983) [christine-1983]/movie.nfo", "Mask (1985) [tt0089560]/movie.nfo"]
    movie = ET.parse(target / "Mask (1985) [tt0089560]" / "movie.nfo").getroot()
    assert movie.findtext("title") == "Mask" and movie.findtext("uniqueid") == "tt0089560"
    assert [(a.findtext("name"), a.findtext("role")) for a in movie.findall("actor")] == [
        ("Cher", "Rusty"),
        ("Sam Elliott", "Gar"),
    ]
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write"):
        export_nfo(store, blocker)
