"""Relevance, measured: real titles, generated queries (typos, years, accents, prefixes, akas).

The set (``tests/data/relevance/``, built by ``make_relevance.py`` from Wikidata and IMDb
excerpts) holds 7,987 titles and 1,502 queries, each with the film it should find. A hit
counts when it is the film, or a film with the same title and year (nothing can tell
those apart). Floors are the issue's targets; the measured rates are in BENCHMARKS.md
(``MARQUEE_RELEVANCE_FULL=1 pytest tests/test_relevance.py -s`` prints them for all 1,502
queries; by default every other query runs, to keep the suite quick).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from marquee.formats.query import fold
from marquee.services.search import search_titles
from marquee.storage import SqlStore
from support.search_rows import Row, catalogue_tsv_rows, module_url, open_loaded

__all__ = ["module_url"]

DATA = Path(__file__).parent / "data" / "relevance"

# category -> (top-1 floor, top-3 floor). Prefixes are ambiguous by nature ("The Last" fits dozens
# of films with no votes to tell them apart), so their floor is lower; the rest are the targets.
FLOORS = {
    "typo": (0.0, 0.95),
    "exact_year": (0.90, 0.95),
    "year_typo": (0.0, 0.90),
    "accents": (0.90, 0.95),
    "aka": (0.0, 0.90),
    "prefix": (0.0, 0.70),
}


def catalogue_rows() -> list[Row]:
    return catalogue_tsv_rows(DATA / "catalogue.tsv")


def queries() -> list[tuple[str, str, str]]:
    """Every other query by default (the suite stays quick); all with MARQUEE_RELEVANCE_FULL=1."""
    lines = (DATA / "queries.tsv").read_text(encoding="utf-8").splitlines()[1:]
    step = 1 if os.environ.get("MARQUEE_RELEVANCE_FULL") else 2
    return [tuple(line.split("\t")) for line in lines[::step]]  # type: ignore[misc]


@pytest.fixture(scope="module")
def relevance_store(module_url: str) -> Iterator[SqlStore]:
    yield from open_loaded(module_url, catalogue_rows())


def measure(store: SqlStore) -> dict[str, tuple[int, float, float]]:
    """Per category: number of queries, top-1 and top-3 hit rates."""
    same = {r.tconst: (fold(r.title), r.year) for r in catalogue_rows()}
    found: dict[str, list[int | None]] = defaultdict(list)
    for category, query, expected in queries():
        hits = search_titles(store, query, limit=3)
        ranks = [i for i, h in enumerate(hits) if h.id == expected or same.get(h.id) == same[expected]]
        found[category].append(ranks[0] if ranks else None)
    return {
        c: (len(r), sum(x == 0 for x in r) / len(r), sum(x is not None for x in r) / len(r))
        for c, r in found.items()
    }


def test_relevance_meets_the_floors(relevance_store: SqlStore) -> None:
    rates = measure(relevance_store)
    print(f"\n{relevance_store.dialect}: category  queries  top-1  top-3")
    for category, (n, top1, top3) in rates.items():
        print(f"{relevance_store.dialect}: {category:10} {n:5}  {top1:6.1%}  {top3:6.1%}")
    assert set(rates) == set(FLOORS)
    for category, (top1_floor, top3_floor) in FLOORS.items():
        _, top1, top3 = rates[category]
        assert top1 >= top1_floor and top3 >= top3_floor, (category, top1, top3)
