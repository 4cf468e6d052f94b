"""Searching while the search index is being built (issue 20).

A first big IMDb import commits its titles before it builds the search index
(``storage.imdb_titles_first``); until the index is ready, title searches and suggestions read the
quick title lookup (``storage.search_prefix``): titles whose name starts with the query, most voted
first. People and text searches find what is indexed so far.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from marquee.formats.query import ParsedQuery, fold
from marquee.services.search_scoring import TitleHit, TitleRow
from marquee.storage import search_prefix
from marquee.storage.base import Store
from marquee.storage.search_lookups import titles_sql
from marquee.storage.search_queries import SearchReader, search_reader

__all__ = ["fetch_titles", "index_building", "prefix_titles", "search_index_building"]


def fetch_titles(db: SearchReader, ids: Iterable[int]) -> dict[int, TitleRow]:
    """The titles of these ids (id -> title), read 500 at a time."""
    wanted = sorted(set(ids))
    out: dict[int, TitleRow] = {}
    for start in range(0, len(wanted), 500):
        for row in db.rows(titles_sql(db.dialect, wanted[start : start + 500])):
            out[row[0]] = TitleRow(*row)
    return out


def index_building(db: SearchReader) -> bool:
    """Is the search index being built (a first IMDb import commits its titles before it)?"""
    rows = db.rows(search_prefix.state_sql(db.dialect))
    return bool(rows) and search_prefix.building(*rows[0])


def search_index_building(store: Store) -> bool:
    """True while the search index is being built: title searches then read titles by their
    start only (``storage.search_prefix``), and people and text searches find what is indexed so far."""
    with search_reader(store) as db:
        return index_building(db)


def prefix_titles(
    db: SearchReader, query: ParsedQuery, kinds: Sequence[str] | None, limit: int
) -> list[TitleHit]:
    """Titles whose name starts with the query, most voted first (while the index is built)."""
    ids = db.column(search_prefix.prefix_candidates_sql(query.full, 4 * limit + 40))
    if query.year is not None:
        ids += db.column(search_prefix.prefix_candidates_sql(query.text, 4 * limit + 40))
    found = [t for t in fetch_titles(db, ids).values() if not kinds or t.kind in kinds]
    whole = {query.full, query.text}
    found.sort(
        key=lambda t: (
            fold(t.title) not in whole,
            query.year is not None and t.year != query.year,
            -(t.votes or 0),
            t.tconst,
        )
    )
    return [t.hit(None) for t in found[:limit]]
