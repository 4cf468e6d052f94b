"""Browse (``/browse``): its query model and its page context, shared by the HTML page and its twin.

Form fields arrive as strings, often empty: ``BrowseQuery.from_params`` reads them, and a bad value
becomes an InputError naming the field (a 400 page) rather than a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from marquee.errors import InputError
from marquee.services import browse
from marquee.storage.genres import common_genres
from marquee.web.deps import Site

__all__ = [
    "KINDS",
    "SORTS",
    "BrowseContext",
    "BrowseQuery",
    "browse_context",
    "browse_json",
    "genre_names",
    "read_filters",
]

INT_FILTERS = ("year_from", "year_to", "decade", "min_votes", "runtime_min", "runtime_max")
FLOAT_FILTERS = ("min_rating",)
TEXT_FILTERS = ("genre", "kind", "person", "location")
SORTS = ("votes", "rating", "year", "title")
KINDS = ("movie", "short", "tvMovie", "tvSeries", "tvMiniSeries", "tvEpisode", "tvSpecial", "video")
_FILTER_ORDER = (*INT_FILTERS, *FLOAT_FILTERS, *TEXT_FILTERS)


def parse_int(name: str, raw: str) -> int:
    """A whole number from a form field, or an InputError naming the field."""
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name}: {raw!r} is not a whole number") from None


def _float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{name}: {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{name}: {raw!r} is not a number")
    return value


def read_filters(params: dict[str, str]) -> dict[str, Any]:
    """The non-empty browse filters in a query string, typed; InputError names a bad field."""
    values: dict[str, Any] = {}
    for name in _FILTER_ORDER:
        raw = params.get(name, "").strip()
        if not raw:
            continue
        if name in INT_FILTERS:
            values[name] = parse_int(name, raw)
        elif name in FLOAT_FILTERS:
            values[name] = _float(name, raw)
        else:
            values[name] = raw[:200]
    return values


def _page_number(params: dict[str, str]) -> int:
    raw = params.get("page", "").strip()
    page = parse_int("page", raw) if raw else 1
    if page < 1:
        raise InputError(f"page: {page} must be 1 or more")
    return page


class BrowseQuery(BaseModel):
    """One page of a browse: the filters, the order and the page (``/browse`` and ``/browse.json``)."""

    model_config = ConfigDict(frozen=True)

    filters: browse.BrowseFilters = Field(default_factory=browse.BrowseFilters)
    sort: browse.Sort = "votes"
    page: int = Field(default=1, ge=1)

    @classmethod
    def from_params(cls, params: dict[str, str]) -> BrowseQuery:
        """Read a query string; InputError names the first bad field."""
        sort = params.get("sort") or "votes"
        if sort not in SORTS:
            raise InputError(f"sort: {sort!r} is not one of {', '.join(SORTS)}")
        filters = browse.BrowseFilters(**read_filters(params))
        return cls(filters=filters, sort=sort, page=_page_number(params))

    def given(self) -> dict[str, Any]:
        """The filters that were given (what the page's form and JSON echo back)."""
        values = self.filters.model_dump()
        return {name: values[name] for name in _FILTER_ORDER if values[name] is not None}

    def url(self, page: int) -> str:
        """The address of another page of the same browse."""
        base = {key: str(value) for key, value in self.given().items()} | {"sort": self.sort}
        return f"/browse?{urlencode(base | {'page': page})}"


@dataclass(frozen=True)
class BrowseContext:
    """Everything the browse page and its twin show."""

    filters: dict[str, Any]
    sort: str
    sorts: tuple[str, ...]
    kinds: tuple[str, ...]
    genres: list[str]
    result: browse.BrowsePage
    pages: int
    prev_url: str | None
    next_url: str | None


def genre_names(site: Site) -> list[str]:
    """Every genre in the store, for the browse form (cached like pages)."""
    names: list[str] = site.pages.get_or_make(("genres",), lambda: common_genres(site.store))
    return names


def browse_context(site: Site, query: BrowseQuery) -> BrowseContext:
    """Gather one page of a browse."""
    result = browse.browse(
        site.store, query.filters, sort=query.sort, page=query.page, per_page=site.settings.per_page
    )
    pages = max(1, math.ceil(result.total / result.per_page)) if result.per_page else 1
    return BrowseContext(
        filters=query.given(),
        sort=query.sort,
        sorts=SORTS,
        kinds=KINDS,
        genres=genre_names(site),
        result=result,
        pages=pages,
        prev_url=query.url(result.page - 1) if result.page > 1 else None,
        next_url=query.url(result.page + 1) if result.page < pages else None,
    )


def browse_json(context: BrowseContext) -> dict[str, Any]:
    """The ``/browse.json`` body."""
    return {"filters": context.filters, "sort": context.sort, **context.result.model_dump(mode="json")}
