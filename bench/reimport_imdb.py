#!/usr/bin/env python3
"""Re-import of a newer IMDb dump (issue 20's target: at most 25 % of a full import's time, members'
data kept) against a full import of that dump into a fresh store, in one process, alternating.

Per round, in turn (the order swaps each round):

* **re-import**: a fresh SQLite store gets ``OLD`` imported (timed too: a full import), then a
  member rates two films (one of them changed in ``NEW``) and reviews the changed one, then ``NEW``
  is imported over it (timed). Checked after: the member's ratings and review are there, and the
  changed film has its new title.
* **full**: a fresh SQLite store gets ``NEW`` imported (timed).

Wall seconds from ``time.monotonic``; CPU seconds (user + system) of this process and its reaped
children (the staging workers and the indexes built ahead) from ``getrusage``. ``NEW`` comes from
``bench/imdb_newer_dump.py`` (its ``changed.json`` names the changed titles).

    PYTHONPATH=src .venv/bin/python bench/reimport_imdb.py /tmp/imdb100k /tmp/imdb100k-newer \\
        --work /tmp/reimport-bench --rounds 2 [--postgres postgresql+psycopg://USER@HOST/postgres]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marquee.records_community import ReviewIn
from marquee.services import accounts, community
from marquee.services.community_reviews import my_review, post_review
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import open_store


class Phases:
    """Prints when each file is staged and each phase begins (``ImportProgress``), with ``--trace``."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def start_file(self, name: str, total_bytes: int) -> None:
        pass

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        pass

    def finish_file(self, name: str) -> None:
        print(f"{time.monotonic() - self.t0:8.1f}s staged {name}", file=sys.stderr, flush=True)

    def stage(self, description: str) -> None:
        print(f"{time.monotonic() - self.t0:8.1f}s {description}", file=sys.stderr, flush=True)


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(work: Callable[[], Any]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``work()``."""
    wall, cpu = time.monotonic(), _cpu()
    work()
    return time.monotonic() - wall, _cpu() - cpu


SERVER: str | None = None  # --postgres: the server's URL; each store is a database made afresh


def _fresh(work: Path, name: str) -> str:
    if SERVER is not None:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        database = "bench_" + name.replace(".", "_")
        admin = create_engine(make_url(SERVER), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{database}"'))
        admin.dispose()
        return make_url(SERVER).set(database=database).render_as_string(hide_password=False)
    for path in work.glob(f"{name}*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return f"sqlite:///{work / name}"


def reimport(
    old: Path, new: Path, work: Path, changed: str, unchanged: str, trace: bool = False
) -> dict[str, tuple[float, float]]:
    """Import ``old``, add members' data, import ``new`` over it; check what the members wrote is kept."""
    store = open_store(_fresh(work, "reimport.db"))
    try:
        first = timed(lambda: import_imdb_datasets(store, old))
        member = accounts.create_user(store, "bench", "correct horse battery")
        community.rate(store, member, changed, 8)
        community.rate(store, member, unchanged, 3)
        post_review(
            store, member, changed, ReviewIn(title="Still good", body="Seen again.", score=8), scale=10
        )
        phases = Phases() if trace else None
        again = timed(lambda: import_imdb_datasets(store, new, trace=trace, progress=phases))
        kept = (
            community.my_rating(store, member, changed) == 8
            and community.my_rating(store, member, unchanged) == 3
            and my_review(store, member, changed) is not None
        )
        film = store.get_film(changed)
        updated = film is not None and film.title.endswith(" (Restored)")
        if not (kept and updated):
            raise SystemExit(f"re-import check failed: members' data kept {kept}, new title {updated}")
    finally:
        store.close()
    return {"full import (old dump, fresh store)": first, "re-import (new dump over old)": again}


def full(new: Path, work: Path) -> dict[str, tuple[float, float]]:
    store = open_store(_fresh(work, "full.db"))
    try:
        return {"full import (new dump, fresh store)": timed(lambda: import_imdb_datasets(store, new))}
    finally:
        store.close()


def _first_unchanged(basics: Path, changed: set[str]) -> str:
    """The first title of a title.basics file that is not among ``changed``."""
    with gzip.open(basics, "rt", encoding="utf-8") as fh:
        fh.readline()
        return next(tconst for tconst in (line.split("\t", 1)[0] for line in fh) if tconst not in changed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/marquee-reimport-bench"))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--trace", action="store_true", help="print each merge statement's time in the re-import")
    ap.add_argument("--postgres", help="a PostgreSQL server's URL: each store a database made on it")
    a = ap.parse_args()
    global SERVER
    SERVER = a.postgres
    a.work.mkdir(parents=True, exist_ok=True)
    ids = json.loads((a.new / "changed.json").read_text())["title.basics.tsv.gz"]
    changed = ids[0]
    unchanged = _first_unchanged(a.new / "title.basics.tsv.gz", set(ids))
    runs: dict[str, list[tuple[float, float]]] = {}
    for r in range(a.rounds):
        steps: list[Callable[[], dict[str, tuple[float, float]]]] = [
            lambda: reimport(a.old, a.new, a.work, changed, unchanged, a.trace),
            lambda: full(a.new, a.work),
        ]
        for step in steps if r % 2 == 0 else steps[::-1]:
            for what, (wall, cpu) in step().items():
                runs.setdefault(what, []).append((wall, cpu))
                print(
                    f"round {r + 1} {what:<38} {wall:7.1f}s wall {cpu:7.1f}s cpu", file=sys.stderr, flush=True
                )
    print("\n| import | wall s median (min–max) | CPU s median (min–max) |\n|---|---:|---:|")
    for what, times in runs.items():
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        print(
            f"| {what} | {statistics.median(walls):.1f} ({min(walls):.1f}–{max(walls):.1f}) |"
            f" {statistics.median(cpus):.1f} ({min(cpus):.1f}–{max(cpus):.1f}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
