"""Recommendations on MovieLens (issue 21): leave-one-out hit rate@10 and NDCG@10, in one run.

    .venv/bin/pip install -e '.[bench]'    # implicit, the library item-kNN (bench only)
    .venv/bin/python bench/bench_recommend.py [--data ../shared/data/movielens/ml-latest-small]

MovieLens ratings (0.5–5 stars, doubled to 1–10) are the members' ratings; each movie's genres
and year (from its title) are its features (MovieLens has no credits). For every member the
latest rating is held out (test); the rest train. A second split holds out each member's
second-latest rating and trains on what came before it (validation: where ``HALF_LIFE`` was
chosen, so the test figures are not tuned on the test). Methods, each ranking 10 films the member
has not rated:

* marquee: ``similar_scoring.neighbours_all`` (content + co-ratings, the lists ``marquee similar
  --rebuild`` stores) then ``similar_scoring.recommend`` with ``HALF_LIFE`` (what ``marquee
  recommend`` runs on the stored lists); also without the recency weight, to show what it adds;
* item-kNN (implicit): ``implicit.nearest_neighbours.CosineRecommender`` (K=50) on the
  members × films matrix, a plain item-kNN from a library;
* popular: the most-rated films; random: a seeded shuffle.

Ratios against popular come with a 90 % interval from a paired bootstrap over members (the
figures rest on 610 held-out films: one hit is 0.0016).
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marquee.services.similar_scoring import (  # noqa: E402
    HALF_LIFE,
    KEEP,
    Features,
    neighbours_all,
    rating_ages,
    recommend,
)

YEAR = re.compile(r"\((\d{4})\)\s*$")
TOP = 10
KNN_K = 50


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


def split(
    ratings: list[tuple[str, str, int, int]], skip: int = 0
) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Training ratings per member (oldest first) and each member's held-out film: the latest, or
    (``skip=1``) the one before it, training on what came before that."""
    by_user: dict[str, list[tuple[int, str, int]]] = {}
    for user, movie, score, stamp in ratings:
        by_user.setdefault(user, []).append((stamp, movie, score))
    train: dict[str, dict[str, int]] = {}
    held: dict[str, str] = {}
    for user, rows in by_user.items():
        rows.sort(key=lambda r: (r[0], r[1]))
        if skip:
            rows = rows[:-skip]
        if len(rows) < 2:
            continue
        held[user] = rows[-1][1]
        train[user] = {movie: score for _, movie, score in rows[:-1]}
    return train, held


