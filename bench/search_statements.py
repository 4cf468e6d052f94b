"""Where a search operation's time goes, statement by statement, on a store already filled.

    PYTHONPATH=src .venv/bin/python bench/search_statements.py STORE_URL [--op search] [--queries 300]
    PYTHONPATH=src .venv/bin/python bench/search_statements.py STORE_URL --op search --best 3 [--out FILE]

Draws the seeded calls of ``bench_search.py`` (``--op``: suggest, search, people…) from the store,
runs them once to warm the caches, then again with every SQL statement timed through SQLAlchemy's
cursor events. Prints the calls' p50 / p90 / p99 / mean (ms), then the statement shapes that took
the most time: their share, count, median, p90 and longest. Used for BENCHMARKS.md "PostgreSQL
typo search at 1M" (a store filled by ``marquee import imdb /tmp/imdb1m``).

``--best K``: nothing timed but the calls, each run K times and its fastest kept (a machine's noise
mostly adds time, so this is the steadier figure for comparing two versions of the code call by
call; the statement events cost a little per statement and miss statements sent outside
SQLAlchemy). Prints the sum over the calls and their p50 / p90 / p99; ``--out FILE`` writes each
call's time (ms) as JSON, in call order, for a side-by-side diff.
"""

from __future__ import annotations

import argparse
import json
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
    ap.add_argument("--best", type=int, default=0, help="time the calls alone, each its fastest of N runs")
    ap.add_argument("--out", type=Path, help="with --best: write each call's time (ms) here as JSON")
    a = ap.parse_args()
    store = open_store(a.url)
    try:
        calls = bench_search.workloads(store, [], a.queries)[a.op]
        for call in calls:  # warm: the caches, the prepared statements
            call()
        if a.best > 0:
            _best_of(calls, a.op, a.best, a.out)
            return
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


def _best_of(calls: list[Any], op: str, runs: int, out: Path | None) -> None:
    """Each call's fastest of ``runs``, with nothing else timed; the sum and quantiles printed."""
    times = []
    for call in calls:
        best = float("inf")
        for _ in range(runs):
            begun = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - begun)
        times.append(best * 1000)
    if out:
        out.write_text(json.dumps(times))
    print(
        f"{op}: sum {sum(times):.0f} ms  p50 {_quantile(times, 0.5):.2f}  p90 {_quantile(times, 0.9):.1f}"
        f"  p99 {_quantile(times, 0.99):.1f} ms  ({len(times)} calls, best of {runs})"
    )


if __name__ == "__main__":
    main()
