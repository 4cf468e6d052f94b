"""The similarity kernel (pure, no I/O): candidate pairs scored in one vectorised pass over sparse
matrices, each film's best kept with the reason shown; and ``neighbours``, one film's refresh, which
runs the same kernel so a refreshed film scores as a rebuilt one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from marquee.services.similar_features import (
    GENRE_BITS,
    NO_ERA,
    SHRINK,
    SLOT_ROLES,
    SLOT_WEIGHTS,
    Catalogue,
    Features,
    Neighbour,
)

if TYPE_CHECKING:  # numpy and scipy are imported by the functions that use them, not at start-up
    import numpy as np

# Neighbours stored per film that members rated (they feed recommendations: more of them reach
# more films), and per film nobody rated (content alone: the film page shows 8).
KEEP = 50
KEEP_UNRATED = 20


PAIRS = 1_000_000  # candidate pairs (an upper bound) per step: much-rated films take smaller steps


def _rows_matrix(ptr: array[int], cols: np.ndarray[Any, Any], data: np.ndarray[Any, Any], width: int) -> Any:
    import numpy as np
    import scipy.sparse as sp

    return sp.csr_matrix((data, cols, np.frombuffer(ptr, dtype=np.int64)), shape=(len(ptr) - 1, width))


def row_owners(ptr: Any) -> Any:
    """For row pointers ``ptr`` (CSR style), the row of each entry."""
    import numpy as np

    bounds = np.asarray(ptr, dtype=np.int64)
    return np.repeat(np.arange(len(bounds) - 1, dtype=np.int64), bounds[1:] - bounds[:-1])


def binary(rows: np.ndarray[Any, Any], cols: np.ndarray[Any, Any], shape: tuple[int, int]) -> Any:
    """A CSR 0/1 pattern matrix with ones at (``rows``, ``cols``), repeats counted once."""
    import numpy as np
    import scipy.sparse as sp

    data = np.ones(len(rows), dtype=np.float32)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=shape)
    matrix.data[:] = 1  # duplicates summed: a pattern
    return matrix


class Matrices:
    """A catalogue's sparse matrices and per-film arrays (what the kernel and the candidates read)."""

    def __init__(self, cat: Catalogue, n_rated: np.ndarray[Any, Any]) -> None:
        import numpy as np

        n = len(cat)
        width = max(cat.width, 1)
        # Built in place from the codes (no full-size int64 copies: this is the build's peak at 1 M).
        codes = np.frombuffer(cat.feat, dtype=np.int32)
        self.person_width = len(cat.person_names) * 4  # the features' first columns: people
        other = codes < 0
        cols = codes.copy()
        cols[other] = self.person_width - 1 - codes[other]
        weights = np.empty(len(codes), dtype=np.float32)  # weights 1–3: exact in float32
        weights[~other] = np.asarray(SLOT_WEIGHTS)[codes[~other] & 3]
        weights[other] = np.asarray(cat.other_weights, dtype=np.float32)[-1 - codes[other]]
        del other
        self.features = _rows_matrix(cat.feat_ptr, cols, weights, width)
        del cols, weights
        owners = row_owners(self.features.indptr)
        squares = np.square(self.features.data, dtype=np.float64)
        self.norm = np.sqrt(np.bincount(owners, weights=squares, minlength=n))
        del squares
        del owners
        self.votes = np.frombuffer(cat.votes, dtype=np.int64)
        self.era = np.frombuffer(cat.era, dtype=np.int32)
        order = sorted(range(n), key=cat.tconsts.__getitem__)
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
        # Each film's place in the tie-break of equal scores: most votes first, then by id.
        self.tie_rank = np.empty(n, dtype=np.int64)
        self.tie_rank[np.lexsort((self.id_rank, -self.votes))] = np.arange(n, dtype=np.int64)
        self.n_rated = n_rated
        self.cat = cat
        # Genres as bits (the first GENRE_BITS genre ids; a film with a later one: reasons in Python).
        genre = np.frombuffer(cat.genre, dtype=np.int32).astype(np.int64)
        film_of = row_owners(cat.genre_ptr)
        self.genre_mask = np.zeros(n, dtype=np.int64)
        low = genre < GENRE_BITS
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
    import numpy as np

    alpha = np.where(n_a > 0, n_a / (n_a + SHRINK), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cf = np.where((co > 0) & (n_b > 0) & (n_a > 0), co / np.sqrt(n_a * n_b), 0.0)
    return alpha * cf + (1 - alpha) * content


def _score_pairs(
    m: Matrices, r: np.ndarray[Any, Any], c: np.ndarray[Any, Any], co: np.ndarray[Any, Any]
) -> Any:
    """Blended similarity of the pairs (r[i], c[i]), rounded as stored (6 digits)."""
    import numpy as np

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
    m: Matrices,
    r: np.ndarray[Any, Any],
    c: np.ndarray[Any, Any],
    score: np.ndarray[Any, Any],
    keep_r: np.ndarray[Any, Any],
) -> Any:
    """Indices of the pairs kept: per row, the ``keep_r[row]`` best by score, then votes, then id."""
    import numpy as np

    positive = np.flatnonzero(score > 0)
    r, c, score = r[positive], c[positive], score[positive]
    order = pair_order(m, r, c, score)
    rows = r[order]
    starts = np.searchsorted(rows, rows, side="left")
    rank = np.arange(len(rows)) - starts
    return positive[order[rank < keep_r[rows]]]