def ages(
    ratings: list[tuple[str, str, int, int]], train: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    """Per member, ``rating_ages`` of their training ratings (from MovieLens' timestamps)."""
    stamps: dict[str, dict[str, int]] = {}
    for user, movie, _, stamp in ratings:
        if movie in train.get(user, ()):
            stamps.setdefault(user, {})[movie] = stamp
    return {user: rating_ages(found) for user, found in stamps.items()}


def hits(ranked: dict[str, list[str]], held: dict[str, str]) -> dict[str, float]:
    """Per member: 1/log2(rank + 2) if the held-out film is in their top 10, else 0 (NDCG@10 terms)."""
    out = {}
    for user, target in held.items():
        top = ranked.get(user, [])[:TOP]
        out[user] = 1 / math.log2(top.index(target) + 2) if target in top else 0.0
    return out


def metrics(ranked: dict[str, list[str]], held: dict[str, str]) -> tuple[float, float]:
    per = hits(ranked, held)
    return sum(v > 0 for v in per.values()) / len(held), sum(per.values()) / len(held)


def bootstrap_ratio(
    a: dict[str, float], b: dict[str, float], rounds: int = 2000
) -> tuple[float, float, float]:
    """Median and 5–95 % of HR(a) / HR(b) over members resampled with replacement (paired)."""
    users = sorted(a)
    rng = random.Random(21)
    ratios = []
    for _ in range(rounds):
        sample = [users[rng.randrange(len(users))] for _ in users]
        top = sum(a[u] > 0 for u in sample)
        bottom = sum(b[u] > 0 for u in sample)
        if bottom:
            ratios.append(top / bottom)
    ratios.sort()
    return statistics.median(ratios), ratios[len(ratios) // 20], ratios[len(ratios) * 19 // 20]


def marquee_lists(
    films: dict[str, Features], train: dict[str, dict[str, int]]
) -> tuple[dict[str, list[tuple[str, float]]], float]:
    start = time.perf_counter()
    pairs = [(user, movie) for user, rated in train.items() for movie in rated]
    lists = {t: [(n.tconst, n.score) for n in ns] for t, ns in neighbours_all(films, pairs, KEEP)}
    return lists, time.perf_counter() - start


def library_knn(films: dict[str, Features], train: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    """implicit's CosineRecommender on the binary members × films matrix."""
    try:
        from implicit.nearest_neighbours import CosineRecommender
    except ImportError:
        sys.exit("bench_recommend: the library item-kNN needs `implicit`: pip install -e '.[bench]'")
    import numpy as np
    import scipy.sparse as sp

    users = sorted(train)
    items = sorted(films)
    item_at = {t: i for i, t in enumerate(items)}
    rows, cols = [], []
    for u, user in enumerate(users):
        for movie in train[user]:
            rows.append(u)
            cols.append(item_at[movie])
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(users), len(items))
    )
    model: Any = CosineRecommender(K=KNN_K)
    model.fit(matrix, show_progress=False)
    ids, _ = model.recommend(np.arange(len(users)), matrix, N=TOP, filter_already_liked_items=True)
    return {user: [items[i] for i in ids[u] if i >= 0] for u, user in enumerate(users)}


def evaluate(
    films: dict[str, Features],
    train: dict[str, dict[str, int]],
    age: dict[str, dict[str, int]],
    half_life: float,
    knn: bool = True,
) -> dict[str, Any]:
    lists, build = marquee_lists(films, train)
    start = time.perf_counter()
    ranked = {
        user: [
            r.tconst for r in recommend(rated, lists, set(), limit=TOP, ages=age[user], half_life=half_life)
        ]
        for user, rated in train.items()
    }
    rec_time = time.perf_counter() - start
    flat = {
        user: [r.tconst for r in recommend(rated, lists, set(), limit=TOP)] for user, rated in train.items()
    }
    counts = Counter(movie for rated in train.values() for movie in rated)
    popular = [movie for movie, _ in counts.most_common()]
    ranked_pop = {user: [m for m in popular if m not in rated][:TOP] for user, rated in train.items()}
    rng = random.Random(21)
    pool = sorted(films)
    ranked_random = {}
    for user, rated in train.items():
        picks: list[str] = []
        while len(picks) < TOP:
            movie = rng.choice(pool)
            if movie not in rated and movie not in picks:
                picks.append(movie)
        ranked_random[user] = picks
    results = {
        "marquee": ranked,
        "marquee, no recency": flat,
        **({"item-kNN (implicit)": library_knn(films, train)} if knn else {}),
        "popular": ranked_pop,
        "random": ranked_random,
    }
    return {"results": results, "build": build, "recommend": rec_time, "members": len(train)}


def report(label: str, run: dict[str, Any], held: dict[str, str]) -> None:
    results = run["results"]
    per = {name: hits(table, held) for name, table in results.items()}
    base_hr = metrics(results["popular"], held)[0]
    print(f"\n{label}: {len(held)} members")
    print(f"{'method':<22} {'HR@10':>7} {'NDCG@10':>8} {'HR/popular':>11} {'90 % (bootstrap)':>17}")
    for name, table in results.items():
        hr, ndcg = metrics(table, held)
        ratio = f"{hr / base_hr:.2f}×" if base_hr else "-"
        interval = ""
        if name not in ("popular", "random"):
            _, low, high = bootstrap_ratio(per[name], per["popular"])
            interval = f"{low:.2f}–{high:.2f}"
        print(f"{name:<22} {hr:7.4f} {ndcg:8.4f} {ratio:>11} {interval:>17}")
    print(
        f"marquee neighbours built in {run['build']:.1f} s; recommendations for {run['members']} members "
        f"in {run['recommend']:.2f} s"
    )


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
    parser.add_argument("--half-life", type=float, default=HALF_LIFE, help="recency weight (ratings)")
    parser.add_argument("--validation-only", action="store_true", help="tune: skip the test split")
    args = parser.parse_args()
    films, ratings = load(args.data)
    print(
        f"{len(films):,} films, {len(ratings):,} ratings; "
        f"half-life {args.half_life}, KEEP {KEEP}, kNN K {KNN_K}"
    )
    started = time.process_time()
    for label, skip in (("validation (second-latest held out)", 1), ("test (latest held out)", 0)):
        if skip == 0 and args.validation_only:
            break
        train, held = split(ratings, skip)
        report(label, evaluate(films, train, ages(ratings, train), args.half_life), held)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nCPU {time.process_time() - started:.0f} s, peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
