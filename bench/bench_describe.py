"""Search by description on the demo catalogue (issue 21): share of queries whose film is in the top 10.

    .venv/bin/python bench/bench_describe.py [--db sqlite:////tmp/bench-describe.db] [--queries FILE]

The queries (``bench/describe_queries.jsonl``) are plain-language descriptions written by reading a
demo film's storyline and describing the film in other words, as someone who half-remembers it;
each names the film it should find. In one run, on one store:

* description: ``search_descriptions`` with the default model (TF-IDF + SVD built here from the
  store's own text, blended with TF-IDF word overlap);
* semantic only / words only: the two sides of that blend alone (blend 1.0 / 0.0);
* full text: the existing full-text search (``search_text``: every word, then any word).

The store is the demo catalogue (built into ``--db`` when it is empty); the model is rebuilt and
its build time and the process's peak resident memory before and after it are printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marquee.services import describe, search  # noqa: E402
from marquee.services.demo import ensure_demo_store  # noqa: E402
from marquee.services.describe_model import DEFAULT_PARAMS  # noqa: E402
from marquee.storage.sqlstore import open_store  # noqa: E402

TOP = 10


def rank_of(found: list[str], expected: str) -> int | None:
    return found.index(expected) + 1 if expected in found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:////tmp/bench-describe.db")
    parser.add_argument("--queries", type=Path, default=ROOT / "bench" / "describe_queries.jsonl")
    parser.add_argument("--show", action="store_true", help="print each query's ranks")
    args = parser.parse_args()
    queries = [json.loads(line) for line in args.queries.read_text(encoding="utf-8").splitlines() if line]
    store = open_store(args.db)
    if ensure_demo_store(store, describe=False):
        print(f"built the demo catalogue: {store.count_films():,} films")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    report = describe.rebuild_descriptions(store)[0]
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"model: {report.films:,} films with text, {report.terms:,} terms, {report.dims} dims; "
        f"build {seconds:.1f} s; process peak RSS {before:.0f} MiB before the build, {after:.0f} MiB after"
    )
    methods = {
        "description (default model)": lambda q: [
            h.id for h in describe.search_descriptions(store, q, limit=TOP)
        ],
        "full text (search_text)": lambda q: [h.id for h in search.search_text(store, q, limit=TOP)],
    }
    results: dict[str, list[int | None]] = {}
    timings: dict[str, float] = {}
    for name, run in methods.items():
        run(queries[0]["query"])  # warm: the first description query loads the vectors
        start = time.perf_counter()
        results[name] = [rank_of(run(item["query"]), item["id"]) for item in queries]
        timings[name] = (time.perf_counter() - start) / len(queries)
    for blend, label in ((1.0, "semantic side only (LSA)"), (0.0, "words side only (BM25)")):
        loaded = describe._loaded(store, describe.DEFAULT_MODEL)
        model = loaded.model
        assert model is not None
        describe._cache[(store.url, describe.DEFAULT_MODEL)] = replace(loaded, blend=blend)
        results[label] = [
            rank_of([h.id for h in describe.search_descriptions(store, item["query"], limit=TOP)], item["id"])
            for item in queries
        ]
        describe._cache[(store.url, describe.DEFAULT_MODEL)] = loaded
    print(f"{len(queries)} queries; default blend {DEFAULT_PARAMS.blend}")
    for name, ranks in results.items():
        hits = sum(1 for r in ranks if r is not None)
        first = sum(1 for r in ranks if r == 1)
        mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
        per = f", {timings[name] * 1000:.1f} ms/query" if name in timings else ""
        print(
            f"  {name:30s} top-10 {hits}/{len(ranks)} = {hits / len(ranks):.0%}; "
            f"first {first / len(ranks):.0%}; MRR@10 {mrr:.2f}{per}"
        )
    if args.show:
        for i, item in enumerate(queries):
            ranks = "  ".join(f"{results[name][i] or '-':>2}" for name in results)
            print(f"{ranks}  {item['id']}  {item['query'][:70]}")
    store.close()


if __name__ == "__main__":
    main()
