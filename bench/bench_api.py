"""Speed of the JSON API's film record (GET /api/v1/titles/{id}) under wrk, 64 connections, loopback.

    .venv/bin/python bench/bench_api.py                      # 100,000 titles, project venv
    .venv/bin/python bench/bench_api.py --titles 1000000 --duration 20s
    .venv/bin/python bench/bench_api.py --python /tmp/bench-venv/bin/python --fast

The store is built by inserting rows directly (titles, genres, IMDb ratings, runtimes, ~10
credits per title, people) into a migrated SQLite store, so each record looks like an imported
IMDb title. The server is uvicorn serving ``marquee.web.app:create_app`` (the site, with the API
in it) in its own processes; wrk runs as a second process. ``--fast`` adds uvloop + httptools
(not project dependencies: use a venv that has them, e.g. the one bench/bench_web.sh documents).

Scenarios: one popular film (cache hot), random films among 20,000 (mostly cache misses: a read
of the store each), random films among 1,000 read once before (a working set that fits the
cache), and conditional GETs answered 304. Results: a table on stdout and one JSON
line per run in bench/out/api-results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
LUA = ROOT / "bench" / "bench_web.lua"  # shared with bench_web.sh

GENRES = ["Drama", "Comedy", "Action", "Romance", "Thriller", "Horror", "Documentary", "Crime", "Adventure"]
CATEGORIES = ["actor", "actress", "actor", "actress", "actor", "actress", "self", "actor"]
FIRST = ["Ann", "Bob", "Cher", "Dev", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea", "Mo", "Nia"]
LAST = ["Stone", "Rivera", "Okafor", "Larsen", "Moreau", "Tanaka", "Kowalski", "Haddad", "Byrne", "Silva"]
WORDS = ["Night", "Train", "Summer", "Glass", "River", "Ghost", "Empire", "Winter", "Garden", "Last", "Blue"]


def _chunks(rows: Iterator[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build_store(path: Path, titles: int) -> None:
    """A migrated SQLite store with ``titles`` synthetic titles, inserted row by row in bulk."""
    sys.path.insert(0, str(ROOT / "src"))
    from sqlalchemy import insert

    from marquee.storage import open_store
    from marquee.storage import schema as s

    started = time.perf_counter()
    store = open_store(f"sqlite:///{path}")
    rng = random.Random(7)
    people = max(1000, titles // 2)

    def title_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, titles + 1):
            name = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
            yield {
                "title_key": i, "title_id": f"tt{i:07d}", "kind": "movie", "primary_title": f"{name} {i}",
                "original_title": f"{name} {i}", "is_adult": False, "start_year": rng.randint(1920, 2024),
                "runtime_minutes": rng.randint(70, 180), "comments_open": True,
                "plot": f"The story of {name.lower()} number {i}, told over one long night.",
            }  # fmt: skip

    def person_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, people + 1):
            yield {
                "person_key": i, "person_id": f"nm{i:07d}",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                "birth_year": rng.randint(1900, 2000), "professions": "actor", "known_for": f"tt{i:07d}",
            }  # fmt: skip

    def genre_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, titles + 1):
            for n, genre in enumerate(rng.sample(GENRES, rng.randint(1, 3))):
                yield {"title_id": i, "ordering": n, "genre": genre}

    def rating_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, titles + 1):
            votes = int(rng.paretovariate(1.2) * 20)
            yield {"title_id": i, "average": round(rng.uniform(2, 9.5), 1), "scale": 10, "votes": votes}

    def runtime_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, titles + 1):
            yield {
                "title_id": i,
                "ordering": 0,
                "minutes": rng.randint(70, 180),
                "country": None,
                "note": None,
            }

    def credit_rows() -> Iterator[dict[str, Any]]:
        for i in range(1, titles + 1):
            yield {"title_id": i, "category": "director", "ordering": 0, "person_id": rng.randint(1, people)}
            yield {"title_id": i, "category": "writer", "ordering": 0, "person_id": rng.randint(1, people)}
            for n, category in enumerate(CATEGORIES):
                yield {
                    "title_id": i, "category": category, "ordering": n, "person_id": rng.randint(1, people),
                    "character": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                }  # fmt: skip

    tables = [
        (s.titles, title_rows), (s.people, person_rows), (s.title_genres, genre_rows),
        (s.imdb_ratings, rating_rows), (s.runtimes, runtime_rows), (s.credits, credit_rows),
    ]  # fmt: skip
    with store.writing() as conn:
        for table, rows in tables:
            count = 0
            columns = {c.name for c in table.columns}
            for chunk in _chunks(rows()):
                full = [{name: row.get(name) for name in columns} for row in chunk]
                conn.execute(insert(table), full)
                count += len(chunk)
            print(f"  {table.name}: {count:,} rows", flush=True)
    store.close()
    print(f"built {path} with {titles:,} titles in {time.perf_counter() - started:.0f} s", flush=True)


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not answer")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of every process in a process group (the server and its workers)."""
    total = 0
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / ticks


