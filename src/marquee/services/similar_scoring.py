"""Pure scoring for "more like this" and members' recommendations (issue 21): no I/O, no store.

A film is described by weighted features: each director, writer and top-billed cast member
(keyed by role and person), each genre, its kind and its decade. Content similarity is the cosine
of two such vectors. Where members rated both films, item-to-item collaborative filtering adds
the cosine of their raters, ``co / sqrt(n_a * n_b)``; the blend trusts it more the more members
rated the film itself (``alpha = n_a / (n_a + SHRINK)``).

The bulk build (``neighbours_all``) works on sparse matrices (``numpy`` + ``scipy.sparse``), a
chunk of films at a time: candidates are the nonzeros of a few sparse products (films sharing a
person, the most-voted films of each group, co-rated films from the members × films matrix), and
each candidate pair is scored by one vectorised kernel. The refresh of one film (``neighbours``)
runs the same kernel on its own candidates, so a refreshed film scores as a rebuilt one.

Recommendations for a member sum, over the films they rated, their rating's weight (recent
ratings weigh more: ``HALF_LIFE``) times each stored neighbour's similarity; the film that
contributed most is the reason shown.

The features and formulas are in ``similar_features``, the scoring kernel and one film's refresh in
``similar_kernel``; here are the bulk build's candidates and recommendations, and the public face.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from marquee.services.similar_features import (
    Catalogue,
    Features,
    Neighbour,
    Recommended,
    blend,
    content_score,
    group_keys,
    vector,
)
from marquee.services.similar_kernel import (
    KEEP,
    KEEP_UNRATED,
    PAIRS,
    Matrices,
    binary,
    neighbours,
    row_owners,
    scored_neighbours,
)

if TYPE_CHECKING:  # numpy and scipy are imported by the functions that use them, not at start-up
    import numpy as np

__all__ = [
    "HALF_LIFE",
    "KEEP",
    "KEEP_UNRATED",
    "Catalogue",
    "Features",
    "Neighbour",
    "Recommended",
    "blend",
    "co_candidates",
    "content_score",
    "group_keys",
    "neighbours",
    "neighbours_all",
    "rating_ages",
    "recommend",
    "vector",
]

MAX_PERSON_TITLES = 500  # a person credited on more titles proposes no candidates (a prolific extra)
GROUP_CANDIDATES = 50  # most-voted titles per group (kind and genre, kind and decade): always candidates
CO_CANDIDATES = 200  # co-rated titles scored per film: those with the highest rater cosine
# Recommendations: a rating this many ratings older than the member's latest counts half as much
# (what a member rated lately says most about what they will watch next; MovieLens, BENCHMARKS.md).
HALF_LIFE = 2.0
CHUNK = 1000  # films scored per step of the bulk build at most (bounds its memory)


def co_candidates(co_counts: Mapping[str, int], rating_counts: Mapping[str, int]) -> list[str]:
    """The co-rated titles worth scoring: the ``CO_CANDIDATES`` with the highest ``co / sqrt(n_b)``."""
    ranked = sorted(co_counts, key=lambda t: (-co_counts[t] / math.sqrt(rating_counts.get(t, 0) or 1), t))
    return ranked[:CO_CANDIDATES]


# ---------------------------------------------------------------- the bulk build


def _person_matrix(m: Matrices) -> Any:
    """Films × (role, person) columns, only people on at most ``MAX_PERSON_TITLES`` titles."""
    import numpy as np

    width = max(m.person_width, 1)
    cols = m.features.indices
    person = cols < m.person_width
    titles = np.bincount(cols[person], minlength=width)
    keep = np.flatnonzero(person)
    keep = keep[titles[cols[keep]] <= MAX_PERSON_TITLES]
    del titles, person
    return binary(row_owners(m.features.indptr)[keep], cols[keep].astype(np.int64), (len(m.cat), width))


def _group_matrices(m: Matrices) -> tuple[Any, Any]:
    """Films × groups (every membership), and the same with each group's most-voted films only."""
    import numpy as np

    cat = m.cat
    n, width = len(cat), max(cat.group_count if cat.sealed else len(cat.groups), 1)
    groups = np.frombuffer(cat.group, dtype=np.int32).astype(np.int64)
    rows = row_owners(cat.group_ptr)
    member = binary(rows, groups, (n, width))
    order = np.lexsort((m.id_rank[rows], -m.votes[rows], groups))
    by_group = groups[order]
    rank = np.arange(len(order)) - np.searchsorted(by_group, by_group, side="left")
    top = order[rank < GROUP_CANDIDATES]
    return member, binary(rows[top], groups[top], (n, width))


