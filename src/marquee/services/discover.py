"""Discovery (issue 21): "more like this" for a film, and recommendations for a member.

* ``rebuild_similar`` computes every film's neighbours in bulk (``marquee similar --rebuild``,
  and after an IMDb import) and stores them (``storage.similar``);
* ``refresh_similar`` recomputes one film's list from its neighbourhood (its people, its
  co-raters, its group) when a member rates it: the same scoring as the bulk build;
* ``similar_titles`` and ``recommendations`` read stored lists: a page view scans nothing.

The scoring itself is pure and lives in ``similar_scoring``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict

from marquee.errors import InputError, NotFound
from marquee.services import similar_scoring as scoring
from marquee.services.accounts import name_key, write_transaction
from marquee.storage import library_rows
from marquee.storage import similar as rows
from marquee.storage.base import Store

__all__ = [
    "MAX_LIMIT",
    "Recommendation",
    "SimilarTitle",
    "check_id",
    "rebuild_similar",
    "recommendations",
    "refresh_similar",
    "similar_titles",
]

MAX_LIMIT = 100
MAX_ID_CHARS = 200


class _ScoredFilm(BaseModel):
    """A film found for someone, with its score."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    year: int | None
    kind: str
    score: float


class SimilarTitle(_ScoredFilm):
    """A film like another one, and why."""

    reason: str


class Recommendation(_ScoredFilm):
    """A film for a member, and the film they rated that it comes from."""

    because_id: str
    because_title: str
    because_score: int
    reason: str


def _features(row: rows.FeatureRow) -> scoring.Features:
    return scoring.Features(row.title_id, row.kind, row.year, row.genres, row.people, row.votes)


def check_id(value: str, what: str = "film id") -> str:
    """Refuse an empty or oversized id before it reaches the store (InputError, one line)."""
    if not value.strip():
        raise InputError(f"{what}: must not be empty")
    if len(value) > MAX_ID_CHARS:
        raise InputError(f"{what}: longer than {MAX_ID_CHARS} characters")
    return value


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit: must be 1 to {MAX_LIMIT}, not {limit}")
    return limit


def rebuild_similar(store: Store, changed: Collection[str] | None = None) -> int:
    """Compute and store every film's neighbours in one transaction; returns how many films have some.

    Features stream into a compact ``Catalogue`` and lists stream out to the store a chunk of films
    at a time (the memory of the build stays bounded at 1 M titles: BENCHMARKS.md).

    ``changed`` (films an import added, changed or removed): only the lists of these films, and of
    the films whose lists name one of them that is gone, are computed again (scored against every
    film, as the whole build scores them); the rest are kept. Another film's list may then miss a
    changed film it would now take in, or keep one with its score from before, until ``marquee
    similar --rebuild`` makes every list afresh (BENCHMARKS.md: ~1 % of lists after a 1 % change).
    """
    if changed is not None and not changed:
        return 0
    with store.writing() as conn:
        catalogue = scoring.Catalogue().extend(_features(f) for f in rows.iter_features(conn))
        scope = None
        if changed is not None:
            scope = set(changed) | rows.listing(conn, [t for t in changed if t not in catalogue.index])
        with_list = 0

        def lists() -> Iterator[tuple[str, list[tuple[str, float, str]]]]:
            nonlocal with_list
            for tconst, found in scoring.neighbours_all(catalogue, rows.all_ratings(conn), only=scope):
                if found:
                    with_list += 1
                    yield tconst, [(n.tconst, n.score, n.reason) for n in found]

        if scope is None:
            rows.replace_all(conn, lists())
        else:
            rows.replace_some(conn, scope, lists())
    return with_list


def refresh_similar(store: Store, tconst: str) -> int:
    """Recompute one film's neighbours from its neighbourhood; returns how many it has.

    The scoring reads on a plain connection, outside the write lock; only replacing the list is a
    write like a member's rating (``write_transaction``: it waits its turn for the store's write
    lock), so fifty members rating at once do not queue behind each other's scoring.
    """
    with store.reading() as conn:
        found = _neighbours_on(conn, tconst)
    write_transaction(store, lambda conn: rows.replace(conn, tconst, found))
    return len(found)


def _neighbours_on(conn: Any, tconst: str) -> list[tuple[str, float, str]]:  # an opaque connection
    """One film's neighbours, recomputed from what ``conn`` reads: (tconst, score, reason)."""
    own = rows.features_for(conn, [tconst]).get(tconst)
    if own is None:
        raise NotFound(f"no film with id {tconst!r}")
    shared, co, counts = rows.neighbourhood(conn, tconst, scoring.MAX_PERSON_TITLES)
    mine = _features(own)
    pool = shared | set(scoring.co_candidates(co, counts))
    for group, kind, value in scoring.group_keys(mine):
        genre, era = (value, None) if group == "genre" else (None, int(value))
        pool.update(rows.group_candidates(conn, kind, genre, era, scoring.GROUP_CANDIDATES))
    pool.discard(tconst)
    candidates = [_features(f) for f in rows.features_for(conn, sorted(pool)).values()]
    found = scoring.neighbours(mine, candidates, co, counts)
    return [(n.tconst, n.score, n.reason) for n in found]


def similar_titles(store: Store, tconst: str, limit: int = 10) -> list[SimilarTitle]:
    """A film's stored neighbours, best first; NotFound for an unknown film."""
    check_id(tconst)
    _check_limit(limit)
    with store.reading() as conn:
        found = rows.similar_of(conn, tconst, limit)
        if not found and not rows.titles_of(conn, [tconst]):
            raise NotFound(f"no film with id {tconst!r}")
    return [
        SimilarTitle(id=r.title_id, title=r.title, year=r.year, kind=r.kind, score=r.score, reason=r.reason)
        for r in found
    ]


def recommendations(store: Store, name: str, limit: int = 20) -> list[Recommendation]:
    """Films for a member from the neighbours of what they rated, leaving out what they rated,
    logged or listed; each with the rated film it comes from. Recent ratings weigh more (halved
    every ``similar_scoring.HALF_LIFE`` ratings made since). NotFound for an unknown member."""
    check_id(name, "member name")
    _check_limit(limit)
    with store.reading() as conn:
        member = library_rows.user_id_by_key(conn, name_key(name))
        if member is None:
            raise NotFound(f"no member named {name!r}")
        found = rows.member_ratings_of(conn, member)
        exclude = rows.member_exclusions(conn, member)
        lists = rows.neighbour_lists(conn, sorted(found))
        rated = {tconst: score for tconst, (score, _) in found.items()}
        ages = scoring.rating_ages({tconst: stamp for tconst, (_, stamp) in found.items()})
        ranked = scoring.recommend(rated, lists, exclude, limit=limit * 2, ages=ages)
        names = rows.titles_of(conn, [r.tconst for r in ranked] + [r.because for r in ranked])
    out: list[Recommendation] = []
    for entry in ranked:
        if entry.tconst not in names or entry.because not in names:
            continue  # a film gone from the catalogue since the lists were built
        title, year, kind = names[entry.tconst]
        because = names[entry.because][0]
        out.append(
            Recommendation(
                id=entry.tconst,
                title=title,
                year=year,
                kind=kind,
                score=entry.score,
                because_id=entry.because,
                because_title=because,
                because_score=entry.because_score,
                reason=f"Because you rated {because} {entry.because_score}/10",
            )
        )
    return out[:limit]
