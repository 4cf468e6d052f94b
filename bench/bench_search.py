"""Search, browse and chart latency on a synthetic IMDb catalogue, in process, on either backend.

    python /work/shared/bench/gen_imdb_tsv.py --titles 100000 --out /tmp/imdb-100k
    .venv/bin/python bench/bench_search.py --imdb /tmp/imdb-100k --db sqlite:////tmp/bench-100k.db
    .venv/bin/python bench/bench_search.py --imdb /tmp/imdb-100k --db postgresql://…/bench

An empty store is filled by inserting the IMDb rows straight into the tables and running
``search_index.rebuild`` (timed), or with ``--loader importer`` by the IMDb importer.
IMDb files carry no plots, so seeded synthetic outlines (words drawn from the catalogue's
own titles) are written for a share of titles before the rebuild; the last 2,000 of them are
indexed afterwards with ``refresh_titles``, which measures the per-film index update. Queries
are seeded:

* suggest: prefixes (3-8 letters) of titles drawn by votes, as a person types them;
* search: whole titles with one typo (``search_titles``);
* people: the same queries through ``search_people`` (the search page's people section);
* text: two or three words of a synthetic outline (``search_text``);
* browse: two filters and a sort, 50 per page, with the total;
* chart: ``top_rated`` per genre.

Prints a table and writes JSON (``--out``). Per call: wall clock median, p99 and mean, and the
process's CPU time median and p99.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from marquee.services.browse import BrowseFilters, browse, top_rated
from marquee.services.search import search_people, search_text, search_titles, suggest_titles
from marquee.storage import SqlStore, open_store, schema, search_index

SEED = 20261122
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def load(store: SqlStore, imdb: Path, loader: str, share: float) -> dict[str, float]:
    """Load the IMDb files and the outlines when the store is empty; returns what each step took.

    With the direct loader, outlines are written before the one timed ``rebuild`` except for
    ``REFRESHED`` titles, indexed afterwards by ``refresh_titles`` to time the per-film update
    (indexing every outline that way takes longer than the rebuild at 1M titles).
    """
    if store.count_films():
        return {}
    if loader == "importer":
        from marquee.services.imdb_import import import_imdb_datasets

        started = time.perf_counter()
        import_imdb_datasets(store, imdb)
        setup = {"import_with_rebuild_s": round(time.perf_counter() - started, 1)}
        outlines = make_outlines(store, share)
        setup["outlines_refresh_titles_per_s"] = refresh_outlines(store, outlines)
        return setup
    started = time.perf_counter()
    with store.writing() as conn:
        for table, rows in direct_rows(imdb):
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(schema.metadata.tables[table]), rows[start : start + 20_000])
    loaded = time.perf_counter() - started
    outlines = make_outlines(store, share)
    later = dict(list(outlines.items())[-REFRESHED:])
    write_outlines(store, {i: o for i, o in outlines.items() if i not in later})
    started, cpu = time.perf_counter(), time.process_time()
    with store.writing() as conn:
        search_index.rebuild(conn)
    setup = {
        "direct_load_s": round(loaded, 1),
        "rebuild_s": round(time.perf_counter() - started, 1),
        "rebuild_cpu_s": round(time.process_time() - cpu, 1),
    }
    setup["outlines_refresh_titles_per_s"] = refresh_outlines(store, later)
    return setup


def _tsv(path: Path) -> Iterator[list[str | None]]:
    """Rows of an IMDb .tsv.gz file, ``\\N`` as None, header skipped."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            yield [None if f == "\\N" else f for f in line.rstrip("\n").split("\t")]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def direct_rows(imdb: Path) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Table rows straight from the IMDb files (internal ids = the numbers of tt/nm ids)."""
    titles, genres = [], []
    for tconst, kind, primary, original, adult, start, end, minutes, genre in _tsv(
        imdb / "title.basics.tsv.gz"
    ):
        tid = int(str(tconst)[2:])
        titles.append({"title_key": tid, "title_id": tconst, "kind": kind, "primary_title": primary or "?",
                       "original_title": original, "is_adult": adult == "1", "start_year": _int(start),
                       "end_year": _int(end), "runtime_minutes": _int(minutes)})  # fmt: skip
        genres += [
            {"title_key": tid, "ordering": i, "genre": g} for i, g in enumerate((genre or "").split(",")) if g
        ]
    yield "titles", titles
    yield "title_genres", genres
    yield (
        "imdb_ratings",
        [
            {"title_key": int(str(t)[2:]), "average": float(str(a)), "scale": 10, "votes": int(str(v))}
            for t, a, v in _tsv(imdb / "title.ratings.tsv.gz")
        ],
    )
    yield "alternate_titles", [
        {"title_key": int(str(t)[2:]), "ordering": int(str(o)), "title": title, "region": region,
         "language": language, "is_original": original == "1"}
        for t, o, title, region, language, _types, _attrs, original in _tsv(imdb / "title.akas.tsv.gz")
        if title
    ]  # fmt: skip
    yield "people", [
        {"person_key": int(str(n)[2:]), "person_id": n, "name": name or "?", "birth_year": _int(born),
         "death_year": _int(died), "professions": professions, "known_for": known}
        for n, name, born, died, professions, known in _tsv(imdb / "name.basics.tsv.gz")
    ]  # fmt: skip
    yield "credits", [
        {"title_key": int(str(t)[2:]), "category": category, "ordering": int(str(o)),
         "person_key": int(str(n)[2:]), "job": job, "character": characters}
        for t, o, n, category, job, characters in _tsv(imdb / "title.principals.tsv.gz")
    ]  # fmt: skip


