"""Search by description, the maths (no I/O): words, TF-IDF, truncated SVD (LSA) and the blend.

A film's text (storyline, outline, taglines, trivia, quotes, genres) becomes a bag of stemmed words
(Snowball's English stemmer, Porter's successor) without stop words. Two sides score it:

* the *words* side: Okapi BM25 weights of its words (cut to its ``doc_terms`` heaviest), summed
  over the query's distinct words: it rewards words the query shares with the story;
* the *meaning* side: its L2-normalised TF-IDF row, proper names left out (``story_tokens``),
  projected on the ``dims`` leading right singular vectors of the TF-IDF matrix (latent semantic
  analysis) and normalised: words used in the same kinds of stories land near each other, so a
  film can score without sharing a word with the query.

A query is scored against every film on both sides by sparse and dense matrix products; each side
is divided by its best value over the catalogue, and the two are mixed ``blend : 1 - blend``.
Memory stays bounded whatever the catalogue: the vocabulary is capped (``max_terms``), the SVD is
fitted on at most ``sample`` documents and every other document is folded in with the same
components, and everything is float32.

The words (``tokens``, ``stem``, ``ModelParams``, ``DfCounter``) are in ``describe_words``, re-exported here;
numpy and scipy are imported by the functions that use them, so importing this costs a process nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marquee.services.describe_words import (
    DEFAULT_PARAMS,
    DfCounter,
    ModelParams,
    stem,
    story_tokens,
    tokens,
)

if TYPE_CHECKING:  # numpy and scipy are imported by the functions that use them, not at start-up
    import numpy as np
    import numpy.typing as npt
    from scipy import sparse

    Vector = npt.NDArray[np.float32]

__all__ = [
    "DEFAULT_PARAMS",
    "DfCounter",
    "LsaModel",
    "ModelParams",
    "SearchIndex",
    "blend_scores",
    "decode_terms",
    "decode_vector",
    "dense_scores",
    "encode_rows",
    "encode_terms",
    "encode_vector",
    "fit_lsa",
    "stack_vectors",
    "stem",
    "story_tokens",
    "tokens",
    "top_k",
]


def _counts(docs: Sequence[Sequence[str]], index: dict[str, int], terms: int) -> sparse.csr_matrix:
    """Term counts of tokenised documents, one CSR row each (words outside the vocabulary dropped)."""
    import numpy as np
    from scipy import sparse

    lengths = []
    found: list[int] = []
    for words in docs:
        ids = [index[w] for w in words if w in index]
        found.extend(ids)
        lengths.append(len(ids))
    row_of = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)
    counts = sparse.csr_matrix(
        (np.ones(len(found), dtype=np.float32), (row_of, np.array(found, dtype=np.int32))),
        shape=(len(docs), terms),
        dtype=np.float32,
    )
    counts.sum_duplicates()
    return counts


def _keep_heaviest(rows: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Each row cut to its ``keep`` largest weights (0: all kept)."""
    import numpy as np

    if keep > 0:
        for row in np.flatnonzero(np.diff(rows.indptr) > keep):
            start, end = rows.indptr[row], rows.indptr[row + 1]
            values = rows.data[start:end]
            values[np.argpartition(-values, keep - 1)[keep:]] = 0.0
        rows.eliminate_zeros()
    return rows


def _scale_rows(rows: sparse.csr_matrix, factors: npt.NDArray[np.floating]) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    return sparse.csr_matrix(sparse.diags(np.asarray(factors, dtype=np.float32)) @ rows, dtype=np.float32)


def _tfidf_rows(
    docs: Sequence[Sequence[str]], index: dict[str, int], idf: Vector, doc_terms: int
) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows (``1 + log tf``), each cut to its ``doc_terms`` heaviest words."""
    import numpy as np

    counts = _counts(docs, index, len(idf))
    counts.data = ((1.0 + np.log(counts.data)) * idf[counts.indices]).astype(np.float32)
    counts = _keep_heaviest(counts, doc_terms)
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return _scale_rows(counts, 1.0 / norms)


def _bm25_rows(
    docs: Sequence[Sequence[str]], index: dict[str, int], idf: Vector, avg_len: float, params: ModelParams
) -> sparse.csr_matrix:
    """Okapi BM25 weight of every (document, term): a query's score is the sum over its words."""
    import numpy as np

    counts = _counts(docs, index, len(idf))
    lengths = np.asarray(counts.sum(axis=1), dtype=np.float32).ravel()
    norm = params.bm25_k1 * (1.0 - params.bm25_b + params.bm25_b * lengths / max(avg_len, 1.0))
    per_entry = np.repeat(norm, np.diff(counts.indptr))
    tf = counts.data
    counts.data = (idf[counts.indices] * tf * (params.bm25_k1 + 1.0) / (tf + per_entry)).astype(np.float32)
    return _keep_heaviest(counts, params.doc_terms)


