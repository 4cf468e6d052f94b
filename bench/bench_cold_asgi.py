"""CPU per cold film page (page cache off), in-process: the ASGI app called directly, no sockets.

    PYTHONPATH=src .venv/bin/python bench/bench_cold_asgi.py STORE.db LABEL [--profile N]

Unlike ``bench_cold_page.py`` (Starlette's TestClient, which adds its own thread hop and HTTP client),
this drives ``create_app``'s ASGI callable from one uvloop event loop as uvicorn would, one request at
a time, over random titles of an existing store (e.g. the 100k store of ``bench_cold_web.sh``), and
counts ``process_time`` (every thread of the process: the thread pool's too). It also times, on the
same films, each layer alone: the film page's data (``services.film_page``), its context and its
render, so what is left is routing, middlewares and the thread-pool hop. ``--profile N`` prints a
cProfile of N pages instead (cumulative time, top 40).
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app

ROUNDS = 5
PAGES = 400


def _scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8821"), (b"user-agent", b"wrk"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8821),
        "state": {},
    }


async def _get(app: Any, path: str) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    """One GET through the whole ASGI app: status, body, headers."""
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"], answer["headers"] = message["status"], message["headers"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    await app(_scope(path), receive, send)
    return answer["status"], answer["body"], answer["headers"]


def _cpu_ms(run: Callable[[list[str]], None], ids: list[str]) -> str:
    medians = []
    for seed in range(ROUNDS):
        sample = random.Random(seed).sample(ids, PAGES)
        started = time.process_time()
        run(sample)
        medians.append((time.process_time() - started) / PAGES * 1e3)
    return f"{' '.join(f'{m:.2f}' for m in medians)} | median {statistics.median(medians):.2f}"


def main(db: str, label: str, profile: int = 0) -> None:
    open_store(f"sqlite:///{db}").close()  # a store of an older revision is migrated first
    ids = [row[0] for row in sqlite3.connect(db).execute("SELECT title_id FROM titles")]
    app = create_app(Settings(database_url=f"sqlite:///{db}", page_cache_size=0))
    site = app.state.marquee
    loop = asyncio.new_event_loop()
    try:
        import uvloop

        loop = uvloop.new_event_loop()
    except ImportError:
        pass

    def pages(sample: list[str]) -> None:
        async def all_pages() -> None:
            for film_id in sample:
                status, _body, _headers = await _get(app, f"/title/{film_id}")
                assert status == 200, (film_id, status)

        loop.run_until_complete(all_pages())

    pages(random.Random(99).sample(ids, 200))  # warm: templates compiled, connections open
    if profile:  # the render in the loop's thread, so that cProfile sees it
        from marquee.web import titles as title_routes

        async def inline(*args: Any) -> bytes:
            return title_routes._render_film(*args)

        setattr(title_routes, "_rendered", inline)  # noqa: B010
        profiler = cProfile.Profile()
        sample = random.Random(42).sample(ids, profile)
        profiler.enable()
        pages(sample)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        return
    from marquee.services.film_page import film_page
    from marquee.web import titles

    def data(sample: list[str]) -> None:
        for film_id in sample:
            film_page(site.store, film_id, titles.MORE_LIKE_THIS)

    from starlette.requests import Request

    def rendered(sample: list[str]) -> None:
        for film_id in sample:
            request = Request({**_scope(f"/title/{film_id}"), "app": app})
            titles._render_film(site, request, film_id, None)

    print(f"{label}: whole page through ASGI, CPU ms: {_cpu_ms(pages, ids)}")
    print(f"{label}: page rendered (data, context, Jinja), CPU ms: {_cpu_ms(rendered, ids)}")
    print(f"{label}: page data (services.film_page), CPU ms: {_cpu_ms(data, ids)}")
    loop.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    count = int(args[args.index("--profile") + 1]) if "--profile" in args else 0
    main(args[0], args[1], count)
