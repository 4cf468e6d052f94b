"""Time ``search_index.rebuild`` alone on an existing store: the chunked path vs the set-based one.

Usage: .venv/bin/python bench/bench_search_rebuild.py --db /tmp/search-bench/bench-100k.db [--runs 3]

Works on a copy of the SQLite file. Each run rebuilds inside one transaction, fingerprints every
index table (so both paths must produce identical rows) and rolls back.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from marquee.storage import search_index, search_rebuild  # noqa: F401  (loaded before timing)

_FINGERPRINT = {
    "title_search": "SELECT rowid, name, display, source FROM title_search ORDER BY rowid",
    "title_search_keys": "SELECT * FROM title_search_keys ORDER BY title_id",
    "person_search": "SELECT rowid, name, credits, votes FROM person_search ORDER BY rowid",
    "person_search_keys": "SELECT * FROM person_search_keys ORDER BY person_id",
    "text_search": "SELECT rowid, outline, plot, taglines, trivia, goofs, quotes FROM text_search"
    " ORDER BY rowid",
    "search_words": "SELECT word FROM search_words ORDER BY word",
}


def fingerprint(conn: Connection) -> dict[str, tuple[int, str]]:
    """Row count and SHA-1 of every index table's rows."""
    out = {}
    for table, sql in _FINGERPRINT.items():
        digest, n = hashlib.sha1(), 0
        for row in conn.execute(text(sql)):
            digest.update(repr(tuple(row)).encode())
            n += 1
        out[table] = (n, digest.hexdigest())
    return out


def run(url: str, fn: Callable[[Connection], None]) -> tuple[float, float, dict[str, tuple[int, str]]]:
    """Wall and CPU seconds of one rebuild, and the index it made (rolled back afterwards)."""
    engine = create_engine(url)
    with engine.connect() as conn:
        trans = conn.begin()
        wall, cpu = time.perf_counter(), time.process_time()
        fn(conn)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        prints = fingerprint(conn)
        trans.rollback()
    engine.dispose()
    return wall, cpu, prints


def main() -> None:
    """Copy the store, time both rebuild paths ``--runs`` times each, check they agree."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, type=Path, help="a SQLite store file (left untouched)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-old", action="store_true", help="time only the new path")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store.db"
        shutil.copy(args.db, copy)
        url = f"sqlite:///{copy}"
        with create_engine(url).connect() as conn:
            counts = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("titles", "alternate_titles", "people", "credits")
            }
        print("rows:", counts)
        paths = {"set-based (rebuild)": search_index.rebuild}
        if not args.skip_old:
            paths = {"chunked (rebuild_chunked)": search_index.rebuild_chunked, **paths}
        prints: dict[str, dict[str, tuple[int, str]]] = {}
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
