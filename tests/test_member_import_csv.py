"""Reading members' export CSVs (pure): IMDb header variants, encodings, Letterboxd files and lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from marquee.errors import InputError
from marquee.formats.exports_csv import (
    LetterboxdOut,
    decode_export,
    read_imdb_csv,
    read_letterboxd_csv,
    read_letterboxd_likes,
    read_letterboxd_list,
    stars_to_ten,
    ten_to_stars,
    write_letterboxd_csv,
)

DATA = Path(__file__).parent / "data" / "exports"
LB = DATA / "letterboxd" / "extratone"

ROW_2017 = (
    "tt0100157,7,2009-01-26,Misery,https://www.imdb.com/title/tt0100157/,movie,7.8,107,1990,"
    '"Drama, Thriller",194354,1990-11-29,Rob Reiner'
)
HEADER_2017 = (
    "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,"
    "Release Date,Directors"
)


def test_the_real_imdb_export_is_latin1_and_reads_whole() -> None:
    raw = (DATA / "imdb-ratings" / "rollekino_2021_imdb_ratings.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    export = read_imdb_csv(decode_export(raw), "rollekino.csv")
    assert export.kind == "ratings" and len(export.rows) == 3086
    leon = next(r for r in export.rows if r.const == "tt0110413")
    assert (leon.title, leon.rating, leon.rated_on, leon.year) == ("Léon", 10, dt.date(2009, 4, 19), 1994)
    misery = next(r for r in export.rows if r.const == "tt0100157")
    assert misery.genres == ("Drama", "Thriller") and misery.directors == ("Rob Reiner",)
    assert misery.runtime == 107 and misery.votes == 194354 and misery.imdb_rating == 7.8
    assert misery.release_date == "1990-11-29" and misery.line == 5


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (HEADER_2017, ROW_2017),
        # 2023 on: an Original Title column after Title, title types spelled out.
        (
            HEADER_2017.replace("Title,URL", "Title,Original Title,URL"),
            ROW_2017.replace("Misery,https", "Misery,Misery,https").replace(",movie,", ",Movie,"),
        ),
        # Columns in another order, names in another case and punctuation.
        (
            "const,Title,your rating,date rated,title type,YEAR,Genres,Num. Votes,Runtime (mins),"
            "IMDb Rating,Release Date (month/day/year),Directors,URL",
            'tt0100157,Misery,7,2009-01-26,Feature Film,1990,"Drama, Thriller",194354,107,7.8,11/29/1990,'
            "Rob Reiner,https://www.imdb.com/title/tt0100157/",
        ),
    ],
    ids=["2017", "2023", "reordered"],
)
def test_imdb_header_variants_give_the_same_row(header: str, row: str) -> None:
    for text in (f"{header}\n{row}\n", f"\ufeff{header}\r\n{row}\r\n"):
        export = read_imdb_csv(decode_export(text.encode("utf-8")), "r.csv")
        (got,) = export.rows
        assert (got.const, got.title, got.rating, got.rated_on) == (
            "tt0100157",
            "Misery",
            7,
            dt.date(2009, 1, 26),
        )
        assert (got.kind, got.year, got.runtime, got.genres) == ("movie", 1990, 107, ("Drama", "Thriller"))
        assert got.release_date == "1990-11-29"


def test_imdb_watchlist_and_title_kinds() -> None:
    text = (
        "Position,Const,Created,Modified,Description,Title,Original Title,URL,Title Type,IMDb Rating,"
        "Runtime (mins),Year,Genres,Num Votes,Release Date,Directors,Your Rating,Date Rated\n"
        "1,tt0903747,2019-05-01,2019-05-01,,Breaking Bad,Breaking Bad,https://x,TV Series,9.5,49,2008,"
        "Drama,2000000,2008-01-20,,,\n"
    )
    export = read_imdb_csv(text, "WATCHLIST.csv")
    assert export.kind == "watchlist"
    (row,) = export.rows
    assert (row.position, row.created, row.kind, row.rating) == (1, dt.date(2019, 5, 1), "tvSeries", None)
    kinds = ("TV Mini Series", "tvMiniSeries", "Video Game", "Short", "")
    rows = "".join(
        f"{i},tt000000{i},2019-05-01,2019-05-01,,T,T,https://x,{k},,,2008,,,,,,\n"
        for i, k in enumerate(kinds, 1)
    )
    export = read_imdb_csv(text.split("\n")[0] + "\n" + rows, "WATCHLIST.csv")
    assert [row.kind for row in export.rows] == [
        "tvMiniSeries",
        "tvMiniSeries",
        "videoGame",
        "short",
        "movie",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"r\.csv:1: the file is empty"),
        ("Title,Year\nX,1990\n", r"r\.csv:1: Const: no such column"),
        ("Const,Title\ntt0100157,X\n", r"r\.csv:1: Your Rating: no such column"),
        (f"{HEADER_2017}\n{ROW_2017}\n{ROW_2017.replace(',7,', ',,')}\n", r"r\.csv:3: Your Rating: empty"),
        (
            f"{HEADER_2017}\n{ROW_2017.replace('2009-01-26', 'yesterday')}\n",
            r"r\.csv:2: Date Rated: not a date",
        ),
        (f"{HEADER_2017}\n{ROW_2017.replace(',1990,', ',nineteen,')}\n", r"r\.csv:2: Year: not a whole"),
    ],
)
def test_imdb_errors_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_imdb_csv(text, "r.csv")


def test_letterboxd_files_read_by_column_name() -> None:
    diary = read_letterboxd_csv((LB / "diary.csv").read_text(encoding="utf-8"), "diary.csv")
    assert len(diary) == 317
    spectre = next(r for r in diary if r.name == "Spectre")
    assert (spectre.year, spectre.rating, spectre.rewatch, spectre.watched_on, spectre.date) == (
        2015,
        6,
        True,
        dt.date(2017, 12, 31),
        dt.date(2017, 12, 31),
    )
    assert spectre.uri == "https://boxd.it/n2jH5"
    nameless = next(r for r in diary if r.name == "One of the Roughs, a Kosmos")
    assert nameless.year is None
    reviews = read_letterboxd_csv((LB / "reviews.csv").read_text(encoding="utf-8"), "reviews.csv")
    assert len(reviews) == 127 and reviews[0].review == "lol" and reviews[1].review == "<b>KIEFO LOL</b>"
    # A review spanning lines: the next row's line number counts the physical lines.
    ratings = read_letterboxd_csv((LB / "ratings.csv").read_text(encoding="utf-8"), "ratings.csv")
    assert [(r.name, r.rating) for r in ratings[:2]] == [("La La Land", 7), ("Pulp Fiction", 4)]
    liked = read_letterboxd_likes((LB / "likes" / "lists.csv").read_text(encoding="utf-8"))
    assert len(liked) == 13 and liked[0] == (2, dt.date(2017, 12, 31), "https://boxd.it/12nAK")


def test_letterboxd_list_file() -> None:
    path = LB / "lists" / "trying-to-fall-asleep-to-films-ive-managed.csv"
    found = read_letterboxd_list(path.read_text(encoding="utf-8"), "sleep.csv")
    assert found.name.startswith("Trying to Fall Asleep to FIlms")
    assert found.tags == ("genx", "80s", "cult") and found.uri == "https://boxd.it/bkDWo"
    assert found.description is not None and "Generation X" in found.description
    assert [(i.position, i.name, i.year) for i in found.items] == [
        (1, "Kill Bill: Vol. 1", 2003),
        (2, "Bill & Ted's Excellent Adventure", 1989),
        (3, "Pulp Fiction", 1994),
        (4, "Ghostbusters", 1984),
        (5, "School of Rock", 2003),
    ]
    assert found.items[0].line == 14  # the description spans lines 3-11 of the file
    with pytest.raises(InputError, match=r"x\.csv:1: not a Letterboxd list export"):
        read_letterboxd_list("Date,Name\n", "x.csv")


@pytest.mark.parametrize(("stars", "ten"), [("0.5", 1), ("1", 2), ("3.5", 7), ("5", 10), ("", None)])
def test_stars_double(stars: str, ten: int | None) -> None:
    assert stars_to_ten(stars, "f", 1) == ten
    if ten is not None:
        assert float(ten_to_stars(ten)) == float(stars)


@pytest.mark.parametrize("stars", ["0", "5.5", "2.25", "x"])
def test_stars_out_of_range(stars: str) -> None:
    with pytest.raises(InputError, match="f:4: Rating"):
        stars_to_ten(stars, "f", 4)


def test_letterboxd_import_csv_written() -> None:
    text = write_letterboxd_csv(
        [
            LetterboxdOut(
                title='Say "Hi", Bob',
                year=2001,
                imdb_id="tt0000001",
                directors=("A", "B"),
                watched_on=dt.date(2020, 2, 3),
                rating10=7,
                rewatch=True,
                tags=("x", "y"),
                review="line one\nline two",
            ),
            LetterboxdOut(title="Bare"),
        ]
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0] == {
        "Title": 'Say "Hi", Bob',
        "Year": "2001",
        "imdbID": "tt0000001",
        "Directors": "A, B",
        "WatchedDate": "2020-02-03",
        "Rating": "3.5",
        "Rating10": "7",
        "Rewatch": "true",
        "Tags": "x, y",
        "Review": "line one\nline two",
    }
    assert rows[1]["Title"] == "Bare" and rows[1]["Rating"] == "" and rows[1]["Year"] == ""