REFRESHED = 2000  # outlines indexed one batch of titles at a time, to time refresh_titles


def make_outlines(store: SqlStore, share: float) -> dict[int, str]:
    """Seeded synthetic outlines for a share of titles (words of the catalogue's own titles), by id."""
    rng = random.Random(SEED)
    with store.reading() as conn:
        ids = list(conn.execute(text("SELECT title_key FROM titles ORDER BY title_key")).scalars())
        names = (
            conn.execute(text("SELECT primary_title FROM titles ORDER BY title_key LIMIT 20000"))
            .scalars()
            .all()
        )
    vocabulary = sorted({w.lower() for n in names for w in n.split() if w.isalpha() and len(w) > 3})
    chosen = sorted(rng.sample(ids, int(len(ids) * share))) if ids else []
    return {i: " ".join(rng.choices(vocabulary, k=rng.randint(12, 30))) for i in chosen}


def write_outlines(store: SqlStore, outlines: dict[int, str], *, index: bool = False) -> None:
    """Store the outlines in batches; with ``index``, each batch is re-indexed by ``refresh_titles``."""
    chosen = sorted(outlines)
    for start in range(0, len(chosen), 2000):
        batch = chosen[start : start + 2000]
        with store.writing() as conn:
            conn.execute(
                text("UPDATE titles SET outline = :o WHERE title_key = :i"),
                [{"o": outlines[i], "i": i} for i in batch],
            )
            if index:
                search_index.refresh_titles(conn, batch)


def refresh_outlines(store: SqlStore, outlines: dict[int, str]) -> float:
    """Write and index these outlines with ``refresh_titles``; returns titles per second."""
    started = time.perf_counter()
    write_outlines(store, outlines, index=True)
    return round(len(outlines) / max(time.perf_counter() - started, 1e-9))


def stored_outlines(store: SqlStore) -> list[str]:
    """The outlines in the store (the text workload draws its words from them)."""
    with store.reading() as conn:
        return list(conn.execute(text("SELECT outline FROM titles WHERE outline IS NOT NULL")).scalars())


def typo(title: str, rng: random.Random) -> str:
    text_ = title.lower()
    positions = [i for i, c in enumerate(text_) if c.isalpha()]
    if len(positions) < 4:
        return text_
    i = rng.choice(positions[1:])
    op = rng.randrange(4)
    if op == 0:
        return text_[:i] + text_[i + 1 :]
    if op == 1:
        return text_[:i] + rng.choice(LETTERS) + text_[i:]
    if op == 2:
        return text_[:i] + rng.choice(LETTERS) + text_[i + 1 :]
    return text_[: i - 1] + text_[i] + text_[i - 1] + text_[i + 1 :]


