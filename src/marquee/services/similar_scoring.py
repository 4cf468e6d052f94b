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
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

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

ROLE_WEIGHTS = {"director": 3.0, "writer": 2.0, "cast": 1.5}
GENRE_WEIGHT = 1.0
KIND_WEIGHT = 1.0
ERA_WEIGHT = 1.0
TOP_CAST = 5  # top-billed cast members that count
SHRINK = 5.0  # members who rated a film at which its co-ratings get half the weight
# Neighbours stored per film that members rated (they feed recommendations: more of them reach
# more films), and per film nobody rated (content alone: the film page shows 8).
KEEP = 50
KEEP_UNRATED = 20
MAX_PERSON_TITLES = 500  # a person credited on more titles proposes no candidates (a prolific extra)
GROUP_CANDIDATES = 50  # most-voted titles per group (kind and genre, kind and decade): always candidates
CO_CANDIDATES = 200  # co-rated titles scored per film: those with the highest rater cosine
# Recommendations: a rating this many ratings older than the member's latest counts half as much
# (what a member rated lately says most about what they will watch next; MovieLens, BENCHMARKS.md).
HALF_LIFE = 2.0
CHUNK = 1000  # films scored per step of the bulk build at most (bounds its memory)
PAIRS = 1_000_000  # candidate pairs (an upper bound) per step: much-rated films take smaller steps

_NO_ERA = -(2**31)
_GENRE_BITS = 62


@dataclass(frozen=True)
class Features:
    """What content similarity reads of one film."""

    tconst: str
    kind: str = "movie"
    year: int | None = None
    genres: tuple[str, ...] = ()
    # (role, person key, name): role is director, writer or cast (top-billed, in billing order).
    people: tuple[tuple[str, str, str], ...] = ()
    votes: int = 0


@dataclass(frozen=True)
class Neighbour:
    """A similar film, its score (0–1) and why."""

    tconst: str
    score: float
    reason: str


@dataclass
class Recommended:
    """A film recommended to a member, its score and the rated film that contributed most."""

    tconst: str
    score: float
    because: str
    because_score: int
    _best: float = field(default=0.0, repr=False)


def decade(year: int | None) -> int | None:
    return None if year is None else year // 10 * 10


def vector(film: Features) -> dict[str, float]:
    """The film's weighted features."""
    out: dict[str, float] = {}
    for role, person, _ in film.people:
        key = f"{role}:{person}"
        out[key] = max(out.get(key, 0.0), ROLE_WEIGHTS.get(role, 1.0))
    for genre in film.genres:
        out[f"genre:{genre.casefold()}"] = GENRE_WEIGHT
    out[f"kind:{film.kind}"] = KIND_WEIGHT
    era = decade(film.year)
    if era is not None:
        out[f"era:{era}"] = ERA_WEIGHT
    return out


def _norm(vec: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vec.values()))


def content_score(
    a: Mapping[str, float], b: Mapping[str, float], norm_a: float | None = None, norm_b: float | None = None
) -> float:
    """Cosine of two feature vectors (0 when either is empty); norms may be given (a cache)."""
    norms = (_norm(a) if norm_a is None else norm_a) * (_norm(b) if norm_b is None else norm_b)
    if not norms:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b) / norms


def blend(content: float, co: int, n_a: int, n_b: int) -> float:
    """Content similarity blended with the co-rating cosine ``co / sqrt(n_a * n_b)``.

    The weight of co-ratings grows with the evidence about the film itself, ``n_a / (n_a +
    SHRINK)``: a film nobody rated is judged by content alone; a film many members rated mostly by
    who rated it with it (content then only orders what co-ratings leave tied). Weighting by the
    pair's own co-count instead let obscure films with the same genres and decade crowd out the
    films members rate together (MovieLens hit rate 0.008 against item-kNN's 0.061).
    (``_blend`` is the same on arrays.)
    """
    if n_a <= 0:
        return content
    alpha = n_a / (n_a + SHRINK)
    cf = co / math.sqrt(n_a * n_b) if co > 0 and n_b > 0 else 0.0
    return alpha * cf + (1 - alpha) * content


def group_keys(film: Features) -> list[tuple[str, str, str]]:
    """The groups whose most-voted titles are a film's candidates: its kind with each genre, and
    its kind with its decade (so a film sharing nobody still has neighbours)."""
    keys = [("genre", film.kind, genre) for genre in film.genres]
    era = decade(film.year)
    if era is not None:
        keys.append(("era", film.kind, str(era)))
    return keys


