"""The demo catalogue: what a fresh Marquee serves on its first run.

    store = open_store(url)
    ensure_demo_store(store)    # True if it filled the (empty) store

The reference page ``demo/mask-1985.txt`` is parsed with the text page parser (or read
from ``demo/mask-1985.json`` when the parser is not installed), then ~15,000 films derived
from Wikidata (CC0, see ``demo/ATTRIBUTION.md``) are added in one transaction.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
from collections.abc import Iterator
from importlib import resources
from itertools import islice

from marquee.records import Film
from marquee.storage.base import Store

__all__ = ["REFERENCE_ID", "catalogue_films", "demo_films", "ensure_demo_store", "reference_film"]

DEMO_PACKAGE = "marquee.demo"
REFERENCE_PAGE = "mask-1985.txt"
REFERENCE_RECORD = "mask-1985.json"
CATALOGUE = "catalogue.jsonl.gz"
TEXTPAGE = "marquee.formats.textpage"

# The page itself names no id or genre; these are Wikidata's (CC0) statements about Mask (1985).
REFERENCE_ID = "tt0087680"
REFERENCE_GENRES = ["Drama", "Biography"]


def _parsed_reference() -> Film | None:
    """The reference page through the text page parser, or None when the parser is not there."""
    if importlib.util.find_spec(TEXTPAGE) is None:
        return None
    textpage = importlib.import_module(TEXTPAGE)
    text = resources.files(DEMO_PACKAGE).joinpath(REFERENCE_PAGE).read_text(encoding="utf-8")
    film: Film = textpage.parse_page(text, f"{DEMO_PACKAGE}/{REFERENCE_PAGE}").film
    return film


def reference_film() -> Film:
    """Mask (1985), the project's reference page, with its Wikidata id and genres."""
    film = _parsed_reference()
    if film is None:
        raw = resources.files(DEMO_PACKAGE).joinpath(REFERENCE_RECORD).read_text(encoding="utf-8")
        film = Film.model_validate_json(raw)
    return film.model_copy(update={"id": REFERENCE_ID, "genres": film.genres or list(REFERENCE_GENRES)})


def catalogue_films(limit: int | None = None) -> Iterator[Film]:
    """The Wikidata-derived films, in id order (``limit``: only the first ones, for tests)."""
    with resources.files(DEMO_PACKAGE).joinpath(CATALOGUE).open("rb") as raw, gzip.open(raw, "rt") as lines:
        for line in islice(lines, limit):
            if line.strip():
                yield Film.model_validate_json(line)


def demo_films(limit: int | None = None) -> Iterator[Film]:
    """The reference film, then the catalogue."""
    yield reference_film()
    yield from catalogue_films(limit)


def ensure_demo_store(store: Store, *, limit: int | None = None) -> bool:
    """Fill an EMPTY store with the demo catalogue; False (and nothing written) if it holds films."""
    if store.count_films() > 0:
        return False
    store.save_films(demo_films(limit))
    return True
