"""Issue 15, data loss 4 and 5, and the exports' hardening: regression tests on real files' shapes.

* Letterboxd: the standard ``deleted/`` and ``orphaned/`` folders, list files with blank lines where
  the real ones have none (or more), zips made on a Mac; films the catalogue holds under another
  title (found by the export's IMDb id, by directors, by normalised titles), never duplicated.
* IMDb ratings exports from IMDb's Italian site (2025): partial release dates, localized title types
  and genres (and headers), in every encoding IMDb or a spreadsheet may save them.
* CSV written by Marquee is neutralised against formula injection and reads back exactly; NFO export
  never writes outside its folder.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from marquee.formats.exports_csv import decode_export, read_imdb_csv, read_letterboxd_csv
from marquee.records import Film, PersonRef
from marquee.services import library
from marquee.services.accounts import create_user
from marquee.services.community import my_rating, rate
from marquee.services.member_export import export_letterboxd, export_nfo
from marquee.services.member_import import import_imdb_ratings, import_letterboxd
from marquee.storage import SqlStore

DATA = Path(__file__).parent / "data" / "exports"
LETTERBOXD = DATA / "letterboxd" / "extratone"
ITALIAN = DATA / "imdb-ratings" / "italian_2025_imdb_ratings.csv"


@pytest.fixture
def ann(store: SqlStore) -> Any:
    return create_user(store, "ann", "password123")


# ---- Letterboxd: deleted/, orphaned/, list layouts ------------------------------------------------

LIST_V7 = (
    "Letterboxd list export v7\n"
    "Date,Name,Tags,URL,Description\n"
    "2022-01-02,{name},,https://boxd.it/{slug},\n"
    "\n"
    "Position,Name,Year,URL,Description\n"
    "1,Drive,2011,https://boxd.it/29qo,\n"
    "2,Inception,2010,https://boxd.it/1skk,\n"
)


def _full_export(tmp_path: Path) -> Path:
    """The real extratone export, plus what other real exports hold: deleted lists and comments,
    orphaned entries (one whose film name is gone), a profile, lists with extra or CRLF blank lines."""
    folder = tmp_path / "extratone"
    shutil.copytree(LETTERBOXD, folder)
    (folder / "deleted" / "lists").mkdir()
    (folder / "deleted" / "lists" / "old-list.csv").write_text(
        LIST_V7.format(name="Deleted list", slug="del1"), encoding="utf-8"
    )
    (folder / "deleted" / "comments.csv").write_text(
        "Date,Content,Comment\n2021-01-01,https://boxd.it/x,gone\n", encoding="utf-8"
    )
    (folder / "orphaned" / "diary.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2019-03-01,A Vanished Film,2018,https://boxd.it/orph1,4,,,2019-02-28\n"
        "2019-03-02,,,https://boxd.it/orph2,3,,,2019-03-01\n",
        encoding="utf-8",
    )
    (folder / "profile.csv").write_text(
        "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,"
        "Favorite Films\n2017-12-31,extratone,,,,,,,,\n",
        encoding="utf-8",
    )
    (folder / "lists" / "blank-first.csv").write_text(
        "\n\n" + LIST_V7.format(name="Blank first", slug="bl1").replace("\n\n", "\n\n\n"), encoding="utf-8"
    )
    (folder / "lists" / "crlf.csv").write_bytes(
        LIST_V7.format(name="Windows list", slug="crlf1").replace("\n", "\r\n").encode("utf-8")
    )
    (folder / "lists" / "no-marker.csv").write_text(
        LIST_V7.format(name="No marker", slug="nm1").split("\n", 1)[1], encoding="utf-8"
    )
    return folder


def test_letterboxd_deleted_and_orphaned_folders_and_odd_lists_import(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    folder = _full_export(tmp_path)
    archive = tmp_path / "letterboxd-extratone-2024-05-01-10-00-utc.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*.csv")):
            zf.write(path, path.relative_to(folder).as_posix())
        zf.writestr("__MACOSX/._diary.csv", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
        zf.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")

    report = import_letterboxd(store, archive, "ann")
    skipped = "\n".join(report.skipped)
    # deleted/: reported, never imported (the member deleted them on Letterboxd).
    assert f"{archive}/deleted/diary.csv: 1 entry the member deleted: not imported" in skipped
    assert f"{archive}/deleted/reviews.csv: 1 entry the member deleted: not imported" in skipped
    assert f"{archive}/deleted/lists/old-list.csv: a list the member deleted: not imported" in skipped
    assert f"{archive}/deleted/comments.csv" in skipped
    assert f"{archive}/profile.csv: the profile is not imported" in skipped
    entries = library.diary(store, "ann")
    assert not [e for e in entries if e.source_uri == "https://boxd.it/477Tt7"]  # Tetris, deleted
    assert not [e for e in entries if e.source_uri == "https://boxd.it/1h4Kpl"]  # Greyhound's review
    assert all(e.review is None for e in entries if e.film_id == "greyhound-2020")
    # orphaned/: the member's own entries, imported; the one without a film name reported.
    vanished = [e for e in entries if e.film_id == "a-vanished-film-2018"]
    assert [(e.watched_on, e.rating) for e in vanished] == [(dt.date(2019, 2, 28), 8)]
    assert f"{archive}/orphaned/diary.csv:3: an orphaned entry without a film name: not imported" in skipped
    # Every list, whatever its blank lines and line ends.
    lists = {m.name: m for m in library.member_lists_of(store, "ann")}
    assert len(lists) == 9 and "Deleted list" not in lists
    for name in ("Blank first", "Windows list", "No marker"):
        assert [i.film_id for i in lists[name].items] == ["drive-2011", "inception-2010"], name
    assert len(entries) > 317 and len(library.watchlist_of(store, "ann")) == 113

    # The unpacked folder is the same export: importing it again changes nothing.
    again = import_letterboxd(store, folder, "ann")
    assert again.changed == 0, again.summary_lines()


# ---- Letterboxd: a film the catalogue holds under another title ----------------------------------


def _catalogue(store: SqlStore) -> None:
    store.save_films(
        [
            Film(
                id="tt0086190",
                title="Star Wars: Episode VI - Return of the Jedi",
                year=1983,
                directors=[PersonRef(name="Richard Marquand")],
            ),
            Film(id="tt0076759", title="Star Wars: Episode IV - A New Hope", year=1977),
            Film(id="tt0378194", title="Kill Bill: Vol. 2", year=2004),
            Film(id="tt0085333", title="Christine", year=1983, directors=[PersonRef(name="John Carpenter")]),
            Film(id="tt0120915", title="Star Wars: Episode I - The Phantom Menace", year=1999),
            Film(id="tt0099785", title="Home Alone", year=1990),
        ]
    )


def test_letterboxd_matches_other_titles_of_a_film_never_duplicating_it(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    _catalogue(store)
    folder = tmp_path / "lb"
    folder.mkdir()
    (folder / "ratings.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2020-01-01,Return of the Jedi,1983,https://boxd.it/a,4\n"  # series prefix set aside
        "2020-01-02,Star Wars,1977,https://boxd.it/b,5\n"  # "Star Wars" is the prefix, not the film
        "2020-01-03,Kill Bill: Vol. 1,2003,https://boxd.it/c,4.5\n"  # Vol. 2 is another film
        "2020-01-04,The Phantom Menace,2000,https://boxd.it/d,2\n"  # subtitle, year one off
        "2020-01-05,Home Alone,1990,https://boxd.it/e,3\n",
        encoding="utf-8",
    )
    report = import_letterboxd(store, folder, "ann")
    assert my_rating(store, ann, "tt0086190") == 8
    assert my_rating(store, ann, "tt0120915") == 4
    assert my_rating(store, ann, "tt0099785") == 6
    fuzzy = {m.name: (m.how, m.film_id, m.matched_title) for m in report.fuzzy}
    assert fuzzy == {
        "Return of the Jedi": ("normalised", "tt0086190", "Star Wars: Episode VI - Return of the Jedi"),
        "The Phantom Menace": ("normalised", "tt0120915", "Star Wars: Episode I - The Phantom Menace"),
    }
    added = {m.name: m.film_id for m in report.not_found}
    assert added == {"Star Wars": "star-wars-1977", "Kill Bill: Vol. 1": "kill-bill-vol-1-2003"}
    assert my_rating(store, ann, "tt0076759") is None and my_rating(store, ann, "tt0378194") is None
    lines = report.summary_lines()
    assert any(
        line.startswith("normalised: Return of the Jedi (1983) -> tt0086190 via 'Star Wars: Episode VI")
        for line in lines
    )


def test_letterboxd_csv_with_ids_and_directors_matches_by_them(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    """A CSV in Letterboxd's import format (as third-party tools write it): imdbID, tmdbID, Directors."""
    _catalogue(store)
    path = tmp_path / "letterboxd-import.csv"
    path.write_text(
        "Title,Year,imdbID,tmdbID,Directors,WatchedDate,Rating,Rewatch,Tags,Review\n"
        "Jedi,1983,tt0086190,1892,Richard Marquand,2021-05-04,4.5,,scifi,\n"  # by its IMDb id
        "Christine,1983,,,Somebody Else,2021-05-05,3,,,\n"  # another director: another film
        "Christine,1983,,,John Carpenter,2021-10-31,4,true,horror,Still scary.\n"
        "Nowhere Film,2012,tt9999999,,,2021-06-01,2,,,\n",  # an IMDb id the store lacks: added under it
        encoding="utf-8",
    )
    report = import_letterboxd(store, path, "ann")
    assert report.matched == {"id": 1, "added": 2, "exact": 1}
    assert {m.film_id for m in report.not_found} == {"christine-1983", "tt9999999"}
    assert my_rating(store, ann, "tt0086190") == 9
    assert my_rating(store, ann, "tt0085333") == 8 and my_rating(store, ann, "christine-1983") == 6
    nowhere = store.get_film("tt9999999")
    assert nowhere is not None and (nowhere.title, nowhere.year) == ("Nowhere Film", 2012)
    carpenter = [e for e in library.diary(store, "ann") if e.film_id == "tt0085333"]
    assert [(e.watched_on, e.rewatch, e.tags, e.review) for e in carpenter] == [
        (dt.date(2021, 10, 31), True, ["horror"], "Still scary.")
    ]


