#!/usr/bin/env python3
"""Benchmark ``marquee import imdb`` against imdb-sqlite 2.1.0 and the decompression floor.

Generates synthetic IMDb files with ``../shared/bench/gen_imdb_tsv.py`` (same format and
ratios as the real dumps), then runs, alternating, for ``--rounds`` rounds:

* ``zcat``        ``gzip -dc`` of all seven files to /dev/null (the floor)
* ``imdb-sqlite`` imdb-sqlite 2.1.0 as shipped (6 files, its own indexes + ANALYZE)
* ``marquee``     ``import_imdb_datasets`` into a fresh SQLite store (7 files, search indexes built)
* ``marquee-pg``  the same into a fresh PostgreSQL database (``--pg-url``), for rows per second

With ``--probe`` (SQLite), a thread of this process reads the store as the site would while Marquee
imports (every 0.25 s, its own connection): when a film page first answers (``get_film`` of the first
film of title.basics), when a suggestion first answers (``suggest_titles`` with its title gives any
title: an empty store gives none), and when the search index is ready; each with the wall and CPU
seconds of the import's process tree by then.

Each tool runs as a child process; wall time and CPU time (user + system, the worker processes
included) come from ``os.wait4``; peak memory is the RSS of the whole process tree summed
(sampled every 0.2 s from /proc: the staging workers run at once). Prints a Markdown
table of medians and the ratio to imdb-sqlite.

    .venv/bin/python bench/import_imdb.py --titles 100000 --rounds 3 \\
        --imdb-sqlite /tmp/imdb-bench-venv/bin/imdb-sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GEN = HERE.parents[1] / "shared" / "bench" / "gen_imdb_tsv.py"

MARQUEE_RUNNER = """
import sys, time
from marquee.storage import open_store
from marquee.services.imdb_import import import_imdb_datasets
from marquee.settings import load_settings

class Phases:  # when each file is staged and each phase begins, in the log
    def __init__(self): self.t0 = time.monotonic()
    def start_file(self, name, total): pass
    def advance(self, name, done, rows): pass
    def finish_file(self, name): print(f"{time.monotonic() - self.t0:8.1f}s staged {name}", flush=True)
    def stage(self, what): print(f"{time.monotonic() - self.t0:8.1f}s {what}", flush=True)

if __name__ == "__main__":
    t0 = time.monotonic()
    store = open_store(sys.argv[1])
    print("opened", flush=True)
    summary = import_imdb_datasets(store, sys.argv[2], progress=Phases(), trace=load_settings().import_trace)
    store.close()
    print(summary, flush=True)
    print("SECONDS", time.monotonic() - t0, flush=True)
"""


def _tree_sum(root: int, value: Any) -> int:
    """``value(stat fields)`` summed over a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    values: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        values[int(entry)] = value(fields)
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += values.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    return _tree_sum(root, lambda fields: int(fields[21]) * os.sysconf("SC_PAGE_SIZE"))


def _tree_cpu(root: int) -> float:
    """CPU seconds (user + system, reaped children included) of a process and its descendants."""
    ticks = _tree_sum(root, lambda fields: sum(int(f) for f in fields[11:15]))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


