"""Search by description (issue 21): "a teenage boy with a deformed skull and his biker mother".

* ``rebuild_descriptions`` learns the default model from the store's own text (storylines,
  outlines, taglines, trivia, quotes: TF-IDF + truncated SVD, ``describe_model``) and stores it
  with every film's vectors (``storage.description_vectors``); with a user's model folder
  (``describe_user``) it also stores every film's vectors under that model.
* ``search_descriptions`` scores a query against every film's vectors by a matrix product
  (numpy), blending meaning (LSA, or the user's model) with shared words (TF-IDF). A process keeps
  the vectors in memory after the first query and reloads them when the model's build id changes.

Nothing is downloaded: the default model is built here, and a user's model is a local folder.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from marquee.errors import InputError, NotFound
from marquee.services import describe_model as maths
from marquee.services.describe_user import Embedder, load_user_model, model_key
from marquee.services.search import TitleHit
from marquee.storage import description_vectors as rows
from marquee.storage.base import Store

if TYPE_CHECKING:  # numpy, scipy: imported by the functions that use them, not at start-up
    import numpy as np

__all__ = [
    "DEFAULT_MODEL",
    "MAX_LIMIT",
    "MAX_QUERY_CHARS",
    "BuildReport",
    "DescriptionHit",
    "NoDescriptionIndex",
    "check_query",
    "forget_indexes",
    "is_built",
    "rebuild_descriptions",
    "search_descriptions",
]

DEFAULT_MODEL = "lsa"
MAX_QUERY_CHARS = 2000  # a description is a few sentences; past this it is not a search
MAX_LIMIT = 1000
# A user's model is a sentence-embedding model chosen for meaning: it leads, and the default model's
# words side (when built) is the rest.
USER_MODEL_BLEND = 0.7
REBUILD_HINT = "run `marquee search --rebuild-descriptions`"
_BATCH = 2000


class NoDescriptionIndex(NotFound):
    """No model (or no vectors for the model asked for) has been built in this store."""


class DescriptionHit(TitleHit):
    """A title found by description, with how well it matched (1.0: the best in the catalogue)."""

    score: float


@dataclass(frozen=True)
class BuildReport:
    """What a build made."""

    model: str
    films: int
    terms: int
    dims: int
    seconds: float


def check_query(text: str) -> str:
    """The query trimmed; InputError when it is empty or longer than ``MAX_QUERY_CHARS``."""
    if len(text) > MAX_QUERY_CHARS * 4:  # don't even strip megabytes
        raise InputError(f"description: longer than {MAX_QUERY_CHARS:,} characters")
    query = " ".join(text.split())
    if not query:
        raise InputError("description: must not be empty")
    if len(query) > MAX_QUERY_CHARS:
        raise InputError(f"description: longer than {MAX_QUERY_CHARS:,} characters")
    return query


# ---------------------------------------------------------------- building


def _texts(store: Store) -> Iterator[tuple[str, str]]:
    for batch in rows.text_batches(store, _BATCH):
        yield from batch


def _model_row(
    name: str, kind: str, dims: int, documents: int, params: dict[str, object]
) -> dict[str, object]:
    return {
        "name": name,
        "kind": kind,
        "build_id": uuid.uuid4().hex,
        "built_at": dt.datetime.now(dt.UTC),
        "dims": dims,
        "documents": documents,
        "params": json.dumps(params, sort_keys=True),
        "vocabulary": None,
        "idf": None,
        "components": None,
    }


def _build_lsa(store: Store, params: maths.ModelParams) -> tuple[int, int, int]:
    """Learn the default model and store it with every film's vectors: (films, terms, dims)."""
    import numpy as np

    counter = maths.DfCounter()
    # The corpus, tokenised, is kept from pass 1 while it is no bigger than one SVD sample: then
    # the text is read and split once; past that it is streamed again (bounded memory).
    kept: list[tuple[str, list[str], list[str]]] | None = []
    total_words = 0
    for tconst, text in _texts(store):  # pass 1: document frequencies
        words = maths.tokens(text)
        counter.add(words)
        total_words += len(words)
        if kept is not None:
            kept.append((tconst, words, maths.story_tokens(text)))
            if len(kept) > params.sample:
                kept = None
    terms, idf = counter.vocabulary(params)
    step = max(1, math.ceil(counter.documents / params.sample))
    empty = maths.LsaModel(tuple(terms), idf, np.zeros((len(terms), 0), dtype=np.float32), params)
    avg_len = total_words / max(counter.documents, 1)  # (over all words: close enough for BM25's ratio)
    if kept is not None:
        sample = [story for _, _, story in kept]
    else:  # pass 2: an evenly spaced sample for the SVD
        sample = [
            maths.story_tokens(text) for number, (_, text) in enumerate(_texts(store)) if number % step == 0
        ]
    components = maths.fit_lsa(empty.tfidf(sample), params.dims) if terms else empty.components
    del sample
    model = maths.LsaModel(tuple(terms), idf, components, params, avg_len)
    rows.clear_building(store, DEFAULT_MODEL)
    written = 0

    def corpus() -> Iterator[tuple[str, list[str], list[str]]]:
        if kept is not None:
            yield from kept
        else:
            for tconst, text in _texts(store):
                yield tconst, maths.tokens(text), maths.story_tokens(text)

    batch: list[tuple[str, list[str], list[str]]] = []
    for item in corpus():  # pass 3: every film's vectors (the sample's words reused when it is all)
        batch.append(item)
        if len(batch) >= _BATCH:
            written += _write_lsa_batch(store, model, batch)
            batch = []
    written += _write_lsa_batch(store, model, batch)
    row = _model_row(DEFAULT_MODEL, "lsa", model.dims, written, {**asdict(params), "avg_len": avg_len})
    row.update(
        vocabulary="\n".join(terms).encode("utf-8"),
        idf=maths.encode_vector(idf),
        components=maths.encode_vector(components.ravel()),
    )
    rows.publish(store, row)
    return written, len(terms), model.dims