# ---- IMDb: an Italian 2025 export -----------------------------------------------------------------

ITALIAN_HEADER = (
    "Const,La tua valutazione,Data valutazione,Titolo,Titolo originale,URL,Tipo di titolo,Valutazione IMDb,"
    "Durata (min),Anno,Generi,Numero di voti,Data di uscita,Registi"
)


def _variants(tmp_path: Path) -> dict[str, Path]:
    raw = ITALIAN.read_bytes()
    text = raw.decode("utf-8")
    localized = ITALIAN_HEADER + "\r\n" + text.split("\r\n", 1)[1]
    out = {
        "as-saved": raw,
        "bom-lf": codecs.BOM_UTF8 + text.replace("\r\n", "\n").encode("utf-8"),
        "utf-16": text.encode("utf-16"),  # with its BOM, as Excel's "Unicode text" saves
        "utf-16-le-no-bom": text.encode("utf-16-le"),
        "italian-header": localized.encode("utf-8"),
    }
    paths = {}
    for name, data in out.items():
        paths[name] = tmp_path / f"{name}.csv"
        paths[name].write_bytes(data)
    return paths


def test_italian_export_reads_the_same_in_every_encoding_and_header(tmp_path: Path) -> None:
    reference = read_imdb_csv(decode_export(ITALIAN.read_bytes(), "it.csv"), "it.csv")
    assert len(reference.rows) == 54 and reference.unmapped == {}
    lambs = reference.rows[0]
    assert (lambs.const, lambs.title, lambs.original_title) == (
        "tt0102926",
        "Il silenzio degli innocenti",
        "The Silence of the Lambs",
    )
    assert (lambs.kind, lambs.genres, lambs.release_date, lambs.rating) == (
        "movie",
        ("Crime", "Drama", "Thriller"),
        "1991-09",
        9,
    )
    kinds = {row.const: row.kind for row in reference.rows}
    assert kinds["tt0903747"] == "tvSeries" and kinds["tt0959621"] == "tvEpisode"
    assert kinds["tt0185906"] == "tvMiniSeries" and kinds["tt0385426"] == "tvMovie"
    assert kinds["tt0374463"] == "tvSpecial" and kinds["tt12361178"] == "videoGame"
    orange = next(r for r in reference.rows if r.const == "tt0066921")
    assert orange.release_date == "1972" and orange.genres == ("Crime", "Drama", "Sci-Fi")
    for name, path in _variants(tmp_path).items():
        got = read_imdb_csv(decode_export(path.read_bytes(), str(path)), str(path))
        assert [(r.const, r.kind, r.genres, r.release_date, r.rating, r.title) for r in got.rows] == [
            (r.const, r.kind, r.genres, r.release_date, r.rating, r.title) for r in reference.rows
        ], name


