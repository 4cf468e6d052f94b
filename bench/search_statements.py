"""Where a search operation's time goes, statement by statement, on a store already filled.

    PYTHONPATH=src .venv/bin/python bench/search_statements.py STORE_URL [--op search] [--queries 300]

Draws the seeded calls of ``bench_search.py`` (``--op``: suggest, search, people…) from the store,
runs them once to warm the caches, then again with every SQL statement timed through SQLAlchemy's
cursor events. Prints the calls' p50 / p90 / p99 / mean (ms), then the statement shapes that took
the most time: their share, count, median, p90 and longest. Used for BENCHMARKS.md "PostgreSQL
typo search at 1M" (a store filled by ``marquee import imdb /tmp/imdb1m``).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).parent))
import bench_search
from marquee.storage import open_store
from marquee.storage.engine import engine_of


def _quantile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * q))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="a filled store's URL")
    ap.add_argument("--op", default="search", help="an operation of bench_search.workloads")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--top", type=int, default=10)
    a = ap.parse_args()
    store = open_store(a.url)
    try:
        calls = bench_search.workloads(store, [], a.queries)[a.op]
        for call in calls:  # warm: the caches, the prepared statements
            call()
        taken: dict[str, list[float]] = defaultdict(list)
        started: list[float] = []

        def before(*_: Any) -> None:
            started.append(time.perf_counter())

        def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            taken[re.sub(r"\s+", " ", statement)[:100]].append((time.perf_counter() - started.pop()) * 1000)

        engine = engine_of(store)
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
        per_call = []
        for call in calls:
            begun = time.perf_counter()
            call()
            per_call.append((time.perf_counter() - begun) * 1000)
    finally:
        store.close()
    print(
        f"{a.op}: p50 {_quantile(per_call, 0.5):.1f}  p90 {_quantile(per_call, 0.9):.1f}"
        f"  p99 {_quantile(per_call, 0.99):.1f}  mean {statistics.mean(per_call):.1f} ms"
    )
    total = sum(sum(v) for v in taken.values()) or 1.0
    for shape, times in sorted(taken.items(), key=lambda kv: -sum(kv[1]))[: a.top]:
        print(
            f"{sum(times) / total * 100:5.1f}%  n={len(times):5d}  median {_quantile(times, 0.5):6.2f}"
            f"  p90 {_quantile(times, 0.9):6.1f}  max {max(times):6.1f} ms | {shape}"
        )


if __name__ == "__main__":
    main()
