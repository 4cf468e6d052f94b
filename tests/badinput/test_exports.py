"""Bad members' exports: IMDb ratings CSVs, Letterboxd zips and folders, Marquee archives.

Each case is refused cleanly on both backends (``refuse``: non-zero exit, no traceback, one line
naming ``FILE:LINE`` or ``ZIP/member.csv:LINE``, the store unchanged). What a user can reasonably
hand in (UTF-16 CSVs, a BOM, CRLF) is accepted instead.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from marquee.limits import MAX_FIELD_CHARS, MAX_ZIP_MEMBERS
from support.cli import Marquee

Refuse = Callable[..., Any]

HEADER = (
    "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,"
    "Release Date,Directors"
)
ROW = (
    "tt0100157,7,2009-01-26,Misery,https://www.imdb.com/title/tt0100157/,movie,7.8,107,1990,"
    '"Drama, Thriller",194354,1990-11-29,Rob Reiner'
)
ROW2 = ROW.replace("tt0100157", "tt0089560").replace("Misery", "Mask")
DIARY = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
DIARY_ROW = "2020-01-02,Mask,1985,https://boxd.it/abc,4,,,2020-01-01\n"


def _csv(tmp_path: Path, text: str | bytes, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _zip(tmp_path: Path, members: dict[str, bytes | str], name: str = "letterboxd.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(zipfile.ZipInfo(member), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


# ---- IMDb ratings CSV ---------------------------------------------------------------------------

BAD_IMDB_ROWS = {
    "too-many-fields": (f"{HEADER}\n{ROW}\n{ROW2},extra\n", 3),
    "too-few-fields": (f"{HEADER}\n{ROW.rsplit(',', 2)[0]}\n", 2),
    "negative-rating": (f"{HEADER}\n{ROW.replace(',7,2009', ',-3,2009')}\n", 2),
    "nan-rating": (f"{HEADER}\n{ROW.replace(',7,2009', ',NaN,2009')}\n", 2),
    "fractional-rating": (f"{HEADER}\n{ROW.replace(',7,2009', ',7.5,2009')}\n", 2),
    "absurd-rating": (f"{HEADER}\n{ROW.replace(',7,2009', ',1e309,2009')}\n", 2),
    "rating-11": (f"{HEADER}\n{ROW2}\n{ROW.replace(',7,2009', ',11,2009')}\n", 3),
    "nan-imdb-rating": (f"{HEADER}\n{ROW.replace(',7.8,', ',nan,')}\n", 2),
    "infinite-imdb-rating": (f"{HEADER}\n{ROW.replace(',7.8,', ',inf,')}\n", 2),
    "negative-imdb-rating": (f"{HEADER}\n{ROW.replace(',7.8,', ',-7.8,')}\n", 2),
    "negative-votes": (f"{HEADER}\n{ROW.replace(',194354,', ',-5,')}\n", 2),
    "votes-beyond-64-bits": (f"{HEADER}\n{ROW.replace(',194354,', ',99999999999999999999999,')}\n", 2),
    "negative-runtime": (f"{HEADER}\n{ROW.replace(',107,', ',-107,')}\n", 2),
    "year-99999": (f"{HEADER}\n{ROW.replace(',1990,', ',99999,')}\n", 2),
    "date-not-a-date": (f"{HEADER}\n{ROW.replace('2009-01-26', 'yesterday')}\n", 2),
    "date-feb-30": (f"{HEADER}\n{ROW2}\n{ROW.replace('2009-01-26', '2009-02-30')}\n", 3),
    "date-year-0001": (f"{HEADER}\n{ROW.replace('2009-01-26', '0001-01-01')}\n", 2),
    "release-month-13": (f"{HEADER}\n{ROW.replace('1990-11-29', '1990-13')}\n", 2),
    "bad-const": (f"{HEADER}\n{ROW.replace('tt0100157', '../x')}\n", 2),
    "unclosed-quote": (
        f"{HEADER}\n{ROW2}\n{ROW.replace(chr(34) + 'Drama', chr(34) + 'Drama' + chr(34) + 'x')}\n",
        3,
    ),
    "field-too-long": (f"{HEADER}\n{ROW.replace('Misery', 'M' * (MAX_FIELD_CHARS + 1))}\n", 2),
    "empty-file": ("", 1),
    "header-only-wrong": ("Title,Year\nX,1990\n", 1),
}


@pytest.mark.parametrize("case", sorted(BAD_IMDB_ROWS))
def test_imdb_ratings_bad_rows(refuse: Refuse, tmp_path: Path, case: str) -> None:
    text, line = BAD_IMDB_ROWS[case]
    path = _csv(tmp_path, text)
    refuse("import", "imdb-ratings", str(path), "--user", "ann", names=path, line=line)


def test_imdb_ratings_non_utf8_bytes_name_their_line(refuse: Refuse, tmp_path: Path) -> None:
    data = f"{HEADER}\n{ROW2}\n".encode() + ROW.encode().replace(b"Misery", b"Mis\xff\xfe\x80\x81ry") + b"\n"
    path = _csv(tmp_path, data)
    message = refuse("import", "imdb-ratings", str(path), "--user", "ann", names=path, line=3).message
    assert "UTF-8" in message


def test_imdb_ratings_binary_and_nul(refuse: Refuse, tmp_path: Path) -> None:
    path = _csv(tmp_path, f"{HEADER}\n".encode() + b"tt0100157,7,\x00\x00\x00\x00binary\n")
    refuse("import", "imdb-ratings", str(path), "--user", "ann", names=path, line=2)


def test_imdb_ratings_folder_given_for_a_file(refuse: Refuse, tmp_path: Path) -> None:
    refuse("import", "imdb-ratings", str(tmp_path), "--user", "ann", names=tmp_path)


def test_imdb_ratings_missing_file(refuse: Refuse, tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    refuse("import", "imdb-ratings", str(path), "--user", "ann", names=path)


def test_imdb_ratings_dev_zero_is_read_within_the_limit(refuse: Refuse) -> None:
    message = refuse("import", "imdb-ratings", "/dev/zero", "--user", "ann", names="/dev/zero").message
    assert "larger than" in message


def test_utf16_and_bom_crlf_csv_are_accepted(filled_db_url: str, tmp_path: Path, runner: Marquee) -> None:
    text = f"{HEADER}\r\n{ROW}\r\n"
    for name, data in (
        ("utf16.csv", text.encode("utf-16")),
        ("utf16be.csv", b"\xfe\xff" + text.encode("utf-16-be")),
        ("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("latin1.csv", text.replace("Misery", "Misère").encode("cp1252")),
    ):
        path = _csv(tmp_path, data, name)
        result = runner("--db", filled_db_url, "import", "imdb-ratings", str(path), "--user", "ann")
        assert result.exit_code == 0, (name, result.stderr)


# ---- Letterboxd zips and folders ------------------------------------------------------------------


def test_letterboxd_not_a_zip(refuse: Refuse, tmp_path: Path) -> None:
    path = _csv(tmp_path, b"hello, I am not a zip\x00\x01", "letterboxd.zip")
    refuse("import", "letterboxd", str(path), "--user", "ann", names=path)
    truncated = _csv(tmp_path, b"PK\x03\x04" + b"\x00" * 40, "truncated.zip")
    refuse("import", "letterboxd", str(truncated), "--user", "ann", names=truncated)


def test_letterboxd_plain_text_file_given_for_a_zip(refuse: Refuse, tmp_path: Path) -> None:
    path = _csv(tmp_path, "just some notes\n", "notes.txt")
    refuse("import", "letterboxd", str(path), "--user", "ann", names=path)


def test_letterboxd_bad_row_in_a_zip_names_member_and_line(refuse: Refuse, tmp_path: Path) -> None:
    path = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW + DIARY_ROW.replace(",4,", ",9,")})
    refuse("import", "letterboxd", str(path), "--user", "ann", names=f"{path}/diary.csv", line=3)


def test_letterboxd_bad_row_in_a_folder_names_file_and_line(refuse: Refuse, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "diary.csv").write_text(DIARY + DIARY_ROW, encoding="utf-8")
    (folder / "lists").mkdir()
    bad_list = (
        "\nLetterboxd list export v7\nDate,Name,Tags,URL,Description\n2022-01-01,L,,https://boxd.it/l,\n\n"
        "Position,Name,Year,URL,Description\n1,Mask,1985,https://boxd.it/m,\n2,Mask,nineteen,u,\n"
    )
    (folder / "lists" / "l.csv").write_text(bad_list, encoding="utf-8")
    refuse("import", "letterboxd", str(folder), "--user", "ann", names=f"{folder}/lists/l.csv", line=8)


@pytest.mark.parametrize("stars", ["NaN", "-1", "inf", "7", "1e309", "2.25"])
def test_letterboxd_bad_stars(refuse: Refuse, tmp_path: Path, stars: str) -> None:
    path = _zip(
        tmp_path, {"ratings.csv": f"Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,Mask,1985,u,{stars}\n"}
    )
    refuse("import", "letterboxd", str(path), "--user", "ann", names=f"{path}/ratings.csv", line=2)


@pytest.mark.parametrize(
    "member", ["../diary.csv", "../../etc/evil.csv", "/etc/diary.csv", "a\\..\\diary.csv"]
)
def test_letterboxd_zip_with_unsafe_member_names(refuse: Refuse, tmp_path: Path, member: str) -> None:
    path = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW, member: DIARY + DIARY_ROW})
    refuse("import", "letterboxd", str(path), "--user", "ann", names=f"{path}/{member}")


def test_letterboxd_zip_with_too_many_members(refuse: Refuse, tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("diary.csv", DIARY + DIARY_ROW)
        for n in range(MAX_ZIP_MEMBERS):
            zf.writestr(f"lists/{n}.csv", "")
    refuse("import", "letterboxd", str(path), "--user", "ann", names=path)


def test_letterboxd_nested_zip(refuse: Refuse, tmp_path: Path) -> None:
    inner = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW}, "inner.zip")
    path = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW, "more/inner.zip": inner.read_bytes()})
    refuse("import", "letterboxd", str(path), "--user", "ann", names=f"{path}/more/inner.zip")
    disguised = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW, "watched.csv": inner.read_bytes()}, "d.zip")
    refuse("import", "letterboxd", str(disguised), "--user", "ann", names=f"{disguised}/watched.csv")


def test_letterboxd_zip_bomb_by_ratio_is_refused_before_expanding(refuse: Refuse, tmp_path: Path) -> None:
    path = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW, "watched.csv": b"\n" * (32 * 1024 * 1024)})
    assert path.stat().st_size < 256 * 1024
    refuse("import", "letterboxd", str(path), "--user", "ann", names=f"{path}/watched.csv")


def _lie_about_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size a zip's central directory declares for ``member``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def test_letterboxd_zip_declaring_gigabytes_is_refused(refuse: Refuse, tmp_path: Path) -> None:
    """A 0.5 MB zip whose members expand to 3.7 GB: refused on its declared sizes, nothing inflated."""
    members: dict[str, bytes | str] = {"diary.csv": DIARY + DIARY_ROW}
    members |= {f"lists/{n}.csv": b"x" * 1000 for n in range(16)}
    path = _zip(tmp_path, members)
    for n in range(16):
        _lie_about_size(path, f"lists/{n}.csv", 240 * 1024 * 1024)
    refuse("import", "letterboxd", str(path), "--user", "ann", names=path)


def test_letterboxd_zip_whose_header_understates_a_member(refuse: Refuse, tmp_path: Path) -> None:
    path = _zip(tmp_path, {"diary.csv": DIARY + DIARY_ROW * 2000})
    _lie_about_size(path, "diary.csv", 100)
    refuse("import", "letterboxd", str(path), "--user", "ann", names=f"{path}/diary.csv")


def test_letterboxd_utf16_member_is_accepted(filled_db_url: str, tmp_path: Path, runner: Marquee) -> None:
    path = _zip(tmp_path, {"diary.csv": (DIARY + DIARY_ROW).encode("utf-16")})
    result = runner("--db", filled_db_url, "import", "letterboxd", str(path), "--user", "ann")
    assert result.exit_code == 0, result.stderr


# ---- Marquee archives ----------------------------------------------------------------------------

ARCHIVE = '{{\n  "user": "ann",\n  "ratings": [\n    {rating}\n  ]\n}}\n'
GOOD_RATING = (
    '{"film_id": "tt0089560", "title": "Mask", "year": 1985, "score": 8, "rated_at": "2020-01-01T00:00:00Z"}'
)


@pytest.mark.parametrize(
    ("rating", "line"),
    [
        (GOOD_RATING.replace("8,", "NaN,"), 4),
        (GOOD_RATING.replace("8,", "99999999999999999999999,"), None),
        (GOOD_RATING.replace("}", ""), 5),
        (GOOD_RATING.replace("tt0089560", "../x"), None),
        (GOOD_RATING.replace("tt0089560", "javascript:alert(1)"), None),
        (GOOD_RATING.replace("8,", "-3,"), None),
        (GOOD_RATING.replace("1985", "99999"), None),
        (GOOD_RATING.replace('"Mask"', '"' + "M" * (MAX_FIELD_CHARS + 1) + '"'), None),
    ],
    ids=["nan", "huge-int", "truncated", "dotdot-id", "js-id", "negative", "year", "long-title"],
)
def test_archive_bad_values(refuse: Refuse, tmp_path: Path, rating: str, line: int | None) -> None:
    path = _csv(tmp_path, ARCHIVE.format(rating=rating), "archive.json")
    refuse("import", "archive", str(path), "--user", "ann", names=path, line=line)


def test_archive_folder_dev_zero_and_binary(refuse: Refuse, tmp_path: Path) -> None:
    refuse("import", "archive", str(tmp_path), "--user", "ann", names=tmp_path)
    refuse("import", "archive", "/dev/zero", "--user", "ann", names="/dev/zero")
    path = _csv(tmp_path, b'{"user": "ann",\n "ratings": [\xff\xfe\x00\x01]}', "archive.json")
    refuse("import", "archive", str(path), "--user", "ann", names=path, line=2)


def test_archive_nested_deep(refuse: Refuse, tmp_path: Path) -> None:
    path = _csv(tmp_path, '{"user": "ann", "lists": ' + "[" * 100_000 + "]" * 100_000 + "}", "archive.json")
    refuse("import", "archive", str(path), "--user", "ann", names=path)