def test_italian_export_imports_canonical_kinds_and_genres(store: SqlStore, ann: Any) -> None:
    report = import_imdb_ratings(store, ITALIAN, "ann")
    assert report.rows == 54 and report.notes == []
    lambs = store.get_film("tt0102926")
    assert lambs is not None
    assert (lambs.kind, lambs.genres, lambs.year) == ("movie", ["Crime", "Drama", "Thriller"], 1991)
    assert [r.date for r in lambs.release_dates] == ["1991-09"]
    assert lambs.original_title == "The Silence of the Lambs"
    bad = store.get_film("tt0903747")
    assert bad is not None and bad.kind == "tvSeries" and bad.genres == ["Crime", "Drama", "Thriller"]
    assert my_rating(store, ann, "tt0102926") == 9 and my_rating(store, ann, "tt0111161") == 10


def test_unknown_localized_values_are_kept_and_reported(store: SqlStore, ann: Any, tmp_path: Path) -> None:
    lines = ITALIAN.read_bytes().decode("utf-8").split("\r\n")
    odd = lines[1].replace(",Film,", ",Serie web,").replace("Poliziesco, Drammatico", "Supereroi, Drammatico")
    path = tmp_path / "ratings.csv"
    path.write_text("\r\n".join([lines[0], odd]) + "\r\n", encoding="utf-8")
    report = import_imdb_ratings(store, path, "ann")
    film = store.get_film("tt0102926")
    assert film is not None and film.kind == "Serie web" and film.genres == ["Supereroi", "Drama", "Thriller"]
    assert report.notes == [
        f"{path}:2: Title Type 'Serie web' (no known English name)",
        f"{path}:2: Genres 'Supereroi' (no known English name)",
    ]
    assert (
        f"kept as written: {path}:2: Title Type 'Serie web' (no known English name)" in report.summary_lines()
    )