def _normalise(rows: Vector) -> Vector:
    import numpy as np

    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(rows / norms, dtype=np.float32)


def fit_lsa(sample: sparse.csr_matrix, dims: int, *, power: int = 4, seed: int = 0) -> Vector:
    """The ``dims`` leading right singular vectors of ``sample`` as a (terms × dims) float32 matrix.

    Randomised SVD (Halko, Martinsson & Tropp 2011, algorithm 4.4: a Gaussian sketch, ``power``
    normalised power iterations, then an exact SVD of the small projected matrix): a few sparse
    products instead of ARPACK's hundreds of iterations; a fixed ``seed`` makes builds repeatable.
    Small matrices (where the sketch would be most of the matrix) go to ``scipy``'s ``svds``.
    """
    import numpy as np

    rows, cols = sample.shape
    k = min(dims, rows - 1, cols - 1)
    if k < 1:
        return np.zeros((cols, 0), dtype=np.float32)
    matrix = sample.astype(np.float32).tocsr()
    width = k + 20
    if width >= min(rows, cols):
        start = np.full(min(rows, cols), 1.0 / math.sqrt(min(rows, cols)))  # deterministic
        from scipy.sparse.linalg import svds

        _, values, vt = svds(matrix.astype(np.float64), k=k, v0=start)
        order = np.argsort(values)[::-1]
        return np.ascontiguousarray(vt[order].T, dtype=np.float32)
    rng = np.random.default_rng(seed)
    basis = _orthonormal(np.asarray(matrix @ rng.standard_normal((cols, width)).astype(np.float32)))
    for _ in range(power):
        back = _orthonormal(np.asarray(matrix.T @ basis))
        basis = _orthonormal(np.asarray(matrix @ back))
    small = np.asarray((matrix.T @ basis).T, dtype=np.float64)  # width × cols: B = Qᵀ·A
    values, vectors = np.linalg.eigh(small @ small.T)  # B·Bᵀ = U·S²·Uᵀ, so Vᵀ = S⁻¹·Uᵀ·B
    order = np.argsort(values)[::-1][:k]
    singular = np.sqrt(np.clip(values[order], 1e-30, None))
    vt = (vectors[:, order].T @ small) / singular[:, None]
    return np.ascontiguousarray(vt.T, dtype=np.float32)


def _orthonormal(block: npt.NDArray[np.floating]) -> Vector:
    """An orthonormal basis of ``block``'s columns through its small Gram matrix (two matrix
    products and a tiny eigendecomposition: a tall QR is slow on a busy machine's BLAS)."""
    import numpy as np

    tall = np.asarray(block, dtype=np.float64)
    values, vectors = np.linalg.eigh(tall.T @ tall)
    keep = values > values.max() * 1e-10
    return np.asarray(tall @ (vectors[:, keep] / np.sqrt(values[keep])), dtype=np.float32)