def _top_co(
    co: Any, owners: np.ndarray[Any, Any], n_rated: np.ndarray[Any, Any], id_rank: np.ndarray[Any, Any]
) -> Any:
    """The chunk's co-rating matrix cut to each row's ``CO_CANDIDATES`` by ``co / sqrt(n_b)`` (ties
    by id), the film itself (``owners``: each row's film) left out. Rows with fewer co-rated films
    are kept whole."""
    import numpy as np
    import scipy.sparse as sp

    co = co.tocsr()
    rows = row_owners(co.indptr)
    data = co.data.copy()
    data[co.indices == owners[rows]] = 0  # the film itself
    weight = 1 / np.sqrt(np.maximum(n_rated, 1))
    for row in np.flatnonzero(np.diff(co.indptr) > CO_CANDIDATES):
        lo, hi = co.indptr[row], co.indptr[row + 1]
        cols = co.indices[lo:hi]
        key = data[lo:hi] * weight[cols]
        cut = -np.partition(-key, CO_CANDIDATES - 1)[CO_CANDIDATES - 1]
        above = key > cut
        tied = np.flatnonzero(key == cut)
        room = CO_CANDIDATES - int(above.sum())
        keep = above
        keep[tied[np.argsort(id_rank[cols[tied]], kind="stable")[:room]]] = True
        data[lo:hi] = np.where(keep, data[lo:hi], 0)
    out = sp.csr_matrix((data, co.indices.copy(), co.indptr.copy()), shape=co.shape)
    out.eliminate_zeros()
    return out


def _steps(
    rated: Any, raters: Any, person: Any, person_t: Any, member: Any, rows: np.ndarray[Any, Any]
) -> Iterator[np.ndarray[Any, Any]]:
    """Chunks of ``rows`` (films, ascending) whose candidate pairs stay under ``PAIRS`` (an upper
    bound: for each film, the ratings of its raters, the titles of its people and its groups' tops)."""
    import numpy as np

    per_member = np.asarray(rated.sum(axis=1)).ravel()
    per_person = np.asarray(person_t.sum(axis=1)).ravel()
    cost = (
        raters @ per_member
        + person @ per_person
        + np.asarray(member.sum(axis=1)).ravel() * GROUP_CANDIDATES
        + 1
    )[rows]
    start, n = 0, len(rows)
    total = np.cumsum(cost)
    while start < n:
        base = total[start - 1] if start else 0
        stop = int(np.searchsorted(total, base + PAIRS, side="right"))
        stop = min(max(stop, start + 1), start + CHUNK, n)
        yield rows[start:stop]
        start = stop