def co_candidates(co_counts: Mapping[str, int], rating_counts: Mapping[str, int]) -> list[str]:
    """The co-rated titles worth scoring: the ``CO_CANDIDATES`` with the highest ``co / sqrt(n_b)``."""
    ranked = sorted(co_counts, key=lambda t: (-co_counts[t] / math.sqrt(rating_counts.get(t, 0) or 1), t))
    return ranked[:CO_CANDIDATES]


# ---------------------------------------------------------------- films as arrays


_SLOTS = {"director": 0, "writer": 1, "cast": 2}  # a person's feature: person id × 4 + slot
_SLOT_ROLES = ("director", "writer", "cast", "other")
_SLOT_WEIGHTS = np.array([ROLE_WEIGHTS.get(role, 1.0) for role in _SLOT_ROLES])


class Catalogue:
    """Films' features in compact arrays (ids interned), the input of the vectorised build.

    ``add`` takes films one by one (the store streams them), so a catalogue of 1 M titles is held
    as a few arrays of integers, not as a million Python records. A feature is a code: a person's
    (role, person) is ``person id × 4 + role slot`` (≥ 0); a genre, kind or decade is ``-(id + 1)``.
    The same person's name is kept once (the first seen). ``seal`` drops the lookup tables once
    every film is in (the bulk build calls it).
    """

    def __init__(self) -> None:
        self.tconsts: list[str] = []
        self.index: dict[str, int] = {}
        self.votes = array("q")
        self.era = array("i")
        self.feat_ptr = array("q", [0])
        self.feat = array("i")
        self.genre_ptr = array("q", [0])
        self.genre = array("i")
        self.group = array("i")  # per film: its groups (kind and each genre, kind and decade)
        self.group_ptr = array("q", [0])
        self.persons: dict[str, int] = {}
        self.person_names: list[str] = []
        self.others: dict[str, int] = {}  # genre, kind and decade features
        self.other_weights: list[float] = []
        self.genre_ids: dict[str, int] = {}
        self.genre_list: list[str] = []
        self.groups: dict[tuple[str, str, str], int] = {}
        self.sealed = False

    def __len__(self) -> int:
        return len(self.tconsts)

    def _other(self, key: str, weight: float) -> int:
        found = self.others.get(key)
        if found is None:
            found = self.others[key] = len(self.other_weights)
            self.other_weights.append(weight)
        return -(found + 1)

    def add(self, film: Features) -> None:
        """Append one film (an id already added is ignored)."""
        if self.sealed:
            raise ValueError("a sealed catalogue takes no more films")
        if film.tconst in self.index:
            return
        self.index[film.tconst] = len(self.tconsts)
        self.tconsts.append(film.tconst)
        self.votes.append(film.votes)
        era = decade(film.year)
        self.era.append(_NO_ERA if era is None else era)
        codes: list[int] = []  # as ``vector``: people in billing order, genres, kind, decade
        persons = self.persons
        for role, person, name in film.people:
            found = persons.get(person)
            if found is None:
                found = persons[person] = len(self.person_names)
                self.person_names.append(name)
            code = found * 4 + _SLOTS.get(role, 3)
            if code not in codes:
                codes.append(code)
        for genre in film.genres:
            code = self._other(f"genre:{genre.casefold()}", GENRE_WEIGHT)
            if code not in codes:
                codes.append(code)
        codes.append(self._other(f"kind:{film.kind}", KIND_WEIGHT))
        if era is not None:
            codes.append(self._other(f"era:{era}", ERA_WEIGHT))
        self.feat.extend(codes)
        self.feat_ptr.append(len(self.feat))
        for genre in film.genres:
            found = self.genre_ids.get(genre)
            if found is None:
                found = self.genre_ids[genre] = len(self.genre_list)
                self.genre_list.append(genre)
            self.genre.append(found)
        self.genre_ptr.append(len(self.genre))
        for key in group_keys(film):
            group = self.groups.get(key)
            if group is None:
                group = self.groups[key] = len(self.groups)
            self.group.append(group)
        self.group_ptr.append(len(self.group))

    def extend(self, films: Iterable[Features]) -> Catalogue:
        for film in films:
            self.add(film)
        return self

    def seal(self) -> None:
        """Every film is in: drop the lookup tables (ids by tconst, person and feature key)."""
        self.sealed = True
        self.index = {}
        self.persons = {}
        self.others = {}
        self.genre_ids = {}
        self.group_count = len(self.groups)
        self.groups = {}

    @property
    def width(self) -> int:
        """Feature columns: every person's four slots, then the other features."""
        return len(self.person_names) * 4 + len(self.other_weights)

    def people_of(self, film: int) -> list[int]:
        """The film's person codes, in billing order."""
        return [code for code in self.feat[self.feat_ptr[film] : self.feat_ptr[film + 1]] if code >= 0]