class Probe:
    """Reads the store being imported as the site would, and notes when each answer first comes."""

    def __init__(self, url: str, data: Path, log: Path) -> None:
        import gzip

        with gzip.open(data / "title.basics.tsv.gz", "rt", encoding="utf-8") as fh:
            fh.readline()
            # The first film (an episode ranks below films of the same name, as it should).
            fields = next(f for f in (line.rstrip("\n").split("\t") for line in fh) if f[1] == "movie")
        self.url, self.tconst, self.title, self.log = url, fields[0], fields[2], log
        self.seen: dict[str, tuple[float, float]] = {}

    def watch(self, proc: subprocess.Popen[bytes], started: float, stop: Any) -> None:
        """Poll until the import ends (``stop`` set) or everything answered."""
        while not stop.wait(0.25) and "opened" not in self.log.read_text():
            pass
        from marquee.services import search
        from marquee.storage import open_store

        suggest_titles = search.suggest_titles
        # Code from before issue 20 (measured side by side) has no building state: ready once in.
        search_index_building = getattr(search, "search_index_building", lambda store: False)

        store = open_store(self.url)
        try:
            while len(self.seen) < 3 and not stop.wait(0.25):
                try:
                    self._look(store, search_index_building, suggest_titles, proc, started)
                except Exception:  # locked, or a table being created: try again
                    continue
        finally:
            store.close()

    def _look(self, store: Any, building: Any, suggest: Any, proc: Any, started: float) -> None:
        def note(what: str) -> None:
            if what not in self.seen:
                self.seen[what] = (time.monotonic() - started, _tree_cpu(proc.pid))

        if "film page" not in self.seen and store.get_film(self.tconst) is not None:
            note("film page")
        # Not "a title of that name first": on synthetic data the full index ranks titles whose
        # alternate title matches above it, so code without the quick lookup never met that test.
        if "suggest" not in self.seen and suggest(store, self.title):
            note("suggest")
        if "film page" in self.seen and "search index ready" not in self.seen and not building(store):
            note("search index ready")


