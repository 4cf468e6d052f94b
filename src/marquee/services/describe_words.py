"""Search by description, the words (pure, no numpy at import): a film's text as stemmed words, the
stop words left out, and the document frequencies the model's vocabulary is chosen from.

Snowball's English stemmer (Porter's successor, PyStemmer) folds "teenagers" and "teenage" together;
``story_tokens`` leaves proper names out for the semantic side. ``ModelParams`` is how the default model
is built; ``describe_model`` (the maths) re-exports all of this.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import Stemmer

if TYPE_CHECKING:  # numpy is imported by the one function that uses it, not at start-up
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT_PARAMS",
    "STOPWORDS",
    "WORD",
    "DfCounter",
    "ModelParams",
    "stem",
    "story_tokens",
    "tokens",
]

WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each else ever every few for from
    further get gets got had has have having he her here hers herself him himself his how i if in into is it
    its itself just let like made make makes many may me might more most much must my myself no nor not
    now of off on once one only or other others our ours ourselves out over own same shall she should so
    some such than that the their theirs them themselves then there these they this those though through
    thus to too under until up upon us very was we were what when where which while who whom whose why
    will with within without would yet you your yours yourself yourselves film films movie movies story
    stars starring directed written produced released""".split()  # noqa: SIM905
)
_ENGLISH = Stemmer.Stemmer("english")  # Snowball's own C stemmer (PyStemmer)


@functools.lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: "teenagers", "teenage" → "teenag"; "priests" → "priest"."""
    return str(_ENGLISH.stemWord(word))


def tokens(text: str) -> list[str]:
    """The stemmed words of ``text`` that carry meaning (no stop words, no single letters)."""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    folded = folded.replace("'", "").replace("\u2019", "")
    return [stem(w) for w in WORD.findall(folded) if len(w) > 1 and w not in STOPWORDS]


_NAME = re.compile(r"(?<![.!?:;\n] )(?<!^)\b[A-Z][\w'’.-]*")


def story_tokens(text: str) -> list[str]:
    """``tokens`` without proper names (capitalised words not starting a sentence): what the
    semantic side learns from, so casts and studios do not crowd out what a story is about."""
    return tokens(_NAME.sub(" ", text))


@dataclass(frozen=True)
class ModelParams:
    """How the default model is built (stored with it)."""

    dims: int = 160  # latent dimensions of the SVD
    max_terms: int = 60_000  # vocabulary cap: the words found in most documents are kept
    min_df: int = 1  # a word of one storyline only still finds it by name ("tijuana")
    max_df_share: float = 0.4  # a word in more than this share of documents is noise
    sample: int = 60_000  # the SVD is fitted on at most this many documents (evenly spaced)
    doc_terms: int = 200  # a document's lexical row keeps its heaviest terms only
    bm25_k1: float = 1.2  # Okapi BM25's term-frequency saturation
    bm25_b: float = 0.75  # and its length normalisation
    blend: float = 0.1  # the semantic side's share of the score (bench/bench_describe.py)


DEFAULT_PARAMS = ModelParams()


@dataclass
class DfCounter:
    """Document frequencies, counted while the text streams by, in bounded memory.

    Past ``limit`` distinct words the rarest (seen once) are dropped: a word first seen late
    in a huge catalogue that never recurs would fail ``min_df`` anyway.
    """

    limit: int = 1_000_000
    documents: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, words: Iterable[str]) -> None:
        self.documents += 1
        self.counts.update(set(words))
        if len(self.counts) > self.limit:
            for word in [w for w, n in self.counts.items() if n <= 1]:
                del self.counts[word]

    def vocabulary(self, params: ModelParams) -> tuple[list[str], npt.NDArray[np.float32]]:
        """The kept words (sorted) and their idf: ``log((1 + N) / (1 + df)) + 1``."""
        import numpy as np

        ceiling = max(params.min_df, int(params.max_df_share * self.documents))
        kept = [(w, n) for w, n in self.counts.items() if params.min_df <= n <= ceiling]
        kept.sort(key=lambda item: (-item[1], item[0]))
        kept = sorted(kept[: params.max_terms])
        n = self.documents
        idf = np.array([math.log((1 + n) / (1 + df)) + 1.0 for _, df in kept], dtype=np.float32)
        return [w for w, _ in kept], idf