def _rows_matrix(ptr: array[int], cols: np.ndarray[Any, Any], data: np.ndarray[Any, Any], width: int) -> Any:
    return sp.csr_matrix((data, cols, np.frombuffer(ptr, dtype=np.int64)), shape=(len(ptr) - 1, width))


def _owners(ptr: Any) -> Any:
    """For row pointers ``ptr`` (CSR style), the row of each entry."""
    bounds = np.asarray(ptr, dtype=np.int64)
    return np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), bounds[1:] - bounds[:-1])


def _binary(rows: np.ndarray[Any, Any], cols: np.ndarray[Any, Any], shape: tuple[int, int]) -> Any:
    data = np.ones(len(rows), dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=shape)
    matrix.data[:] = 1  # duplicates summed: a pattern
    return matrix


class _Matrices:
    """A catalogue's sparse matrices and per-film arrays (what the kernel and the candidates read)."""

    def __init__(self, cat: Catalogue, n_rated: np.ndarray[Any, Any]) -> None:
        n = len(cat)
        width = max(cat.width, 1)
        # Built in place from the codes (no full-size int64 copies: this is the build's peak at 1 M).
        codes = np.frombuffer(cat.feat, dtype=np.int32)
        self.person_width = len(cat.person_names) * 4  # the features' first columns: people
        other = codes < 0
        cols = codes.copy()
        cols[other] = self.person_width - 1 - codes[other]
        weights = np.empty(len(codes), dtype=np.float32)  # weights 1–3: exact in float32
        weights[~other] = _SLOT_WEIGHTS[codes[~other] & 3]
        weights[other] = np.asarray(cat.other_weights, dtype=np.float32)[-1 - codes[other]]
        del other
        self.features = _rows_matrix(cat.feat_ptr, cols, weights, width)
        del cols, weights
        owners = _owners(self.features.indptr)
        squares = np.square(self.features.data, dtype=np.float64)
        self.norm = np.sqrt(np.bincount(owners, weights=squares, minlength=n))
        del squares
        del owners
        self.votes = np.frombuffer(cat.votes, dtype=np.int64)
        self.era = np.frombuffer(cat.era, dtype=np.int32)
        order = sorted(range(n), key=cat.tconsts.__getitem__)
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        self.n_rated = n_rated
        self.cat = cat
        # Genres as bits (the first _GENRE_BITS genre ids; a film with a later one: reasons in Python).
        genre = np.frombuffer(cat.genre, dtype=np.int32).astype(np.int64)
        film_of = _owners(cat.genre_ptr)
        self.genre_mask = np.zeros(n, dtype=np.int64)
        low = genre < _GENRE_BITS
        np.bitwise_or.at(self.genre_mask, film_of[low], np.left_shift(1, genre[low]))
        self.rare = np.zeros(n, dtype=bool)
        self.rare[film_of[~low]] = True


