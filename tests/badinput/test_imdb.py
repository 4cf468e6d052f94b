"""Bad input in IMDb's dataset files (``marquee import imdb DIR``), on SQLite and PostgreSQL.

Every case is refused with one line ``PATH:LINE: field: reason`` naming the file as given (the
folder passed, joined with the file's name) and an unchanged store. Row-level cases are also run
with ``--skip-bad-rows``: the import then goes on, counts and writes the rejected row, and that row
changes nothing (the title it names stays as stored). Damage that is not a row (header, gzip,
an overlong line, a binary file) stops the import even when skipping.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from marquee.formats.imdb_tsv import HEADERS
from marquee.limits import MAX_LINE_BYTES, PERSON_YEAR_RANGE, YEAR_RANGE
from support.cli import Marquee
from support.fingerprints import tables_of

PIMDB = Path(__file__).parent.parent / "data" / "imdb" / "pimdb-test-fixtures"


def stored_line(dataset: str, key: str) -> str:
    """The excerpt's line of a file for one id (the filled store holds it as it is)."""
    lines = (PIMDB / f"{dataset}.tsv").read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line.startswith(f"{key}\t"))


def header(dataset: str) -> str:
    return "\t".join(HEADERS[dataset])


# Lines 2 of each file: a row exactly as stored (so it changes nothing either).
GOOD = {
    "title.basics": stored_line("title.basics", "tt2535470"),
    "title.ratings": stored_line("title.ratings", "tt2535470"),
    "title.crew": stored_line("title.crew", "tt2535470"),
    "name.basics": stored_line("name.basics", stored_line("title.principals", "tt2535470").split("\t")[2]),
}
WRATH = stored_line("title.basics", "tt1754912").split("\t")


def basics(**change: str) -> str:
    fields = dict(zip(HEADERS["title.basics"], WRATH, strict=True))
    return "\t".join({**fields, **change}.values())


