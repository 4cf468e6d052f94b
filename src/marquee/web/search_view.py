"""Search (``/search?q=``): its query model, its page context, and the finders ``/api/v1/search…`` share.

The site's page and twin show up to ``per_page`` hits of each section; the API pages through the
same finders with a cursor (``api_search.ranked_page``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from marquee.services import search
from marquee.storage.base import Store
from marquee.web.deps import Site

__all__ = [
    "BUILDING_NOTICE",
    "FINDERS",
    "MAX_QUERY",
    "SECTIONS",
    "SearchContext",
    "SearchQuery",
    "building_notice",
    "find",
    "search_context",
    "search_json",
]

MAX_QUERY = 200
SECTIONS = ("all", "titles", "people", "text")
Section = Literal["all", "titles", "people", "text"]
Finder = Callable[[Store, str, int], list[Any]]
# While a first IMDb import builds the search index (issue 20), results come from a quick title lookup.
BUILDING_NOTICE = "search index building: results may be incomplete"


def _titles(store: Store, query: str, limit: int) -> list[Any]:
    return list(search.search_titles(store, query, limit=limit))


def _people(store: Store, query: str, limit: int) -> list[Any]:
    return list(search.search_people(store, query, limit=limit))


def _text(store: Store, query: str, limit: int) -> list[Any]:
    return list(search.search_text(store, query, limit=limit))


# What each section finds: the best ``limit`` hits for a query.
FINDERS: dict[str, Finder] = {"titles": _titles, "people": _people, "text": _text}


def find(store: Store, section: str, query: str, limit: int) -> list[Any]:
    """The best ``limit`` hits of one section; a blank query finds nothing (rather than everything)."""
    return FINDERS[section](store, query, limit) if query.strip() else []


class SearchQuery(BaseModel):
    """What was asked: the words (trimmed, capped) and the section to look in."""

    model_config = ConfigDict(frozen=True)

    q: str = ""
    section: Section = "all"

    @classmethod
    def from_params(cls, q: str | None, type: str | None) -> SearchQuery:
        """Read the query string; an unknown section means all of them."""
        section: Any = type if type in SECTIONS else "all"
        return cls(q=(q or "").strip()[:MAX_QUERY], section=section)

    def sections(self) -> list[str]:
        """The sections this query looks in."""
        return list(FINDERS) if self.section == "all" else [self.section]


@dataclass(frozen=True)
class SearchContext:
    """Everything the search page and its twin show."""

    query: str
    section: str
    results: dict[str, list[Any]]
    notice: str | None = None  # ``BUILDING_NOTICE`` while the search index is being built


def _results(store: Store, query: SearchQuery, limit: int) -> dict[str, list[Any]]:
    """Hits for each section asked for: titles, people and text (plots, quotes, trivia…)."""
    results: dict[str, list[Any]] = {name: [] for name in FINDERS}
    if query.q:
        for name in query.sections():
            results[name] = find(store, name, query.q, limit)
    return results


def building_notice(store: Store) -> str | None:
    """``BUILDING_NOTICE`` while the search index is being built, else None."""
    return BUILDING_NOTICE if search.search_index_building(store) else None


def search_context(site: Site, query: SearchQuery) -> SearchContext:
    """Gather a search; results are kept in the page cache, as people repeat popular searches (not
    while the search index is being built: they would outlive it)."""
    notice = building_notice(site.store)
    key = ("search", query.q.casefold(), query.section)
    results = None if notice else site.pages.get(key)
    if not isinstance(results, dict):
        results = _results(site.store, query, site.settings.per_page)
        if not notice:
            site.pages.put(key, results)
    return SearchContext(query.q, query.section, results, notice)


def search_json(context: SearchContext) -> dict[str, Any]:
    """The ``/search.json`` body."""
    dumped = {name: [hit.model_dump(mode="json") for hit in hits] for name, hits in context.results.items()}
    notice = {"notice": context.notice} if context.notice else {}
    return {"query": context.query, "type": context.section, **dumped, **notice}
