"""Finding a request's route in the site's app, with each router's path check and without.

    .venv/bin/python bench/bench_routing.py [--db sqlite:///PATH] [--rounds 7] [--calls 2000]

For each path, the time to walk the app's top-level routes as Starlette's router does (each asked
``matches`` until the first full match), with ``web.router.Router``'s check (as served) and with
it off (FastAPI's own matching: every route of every router before the one that holds the path is
tried). Both are timed in the same round, alternating; medians over rounds, in microseconds. The
router that holds the route matches the request once more to handle it, so a request pays about
twice what is printed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from starlette.routing import Match  # noqa: E402

from marquee.settings import Settings  # noqa: E402
from marquee.web.app import create_app  # noqa: E402
from marquee.web.router import Router  # noqa: E402

PATHS = (
    "/",
    "/search",
    "/browse",
    "/charts",
    "/title/tt0089560/reviews",
    "/title/tt0089560/history",
    "/person/nm0000001",
    "/api/v1/titles/tt0089560",
    "/api/v1/search",
    "/login",
    "/static/site.css",
    "/no/such/page",
)


def walk(routes: list[object], scope: dict[str, object], calls: int) -> float:
    """Microseconds a call to find the first full match."""
    start = time.perf_counter()
    for _ in range(calls):
        for route in routes:
            if route.matches(scope)[0] == Match.FULL:  # type: ignore[attr-defined]
                break
    return (time.perf_counter() - start) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="store URL (default: a new empty SQLite store)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/routing.db"
    app = create_app(Settings(database_url=url))
    routes = list(app.router.routes)
    checked = Router._current_filter
    print(f"{'path':32s} {'checked µs':>11s} {'unchecked µs':>13s} {'ratio':>6s}")
    for path in PATHS:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "headers": []}
        on: list[float] = []
        off: list[float] = []
        for _ in range(args.rounds):
            on.append(walk(routes, scope, args.calls))
            Router._current_filter = lambda self: None  # type: ignore[method-assign]
            try:
                off.append(walk(routes, scope, args.calls))
            finally:
                Router._current_filter = checked  # type: ignore[method-assign]
        a, b = statistics.median(on), statistics.median(off)
        print(f"{path:32s} {a:11.1f} {b:13.1f} {a / b:6.2f}")


if __name__ == "__main__":
    main()