def pair_order(
    m: Matrices, r: np.ndarray[Any, Any], c: np.ndarray[Any, Any], score: np.ndarray[Any, Any]
) -> Any:
    """The pairs' order by row, then score (best first), votes (most first), id: that of
    ``np.lexsort((m.id_rank[c], -m.votes[c], -score, r))``.

    Scores are rounded to 6 digits, so a million times each is an exact integer: row, score and tie
    rank (``Matrices.tie_rank``) pack into one int64 key whose stable argsort is 4 times quicker than
    the 4-key lexsort. Scores with more digits, or a key past 63 bits: the lexsort itself.
    """
    import numpy as np

    if not len(r):
        return np.zeros(0, dtype=np.int64)
    micro = np.rint(score * 1e6).astype(np.int64)
    top, low, high = int(micro.max()), int(r.min()), int(r.max())
    tie_bits = max(len(m.tie_rank) - 1, 1).bit_length()
    score_bits = max(top, 1).bit_length()
    exact = bool(np.array_equal(micro / 1e6, score))  # scores as stored: 6 digits, no more
    if not exact or int(micro.min()) < 0 or (high - low).bit_length() + score_bits + tie_bits > 63:
        return np.lexsort((m.id_rank[c], -m.votes[c], -score, r))
    key = ((r - low) << (score_bits + tie_bits)) | ((top - micro) << tie_bits) | m.tie_rank[c]
    return np.argsort(key, kind="stable")


def _reason(m: Matrices, a: int, b: int, co: int, mine: set[int]) -> str:
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
        if era != NO_ERA and era == int(m.era[b]):
            parts.append(f"{era}s")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "Similar kind"


_LABELS = {"director": "Directed by", "writer": "Written by", "cast": "With"}


def _person_text(cat: Catalogue, code: int) -> str:
    """The reason of films that share one person: "Directed by …", "Written by …", "With …"."""
    return f"{_LABELS[SLOT_ROLES[code & 3]]} {cat.person_names[code >> 2]}"


def _genre_text(m: Matrices, mask: int, era: int) -> str:
    """The reason of films that share no one and were not rated together: genres, then decade."""
    names = sorted(m.cat.genre_list[bit] for bit in range(GENRE_BITS) if mask >> bit & 1)
    parts = ["also " + ", ".join(names[:2])] if names else []
    if era != NO_ERA:
        parts.append(f"{era}s")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] if text else "Similar kind"


def scored_neighbours(
    m: Matrices,
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
    import numpy as np

    score = _score_pairs(m, r, c, co)
    kept = _best(m, r, c, score, keep_r)
    r, c, score, co = r[kept], c[kept], score[kept], co[kept]
    shared = np.zeros(len(r), dtype=np.int64)  # people each pair shares
    first = np.zeros(len(r), dtype=np.int64)  # the (first) column they share
    if m.person_width and len(r):
        both = m.features[r].multiply(m.features[c]).tocsr()
        both.sort_indices()  # people's columns come first in a row
        in_people = both.indices < m.person_width
        shared = np.bincount(row_owners(both.indptr)[in_people], minlength=len(r)).astype(np.int64)
        if both.nnz:
            first = both.indices[np.minimum(both.indptr[:-1], both.nnz - 1)].astype(np.int64)
    # several people shared, one in no role a reason names, or a genre past the bit mask: Python
    slow = np.where(shared > 0, (shared > 1) | (first & 3 == 3), (co < 2) & (m.rare[r] | m.rare[c]))
    one = shared == 1
    common = m.genre_mask[r] & m.genre_mask[c]
    era = np.where(m.era[r] == m.era[c], m.era[r], NO_ERA)
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
    import numpy as np

    cat = Catalogue()
    cat.add(film)
    for other in candidates:
        cat.add(other)
    n = len(cat)
    n_rated = np.array([rating_counts.get(t, 0) for t in cat.tconsts], dtype=np.int64)
    m = Matrices(cat, n_rated)
    r = np.zeros(n - 1, dtype=np.int64)
    c = np.arange(1, n, dtype=np.int64)
    co = np.array([co_counts.get(t, 0) for t in cat.tconsts[1:]], dtype=np.int64)
    limit = keep if keep is not None else (KEEP if n_rated[0] > 0 else KEEP_UNRATED)
    return scored_neighbours(m, r, c, co, np.array([limit], dtype=np.int64)).get(0, [])