def _blend(
    content: np.ndarray[Any, Any],
    co: np.ndarray[Any, Any],
    n_a: np.ndarray[Any, Any],
    n_b: np.ndarray[Any, Any],
) -> Any:
    """``blend`` on arrays."""
    alpha = np.where(n_a > 0, n_a / (n_a + SHRINK), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cf = np.where((co > 0) & (n_b > 0) & (n_a > 0), co / np.sqrt(n_a * n_b), 0.0)
    return alpha * cf + (1 - alpha) * content


def _score_pairs(
    m: _Matrices, r: np.ndarray[Any, Any], c: np.ndarray[Any, Any], co: np.ndarray[Any, Any]
) -> Any:
    """Blended similarity of the pairs (r[i], c[i]), rounded as stored (6 digits)."""
    if not len(r):
        return np.zeros(0)
    dot = np.concatenate(
        [
            np.asarray(
                m.features[r[i : i + PAIRS]].multiply(m.features[c[i : i + PAIRS]]).sum(axis=1)
            ).ravel()
            for i in range(0, len(r), PAIRS)
        ]
    )
    norms = m.norm[r] * m.norm[c]
    with np.errstate(divide="ignore", invalid="ignore"):
        content = np.where(norms > 0, dot / norms, 0.0)
    score = _blend(
        content, co.astype(np.float64), m.n_rated[r].astype(np.float64), m.n_rated[c].astype(np.float64)
    )
    return np.round(score, 6)


def _best(
    m: _Matrices,
    r: np.ndarray[Any, Any],
    c: np.ndarray[Any, Any],
    score: np.ndarray[Any, Any],
    keep_r: np.ndarray[Any, Any],
) -> Any:
    """Indices of the pairs kept: per row, the ``keep_r[row]`` best by score, then votes, then id."""
    positive = np.flatnonzero(score > 0)
    r, c, score = r[positive], c[positive], score[positive]
    order = np.lexsort((m.id_rank[c], -m.votes[c], -score, r))
    rows = r[order]
    starts = np.searchsorted(rows, rows, side="left")
    rank = np.arange(len(rows)) - starts
    return positive[order[rank < keep_r[rows]]]


def _reason(m: _Matrices, a: int, b: int, co: int, mine: set[int]) -> str:
    """Why ``b`` is like ``a`` (``mine``: a's person columns): shared people first, then members,
    then genres and era."""
    cat = m.cat
    shared: dict[int, list[str]] = {}  # slot -> names, in billing order
    for code in cat.people_of(b):
        if code in mine:
            names = shared.setdefault(code & 3, [])
            name = cat.person_names[code >> 2]
            if name not in names:
                names.append(name)
    parts = []
    for slot, label in ((0, "directed by"), (1, "written by"), (2, "with")):
        if slot in shared:
            parts.append(f"{label} {', '.join(shared[slot][:2])}")
    if co >= 2:
        parts.append(f"rated by {co} of the same members")
    if not parts:
        genres_a = {cat.genre_list[g] for g in cat.genre[cat.genre_ptr[a] : cat.genre_ptr[a + 1]]}
        genres_b = {cat.genre_list[g] for g in cat.genre[cat.genre_ptr[b] : cat.genre_ptr[b + 1]]}
        genres = sorted(genres_a & genres_b)
        if genres:
            parts.append("also " + ", ".join(genres[:2]))
        era = int(m.era[a])
        if era != _NO_ERA and era == int(m.era[b]):
            parts.append(f"{era}s")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "Similar kind"


_LABELS = {"director": "Directed by", "writer": "Written by", "cast": "With"}


def _person_text(cat: Catalogue, code: int) -> str:
    """The reason of films that share one person: "Directed by …", "Written by …", "With …"."""
    return f"{_LABELS[_SLOT_ROLES[code & 3]]} {cat.person_names[code >> 2]}"


def _genre_text(m: _Matrices, mask: int, era: int) -> str:
    """The reason of films that share no one and were not rated together: genres, then decade."""
    names = sorted(m.cat.genre_list[bit] for bit in range(_GENRE_BITS) if mask >> bit & 1)
    parts = ["also " + ", ".join(names[:2])] if names else []
    if era != _NO_ERA:
        parts.append(f"{era}s")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "Similar kind"


def _lists(
    m: _Matrices,
    r: np.ndarray[Any, Any],
    c: np.ndarray[Any, Any],
    co: np.ndarray[Any, Any],
    keep_r: np.ndarray[Any, Any],
) -> dict[int, list[Neighbour]]:
    """Score the candidate pairs, keep each row's best, with reasons (row → neighbours, best first).

    Only pairs that share several people (or a genre past the bit mask) build their reason in
    Python; the rest is one shared person, "rated by N of the same members", or genres and
    decade, cached by what they share.
    """
    score = _score_pairs(m, r, c, co)
    kept = _best(m, r, c, score, keep_r)
    r, c, score, co = r[kept], c[kept], score[kept], co[kept]
    shared = np.zeros(len(r), dtype=np.int64)  # people each pair shares
    first = np.zeros(len(r), dtype=np.int64)  # the (first) column they share
    if m.person_width and len(r):
        both = m.features[r].multiply(m.features[c]).tocsr()
        both.sort_indices()  # people's columns come first in a row
        in_people = both.indices < m.person_width
        shared = np.bincount(_owners(both.indptr)[in_people], minlength=len(r)).astype(np.int64)
        if both.nnz:
            first = both.indices[np.minimum(both.indptr[:-1], both.nnz - 1)].astype(np.int64)
    # several people shared, one in no role a reason names, or a genre past the bit mask: Python
    slow = np.where(shared > 0, (shared > 1) | (first & 3 == 3), (co < 2) & (m.rare[r] | m.rare[c]))
    one = shared == 1
    common = m.genre_mask[r] & m.genre_mask[c]
    era = np.where(m.era[r] == m.era[c], m.era[r], _NO_ERA)
    cat = m.cat
    tconsts = cat.tconsts
    texts: dict[tuple[int, int], str] = {}
    out: dict[int, list[Neighbour]] = {}
    last, mine, found = -1, set[int](), list[Neighbour]()
    people: dict[int, str] = {}
    for row, col, value, count, is_slow, is_one, column, mask, decade_ in zip(
        r.tolist(),
        c.tolist(),
        score.tolist(),
        co.tolist(),
        slow.tolist(),
        one.tolist(),
        first.tolist(),
        common.tolist(),
        era.tolist(),
        strict=True,
    ):
        if row != last:
            last, found = row, []
            out[row] = found
            mine = set(cat.people_of(row))
        if is_slow:
            reason = _reason(m, row, col, count, mine)
        elif is_one:
            reason = people.get(column, "")
            if not reason:
                reason = people[column] = _person_text(cat, column)
            if count >= 2:
                reason += f"; rated by {count} of the same members"
        elif count >= 2:
            reason = f"Rated by {count} of the same members"
        else:
            reason = texts.get((mask, decade_), "")
            if not reason:
                reason = texts[(mask, decade_)] = _genre_text(m, mask, decade_)
        found.append(Neighbour(tconsts[col], value, reason))
    return out


def neighbours(
    film: Features,
    candidates: Iterable[Features],
    co_counts: Mapping[str, int],
    rating_counts: Mapping[str, int],
    keep: int | None = None,
) -> list[Neighbour]:
    """The most similar candidates (the film itself left out), best first; ties by votes, id.

    ``keep``: how many (default ``KEEP`` for a film members rated, else ``KEEP_UNRATED``).
    """
    cat = Catalogue()
    cat.add(film)
    for other in candidates:
        cat.add(other)
    n = len(cat)
    n_rated = np.array([rating_counts.get(t, 0) for t in cat.tconsts], dtype=np.int64)
    m = _Matrices(cat, n_rated)
    r = np.zeros(n - 1, dtype=np.int64)
    c = np.arange(1, n, dtype=np.int64)
    co = np.array([co_counts.get(t, 0) for t in cat.tconsts[1:]], dtype=np.int64)
    limit = keep if keep is not None else (KEEP if n_rated[0] > 0 else KEEP_UNRATED)
    return _lists(m, r, c, co, np.array([limit], dtype=np.int64)).get(0, [])


# ---------------------------------------------------------------- the bulk build


def _person_matrix(m: _Matrices) -> Any:
    """Films × (role, person) columns, only people on at most ``MAX_PERSON_TITLES`` titles."""
    width = max(m.person_width, 1)
    cols = m.features.indices
    person = cols < m.person_width
    titles = np.bincount(cols[person], minlength=width)
    keep = np.flatnonzero(person)
    keep = keep[titles[cols[keep]] <= MAX_PERSON_TITLES]
    del titles, person
    return _binary(_owners(m.features.indptr)[keep], cols[keep].astype(np.int64), (len(m.cat), width))


def _group_matrices(m: _Matrices) -> tuple[Any, Any]:
    """Films × groups (every membership), and the same with each group's most-voted films only."""
    cat = m.cat
    n, width = len(cat), max(cat.group_count if cat.sealed else len(cat.groups), 1)
    groups = np.frombuffer(cat.group, dtype=np.int32).astype(np.int64)
    rows = _owners(cat.group_ptr)
    member = _binary(rows, groups, (n, width))
    order = np.lexsort((m.id_rank[rows], -m.votes[rows], groups))
    by_group = groups[order]
    rank = np.arange(len(order)) - np.searchsorted(by_group, by_group, side="left")
    top = order[rank < GROUP_CANDIDATES]
    return member, _binary(rows[top], groups[top], (n, width))


def _top_co(co: Any, start: int, n_rated: np.ndarray[Any, Any], id_rank: np.ndarray[Any, Any]) -> Any:
    """The chunk's co-rating matrix cut to each row's ``CO_CANDIDATES`` by ``co / sqrt(n_b)`` (ties
    by id), the film itself left out. Rows with fewer co-rated films are kept whole."""
    co = co.tocsr()
    rows = _owners(co.indptr)
    data = co.data.copy()
    data[co.indices == rows + start] = 0  # the film itself
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


def _steps(rated: Any, raters: Any, person: Any, person_t: Any, member: Any) -> Iterator[tuple[int, int]]:
    """Chunks of films (start, stop) whose candidate pairs stay under ``PAIRS`` (an upper bound:
    for each film, the ratings of its raters, the titles of its people and its groups' tops)."""
    n = rated.shape[1]
    per_member = np.asarray(rated.sum(axis=1)).ravel()
    per_person = np.asarray(person_t.sum(axis=1)).ravel()
    cost = (
        raters @ per_member
        + person @ per_person
        + np.asarray(member.sum(axis=1)).ravel() * GROUP_CANDIDATES
        + 1
    )
    start = 0
    total = np.cumsum(cost)
    while start < n:
        base = total[start - 1] if start else 0
        stop = int(np.searchsorted(total, base + PAIRS, side="right"))
        stop = min(max(stop, start + 1), start + CHUNK, n)
        yield start, stop
        start = stop


def neighbours_all(
    films: Mapping[str, Features] | Catalogue,
    ratings: Iterable[tuple[str, str]],
    keep: int = KEEP,
    keep_unrated: int = KEEP_UNRATED,
) -> Iterator[tuple[str, list[Neighbour]]]:
    """Every film's neighbours, from every film's features and every (member, film) rating.

    Candidates of a film: films sharing a director, writer or top-billed cast member (people on
    more than ``MAX_PERSON_TITLES`` titles left out), the ``CO_CANDIDATES`` films most rated with
    it, and the most-voted films of its kind and each of its genres, and of its kind and decade.
    A chunk of ``CHUNK`` films at a time: each candidate set is the nonzeros of sparse products.
    A ``Catalogue`` given is sealed (its lookup tables dropped) once the ratings are mapped.
    """
    cat = films if isinstance(films, Catalogue) else Catalogue().extend(films.values())
    n = len(cat)
    members: dict[str, int] = {}
    user_rows = array("q")
    film_cols = array("q")
    index = cat.index
    for user, tconst in ratings:
        col = index.get(tconst)
        if col is not None:
            user_rows.append(members.setdefault(user, len(members)))
            film_cols.append(col)
    rated = _binary(
        np.frombuffer(user_rows, dtype=np.int64),
        np.frombuffer(film_cols, dtype=np.int64),
        (max(len(members), 1), n),
    )
    del user_rows, film_cols, members
    cat.seal()
    n_rated = np.asarray(rated.sum(axis=0)).ravel().astype(np.int64)
    raters = rated.T.tocsr()  # films × members
    m = _Matrices(cat, n_rated)
    person = _person_matrix(m)
    person_t = person.T.tocsr()
    member, top = _group_matrices(m)
    top_t = top.T.tocsr()
    keep_all = np.where(n_rated > 0, keep, keep_unrated).astype(np.int64)
    for start, stop in _steps(rated, raters, person, person_t, member):
        pattern = (person[start:stop] @ person_t).astype(bool) + (member[start:stop] @ top_t).astype(bool)
        co_full = (raters[start:stop] @ rated).tocsr()
        pattern = (pattern + _top_co(co_full, start, n_rated, m.id_rank).astype(bool)).tocoo()
        r = pattern.row.astype(np.int64) + start
        c = pattern.col.astype(np.int64)
        off = r != c
        r, c = r[off], c[off]
        co = np.zeros(len(r), dtype=np.int64)
        if co_full.nnz:
            found = co_full.tocoo()
            keys = (found.row.astype(np.int64) + start) * n + found.col
            wanted = r * n + c
            order = np.argsort(keys)
            keys, values = keys[order], found.data[order]
            at = np.clip(np.searchsorted(keys, wanted), 0, len(keys) - 1)
            co = np.where(keys[at] == wanted, values[at], 0).astype(np.int64)
        lists = _lists(m, r, c, co, keep_all)
        for row in range(start, stop):
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