@pytest.mark.parametrize(
    ("kind", "genre", "kind_out", "genre_out"),
    [
        ("Fernsehserie", "Komödie", "tvSeries", "Comedy"),
        ("Série télévisée", "Drame", "tvSeries", "Drama"),
        ("Court métrage", "Science-fiction", "short", "Sci-Fi"),
        ("Película", "Ciencia ficción", "movie", "Sci-Fi"),
        ("Minissérie", "Ficção científica", "tvMiniSeries", "Sci-Fi"),
        ("Jogo eletrônico", "Ação", "videoGame", "Action"),
        ("TV Mini Series", "Sci-Fi", "tvMiniSeries", "Sci-Fi"),
    ],
)
def test_other_locales_map_to_imdb_vocabulary(kind: str, genre: str, kind_out: str, genre_out: str) -> None:
    text = (
        "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
        f"Num Votes,Release Date,Directors\ntt0000001,7,2024-01-01,X,,{kind},7.1,90,2000,{genre},10,2000,\n"
    )
    (row,) = read_imdb_csv(text, "r.csv").rows
    assert (row.kind, row.genres) == (kind_out, (genre_out,))


# ---- CSV injection and NFO paths ------------------------------------------------------------------

# (A title cannot hold a tab or a carriage return: the record refuses control characters.)
HOSTILE_TITLES = [
    '=HYPERLINK("http://evil","x")',
    "+1",
    "-1 Redux",
    "@SUM(A1)",
    "'-Already quoted",
    "''=Twice",
    "'Plain quote",
]


