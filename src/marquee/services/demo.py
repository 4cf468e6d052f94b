"""The demo catalogue: what a fresh Marquee serves on its first run.

    store = open_store(url)
    ensure_demo_store(store)    # True if it filled the (empty) store

The reference page ``demo/mask-1985.txt`` is parsed with the text page parser, then ~15,000
films derived from Wikidata (CC0, see ``demo/ATTRIBUTION.md``) are added in one transaction.
Wikidata knows Mask too, under the same IMDb id: the page is merged over that row, so Mask is
there once.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from importlib import resources
from itertools import islice

from marquee.formats.page_merge import merge_film, whole_page_sections
from marquee.formats.textpage import parse_page
from marquee.records import Film
from marquee.storage.base import Store

__all__ = ["REFERENCE_ID", "catalogue_films", "demo_films", "ensure_demo_store", "reference_film"]

DEMO_PACKAGE = "marquee.demo"
REFERENCE_PAGE = "mask-1985.txt"
CATALOGUE = "catalogue.jsonl.gz"

# The page itself names no id or genre; these are Wikidata's (CC0) statements about Mask (1985).
REFERENCE_ID = "tt0089560"
REFERENCE_GENRES = ["Drama", "Biography"]


def reference_film() -> Film:
    """Mask (1985), the project's reference page, with its Wikidata id and genres."""
    text = resources.files(DEMO_PACKAGE).joinpath(REFERENCE_PAGE).read_text(encoding="utf-8")
    film = parse_page(text, f"{DEMO_PACKAGE}/{REFERENCE_PAGE}").film
    return film.model_copy(update={"id": REFERENCE_ID, "genres": film.genres or list(REFERENCE_GENRES)})


def catalogue_films(limit: int | None = None) -> Iterator[Film]:
    """The Wikidata-derived films, in id order (``limit``: only the first ones, for tests)."""
    with resources.files(DEMO_PACKAGE).joinpath(CATALOGUE).open("rb") as raw, gzip.open(raw, "rt") as lines:
        for line in islice(lines, limit):
            if line.strip():
                yield Film.model_validate_json(line)


def _catalogue_row(film_id: str) -> Film | None:
    """The catalogue's own row for ``film_id``, if it has one (only that line is parsed)."""
    key = f'"id":"{film_id}"'
    with resources.files(DEMO_PACKAGE).joinpath(CATALOGUE).open("rb") as raw, gzip.open(raw, "rt") as lines:
        for line in lines:
            if key in line:
                film = Film.model_validate_json(line)
                if film.id == film_id:
                    return film
    return None


def demo_films(limit: int | None = None) -> Iterator[Film]:
    """The reference film, then the catalogue (``limit``: only its first films, for tests).

    The reference page is merged over the catalogue's row for the same film (the page's sections
    win; what only Wikidata says is kept), and that row is not yielded again: one film per id.
    """
    reference = reference_film()
    yield merge_film(_catalogue_row(reference.id), reference, whole_page_sections(reference))
    yield from islice((film for film in catalogue_films() if film.id != reference.id), limit)


def ensure_demo_store(store: Store, *, limit: int | None = None) -> bool:
    """Fill an EMPTY store with the demo catalogue; False (and nothing written) if it holds films."""
    if store.count_films() > 0:
        return False
    store.save_films(demo_films(limit))
    return True