def run(cmd: list[str], log: Path, probe: Probe | None = None) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MiB of the whole process tree, exit code, CPU seconds of the tree)."""
    import threading

    started = time.monotonic()
    peak = [0]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        done = threading.Event()
        if probe is not None:
            threading.Thread(target=probe.watch, args=(proc, started, done), daemon=True).start()

        def sample() -> None:  # the tree's RSS summed (workers run at once), every 0.2 s
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
    wall = time.monotonic() - started
    cpu = usage.ru_utime + usage.ru_stime
    return wall, max(peak[0] / 2**20, usage.ru_maxrss / 1024), os.waitstatus_to_exitcode(status), cpu


def rows_in(manifest: dict[str, Any], with_crew: bool = True) -> int:
    return sum(v["rows"] for f, v in manifest["files"].items() if with_crew or f != "title.crew.tsv.gz")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--titles", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "marquee-imdb-bench"
    )
    ap.add_argument("--imdb-sqlite", default=shutil.which("imdb-sqlite"), help="imdb-sqlite 2.1.0 executable")
    ap.add_argument("--pg-url", help="postgresql://… server URL (a fresh database is made per run)")
    ap.add_argument("--tools", default="zcat,imdb-sqlite,marquee,marquee-pg")
    ap.add_argument("--data", type=Path, help="use these generated files (gen_imdb_tsv.py output)")
    ap.add_argument(
        "--keep-pg", action="store_true", help="keep the last PostgreSQL database (name, size printed)"
    )
    ap.add_argument("--probe", action="store_true", help="note when film pages and suggestions first answer")
    ap.add_argument(
        "--no-warm",
        action="store_true",
        help="skip reading the files once first (just written: in the page cache)",
    )
    a = ap.parse_args()

    data = a.data or a.work / f"data-{a.titles}"
    if not (data / "manifest.json").exists():
        print(f"generating {a.titles} titles into {data}", file=sys.stderr)
        subprocess.run([sys.executable, str(GEN), "--titles", str(a.titles), "--out", str(data)], check=True)
    manifest = json.loads((data / "manifest.json").read_text())
    out = a.work / "out"
    out.mkdir(parents=True, exist_ok=True)
    runner = a.work / "marquee_runner.py"
    runner.write_text(MARQUEE_RUNNER)
    tools = [t for t in a.tools.split(",") if t]
    if "imdb-sqlite" in tools and not a.imdb_sqlite:
        print("imdb-sqlite not found (pip install imdb-sqlite==2.1.0); skipping it", file=sys.stderr)
        tools.remove("imdb-sqlite")
    if "marquee-pg" in tools and not a.pg_url:
        tools.remove("marquee-pg")
    gz = sorted(str(p) for p in data.glob("*.tsv.gz"))
    if not a.no_warm:  # warm the page cache
        subprocess.run(["sh", "-c", f"gzip -dc {' '.join(gz)} > /dev/null"], check=True)

    results: dict[str, list[tuple[float, float, int, float]]] = {t: [] for t in tools}
    probe: Probe | None = None
    for r in range(a.rounds):
        for tool in tools[r % len(tools) :] + tools[: r % len(tools)]:  # rotate the order each round
            log = out / f"{tool}.{r}.log"
            if tool == "zcat":
                cmd = ["sh", "-c", f"gzip -dc {' '.join(gz)} > /dev/null"]
            elif tool == "imdb-sqlite":
                db = out / "imdb_sqlite.db"
                db.unlink(missing_ok=True)
                cmd = [a.imdb_sqlite, "--db", str(db), "--cache-dir", str(data)]
            elif tool == "marquee":
                db = out / "marquee.db"
                for f in out.glob("marquee.db*"):
                    f.unlink()
                cmd = [sys.executable, str(runner), f"sqlite:///{db}", str(data)]
                probe = Probe(f"sqlite:///{db}", data, log) if a.probe else None
            else:
                from sqlalchemy import create_engine, text

                name = f"bench_{uuid.uuid4().hex[:8]}"
                admin = create_engine(a.pg_url, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                url = admin.url.set(database=name).render_as_string(hide_password=False)
                cmd = [sys.executable, str(runner), url, str(data)]
            subprocess.run(["sync"], check=False)
            probe = probe if tool == "marquee" else None
            wall, rss, rc, cpu = run(cmd, log, probe)
            if probe is not None:
                for what, (at, used) in probe.seen.items():
                    print(
                        f"round {r + 1} {what:>18} first answered at {at:6.1f}s wall, {used:6.1f}s cpu",
                        file=sys.stderr,
                    )
            if tool == "marquee-pg":
                with admin.connect() as conn:
                    if a.keep_pg and r == a.rounds - 1:
                        size = conn.execute(text(f"SELECT pg_database_size('{name}')")).scalar_one()
                        print(f"kept database {name}: {size / 2**30:.2f} GiB", file=sys.stderr)
                    else:
                        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                admin.dispose()
            results[tool].append((wall, rss, rc, cpu))
            print(
                f"round {r + 1} {tool:13} {wall:8.1f}s wall {cpu:8.1f}s cpu {rss:7.0f} MiB  rc={rc}"
                f"  (load {os.getloadavg()[0]:.1f})",
                file=sys.stderr,
                flush=True,
            )

    base = (
        statistics.median(w for w, _, rc, _ in results.get("imdb-sqlite", []) if rc == 0)
        if results.get("imdb-sqlite")
        else None
    )
    print(
        f"\ndata: {manifest['titles']:,} titles, {manifest['rows_total']:,} rows in 7 files "
        f"({sum(v['bytes_gz'] for v in manifest['files'].values()) / 1e6:.0f} MB gz), {a.rounds} rounds\n"
    )
    print(
        "| tool | rows | wall s median (min–max) | CPU s median | peak RSS MiB (tree) | rows/s"
        " | vs imdb-sqlite | failed |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for tool, runs in results.items():
        ok = [x for x in runs if x[2] == 0] or runs
        walls = [w for w, _, _, _ in ok]
        med = statistics.median(walls)
        cpu = statistics.median(c for _, _, _, c in ok)
        rows = rows_in(manifest, with_crew=tool != "imdb-sqlite")
        ratio = f"{base / med:.2f}×" if base else "–"
        peak = max(r for _, r, _, _ in ok)
        failed = sum(1 for x in runs if x[2])
        print(
            f"| {tool} | {rows:,} | {med:.1f} ({min(walls):.1f}–{max(walls):.1f}) | {cpu:.1f} | "
            f"{peak:.0f} | {rows / med:,.0f} | {ratio} | {failed} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