@dataclass(frozen=True)
class LsaModel:
    """The default model: vocabulary, idf and SVD components (terms × dims)."""

    terms: tuple[str, ...]
    idf: Vector
    components: Vector
    params: ModelParams = DEFAULT_PARAMS
    avg_len: float = 1.0  # mean words (in the vocabulary) per document, for BM25

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {t: i for i, t in enumerate(self.terms)})

    @property
    def index(self) -> dict[str, int]:
        found: dict[str, int] = self.__dict__["_index"]
        return found

    @property
    def dims(self) -> int:
        return int(self.components.shape[1])

    def tfidf(self, docs: Sequence[Sequence[str]], *, cut: bool = True) -> sparse.csr_matrix:
        """Sparse L2-normalised TF-IDF rows of tokenised documents (a query is not cut)."""
        return _tfidf_rows(docs, self.index, self.idf, self.params.doc_terms if cut else 0)

    def bm25(self, docs: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Documents' BM25 rows (what is stored for the words side of the score)."""
        return _bm25_rows(docs, self.index, self.idf, self.avg_len, self.params)

    def query_terms(self, words: Sequence[str]) -> sparse.csr_matrix:
        """A query as a 1-row matrix of its distinct known words (1 each), to multiply BM25 rows by."""
        import numpy as np

        ids = sorted({self.index[w] for w in words if w in self.index})
        from scipy import sparse

        return sparse.csr_matrix(
            (np.ones(len(ids), dtype=np.float32), np.array(ids, dtype=np.int32), np.array([0, len(ids)])),
            shape=(1, len(self.terms)),
        )

    def semantic(self, rows: sparse.csr_matrix) -> Vector:
        """The rows folded into the latent space, normalised."""
        import numpy as np

        return _normalise(np.asarray(rows @ self.components, dtype=np.float32))


def encode_vector(vector: Vector) -> bytes:
    """A dense vector as little-endian float32 bytes."""
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def decode_vector(data: bytes) -> Vector:
    import numpy as np

    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def encode_terms(row: sparse.csr_matrix) -> bytes:
    """One sparse row as int32 term numbers then float32 weights (little-endian)."""
    import numpy as np

    ids = np.asarray(row.indices, dtype="<i4")
    return ids.tobytes() + np.asarray(row.data, dtype="<f4").tobytes()


def encode_rows(rows: sparse.csr_matrix) -> list[bytes]:
    """Every row of a CSR matrix as ``encode_terms`` bytes (slices of its arrays: no row objects)."""
    import numpy as np

    ids = np.asarray(rows.indices, dtype="<i4")
    weights = np.asarray(rows.data, dtype="<f4")
    ptr = rows.indptr
    return [
        ids[ptr[i] : ptr[i + 1]].tobytes() + weights[ptr[i] : ptr[i + 1]].tobytes()
        for i in range(rows.shape[0])
    ]


def decode_terms(data: bytes) -> tuple[npt.NDArray[np.int32], Vector]:
    import numpy as np

    half = len(data) // 2
    return np.frombuffer(data[:half], dtype="<i4"), np.frombuffer(data[half:], dtype="<f4")


def blend_scores(semantic: Vector, lexical: Vector | None, blend: float) -> Vector:
    """Each side divided by its best value (so both count on one scale), then mixed."""
    import numpy as np

    def scaled(scores: Vector) -> Vector:
        best = float(scores.max()) if scores.size else 0.0
        return scores / best if best > 0 else np.zeros_like(scores)

    if lexical is None:
        return scaled(semantic)
    return (blend * scaled(semantic) + (1.0 - blend) * scaled(lexical)).astype(np.float32)


def top_k(scores: Vector, k: int) -> list[int]:
    """Positions of the ``k`` best scores, best first (ties by position), positive scores only."""
    import numpy as np

    if scores.size == 0 or k <= 0:
        return []
    k = min(k, scores.size)
    part = np.argpartition(-scores, k - 1)[:k]
    ordered = sorted(part.tolist(), key=lambda i: (-float(scores[i]), i))
    return [i for i in ordered if scores[i] > 0]


def dense_scores(dense: Vector, query: Vector) -> Vector:
    """``dense @ query`` through numpy's own loop (``einsum``), not BLAS: a matrix-vector product
    is memory-bound, and OpenBLAS's threads made it 15x slower on a machine with busy cores."""
    import numpy as np

    return np.asarray(np.einsum("ij,j->i", dense, np.asarray(query, dtype=np.float32)), dtype=np.float32)


@dataclass(frozen=True)
class SearchIndex:
    """What a process keeps in memory to answer queries: every film's vectors, stacked.

    ``dense``: (films × dims) normalised semantic vectors; ``lexical``: (films × terms) sparse
    TF-IDF rows or None (a user's model has no lexical side of its own).
    """

    tconsts: tuple[str, ...]
    dense: Vector
    lexical: sparse.csr_matrix | None

    def scores(self, query_dense: Vector, query_lexical: sparse.csr_matrix | None, blend: float) -> Vector:
        import numpy as np

        semantic = dense_scores(self.dense, query_dense)
        semantic = np.clip(semantic, 0.0, None)
        lexical = None
        if self.lexical is not None and query_lexical is not None and query_lexical.nnz:
            lexical = np.asarray(self.lexical @ query_lexical.T.toarray(), dtype=np.float32).ravel()
        return blend_scores(semantic, lexical, blend)


def stack_vectors(
    batches: Iterable[Sequence[tuple[str, bytes, bytes | None]]], dims: int, *, lexical_terms: int | None
) -> SearchIndex:
    """A ``SearchIndex`` from stored rows (title id, encoded vector, encoded terms), in batches: the
    vectors cut to ``dims``; the terms (of a ``lexical_terms``-word vocabulary) only when it is given."""
    import numpy as np

    tconsts: list[str] = []
    dense_parts: list[np.ndarray] = []
    indptr = [0]
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for batch in batches:
        block = np.zeros((len(batch), dims), dtype=np.float32)
        for i, (tconst, vector, terms) in enumerate(batch):
            tconsts.append(tconst)
            block[i] = decode_vector(vector)[:dims] if dims else block[i]
            if lexical_terms is not None:
                ids, weights = decode_terms(terms or b"")
                indices.append(ids)
                values.append(weights)
                indptr.append(indptr[-1] + len(ids))
        dense_parts.append(block)
    dense = np.vstack(dense_parts) if dense_parts else np.zeros((0, dims), dtype=np.float32)
    lexical = None
    if lexical_terms is not None:
        from scipy import sparse

        lexical = sparse.csr_matrix(
            (
                np.concatenate(values) if values else np.zeros(0, dtype=np.float32),
                np.concatenate(indices) if indices else np.zeros(0, dtype=np.int32),
                np.array(indptr, dtype=np.int64),
            ),
            shape=(len(tconsts), lexical_terms),
        )
    return SearchIndex(tuple(tconsts), dense, lexical)
