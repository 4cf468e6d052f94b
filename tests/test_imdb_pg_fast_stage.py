"""The PostgreSQL fast staging path: the same staged tables as the precise path, or it gives up.

Each test stages a file twice on PostgreSQL, by ``stage_file`` (the fast path first) and by the
precise path alone (``fast=False``), and compares every staged row, value, type and line number
(``EXCEPT ALL`` both ways), or the very same message when the input is bad. The rows are those of
the SQLite fast path's tests (``test_imdb_fast_stage``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import make_url

from marquee.errors import InputError
from marquee.formats.imdb_tsv import DATASETS, dataset_of
from marquee.services.imdb_read import text_blocks
from marquee.services.imdb_stage import StageJob, StageResult, stage_file
from marquee.storage.imdb_pg_fast_stage import stage_pg_fast
from marquee.storage.imdb_stage import STAGE_NAMES, pg_stage_ddl
from support.imdb_rows import ACCEPTED, FATAL, LEFT_TO_THE_PRECISE_PATH, REAL, write


@pytest.fixture
def pg_conninfo(pg_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database's libpq connection string."""
    yield make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)


def _schemas(conninfo: str, dataset: str) -> None:
    """Empty staging tables of ``dataset`` in the schemas ``fast`` and ``precise``."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for schema in ("fast", "precise"):
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.execute(f"CREATE SCHEMA {schema}")
            for ddl in pg_stage_ddl(dataset, schema):
                conn.execute(ddl)


def job(path: Path, conninfo: str, schema: str, **kw: Any) -> StageJob:
    dataset = dataset_of(path.name)
    assert dataset is not None
    return StageJob(
        dataset,
        path,
        path.name,
        kw.get("skip", False),
        kw.get("rejects"),
        pg_conninfo=conninfo,
        pg_schema=schema,
    )


def both(path: Path, conninfo: str, **kw: Any) -> tuple[StageResult, StageResult]:
    """Stage ``path`` with the fast path first and with the precise path only."""
    dataset = dataset_of(path.name)
    assert dataset is not None
    _schemas(conninfo, dataset)
    fast = stage_file(job(path, conninfo, "fast", **kw))
    precise = stage_file(job(path, conninfo, "precise", **kw), fast=False)
    return fast, precise


def differing(conninfo: str, dataset: str) -> int:
    """Staged rows (with their line) in one schema and not the other, both ways."""
    table = STAGE_NAMES[dataset]
    with psycopg.connect(conninfo) as conn:
        one = f"SELECT * FROM fast.{table} EXCEPT ALL SELECT * FROM precise.{table}"
        other = f"SELECT * FROM precise.{table} EXCEPT ALL SELECT * FROM fast.{table}"
        found = conn.execute(f"SELECT (SELECT count(*) FROM ({one}) a) + (SELECT count(*) FROM ({other}) b)")
        row = found.fetchone()
        assert row is not None
        return int(row[0])


def assert_same_staging(path: Path, conninfo: str) -> None:
    fast, precise = both(path, conninfo)
    assert fast == precise
    assert (fast.fast, precise.fast) == (True, False)
    assert differing(conninfo, fast.dataset) == 0


@pytest.mark.parametrize("path", [d / f"{ds}.tsv" for d in REAL for ds in DATASETS], ids=str)
def test_real_excerpts_are_staged_identically(path: Path, pg_conninfo: str) -> None:
    assert_same_staging(path, pg_conninfo)


@pytest.mark.parametrize("dataset", DATASETS)
def test_unusual_valid_rows_are_staged_identically(dataset: str, pg_conninfo: str, tmp_path: Path) -> None:
    # Carriage returns go to the precise path here (COPY refuses them unquoted): tested below.
    rows = [row for row in ACCEPTED[dataset] if "\r" not in row]
    assert_same_staging(write(tmp_path, dataset, rows, gz=True), pg_conninfo)


def test_ids_padded_or_all_zero_are_staged_as_int_reads_them(pg_conninfo: str, tmp_path: Path) -> None:
    rows = ["tt0000001\tnm000000001\t\\N", "tt0000002\tnm0000001\tnm0000002,nm0000000,nm00"]
    assert_same_staging(write(tmp_path, "title.crew", rows), pg_conninfo)


def test_lines_run_on_across_blocks(pg_conninfo: str, tmp_path: Path) -> None:
    rows = [f"tt{n:07d}\t{n % 7}.{n % 10}\t{n}" for n in range(1, 60_001)]
    assert_same_staging(write(tmp_path, "title.ratings", rows, gz=True), pg_conninfo)
    with psycopg.connect(pg_conninfo) as conn:
        found = conn.execute("SELECT min(line), max(line), count(*) FROM fast.ratings").fetchone()
    assert found == (2, 60_001, 60_000)


LEFT_HERE = {
    **{k: v for k, v in LEFT_TO_THE_PRECISE_PATH.items() if v[0] != "title.crew"},
    "carriage return": ("title.akas", ["tt0000001\t1\tA\rB\t\\N\t\\N\t\\N\t\\N\t0"]),
    "the quote byte": ("title.akas", ["tt0000001\t1\tA\x01B\t\\N\t\\N\t\\N\t\\N\t0"]),
    "a unicode escape": (
        "title.principals",
        ['tt0000001\t1\tnm0000001\tactor\t\\N\t["\\u00e9t\\u00e9", "x"]'],
    ),
}


@pytest.mark.parametrize("case", LEFT_HERE)
def test_rows_it_does_not_know_go_to_the_precise_path(case: str, pg_conninfo: str, tmp_path: Path) -> None:
    dataset, rows = LEFT_HERE[case]
    path = write(tmp_path, dataset, rows)
    _schemas(pg_conninfo, dataset)
    with psycopg.connect(pg_conninfo) as conn:
        blocks = text_blocks(path, dataset, path.name)
        assert stage_pg_fast(conn, f"fast.{STAGE_NAMES[dataset]}", dataset, blocks, None) is None
    fast, precise = both(path, pg_conninfo)
    assert fast == precise
    assert not fast.fast
    assert differing(pg_conninfo, dataset) == 0


@pytest.mark.parametrize("case", ["duplicate key", "duplicate pair", "JSON not strings", "bad id in a list"])
def test_bad_input_gives_the_precise_paths_message(case: str, pg_conninfo: str, tmp_path: Path) -> None:
    dataset, rows = FATAL[case]
    path = write(tmp_path, dataset, rows)
    _schemas(pg_conninfo, dataset)
    with pytest.raises(InputError) as fast:
        stage_file(job(path, pg_conninfo, "fast"))
    with pytest.raises(InputError) as precise:
        stage_file(job(path, pg_conninfo, "precise"), fast=False)
    assert str(fast.value) == str(precise.value)
    assert str(fast.value).startswith(f"{dataset}.tsv:")


def test_skipped_repeats_write_the_same_rejects(pg_conninfo: str, tmp_path: Path) -> None:
    rows = ["tt0000001\t5.7\t2093", "tt0000002\t1.0\t3", "tt0000001\t2.0\t4"]
    path = write(tmp_path, "title.ratings", rows)
    fast, precise = both(path, pg_conninfo, skip=True)
    assert fast == precise
    assert fast.fast
    assert (fast.rows_read, fast.rows_staged, fast.rows_skipped) == (3, 2, 1)
    assert differing(pg_conninfo, "title.ratings") == 0