def test_letterboxd_csv_neutralises_formulas_and_reads_back_exactly(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    films = [Film(id=f"hostile-{n}", title=title, year=2000 + n) for n, title in enumerate(HOSTILE_TITLES)]
    store.save_films(films)
    for n, film in enumerate(films):
        rate(store, ann, film.id, n + 1)
    out = io.StringIO()
    export_letterboxd(store, "ann", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))[1:]
    for cells in rows:
        for cell in cells:
            assert not cell or cell[0] not in "=+-@\t\r", cells
    assert sorted(r[0] for r in rows) == sorted(
        f"'{t}" if t[0] in "=+-@\t" or t.lstrip("'")[:1] in ("-", "=") else t for t in HOSTILE_TITLES
    )
    back = read_letterboxd_csv(out.getvalue(), "x.csv")
    assert sorted(r.name.strip() for r in back) == sorted(t.strip() for t in HOSTILE_TITLES)
    # Imported by another member: the same films, the same scores.
    path = tmp_path / "marquee-letterboxd.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    bob = create_user(store, "bob", "password123")
    report = import_letterboxd(store, path, "bob")
    assert report.not_found == [], report.summary_lines()
    for n, film in enumerate(films):
        assert my_rating(store, bob, film.id) == n + 1, film.title


class _Films:
    """A store stand-in holding films the record model might refuse (built without validation)."""

    def __init__(self, films: list[Film]) -> None:
        self.films = films

    def iter_films(self) -> Any:
        return iter(self.films)


HOSTILE_IDS = ["../x", "../../etc/passwd", "/abs/path", "..", ".", "a\x00b", "a/b\\c", "CON", "x" * 1000]


def test_nfo_export_never_writes_outside_its_folder(tmp_path: Path) -> None:
    root = tmp_path / "out" / "nfo"
    titles = ["../escape", "/etc/shadow", "CON", "NUL.txt", "a\\b/c", "é" * 400, "..", "\x00", "LPT1"]
    films = [
        Film.model_construct(id=film_id, title=title, year=1990)
        for film_id, title in zip(HOSTILE_IDS, titles, strict=True)
    ]
    films.append(Film.model_construct(id="tt0089560", title="Mask", year=1985))
    count = export_nfo(_Films(films), root)  # type: ignore[arg-type]
    assert count == len(films)
    written = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == len(films)  # one each: no two films share a folder
    for path in written:
        assert path.name == "movie.nfo" and path.parent.parent == root
        assert len(path.parent.name.encode("utf-8")) <= 200
        assert path.parent.name.split(".")[0].split(" ")[0].lower() not in ("con", "nul", "lpt1")
    assert (root / "Mask (1985) [tt0089560]" / "movie.nfo").exists()


def test_nfo_export_does_not_write_through_a_symlink(tmp_path: Path) -> None:
    root = tmp_path / "nfo"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "Mask (1985) [tt0089560]").symlink_to(outside)
    films = [Film.model_construct(id="tt0089560", title="Mask", year=1985)]
    from marquee.errors import InputError

    with pytest.raises(InputError, match="not a safe folder"):
        export_nfo(_Films(films), root)  # type: ignore[arg-type]
    assert list(outside.iterdir()) == []


def test_localized_numbers_decimal_comma_and_grouped_votes() -> None:
    text = (
        "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
        'Num Votes,Release Date,Directors\ntt0102926,9,2025-01-12,X,,Film,"8,6",118,1991,Drammatico,'
        '1.628.473,1991-09,\ntt0102927,9,2025-01-12,Y,,Film,7.1,118,1991,Drammatico,"1,628,473",1991,\n'
    )
    first, second = read_imdb_csv(text, "r.csv").rows
    assert (first.imdb_rating, first.votes) == (8.6, 1628473)
    assert (second.imdb_rating, second.votes) == (7.1, 1628473)
