"""A user's own embedding model for search by description, named by a local folder; never downloaded.

Formats, recognised by the files in the folder:

* **static embeddings** (always supported): ``vocab.txt`` (one word a line) and ``vectors.npy``
  (a float array, one row per word, same order). A text's vector is the mean of its words'
  rows (words lower-cased, accents folded), normalised.
* **model2vec** (``config.json`` + ``model.safetensors`` + ``tokenizer.json``): loaded with
  ``model2vec.StaticModel.from_pretrained`` when the ``model2vec`` package is installed.
* **sentence-transformers** (``modules.json``): loaded with ``SentenceTransformer(folder,
  local_files_only=True)`` when ``sentence-transformers`` is installed.

Hugging Face's offline switches are set before either library is imported, so nothing is
fetched. A path that is missing, a file, or a folder in none of these formats is an InputError
naming it; so is a format whose library is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from marquee.errors import InputError

if TYPE_CHECKING:  # numpy is imported by the functions that use it, not at start-up
    import numpy as np
    import numpy.typing as npt

    Matrix = npt.NDArray[np.float32]

__all__ = ["Embedder", "StaticEmbedder", "load_user_model", "model_key"]

_WORD = re.compile(r"\w+")
MAX_VOCAB_BYTES = 64 * 1024 * 1024


class Embedder(Protocol):
    """Turns texts into vectors (one normalised float32 row per text)."""

    @property
    def kind(self) -> str: ...

    @property
    def dims(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Matrix: ...


def _normalise(rows: Matrix) -> Matrix:
    import numpy as np

    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(rows / norms, dtype=np.float32)


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return _WORD.findall("".join(c for c in folded if not unicodedata.combining(c)))


@dataclass(frozen=True)
class StaticEmbedder:
    """Static word vectors: a text is the normalised mean of its known words' vectors."""

    index: dict[str, int]
    vectors: Matrix
    kind: str = "static"

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def embed(self, texts: Sequence[str]) -> Matrix:
        import numpy as np

        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = [self.index[w] for w in _words(text) if w in self.index]
            if ids:
                out[row] = self.vectors[ids].mean(axis=0)
        return _normalise(out)


@dataclass(frozen=True)
class _LibraryEmbedder:
    """A model2vec or sentence-transformers model: anything with ``encode(list[str])``."""

    model: Any
    kind: str
    dims: int

    def embed(self, texts: Sequence[str]) -> Matrix:
        import numpy as np

        return _normalise(
            np.asarray(self.model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
        )


def _offline() -> None:
    """Hugging Face libraries must not reach the network, whatever the environment says."""
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[name] = "1"


def _load_static(folder: Path) -> StaticEmbedder:
    import numpy as np

    shown = str(folder)
    vocab_file, vectors_file = folder / "vocab.txt", folder / "vectors.npy"
    if vocab_file.stat().st_size > MAX_VOCAB_BYTES:
        raise InputError(f"{shown}: vocab.txt is larger than {MAX_VOCAB_BYTES // (1024 * 1024)} MB")
    try:
        words = vocab_file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"{shown}: vocab.txt is not UTF-8 text") from None
    try:
        vectors = np.load(vectors_file, allow_pickle=False, mmap_mode="r")
    except (ValueError, OSError) as err:
        raise InputError(f"{shown}: vectors.npy is not a NumPy array file ({err})") from None
    if vectors.ndim != 2 or vectors.dtype.kind != "f" or vectors.shape[1] < 1:
        raise InputError(f"{shown}: vectors.npy must be a 2-D float array (one row per word)")
    if vectors.shape[0] != len(words):
        raise InputError(
            f"{shown}: vocab.txt has {len(words):,} words but vectors.npy has {vectors.shape[0]:,} rows"
        )
    index: dict[str, int] = {}
    for number, word in enumerate(words):
        index.setdefault(word.strip().casefold(), number)
    index.pop("", None)
    return StaticEmbedder(index, np.asarray(vectors, dtype=np.float32))


def _load_library(folder: Path, kind: str, package: str) -> _LibraryEmbedder:
    import numpy as np

    shown = str(folder)
    _offline()
    try:
        if kind == "model2vec":
            from model2vec import StaticModel  # type: ignore[import-not-found, unused-ignore]

            model = StaticModel.from_pretrained(str(folder))
        else:
            from sentence_transformers import (  # type: ignore[import-not-found, unused-ignore]
                SentenceTransformer,
            )

            model = SentenceTransformer(str(folder), local_files_only=True)
    except ImportError:
        raise InputError(
            f"{shown}: a {kind} model, but {package} is not installed (pip install {package})"
        ) from None
    except Exception as err:  # the library's own errors: a damaged folder
        raise InputError(f"{shown}: cannot load this {kind} model: {type(err).__name__}: {err}") from None
    dims = int(np.asarray(model.encode(["probe"])).reshape(1, -1).shape[1])
    return _LibraryEmbedder(model, kind, dims)


def _installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def load_user_model(path: str | Path) -> Embedder:
    """The model in folder ``path`` (see the module's formats); InputError if it is not one."""
    folder = Path(path).expanduser()
    shown = str(path)
    if not folder.exists():
        raise InputError(f"{shown}: no such model folder")
    if not folder.is_dir():
        raise InputError(f"{shown}: not a model folder (a model is a folder, not a file)")
    if (folder / "vocab.txt").is_file() and (folder / "vectors.npy").is_file():
        return _load_static(folder)
    static_model2vec = (folder / "tokenizer.json").is_file() and (folder / "model.safetensors").is_file()
    # model2vec writes a modules.json too (sentence-transformers can read its folders): it comes first.
    if static_model2vec and (_installed("model2vec") or not (folder / "modules.json").is_file()):
        return _load_library(folder, "model2vec", "model2vec")
    if (folder / "modules.json").is_file():
        return _load_library(folder, "sentence-transformers", "sentence-transformers")
    raise InputError(
        f"{shown}: not a model folder: expected vocab.txt + vectors.npy (static embeddings), a model2vec"
        " folder (config.json, model.safetensors, tokenizer.json) or a sentence-transformers folder"
        " (modules.json)"
    )


def model_key(path: str | Path) -> str:
    """The name a user's model's vectors are stored under: its folder, resolved."""
    return "folder:" + str(Path(path).expanduser().resolve())
