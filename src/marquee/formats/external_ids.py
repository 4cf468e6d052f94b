"""A film's id on another site as a link to its page there, where the site and the id are known.

Pure: no I/O. Only ids of a known shape become URLs, so nothing a record holds can make an
unexpected link (``external_url("wikidata", "javascript:…")`` is None).

    >>> external_url("wikidata", "Q1140317")
    'https://www.wikidata.org/wiki/Q1140317'
    >>> external_url("tmdb", "not a number") is None
    True
"""

from __future__ import annotations

import re

__all__ = ["SITE_NAMES", "external_url"]

# site key → (the id's shape, the page's URL with {id}).
_SITES: dict[str, tuple[re.Pattern[str], str]] = {
    "imdb": (re.compile(r"tt\d{1,12}"), "https://www.imdb.com/title/{id}/"),
    "wikidata": (re.compile(r"Q\d{1,12}"), "https://www.wikidata.org/wiki/{id}"),
    "tmdb": (re.compile(r"\d{1,12}"), "https://www.themoviedb.org/movie/{id}"),
    "letterboxd": (re.compile(r"[a-z0-9][a-z0-9-]{0,199}"), "https://letterboxd.com/film/{id}/"),
    "rotten_tomatoes": (re.compile(r"m/[a-z0-9_-]{1,200}"), "https://www.rottentomatoes.com/{id}"),
    "metacritic": (re.compile(r"movie/[a-z0-9-]{1,200}"), "https://www.metacritic.com/{id}/"),
}
SITE_NAMES = {
    "imdb": "IMDb",
    "wikidata": "Wikidata",
    "tmdb": "TMDB",
    "letterboxd": "Letterboxd",
    "rotten_tomatoes": "Rotten Tomatoes",
    "metacritic": "Metacritic",
}
"""How each known site is named to people."""


def external_url(site: str, value: str) -> str | None:
    """The URL of the film's page on ``site`` for the id ``value``; None if either is not known."""
    known = _SITES.get(site)
    if known is None or not known[0].fullmatch(value):
        return None
    return known[1].format(id=value)