def run_wrk(
    url: str, *, duration: str, connections: int, paths: Path | None, etag: str | None
) -> dict[str, Any]:
    env = {**os.environ, "PATHS": str(paths) if paths else "", "ETAG": etag or ""}
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", "-s", str(LUA), url]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    return result


def serve(
    python: str, db: Path, port: int, workers: int, fast: bool, cache_seconds: float | None
) -> subprocess.Popen[bytes]:
    command = [
        python, "-m", "uvicorn", "marquee.web.app:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    if fast:
        command += ["--loop", "uvloop", "--http", "httptools"]
    env = {
        **os.environ,
        "MARQUEE_DATABASE_URL": f"sqlite:///{db}",
        "PYTHONPATH": str(ROOT / "src"),
        # The bench measures speed, not the limiter: make sure no low limit is set from outside.
        "MARQUEE_API_RATE": "0",
        "MARQUEE_API_TOKEN_RATE": "0",
    }
    if cache_seconds is not None:
        env["MARQUEE_WEB_PAGE_CACHE_SECONDS"] = str(cache_seconds)
    return subprocess.Popen(command, env=env, start_new_session=True)


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="default: bench/out/api-<titles>.db (built if missing)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs uvicorn")
    parser.add_argument("--fast", action="store_true", help="uvicorn with uvloop and httptools")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument("--duration", default="20s")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8831)
    parser.add_argument(
        "--cache-seconds", type=float, help="the site's page cache time-to-live (default: the site's, 30 s)"
    )
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    db = args.db or OUT / f"api-{args.titles}.db"
    if not db.exists():
        build_store(db, args.titles)
    rng = random.Random(11)
    ids = rng.sample(range(1, args.titles + 1), min(20_000, args.titles))
    paths = OUT / f"api-paths-{args.titles}.txt"
    paths.write_text("".join(f"/api/v1/titles/tt{i:07d}\n" for i in ids))
    popular = f"/api/v1/titles/tt{ids[0]:07d}"
    # A working set that fits the cache (1,000 films; the site caches 2,048 entries by default),
    # read once before measuring: the case of popular films under real, skewed traffic.
    warm = OUT / f"api-paths-{args.titles}-1k.txt"
    warm.write_text("".join(f"/api/v1/titles/tt{i:07d}\n" for i in ids[:1000]))

    results = OUT / "api-results.jsonl"
    rows = []
    for workers in [int(w) for w in args.workers.split(",")]:
        server = serve(args.python, db, args.port, workers, args.fast, args.cache_seconds)
        base = f"http://127.0.0.1:{args.port}"
        try:
            wait_until_up(base + popular)
            with urllib.request.urlopen(base + popular) as response:
                etag = response.headers["ETag"]
            scenarios = [
                ("film-popular", base + popular, None, None),
                ("film-random-20k", base + "/", paths, None),
                ("film-random-1k-warm", base + "/", warm, None),
                ("film-304", base + popular, None, etag),
            ]
            for label, url, path_file, condition in scenarios:
                if label.endswith("-warm"):
                    for path in warm.read_text().split():  # each worker fills its own cache
                        for _ in range(workers * 3):
                            urllib.request.urlopen(base + path).read()
                cpu_before = group_cpu_seconds(server.pid)
                result = run_wrk(
                    url, duration=args.duration, connections=args.connections, paths=path_file, etag=condition
                )
                cpu = group_cpu_seconds(server.pid) - cpu_before
                # What the server spent per answer: on a shared, loaded box this is the stable number.
                result["server_cpu_ms_per_request"] = round(cpu * 1000 / max(1, result["requests"]), 3)
                load = Path("/proc/loadavg").read_text().split()[:3]
                record = {
                    "label": label, "workers": workers, "fast": args.fast, "titles": args.titles,
                    "connections": args.connections, "load": " ".join(load),
                    "cache_seconds": args.cache_seconds,
                    "when": time.strftime("%FT%TZ", time.gmtime()),
                    **result,
                }  # fmt: skip
                rows.append(record)
                with results.open("a") as f:
                    f.write(json.dumps(record) + "\n")
                print(
                    f"{label:16} w={workers} fast={args.fast!s:5} rps={result['rps']:8.0f} "
                    f"p50={result['p50_ms']:6.1f} ms p99={result['p99_ms']:6.1f} ms "
                    f"cpu/req={result['server_cpu_ms_per_request']:.3f} ms "
                    f"errors={result['errors']} non2xx={result['non_2xx']} load={' '.join(load)}",
                    flush=True,
                )
        finally:
            stop(server)


if __name__ == "__main__":
    main()