def names(**change: str) -> str:
    person = GOOD["name.basics"].split("\t")
    other = next(
        line
        for line in (PIMDB / "name.basics.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if not line.startswith(f"{person[0]}\t")
    )
    fields = dict(zip(HEADERS["name.basics"], other.split("\t"), strict=True))
    return "\t".join({**fields, **change}.values())


Y0, Y1 = YEAR_RANGE
P0, P1 = PERSON_YEAR_RANGE
MAX64 = str(2**64)

# id -> (dataset, the bad line 3 after a good line 2)
ROWS: dict[str, tuple[str, str]] = {
    "negative votes": ("title.ratings", "tt1754912\t3.5\t-317"),
    "votes beyond 64 bits": ("title.ratings", f"tt1754912\t3.5\t{MAX64}"),
    "votes beyond the 32-bit column": ("title.ratings", "tt1754912\t3.5\t3000000000"),
    "NaN rating": ("title.ratings", "tt1754912\tNaN\t317"),
    "Infinity rating": ("title.ratings", "tt1754912\tInfinity\t317"),
    "inf rating": ("title.ratings", "tt1754912\tinf\t317"),
    "rating in exponent form": ("title.ratings", "tt1754912\t3.5e0\t317"),
    "rating above 10": ("title.ratings", "tt1754912\t10.5\t317"),
    "rating below 0": ("title.ratings", "tt1754912\t-0.5\t317"),
    "negative runtime": ("title.basics", basics(runtimeMinutes="-96")),
    "runtime beyond 64 bits": ("title.basics", basics(runtimeMinutes=MAX64)),
    "year before the range": ("title.basics", basics(startYear=str(Y0 - 1))),
    "year after the range": ("title.basics", basics(startYear=str(Y1 + 1))),
    "end year beyond 64 bits": ("title.basics", basics(endYear=MAX64)),
    "birth year 0": ("name.basics", names(birthYear=str(P0 - 1))),
    "death year after the range": ("name.basics", names(deathYear=str(P1 + 1))),
    "negative birth year": ("name.basics", names(birthYear="-50")),
    "id with a path": ("title.ratings", "../x\t3.5\t317"),
    "javascript id": ("title.ratings", "javascript:alert(1)\t3.5\t317"),
    "id with a slash": ("title.basics", basics(tconst="tt17/54912")),
    "id with dots inside": ("title.basics", basics(tconst="tt..1754912")),
    "person id not nm": ("name.basics", names(nconst="tt0000001")),
    "crew id with a slash": ("title.crew", "tt1754912\tnm1839354/x\tnm1839354"),
    "principal id javascript": ("title.principals", "tt1754912\t1\tjavascript:x\tactor\t\\N\t\\N"),
    "negative season": ("title.episode", "tt10070612\ttt7144668\t-2\t5"),
    "ordering beyond 64 bits": ("title.akas", f"tt1754912\t{MAX64}\tWrath\tUS\t\\N\t\\N\t\\N\t0"),
    "wrong column count": ("title.ratings", "tt1754912\t3.5"),
}


def _folder(tmp_path: Path, dataset: str, lines: list[bytes], *, gz: bool = False) -> tuple[Path, Path]:
    folder = tmp_path / "dump"
    folder.mkdir(exist_ok=True)
    data = b"".join(line + b"\n" for line in lines)
    path = folder / f"{dataset}.tsv{'.gz' if gz else ''}"
    path.write_bytes(gzip.compress(data) if gz else data)
    return folder, path


def row_file(tmp_path: Path, case: str, *, crlf: bool = False) -> tuple[Path, Path]:
    dataset, bad = ROWS[case]
    good = GOOD.get(dataset, "")
    lines = [header(dataset), good, bad] if good else [header(dataset), bad]
    end = "\r" if crlf else ""
    return _folder(tmp_path, dataset, [(line + end).encode() for line in lines])


def bad_line(case: str) -> int:
    return 3 if GOOD.get(ROWS[case][0]) else 2


@pytest.mark.parametrize("case", ROWS)
def test_a_value_the_records_refuse_is_refused_by_line(
    refuse: Callable[..., object], tmp_path: Path, case: str
) -> None:
    folder, path = row_file(tmp_path, case)
    refuse("import", "imdb", str(folder), names=path, line=bad_line(case))


@pytest.mark.parametrize("case", ["negative votes", "NaN rating", "year after the range", "id with a path"])
def test_crlf_files_are_refused_by_the_same_line(
    refuse: Callable[..., object], tmp_path: Path, case: str
) -> None:
    folder, path = row_file(tmp_path, case, crlf=True)
    refuse("import", "imdb", str(folder), names=path, line=bad_line(case))


def _tables(url: str) -> dict[str, str]:
    hashes = tables_of(url)
    hashes.pop("store_meta")  # the import record: rows staged per file
    # An import rebuilds the search indexes: FTS5's segments (``*_data``, ``*_idx``) are laid out
    # anew for the very same contents (``*_content``, ``*_docsize`` and every other table compared;
    # the word indexes are contentless: their ``*_docsize`` is compared).
    # Films' similar lists are derived from the catalogue: an import computes them again.
    hashes.pop("title_similar", None)
    # Each file's line hashes are what the next re-import compares against: the import's own record.
    hashes.pop("imdb_line_hashes", None)
    return {name: h for name, h in hashes.items() if not name.endswith(FTS_SEGMENTS)}


FTS_SEGMENTS = ("_search_data", "_search_idx", "_search_words_data", "_search_words_idx")


@pytest.mark.parametrize("case", ROWS)
def test_skipping_a_bad_row_changes_nothing(
    filled_db_url: str, tmp_path: Path, case: str, runner: Marquee
) -> None:
    folder, path = row_file(tmp_path, case)
    rejects = tmp_path / "rejects.tsv"
    before = _tables(filled_db_url)
    result = runner(
        "--db", filled_db_url, "import", "imdb", str(folder), "--skip-bad-rows", "--rejects", str(rejects)
    )
    assert result.exit_code == 0, result.stderr
    assert _tables(filled_db_url) == before
    written = rejects.read_bytes().decode("utf-8").splitlines()
    assert len(written) == 1 and written[0].startswith(f"{path}:{bad_line(case)}\t")
    assert "skipped" in result.stdout


# ------------------------------------------------------------------ damage that is not a row


def _truncated(tmp_path: Path) -> tuple[Path, Path, int]:
    rows = [header("title.ratings").encode()] + [f"tt{n:07d}\t5.0\t{n}".encode() for n in range(1, 40_000)]
    folder, path = _folder(tmp_path, "title.ratings", rows, gz=True)
    cut = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(cut)
    ends_in = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(cut).count(b"\n") + 1
    return folder, path, ends_in


def _file(dataset: str, data: bytes, *, name: str | None = None) -> Callable[[Path], tuple[Path, Path, int]]:
    def make(tmp_path: Path) -> tuple[Path, Path, int]:
        folder = tmp_path / "dump"
        folder.mkdir()
        path = folder / (name or f"{dataset}.tsv")
        path.write_bytes(data)
        return folder, path, 1

    return make


def _at(dataset: str, data: bytes, line: int) -> Callable[[Path], tuple[Path, Path, int]]:
    def make(tmp_path: Path) -> tuple[Path, Path, int]:
        folder, path, _ = _file(dataset, data)(tmp_path)
        return folder, path, line

    return make


RATINGS = header("title.ratings").encode()
GOOD_RATING = GOOD["title.ratings"].encode()
FATAL: dict[str, Callable[[Path], tuple[Path, Path, int]]] = {
    "wrong header": _file("title.ratings", b"tconst\tavgRating\tnumVotes\n" + GOOD_RATING + b"\n"),
    "header of another file": _file("title.ratings", header("title.crew").encode() + b"\n"),
    "missing header": _file("title.ratings", GOOD_RATING + b"\n" + GOOD_RATING + b"\n"),
    "empty file": _file("title.ratings", b""),
    "empty gzip": _file("title.ratings", gzip.compress(b""), name="title.ratings.tsv.gz"),
    "binary file named .tsv": _file("title.basics", bytes(range(256)) * 64),
    "PNG named .tsv": _file("title.basics", b"\x89PNG\r\n\x1a\n" + b"\x00\xff" * 500),
    "not gzip named .tsv.gz": _file("title.ratings", RATINGS + b"\n", name="title.ratings.tsv.gz"),
    "NUL in the header": _file("title.ratings", b"tconst\x00\taverageRating\tnumVotes\n"),
    "truncated gzip": _truncated,
    "line beyond the limit": _at(
        "title.ratings",
        RATINGS + b"\n" + GOOD_RATING + b"\ntt1754912\t" + b"9" * MAX_LINE_BYTES + b"\t1\n",
        3,
    ),
    "no line end before the limit": _at("title.ratings", RATINGS + b"\n" + b"x" * (MAX_LINE_BYTES + 10), 2),
}


@pytest.mark.parametrize("skip", [False, True], ids=["stop", "skip-bad-rows"])
@pytest.mark.parametrize("case", FATAL)
def test_damage_stops_the_import_even_when_skipping(
    refuse: Callable[..., object], tmp_path: Path, case: str, skip: bool
) -> None:
    folder, path, line = FATAL[case](tmp_path)
    refuse("import", "imdb", str(folder), *(["--skip-bad-rows"] if skip else []), names=path, line=line)


# Bad bytes in a row: a row-level problem (skippable), named by line and field.
BYTES = {
    "non-UTF-8 byte": b"tt1754912\t3.\xff5\t317",
    "NUL in a field": b"tt1754912\t3.5\x00\t317",
    "UTF-16 row": "tt1754912\t3.5\t317".encode("utf-16-le"),
}


@pytest.mark.parametrize("case", BYTES)
def test_bad_bytes_in_a_row_are_refused_by_line(
    refuse: Callable[..., object], tmp_path: Path, case: str
) -> None:
    folder, path = _folder(tmp_path, "title.ratings", [RATINGS, GOOD_RATING, BYTES[case]])
    refusal = refuse("import", "imdb", str(folder), names=path, line=3)
    assert "averageRating" in refusal.message or "tconst" in refusal.message  # type: ignore[attr-defined]


def test_a_crlf_dump_imports_exactly_like_the_lf_one(
    filled_db_url: str, tmp_path: Path, runner: Marquee
) -> None:
    # The filled store holds the LF excerpt: the same files with CRLF line ends change nothing.
    folder = tmp_path / "crlf"
    folder.mkdir()
    for src in PIMDB.iterdir():
        (folder / src.name).write_bytes(src.read_bytes().replace(b"\n", b"\r\n"))
    before = _tables(filled_db_url)
    result = runner("--db", filled_db_url, "import", "imdb", str(folder))
    assert result.exit_code == 0, result.stderr
    assert _tables(filled_db_url) == before


def test_the_file_is_named_as_given_relative_folder_and_all(
    refuse: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    row_file(tmp_path, "NaN rating")
    monkeypatch.chdir(tmp_path)
    refusal = refuse("import", "imdb", "dump", names="dump/title.ratings.tsv", line=3)
    assert refusal.message.startswith("dump/title.ratings.tsv:3: averageRating: ")  # type: ignore[attr-defined]
