"""The SQLite fast staging path: the same staged tables as the precise path, or it gives up.

Every test compares the fast path with the precise path (``stage_file(..., fast=False)``, the
reader + Python mappers that report bad rows by line): same rows, values, types and line
numbers when the fast path stages a file; the very same message (or rejects) when it gives up.
"""

from __future__ import annotations

import gzip
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import InputError
from marquee.formats.imdb_tsv import DATASETS, HEADERS, dataset_of
from marquee.limits import PERSON_YEAR_RANGE, YEAR_RANGE
from marquee.services.imdb_read import text_blocks
from marquee.services.imdb_stage import StageJob, StageResult, stage_file
from marquee.storage.imdb_fast_stage import PERSON_YEAR_RE, YEAR_RE, stage_fast
from marquee.storage.imdb_stage import sqlite_stage_ddl
from support.imdb_rows import ACCEPTED, FATAL, GOOD, LEFT_TO_THE_PRECISE_PATH, REAL, write

SHARED = Path(__file__).resolve().parents[1].parent / "shared"  # ../shared beside the checkout


def staged(db: Path) -> list[tuple[Any, ...]]:
    """Every staged row with the SQLite type of each value, in key order."""
    conn = sqlite3.connect(db)
    try:
        names = [d[0] for d in conn.execute("SELECT * FROM stage LIMIT 0").description]
        columns = ", ".join(f"{n}, typeof({n})" for n in names)
        return conn.execute(f"SELECT {columns} FROM stage").fetchall()
    finally:
        conn.close()


def job(path: Path, db: Path, *, skip: bool = False, rejects: Path | None = None) -> StageJob:
    dataset = dataset_of(path.name)
    assert dataset is not None
    return StageJob(dataset, path, path.name, skip, rejects, sqlite_file=db)


def fast_only(path: Path, db: Path) -> int | None:
    """Rows staged by the fast path alone, or None if it gave up."""
    dataset = dataset_of(path.name)
    assert dataset is not None
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for ddl in sqlite_stage_ddl(dataset):
            conn.execute(ddl)
        conn.execute("BEGIN")
        rows = stage_fast(conn, text_blocks(path, dataset, path.name), dataset, None)
        conn.execute("COMMIT")
        return rows
    finally:
        conn.close()


def both(path: Path, tmp: Path, **kw: Any) -> tuple[StageResult, StageResult]:
    """Stage ``path`` with the fast path first (``stage_file``) and with the precise path only."""
    fast = stage_file(job(path, tmp / "fast.db", **kw))
    precise = stage_file(job(path, tmp / "precise.db", **kw), fast=False)
    return fast, precise


def assert_same_staging(path: Path, tmp: Path) -> None:
    """The fast path stages the file itself, and exactly as the precise path does."""
    rows = fast_only(path, tmp / "alone.db")
    assert rows is not None, f"the fast path gave up on {path}"
    fast, precise = both(path, tmp)
    assert fast == precise
    assert (fast.fast, precise.fast) == (True, False)
    assert rows == precise.rows_staged
    assert staged(tmp / "alone.db") == staged(tmp / "fast.db") == staged(tmp / "precise.db")


@pytest.mark.parametrize("path", [d / f"{ds}.tsv" for d in REAL for ds in DATASETS], ids=str)
def test_real_excerpts_are_staged_identically(path: Path, tmp_path: Path) -> None:
    assert_same_staging(path, tmp_path)


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("gz", [False, True], ids=["tsv", "gz"])
def test_unusual_valid_rows_are_staged_identically(dataset: str, gz: bool, tmp_path: Path) -> None:
    assert_same_staging(write(tmp_path, dataset, ACCEPTED[dataset], gz=gz), tmp_path)


def test_every_rating_form_it_takes_is_the_float_python_reads() -> None:
    conn = sqlite3.connect(":memory:")
    for text in [f"{i}.{j}" for i in range(10) for j in range(10)] + ["10.0"]:
        (value,) = conn.execute("SELECT CAST(? AS REAL)", (text,)).fetchone()
        assert value == float(text), text