def neighbours_all(
    films: Mapping[str, Features] | Catalogue,
    ratings: Iterable[tuple[str, str]],
    keep: int = KEEP,
    keep_unrated: int = KEEP_UNRATED,
    only: Collection[str] | None = None,
) -> Iterator[tuple[str, list[Neighbour]]]:
    """Every film's neighbours, from every film's features and every (member, film) rating; with
    ``only``, those of these films alone (ids not among ``films`` are passed over), scored against all.

    Candidates of a film: films sharing a director, writer or top-billed cast member (people on
    more than ``MAX_PERSON_TITLES`` titles left out), the ``CO_CANDIDATES`` films most rated with
    it, and the most-voted films of its kind and each of its genres, and of its kind and decade.
    A chunk of ``CHUNK`` films at a time: each candidate set is the nonzeros of sparse products.
    A ``Catalogue`` given is sealed (its lookup tables dropped) once the ratings are mapped.
    """
    import numpy as np

    cat = films if isinstance(films, Catalogue) else Catalogue().extend(films.values())
    n = len(cat)
    index = cat.index
    if only is None:
        chosen = np.arange(n, dtype=np.int64)
    else:
        chosen = np.unique(np.fromiter((index[t] for t in only if t in index), dtype=np.int64))
    members: dict[str, int] = {}
    user_rows = array("q")
    film_cols = array("q")
    for user, tconst in ratings:
        col = index.get(tconst)
        if col is not None:
            user_rows.append(members.setdefault(user, len(members)))
            film_cols.append(col)
    rated = binary(
        np.frombuffer(user_rows, dtype=np.int64),
        np.frombuffer(film_cols, dtype=np.int64),
        (max(len(members), 1), n),
    )
    del user_rows, film_cols, members
    cat.seal()
    n_rated = np.asarray(rated.sum(axis=0)).ravel().astype(np.int64)
    raters = rated.T.tocsr()  # films × members
    m = Matrices(cat, n_rated)
    person = _person_matrix(m)
    person_t = person.T.tocsr()
    member, top = _group_matrices(m)
    top_t = top.T.tocsr()
    keep_all = np.where(n_rated > 0, keep, keep_unrated).astype(np.int64)
    whole = only is None
    for owners in _steps(rated, raters, person, person_t, member, chosen):
        # Every film: contiguous slices (cheaper than picking rows); some films: their rows.
        pick = slice(int(owners[0]), int(owners[-1]) + 1) if whole else owners
        pattern = (person[pick] @ person_t).astype(bool) + (member[pick] @ top_t).astype(bool)
        co_full = (raters[pick] @ rated).tocsr()
        pattern = (pattern + _top_co(co_full, owners, n_rated, m.id_rank).astype(bool)).tocoo()
        r = owners[pattern.row]
        c = pattern.col.astype(np.int64)
        off = r != c
        r, c = r[off], c[off]
        co = np.zeros(len(r), dtype=np.int64)
        if co_full.nnz:
            found = co_full.tocoo()
            keys = owners[found.row] * n + found.col
            wanted = r * n + c
            order = np.argsort(keys)
            keys, values = keys[order], found.data[order]
            at = np.clip(np.searchsorted(keys, wanted), 0, len(keys) - 1)
            co = np.where(keys[at] == wanted, values[at], 0).astype(np.int64)
        lists = scored_neighbours(m, r, c, co, keep_all)
        for row in owners.tolist():
            yield cat.tconsts[row], lists.get(row, [])


def rating_ages(stamps: Mapping[str, Any]) -> dict[str, int]:
    """For each rated film, how many of the member's ratings are newer (equal times: the same age)."""
    ordered = sorted(stamps.values())
    return {tconst: len(ordered) - bisect.bisect_right(ordered, stamp) for tconst, stamp in stamps.items()}


def recommend(
    rated: Mapping[str, int],
    neighbour_lists: Mapping[str, Iterable[tuple[str, float]]],
    exclude: set[str],
    limit: int = 20,
    *,
    ages: Mapping[str, int] | None = None,
    half_life: float = HALF_LIFE,
) -> list[Recommended]:
    """Films for a member: Σ over their rated films of weight × similarity; best first.

    ``rated`` maps the films they rated to their 1–10 score; ``neighbour_lists`` each rated film's
    stored neighbours; ``exclude`` what they rated, logged or listed. A rating's weight is
    score / 10, halved for every ``half_life`` ratings the member made after it (``ages``, from
    ``rating_ages``; None: every rating counts alike).
    """
    found: dict[str, Recommended] = {}
    for source, score in rated.items():
        weight = score / 10
        if ages is not None:
            weight *= 0.5 ** (ages.get(source, 0) / half_life)
        for tconst, similarity in neighbour_lists.get(source, ()):
            if tconst in exclude or tconst in rated:
                continue
            part = weight * similarity
            entry = found.get(tconst)
            if entry is None:
                entry = found[tconst] = Recommended(tconst, 0.0, source, score)
            entry.score += part
            if part > entry._best or (part == entry._best and source < entry.because):
                entry._best, entry.because, entry.because_score = part, source, score
    ranked = sorted(found.values(), key=lambda r: (-r.score, r.tconst))
    for entry in ranked:
        entry.score = round(entry.score, 6)
    return ranked[:limit]
