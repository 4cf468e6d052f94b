"""Time ``search_index.rebuild`` alone on an existing store: the chunked path vs the set-based one.

Usage: .venv/bin/python bench/bench_search_rebuild.py --db /tmp/search-bench/bench-100k.db [--runs 3]
       .venv/bin/python bench/bench_search_rebuild.py --db postgresql://…/bench100k [--runs 3]

A SQLite store is worked on in a copy made by ``marquee backup``'s code (never a bare file copy, which
misses the WAL); a PostgreSQL one in place. Each run rebuilds inside one transaction, fingerprints
every index table (so both paths must produce identical rows) and rolls back. CPU time is this
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
    """Copy the store, time both rebuild paths ``--runs`` times each, check they agree."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--db", required=True, help="a SQLite store file or a PostgreSQL URL (left untouched)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-old", action="store_true", help="time only the new path")
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
        paths = {"set-based (rebuild)": search_index.rebuild}
        if not args.skip_old:
            paths = {"chunked (rebuild_chunked)": search_index.rebuild_chunked, **paths}
        prints: dict[str, Fingerprint] = {}
        for name, fn in paths.items():
            walls, cpus = [], []
            for _ in range(args.runs):
                wall, cpu, prints[name] = run(url, fn)
                walls.append(wall)
                cpus.append(cpu)
            print(
                f"{name}: median wall {statistics.median(walls):.2f} s, cpu {statistics.median(cpus):.2f} s"
                f" (walls {', '.join(f'{w:.2f}' for w in walls)})"
            )
        for table, (n, _) in next(iter(prints.values())).items():
            print(f"  {table}: {n} rows")
        if len(prints) == 2:
            old, new = prints.values()
            diff = [t for t in old if old[t] != new[t]]
            print("identical index" if not diff else f"DIFFERENT: {diff}")


if __name__ == "__main__":
    main()