def _write_lsa_batch(
    store: Store, model: maths.LsaModel, batch: list[tuple[str, list[str], list[str]]]
) -> int:
    if not batch:
        return 0
    dense = model.semantic(model.tfidf([story for _, _, story in batch]))
    terms = maths.encode_rows(model.bm25([words for _, words, _ in batch]))
    out = [(tconst, maths.encode_vector(dense[i]), terms[i]) for i, (tconst, _, _) in enumerate(batch)]
    rows.write_vectors(store, DEFAULT_MODEL, out)
    return len(out)


def _build_user(store: Store, embedder: Embedder, name: str) -> int:
    """Every film's vectors under a user's model; returns how many films have one."""
    rows.clear_building(store, name)
    written = 0
    for batch in rows.text_batches(store, 256):
        if not batch:
            continue
        vectors = embedder.embed([text for _, text in batch])
        rows.write_vectors(
            store, name, [(t, maths.encode_vector(vectors[i]), None) for i, (t, _) in enumerate(batch)]
        )
        written += len(batch)
    rows.publish(store, _model_row(name, embedder.kind, embedder.dims, written, {"kind": embedder.kind}))
    return written


def rebuild_descriptions(
    store: Store, *, model_path: str | Path | None = None, params: maths.ModelParams = maths.DEFAULT_PARAMS
) -> list[BuildReport]:
    """Build the default model and its vectors (and, given ``model_path``, the vectors of the user's
    model in that folder, checked first: a folder that is not a model stops before any work)."""
    from threadpoolctl import threadpool_limits

    embedder = load_user_model(model_path) if model_path is not None else None
    reports: list[BuildReport] = []
    start = time.perf_counter()
    # One BLAS thread: the matrices are small, and OpenBLAS's spinning threads cost several times
    # the work on a machine whose cores are busy (the site's workers, an import).
    with threadpool_limits(limits=1):
        films, terms, dims = _build_lsa(store, params)
    reports.append(BuildReport(DEFAULT_MODEL, films, terms, dims, time.perf_counter() - start))
    if embedder is not None and model_path is not None:
        start = time.perf_counter()
        name = model_key(model_path)
        films = _build_user(store, embedder, name)
        reports.append(BuildReport(name, films, 0, embedder.dims, time.perf_counter() - start))
    forget_indexes()
    return reports


def is_built(store: Store) -> bool:
    """Whether the default model has been built in this store (one small read)."""
    return rows.model_stamp(store, DEFAULT_MODEL) is not None


# ---------------------------------------------------------------- searching


@dataclass(frozen=True)
class _Loaded:
    build_id: str
    index: maths.SearchIndex
    model: maths.LsaModel | None  # the default model (None for a user's model's index)
    blend: float


_cache: dict[tuple[str, str], _Loaded] = {}
_user_models: dict[str, Embedder] = {}
_lock = threading.Lock()


def forget_indexes() -> None:
    """Drop every index kept in memory (the next query loads afresh)."""
    with _lock:
        _cache.clear()


def _load_vectors(store: Store, name: str, dims: int, *, lexical_terms: int | None) -> maths.SearchIndex:
    return maths.stack_vectors(rows.vector_batches(store, name), dims, lexical_terms=lexical_terms)


