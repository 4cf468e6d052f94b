"""The bulk build of "more like this" (issue 21) at scale: wall time and peak memory.

    .venv/bin/python bench/bench_similar_build.py --titles 100000 [--members 1000 --per-member 200]
    .venv/bin/python bench/bench_similar_build.py --titles 20000 --store sqlite:///tmp/x.db

Synthetic films stream from a seeded generator shaped like IMDb's catalogue (the kinds in IMDb's
shares, 1–3 of 28 genres, years 1900–2025, one director, one or two writers and five top-billed
cast members drawn from a pool of 1.2 people per title with a skewed popularity, so a few
people have thousands of titles, and skewed vote counts); members' ratings fall mostly on
much-voted films. The build is ``similar_scoring.neighbours_all`` on a streamed ``Catalogue``
(what ``rebuild_similar`` runs), every list consumed with its reasons, nothing stored.
``--store URL`` instead saves that many films to a store and times ``rebuild_similar`` itself
(read, build and write). Peak memory is the process's maximum RSS (``ru_maxrss``), the generator
and interpreter included.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marquee.services.similar_scoring import Catalogue, Features, neighbours_all  # noqa: E402

KINDS = [
    ("episode", 0.755),
    ("short", 0.087),
    ("movie", 0.062),
    ("video", 0.026),
    ("series", 0.025),
    ("tvMovie", 0.013),
    ("miniSeries", 0.006),
    ("special", 0.0045),
    ("game", 0.0042),
    ("tvShort", 0.0009),
]
GENRES = [
    "Action", "Adult", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary",
    "Drama", "Family", "Fantasy", "Film-Noir", "Game-Show", "History", "Horror", "Music", "Musical",
    "Mystery", "News", "Reality-TV", "Romance", "Sci-Fi", "Short", "Sport", "Talk-Show", "Thriller",
    "War", "Western",
]  # fmt: skip


def films(count: int, seed: int = 21) -> Iterator[Features]:
    rng = random.Random(seed)
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    pool = max(int(count * 1.2), 10)

    def person() -> int:
        return min(int(rng.paretovariate(0.9)) - 1, pool - 1) if rng.random() < 0.3 else rng.randrange(pool)

    for i in range(count):
        people: list[tuple[str, str, str]] = []
        for role, n in (("director", 1), ("writer", rng.randint(1, 2)), ("cast", 5)):
            for _ in range(n):
                p = person()
                people.append((role, f"nm{p:08d}", f"Person {p}"))
        yield Features(
            f"tt{i:08d}",
            rng.choices(kinds, weights)[0],
            rng.randint(1900, 2025),
            tuple(rng.sample(GENRES, rng.randint(1, 3))),
            tuple(people),
            int(rng.paretovariate(1.2) * 5),
        )


def ratings(count: int, members: int, per_member: int, seed: int = 7) -> Iterator[tuple[str, str]]:
    rng = random.Random(seed)
    for member in range(members):
        for _ in range(per_member):
            film = min(int(rng.paretovariate(0.7)) - 1, count - 1)  # skewed to the first (popular) ids
            yield str(member), f"tt{film:08d}"


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    catalogue = Catalogue().extend(films(args.titles))
    loaded = time.perf_counter() - start
    print(f"catalogue of {len(catalogue):,} films streamed in {loaded:.1f} s, peak RSS {peak_mib():.0f} MiB")
    lists = neighbours = 0
    for _, found in neighbours_all(catalogue, ratings(args.titles, args.members, args.per_member)):
        lists += bool(found)
        neighbours += len(found)
    wall = time.perf_counter() - start
    cpu = time.process_time()
    print(
        f"built: {lists:,} films with a list, {neighbours:,} neighbours; {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"({cpu / args.titles * 1e6:.0f} µs CPU a film), peak RSS {peak_mib():.0f} MiB"
    )


def through_store(args: argparse.Namespace) -> None:
    from marquee.records import CastMember, Film, PersonRef, Rating
    from marquee.services.discover import rebuild_similar
    from marquee.storage import open_store

    def record(f: Features) -> Film:
        def ref(role: str) -> list[PersonRef]:
            return [PersonRef(name=name, id=key) for r, key, name in f.people if r == role]

        return Film(
            id=f.tconst,
            title=f"Film {f.tconst}",
            year=f.year,
            genres=list(f.genres),
            directors=ref("director"),
            writers=ref("writer"),
            cast=[CastMember(name=name, id=key) for r, key, name in f.people if r == "cast"],
            rating=Rating(value=7.0, votes=max(f.votes, 1)),
        )

    store = open_store(args.store)
    started = time.perf_counter()
    store.save_films(record(f) for f in films(args.titles))
    print(f"saved {args.titles:,} films in {time.perf_counter() - started:.0f} s")
    start, cpu_start = time.perf_counter(), time.process_time()
    count = rebuild_similar(store)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    print(
        f"rebuild_similar: {count:,} films with a list in {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"peak RSS {peak_mib():.0f} MiB"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=1_000)
    parser.add_argument("--per-member", type=int, default=200)
    parser.add_argument("--store", help="a store URL: save the films there and time rebuild_similar")
    args = parser.parse_args()
    print(f"interpreter and modules: peak RSS {peak_mib():.0f} MiB")
    if args.store:
        through_store(args)
    else:
        build(args)


if __name__ == "__main__":
    main()