def test_many_blocks_and_statements_keep_their_line_numbers(tmp_path: Path) -> None:
    # 1 MiB blocks, 256 rows per statement: lines must run on across both boundaries.
    rows = [f"tt{n:07d}\t{n % 7}.{n % 10}\t{n}" for n in range(1, 60_001)]
    path = write(tmp_path, "title.ratings", rows, gz=True)
    assert_same_staging(path, tmp_path)
    conn = sqlite3.connect(tmp_path / "fast.db")
    assert conn.execute("SELECT min(line), max(line), count(*) FROM stage").fetchone() == (2, 60_001, 60_000)
    conn.close()


def test_progress_reaches_every_row_and_byte(tmp_path: Path) -> None:
    rows = [f"tt{n:07d}\t{n % 7}.{n % 10}\t{n}" for n in range(1, 200_001)]
    path = write(tmp_path, "title.ratings", rows)
    seen: list[tuple[str, int, int]] = []
    stage_file(job(path, tmp_path / "s.db"), lambda ds, done, n: seen.append((ds, done, n)))
    assert len(seen) > 1
    assert [s[2] for s in seen] == sorted(s[2] for s in seen)
    assert seen[-1] == ("title.ratings", path.stat().st_size, 200_000)


def assert_same_error(path: Path, tmp: Path) -> str:
    assert fast_only(path, tmp / "alone.db") is None
    with pytest.raises(InputError) as fast:
        stage_file(job(path, tmp / "fast.db"))
    with pytest.raises(InputError) as precise:
        stage_file(job(path, tmp / "precise.db"), fast=False)
    assert str(fast.value) == str(precise.value)
    return str(fast.value)


@pytest.mark.parametrize("case", FATAL)
def test_bad_input_gives_the_precise_paths_message(case: str, tmp_path: Path) -> None:
    dataset, rows = FATAL[case]
    header = "tconst\taverageRating" if case == "bad header" else None
    message = assert_same_error(write(tmp_path, dataset, rows, header=header), tmp_path)
    assert message.startswith(f"{dataset}.tsv:")


def test_invalid_utf8_gives_the_precise_paths_message(tmp_path: Path) -> None:
    path = tmp_path / "title.ratings.tsv"
    path.write_bytes(b"tconst\taverageRating\tnumVotes\ntt0000001\t5.7\t1\ntt00\xff02\t5.7\t1\n")
    assert assert_same_error(path, tmp_path) == "title.ratings.tsv:3: tconst: invalid UTF-8 (byte 0xff)"


def test_a_nul_gives_the_precise_paths_message(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "title.basics",
        [ACCEPTED["title.basics"][0], "tt0000001\tmovie\tA\x00B\t\\N\t0\t\\N\t\\N\t\\N\t\\N"],
    )
    assert assert_same_error(path, tmp_path) == "title.basics.tsv:3: primaryTitle: a NUL character (not text)"


@pytest.mark.parametrize("dataset", DATASETS)
def test_crlf_files_are_staged_like_lf_files_by_both_paths(dataset: str, tmp_path: Path) -> None:
    rows = [r.replace("\r", "") for r in ACCEPTED[dataset]]
    for name in ("lf", "crlf"):
        (tmp_path / name).mkdir()
    lf = write(tmp_path / "lf", dataset, rows)
    crlf = tmp_path / "crlf" / lf.name
    crlf.write_bytes(lf.read_bytes().replace(b"\n", b"\r\n"))
    assert_same_staging(lf, tmp_path / "lf")
    assert_same_staging(crlf, tmp_path / "crlf")  # the fast path does not give up on CRLF
    assert staged(tmp_path / "crlf" / "precise.db") == staged(tmp_path / "lf" / "precise.db")