def _lsa_of(row: rows.ModelRow) -> maths.LsaModel:
    stored = json.loads(row.params)
    avg_len = float(stored.pop("avg_len", 1.0))
    params = maths.ModelParams(**stored)
    terms = tuple((row.vocabulary or b"").decode("utf-8").split("\n")) if row.vocabulary else ()
    idf = maths.decode_vector(row.idf or b"")
    components = maths.decode_vector(row.components or b"").reshape(len(terms), row.dims)
    return maths.LsaModel(terms, idf, components, params, avg_len)


def _loaded(store: Store, name: str) -> _Loaded:
    """Model ``name``'s index, from memory while its build id is the stored one."""
    stamp = rows.model_stamp(store, name)
    if stamp is None:
        if name == DEFAULT_MODEL:
            raise NoDescriptionIndex(f"search by description is not built in this store yet: {REBUILD_HINT}")
        raise NoDescriptionIndex(
            f"no vectors for this model in the store yet: {REBUILD_HINT} --model with the same folder"
        )
    key = (store.url, name)
    with _lock:
        found = _cache.get(key)
        if found is not None and found.build_id == stamp:
            return found
        row = rows.model_row(store, name)
        if row is None:  # rebuilt and renamed between the two reads: try again next query
            raise NoDescriptionIndex("search by description is being rebuilt: try again in a moment")
        model = _lsa_of(row) if row.kind == "lsa" else None
        index = _load_vectors(store, name, row.dims, lexical_terms=len(model.terms) if model else None)
        blend = model.params.blend if model else USER_MODEL_BLEND
        loaded = _Loaded(row.build_id, index, model, blend)
        _cache[key] = loaded
        return loaded


def _user_model(path: str | Path) -> Embedder:
    key = model_key(path)
    with _lock:
        found = _user_models.get(key)
    if found is None:
        found = load_user_model(path)
        with _lock:
            _user_models[key] = found
    return found


def _scores(store: Store, query: str, model_path: str | Path | None) -> tuple[tuple[str, ...], np.ndarray]:
    import numpy as np

    words = maths.tokens(query)
    if model_path is None:
        loaded = _loaded(store, DEFAULT_MODEL)
        assert loaded.model is not None
        q_terms = loaded.model.query_terms(words)
        if loaded.model.dims == 0 or not q_terms.nnz:
            return loaded.index.tconsts, np.zeros(len(loaded.index.tconsts), dtype=np.float32)
        q_dense = loaded.model.semantic(loaded.model.tfidf([words], cut=False))[0]
        return loaded.index.tconsts, loaded.index.scores(q_dense, q_terms, loaded.blend)
    embedder = _user_model(model_path)
    mine = _loaded(store, model_key(model_path))
    if mine.index.dense.shape[1] != embedder.dims:
        raise NoDescriptionIndex(
            f"{model_path}: the stored vectors are of another model: {REBUILD_HINT} --model"
        )
    semantic = np.clip(maths.dense_scores(mine.index.dense, embedder.embed([query])[0]), 0.0, None)
    lexical = _lexical_for(store, words, mine.index.tconsts)
    return mine.index.tconsts, maths.blend_scores(semantic, lexical, mine.blend)


def _lexical_for(store: Store, words: list[str], tconsts: tuple[str, ...]) -> np.ndarray | None:
    """The default model's shared-word scores, lined up with ``tconsts`` (None if it is not built)."""
    import numpy as np

    try:
        base = _loaded(store, DEFAULT_MODEL)
    except NoDescriptionIndex:
        return None
    if base.model is None or base.index.lexical is None:
        return None
    q_terms = base.model.query_terms(words)
    if not q_terms.nnz:
        return None
    scores = np.asarray(base.index.lexical @ q_terms.T.toarray(), dtype=np.float32).ravel()
    position = {t: i for i, t in enumerate(base.index.tconsts)}
    return np.array([scores[position[t]] if t in position else 0.0 for t in tconsts], dtype=np.float32)


def search_descriptions(
    store: Store, text: str, *, limit: int = 10, model_path: str | Path | None = None
) -> list[DescriptionHit]:
    """Films whose stories match ``text`` by meaning, best first.

    InputError for an empty or oversized query or a bad model folder; NoDescriptionIndex when the
    model has not been built in this store (the message says how to build it)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit: must be between 1 and {MAX_LIMIT}")
    query = check_query(text)
    tconsts, scores = _scores(store, query, model_path)
    best = maths.top_k(scores, limit + 20)  # a few spare: films deleted since the build drop out
    found = rows.title_rows(store, [tconsts[i] for i in best])
    hits: list[DescriptionHit] = []
    for i in best:
        row = found.get(tconsts[i])
        if row is None:
            continue
        hits.append(
            DescriptionHit(
                id=row.title_id,
                title=row.title,
                year=row.year,
                kind=row.kind,
                rating=row.rating,
                votes=row.votes,
                score=round(float(scores[i]), 4),
            )
        )
        if len(hits) >= limit:
            break
    return hits
