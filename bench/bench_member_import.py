"""Member import speed: a 3,000-row IMDb ratings export into SQLite (target: under 5 s), and more.

    .venv/bin/python bench/bench_member_import.py [--rows 3000] [--db sqlite:////tmp/bench-member.db]
    .venv/bin/python bench/bench_member_import.py --db postgresql://USER@HOST/bench_member  # re-created

Synthetic films (seeded: titles, years, genres, directors) are stored first, then a ratings CSV
in IMDb's 2017 header is written for them, with a share of rows naming films the store lacks
(the importer adds those from the row). Timed, wall clock, each on the same store:

* dry run of the export (all the work, then rolled back);
* the import proper;
* re-importing it (nothing changes);
* undoing it;
* the same export into a store without any of its films (every film added from the CSV);
* the real Letterboxd export under tests/data/exports (matching by name and year).

Prints one line per step (wall clock, and this process's CPU time: the database's own work
is in the CPU time on SQLite, not on PostgreSQL) and writes JSON (``--out``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from marquee.records import Film, PersonRef, Rating, Runtime
from marquee.services.accounts import create_user
from marquee.services.member_import import import_imdb_ratings, import_letterboxd, undo_import
from marquee.storage import SqlStore, open_store

HEADER = [
    "Const",
    "Your Rating",
    "Date Rated",
    "Title",
    "URL",
    "Title Type",
    "IMDb Rating",
    "Runtime (mins)",
    "Year",
    "Genres",
    "Num Votes",
    "Release Date",
    "Directors",
]
GENRES = ["Drama", "Comedy", "Thriller", "Horror", "Romance", "Action", "Sci-Fi", "Documentary"]
WORDS = [
    "night",
    "river",
    "king",
    "shadow",
    "summer",
    "glass",
    "city",
    "last",
    "house",
    "red",
    "dream",
    "iron",
    "road",
    "silent",
    "secret",
]
LETTERBOXD = Path(__file__).parents[1] / "tests" / "data" / "exports" / "letterboxd" / "extratone"


def synthetic_films(count: int, rng: random.Random) -> list[Film]:
    """Films with IMDb-shaped ids, titles, years, genres, a director, a runtime and a rating."""
    films = []
    for n in range(count):
        title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(1, 4)))
        films.append(
            Film(
                id=f"tt{9_000_000 + n:07d}",
                title=title,
                year=rng.randint(1920, 2024),
                genres=rng.sample(GENRES, rng.randint(1, 3)),
                directors=[PersonRef(name=f"Director {rng.randint(1, 800)}")],
                runtimes=[Runtime(minutes=rng.randint(70, 180))],
                rating=Rating(value=round(rng.uniform(2, 9), 1), votes=rng.randint(5, 500_000)),
            )
        )
    return films


def write_csv(path: Path, films: list[Film], rng: random.Random) -> None:
    """An IMDb ratings export (2017 header) rating each of these films."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for film in films:
            assert film.rating is not None and film.year is not None
            writer.writerow(
                [
                    film.id,
                    rng.randint(1, 10),
                    f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    film.title,
                    f"https://www.imdb.com/title/{film.id}/",
                    "movie",
                    film.rating.value,
                    film.runtimes[0].minutes,
                    film.year,
                    ", ".join(film.genres),
                    film.rating.votes,
                    f"{film.year}-01-01",
                    ", ".join(d.name for d in film.directors),
                ]
            )


def timed(label: str, work: Callable[[], Any], results: dict[str, float]) -> Any:
    """Run ``work``; record and print its wall-clock and CPU seconds (CPU: this process only)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = work()
    results[label] = round(time.perf_counter() - start, 3)
    results[label + " (cpu)"] = round(time.process_time() - cpu, 3)
    print(f"{label:<48} {results[label]:7.2f} s wall {results[label + ' (cpu)']:7.2f} s cpu", flush=True)
    return value


def fresh(url: str) -> SqlStore:
    """An empty store at ``url`` (a SQLite file deleted, a PostgreSQL database dropped and created)."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        parsed = make_url(url).set(drivername="postgresql+psycopg")
        admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    store = open_store(url)
    create_user(store, "bench", "bench-password")
    return store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--stored-share", type=float, default=0.9, help="share of rated films already stored")
    parser.add_argument("--db", default=f"sqlite:///{tempfile.gettempdir()}/bench-member-import.db")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    films = synthetic_films(args.rows, rng)
    folder = Path(tempfile.mkdtemp(prefix="bench-member-"))
    export = folder / "ratings.csv"
    write_csv(export, films, rng)
    results: dict[str, float] = {}
    print(f"{args.rows} rows, {args.stored_share:.0%} of the films stored first, {args.db}")

    store = fresh(args.db)
    stored = films[: int(len(films) * args.stored_share)]
    timed(f"store {len(stored)} synthetic films (setup)", lambda: store.save_films(stored), results)
    timed("dry run", lambda: import_imdb_ratings(store, export, "bench", dry_run=True), results)
    report = timed("import", lambda: import_imdb_ratings(store, export, "bench"), results)
    print(f"  {report.matched} ratings {report.change('member_ratings').added}")
    again = timed("re-import (nothing changes)", lambda: import_imdb_ratings(store, export, "bench"), results)
    assert again.changed == 0
    timed("undo", lambda: undo_import(store, report.import_id or 0), results)
    store.close()

    store = fresh(args.db)
    timed(
        "import into an empty store (every film added)",
        lambda: import_imdb_ratings(store, export, "bench"),
        results,
    )
    timed(
        "Letterboxd export (extratone), same store",
        lambda: import_letterboxd(store, LETTERBOXD, "bench"),
        results,
    )
    store.close()
    if args.out:
        args.out.write_text(
            json.dumps({"rows": args.rows, "db": args.db, "seconds": results}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
