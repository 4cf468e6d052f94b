"""Time ``search_index.rebuild`` (the set-based rebuild) alone on an existing store.

Usage: .venv/bin/python bench/bench_search_rebuild.py --db /tmp/search-bench/bench-100k.db [--runs 3]
       .venv/bin/python bench/bench_search_rebuild.py --db postgresql://…/bench100k [--runs 3]

A SQLite store is worked on in a copy made by ``marquee backup``'s code (never a bare file copy, which
misses the WAL); a PostgreSQL one in place. Each run rebuilds inside one transaction, fingerprints
every index table (so runs can be compared: they must produce identical rows) and rolls back.
(The chunked path this was first measured against, ``search_index.rebuild_chunked``, is gone; see
BENCHMARKS.md for its times.) CPU time is this
process's; on PostgreSQL the server's work is not in it (see wall).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.storage import search_index, search_rebuild, search_rebuild_pg  # noqa: F401  (loaded before timing)
from marquee.storage.backup import backup_store
from marquee.storage.engine import make_engine

Fingerprint = dict[str, tuple[int, str]]


def run(url: str, fn: Callable[[Connection], None]) -> tuple[float, float, Fingerprint]:
    """Wall and CPU seconds of one rebuild, and the index it made (rolled back afterwards)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        trans = conn.begin()
        wall, cpu = time.perf_counter(), time.process_time()
        fn(conn)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        prints = search_index.fingerprint(conn)
        trans.rollback()
    engine.dispose()
    return wall, cpu, prints


def main() -> None:
    """Copy the store, time the rebuild ``--runs`` times, check every run made the same index."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--db", required=True, help="a SQLite store file or a PostgreSQL URL (left untouched)"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db
        if "://" not in url:
            copy = Path(tmp) / "store.db"
            backup_store(f"sqlite:///{Path(args.db).absolute()}", copy, quick=True)  # WAL included
            url = f"sqlite:///{copy}"
        with make_engine(url).connect() as conn:
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("titles", "alternate_titles", "people", "credits")
            }
        print("rows:", counts)
        walls: list[float] = []
        cpus: list[float] = []
        prints: list[Fingerprint] = []
        for _ in range(args.runs):
            wall, cpu, fingerprint = run(url, search_index.rebuild)
            walls.append(wall)
            cpus.append(cpu)
            prints.append(fingerprint)
        print(
            f"set-based (rebuild): median wall {statistics.median(walls):.2f} s,"
            f" cpu {statistics.median(cpus):.2f} s (walls {', '.join(f'{w:.2f}' for w in walls)})"
        )
        for table, (n, _) in prints[0].items():
            print(f"  {table}: {n} rows")
        diff = sorted({t for p in prints for t in p if p[t] != prints[0][t]})
        print("identical index on every run" if not diff else f"DIFFERENT between runs: {diff}")


if __name__ == "__main__":
    main()
