"""Recommendations on MovieLens (issue 21): leave-one-out hit rate@10 and NDCG@10, in one run.

    .venv/bin/python bench/bench_recommend.py [--data ../shared/data/movielens/ml-latest-small]

MovieLens ratings (0.5–5 stars, doubled to 1–10) are the members' ratings; each movie's genres
and year (from its title) are its features (MovieLens has no credits). For every member the
latest rating is held out; the rest train. Methods, each ranking 10 films the member has not rated:

* marquee: ``similar_scoring.neighbours_all`` (content + co-ratings, the 30 neighbours stored per
  film) then ``similar_scoring.recommend`` (what ``marquee recommend`` runs on the stored lists);
* item-kNN: the same recommendation over neighbours from co-ratings alone (cosine of raters, 30
  per film; written here, no library: scikit-learn/implicit are not project dependencies);
* popular: the most-rated films; random: a seeded shuffle.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marquee.services.similar_scoring import (  # noqa: E402
    KEEP,
    Features,
    neighbours_all,
    recommend,
)

YEAR = re.compile(r"\((\d{4})\)\s*$")


def load(folder: Path) -> tuple[dict[str, Features], list[tuple[str, str, int, int]]]:
    films: dict[str, Features] = {}
    with (folder / "movies.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            match = YEAR.search(row["title"])
            genres = tuple(g for g in row["genres"].split("|") if g != "(no genres listed)")
            films[row["movieId"]] = Features(
                row["movieId"], "movie", int(match.group(1)) if match else None, genres
            )
    ratings = []
    with (folder / "ratings.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            score = max(1, round(float(row["rating"]) * 2))
            ratings.append((row["userId"], row["movieId"], score, int(row["timestamp"])))
    return films, ratings


def split(ratings: list[tuple[str, str, int, int]]) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Training ratings per member and each member's held-out (latest) film."""
    by_user: dict[str, list[tuple[int, str, int]]] = {}
    for user, movie, score, stamp in ratings:
        by_user.setdefault(user, []).append((stamp, movie, score))
    train: dict[str, dict[str, int]] = {}
    held: dict[str, str] = {}
    for user, rows in by_user.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        held[user] = rows[-1][1]
        train[user] = {movie: score for _, movie, score in rows[:-1]}
    return train, held


def knn_lists(train: dict[str, dict[str, int]], keep: int) -> dict[str, list[tuple[str, float]]]:
    raters: dict[str, list[str]] = {}
    for user, rated in train.items():
        for movie in rated:
            raters.setdefault(movie, []).append(user)
    out: dict[str, list[tuple[str, float]]] = {}
    for movie, users in raters.items():
        co: Counter[str] = Counter()
        for user in users:
            co.update(train[user])
        del co[movie]
        n = len(users)
        scored = sorted(
            ((c / math.sqrt(n * len(raters[m])), m) for m, c in co.items()), key=lambda s: (-s[0], s[1])
        )
        out[movie] = [(m, s) for s, m in scored[:keep]]
    return out


def metrics(ranked: dict[str, list[str]], held: dict[str, str]) -> tuple[float, float]:
    hits = ndcg = 0.0
    for user, target in held.items():
        top = ranked.get(user, [])[:10]
        if target in top:
            hits += 1
            ndcg += 1 / math.log2(top.index(target) + 2)
    return hits / len(held), ndcg / len(held)


def _default_data() -> Path:
    """shared/data/movielens/ml-latest-small beside the checkout (or a worktree's parent's parent)."""
    for base in (ROOT.parent, ROOT.parents[1]):
        folder = base / "shared" / "data" / "movielens" / "ml-latest-small"
        if folder.is_dir():
            return folder
    return ROOT.parent / "shared" / "data" / "movielens" / "ml-latest-small"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=_default_data())
    args = parser.parse_args()
    films, ratings = load(args.data)
    train, held = split(ratings)
    print(f"{len(films):,} films, {len(ratings):,} ratings, {len(train):,} members (one held out each)")

    tracemalloc.start()
    start = time.perf_counter()
    pairs = [(user, movie) for user, rated in train.items() for movie in rated]
    lists = {t: [(n.tconst, n.score) for n in ns] for t, ns in neighbours_all(films, pairs, KEEP)}
    build = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    start = time.perf_counter()
    ranked = {
        user: [r.tconst for r in recommend(rated, lists, set(), limit=10)] for user, rated in train.items()
    }
    rec_time = time.perf_counter() - start

    start = time.perf_counter()
    knn = knn_lists(train, KEEP)
    knn_build = time.perf_counter() - start
    ranked_knn = {
        user: [r.tconst for r in recommend(rated, knn, set(), limit=10)] for user, rated in train.items()
    }

    counts = Counter(movie for rated in train.values() for movie in rated)
    popular = [movie for movie, _ in counts.most_common()]
    ranked_pop = {user: [m for m in popular if m not in rated][:10] for user, rated in train.items()}
    rng = random.Random(21)
    pool = sorted(films)
    ranked_random = {}
    for user, rated in train.items():
        picks: list[str] = []
        while len(picks) < 10:
            movie = rng.choice(pool)
            if movie not in rated and movie not in picks:
                picks.append(movie)
        ranked_random[user] = picks

    print(f"{'method':<10} {'HR@10':>7} {'NDCG@10':>8}")
    results = {"marquee": ranked, "item-kNN": ranked_knn, "popular": ranked_pop, "random": ranked_random}
    for name, table in results.items():
        hit, ndcg = metrics(table, held)
        print(f"{name:<10} {hit:7.4f} {ndcg:8.4f}")
    print(
        f"marquee neighbours: {build:.1f} s, peak {peak / 2**20:.0f} MiB (tracemalloc); "
        f"recommendations for {len(train)} members: {rec_time:.2f} s; item-kNN neighbours: {knn_build:.1f} s"
    )


if __name__ == "__main__":
    main()