def workloads(store: SqlStore, outlines: list[str], n: int) -> dict[str, list[Callable[[], Any]]]:
    """Seeded calls for each operation."""
    rng = random.Random(SEED)
    with store.reading() as conn:
        # People type titles others watch: draw by votes (rated titles), some from the whole catalogue.
        rated = (
            conn.execute(
                text(
                    "SELECT t.primary_title FROM titles t JOIN imdb_ratings r ON r.title_key = t.title_key"
                    " WHERE t.kind <> 'tvEpisode' ORDER BY r.votes DESC LIMIT 20000"
                )
            )
            .scalars()
            .all()
        )
        anything = (
            conn.execute(text("SELECT primary_title FROM titles ORDER BY title_key LIMIT 50000"))
            .scalars()
            .all()
        )
        genres = conn.execute(text("SELECT DISTINCT genre FROM title_genres ORDER BY genre")).scalars().all()
    rated = [t for t in rated if len(t) >= 4]
    titles = [t for t in (*rated, *anything) if len(t) >= 4]
    pick = [rng.choice(rated if rated and rng.random() < 0.7 else titles) for _ in range(n)]
    suggest = [p[: rng.randint(3, min(8, len(p)))] for p in pick]
    search = [typo(p, rng) for p in pick]
    words = [o.split() for o in outlines] or [["love", "night"]]
    texts = [
        " ".join(rng.sample(ws, min(len(ws), rng.randint(2, 3))))
        for ws in (rng.choice(words) for _ in range(n))
    ]
    sorts = ("votes", "rating", "year", "title")

    def browse_filters(i: int) -> BrowseFilters:
        genre = rng.choice(genres) if genres else None
        kind = ("two filters", i % 3)
        if kind[1] == 0:
            return BrowseFilters(genre=genre, decade=rng.randrange(1950, 2030, 10))
        if kind[1] == 1:
            return BrowseFilters(genre=genre, min_votes=rng.choice((10, 100, 1000)))
        return BrowseFilters(kind="movie", runtime_min=80, runtime_max=rng.choice((100, 120, 150)))

    browses = [(browse_filters(i), sorts[i % 4]) for i in range(max(1, n // 4))]
    charts = [rng.choice(genres) if genres else None for _ in range(max(1, n // 50))]
    return {
        "suggest": [lambda q=q: suggest_titles(store, q) for q in suggest],
        "search": [lambda q=q: search_titles(store, q) for q in search],
        # The search page's people section, asked the same typed titles (/search.json runs both).
        "people": [lambda q=q: search_people(store, q) for q in search],
        "text": [lambda q=q: search_text(store, q) for q in texts],
        "browse": [lambda f=f, s=s: browse(store, f, sort=s) for f, s in browses],
        "chart": [lambda g=g: top_rated(store, m=1000, kind=None, genre=g) for g in charts],
    }


def measure(calls: list[Callable[[], Any]], warmup: int = 20) -> dict[str, float]:
    for call in calls[:warmup]:
        call()
    times, cpu = [], []
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    times.sort()
    cpu.sort()

    def p99(values: list[float]) -> float:
        return round(values[min(len(values) - 1, int(len(values) * 0.99))], 2)

    # Wall clock counts the waits of a shared, loaded machine; CPU time is this process's own work
    # (the database engine runs in process for SQLite, in the server for PostgreSQL).
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": p99(times),
        "mean_ms": round(statistics.fmean(times), 2),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p99_ms": p99(cpu),
    }


def profile(name: str, calls: list[Callable[[], Any]], top: int = 30) -> None:
    """Run ``calls`` (after 20 warm-up calls) under cProfile, timed by CPU, and print the costliest."""
    import cProfile
    import pstats

    for call in calls[:20]:
        call()
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for call in calls:
        call()
    profiler.disable()
    print(f"---- {name}: {len(calls)} calls", flush=True)
    stats = pstats.Stats(profiler).sort_stats("tottime")
    stats.print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--imdb", type=Path, required=True, help="folder of IMDb .tsv.gz files")
    parser.add_argument("--db", required=True, help="database URL (loaded when empty)")
    parser.add_argument(
        "--loader", choices=("direct", "importer"), default="direct",
        help="fill an empty store by inserting rows straight into the tables, or with the IMDb importer",
    )  # fmt: skip
    parser.add_argument("--queries", type=int, default=2000, help="calls per search operation")
    parser.add_argument("--outline-share", type=float, default=0.1, help="share of titles given an outline")
    parser.add_argument("--only", nargs="*", help="operations to run (default: all)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N",
        help="instead of timing, run the first N calls of each operation under cProfile and print the top",
    )  # fmt: skip
    args = parser.parse_args(argv)
    store = open_store(args.db)
    try:
        setup = load(store, args.imdb, args.loader, args.outline_share)
        outlines = stored_outlines(store)
        with store.reading() as conn:
            setup["titles"] = store.count_films()
            setup["names_indexed"] = conn.execute(text("SELECT count(*) FROM title_search")).scalar_one()
        results: dict[str, Any] = {"db": store.dialect, "setup": setup}
        for name, calls in workloads(store, outlines, args.queries).items():
            if args.only and name not in args.only:
                continue
            if args.profile:
                profile(name, calls[: args.profile])
                continue
            # The machine is shared: the load average (1 min) before and after says how much.
            load_before = os.getloadavg()[0]
            results[name] = measure(calls) | {"load_1min": [load_before, round(os.getloadavg()[0], 2)]}
            print(f"{store.dialect:10} {name:8} {json.dumps(results[name])}", flush=True)
        print(json.dumps(results, indent=2))
        if args.out:
            args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