def test_truncated_gzip_gives_the_precise_paths_message(tmp_path: Path) -> None:
    rows = [f"tt{n:07d}\tmovie\tTitle {n}\t\\N\t0\t2000\t\\N\t90\tDrama" for n in range(1, 30_000)]
    data = gzip.compress(("\t".join(HEADERS["title.basics"]) + "\n" + "\n".join(rows) + "\n").encode())
    path = tmp_path / "title.basics.tsv.gz"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated" in assert_same_error(path, tmp_path)


@pytest.mark.parametrize("case", LEFT_TO_THE_PRECISE_PATH)
def test_rows_it_does_not_know_go_to_the_precise_path(case: str, tmp_path: Path) -> None:
    dataset, rows = LEFT_TO_THE_PRECISE_PATH[case]
    path = write(tmp_path, dataset, rows)
    assert fast_only(path, tmp_path / "alone.db") is None
    fast, precise = both(path, tmp_path)
    assert fast == precise
    assert not fast.fast
    assert staged(tmp_path / "fast.db") == staged(tmp_path / "precise.db")


def test_skip_bad_rows_after_giving_up_writes_the_same_rejects(tmp_path: Path) -> None:
    rows = [GOOD, "tt0000002\t5.7", "tt0000003\t1.0\t3", "tt0000001\t2.0\t4", "tt0000004\tx\t1"]
    path = write(tmp_path, "title.ratings", rows)
    fast = stage_file(job(path, tmp_path / "fast.db", skip=True, rejects=tmp_path / "fast.rej"))
    precise = stage_file(
        job(path, tmp_path / "precise.db", skip=True, rejects=tmp_path / "precise.rej"), fast=False
    )
    assert fast == precise
    assert (fast.rows_read, fast.rows_staged, fast.rows_skipped) == (5, 2, 3)
    assert (tmp_path / "fast.rej").read_bytes() == (tmp_path / "precise.rej").read_bytes()
    assert staged(tmp_path / "fast.db") == staged(tmp_path / "precise.db")


def _synthetic_files() -> list[str]:
    return [f"{ds}.tsv.gz" for ds in DATASETS]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    script = SHARED / "bench" / "gen_imdb_tsv.py"
    subprocess.run([sys.executable, str(script), "--titles", "20000", "--out", str(out)], check=True)
    return out


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "bench" / "gen_imdb_tsv.py").is_file(), reason="../shared is not here")
@pytest.mark.parametrize("name", _synthetic_files())
def test_synthetic_datasets_are_staged_identically(name: str, synthetic: Path, tmp_path: Path) -> None:
    assert_same_staging(synthetic / name, tmp_path)


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "data" / "imdb-tsv").is_dir(), reason="../shared is not here")
@pytest.mark.parametrize("ds", DATASETS)
def test_shared_real_excerpts_are_staged_identically(ds: str, tmp_path: Path) -> None:
    files = [p for folder in (SHARED / "data" / "imdb-tsv").glob("*") for p in folder.glob(f"{ds}.tsv*")]
    assert files, f"no {ds} file under ../shared/data/imdb-tsv"
    for folder in sorted((SHARED / "data" / "imdb-tsv").glob("*")):
        for path in folder.glob(f"{ds}.tsv*"):
            assert_same_staging(path, tmp_path)
            for db in tmp_path.glob("*.db"):
                db.unlink()


@pytest.mark.parametrize(
    ("pattern", "bounds"),
    [(YEAR_RE, YEAR_RANGE), (PERSON_YEAR_RE, PERSON_YEAR_RANGE)],
    ids=["YEAR_RANGE", "PERSON_YEAR_RANGE"],
)
def test_the_fast_year_forms_are_exactly_the_documented_ranges(pattern: str, bounds: tuple[int, int]) -> None:
    # Every year the limits allow, in its plain form, and nothing else (no leading zero, no sign).
    low, high = bounds
    compiled = re.compile(pattern)
    accepted = {y for y in range(0, 100_000) if compiled.fullmatch(str(y))}
    assert accepted == set(range(low, high + 1))
    assert compiled.fullmatch("\\N")
    assert not any(compiled.fullmatch(form) for form in ("01999", "+1999", "-5", "", "1999.0"))
