"""Each seeded search call's own time, best of a few runs, with nothing else timed.

    PYTHONPATH=src .venv/bin/python bench/search_calls.py STORE_URL [--op search] [--queries 300] [--best 3]

Draws the calls of ``bench_search.py`` (``--op``: suggest, search, people…) from a filled store,
runs them once to warm the caches, then runs each call ``--best`` times and keeps its fastest:
a machine's noise mostly adds time, so the best of three is the steadier figure for comparing two
versions of the code call by call (``search_statements.py`` times every statement too, which
costs a little per statement). Prints the sum over the calls and their p50 / p90 / p99 (ms), and
with ``--out FILE`` writes each call's time as JSON, in call order, for a side-by-side diff.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_search
from marquee.storage import open_store


def _quantile(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * q))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="a filled store's URL")
    ap.add_argument("--op", default="search", help="an operation of bench_search.workloads")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--best", type=int, default=3, help="runs of each call; the fastest is kept")
    ap.add_argument("--out", type=Path, help="write each call's time (ms) here as JSON")
    a = ap.parse_args()
    store = open_store(a.url)
    try:
        calls = bench_search.workloads(store, [], a.queries)[a.op]
        for call in calls:  # warm: the caches, the prepared statements
            call()
        times = []
        for call in calls:
            best = float("inf")
            for _ in range(a.best):
                begun = time.perf_counter()
                call()
                best = min(best, time.perf_counter() - begun)
            times.append(best * 1000)
    finally:
        store.close()
    if a.out:
        a.out.write_text(json.dumps(times))
    print(
        f"{a.op}: sum {sum(times):.0f} ms  p50 {_quantile(times, 0.5):.2f}  p90 {_quantile(times, 0.9):.1f}"
        f"  p99 {_quantile(times, 0.99):.1f} ms  ({len(times)} calls, best of {a.best})"
    )


if __name__ == "__main__":
    main()
