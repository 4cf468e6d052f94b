"""A film as schema.org ``Movie`` JSON-LD, and its safe embedding in an HTML page.

Pure: no I/O. The web page embeds ``script_json(movie_jsonld(film))`` inside
``<script type="application/ld+json">``; the JSON twin and the page read the same Film.

    >>> movie_jsonld(Film(id="tt0089560", title="Mask"))["@type"]
    'Movie'
"""

from __future__ import annotations

from typing import Any

import orjson

from marquee.formats.external_ids import external_url
from marquee.records import Award, CastMember, Film, PersonRef, Review

__all__ = ["award_text", "iso_duration", "movie_jsonld", "script_json"]

JsonDict = dict[str, Any]

# Characters that could end or confuse a <script> block, or break JavaScript parsers
# (U+2028/U+2029 are line terminators in older JS). Escaping every "<" as \u003c
# covers "</script>" and "<!--" in one rule; the JSON stays equal when parsed.
_SCRIPT_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)


def script_json(data: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` element and still parses to ``data``.
    (``str.replace`` per character, not ``str.translate``: a film's JSON-LD went 65 µs to ~2 µs.)"""
    text = orjson.dumps(data).decode("utf-8")
    for char, escaped in _SCRIPT_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def iso_duration(minutes: int) -> str:
    """``91`` -> ``"PT1H31M"`` (ISO 8601 duration, as schema.org's ``duration`` expects)."""
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"PT{hours}H{mins}M"
    if hours:
        return f"PT{hours}H"
    return f"PT{mins}M"


def _person(name: str, person_id: str | None, base_url: str) -> JsonDict:
    node: JsonDict = {"@type": "Person", "name": name}
    if person_id:
        node["url"] = f"{base_url}/person/{person_id}"
    return node


def _people(refs: list[PersonRef], base_url: str) -> list[JsonDict]:
    return [_person(ref.name, ref.id, base_url) for ref in refs]


def _actors(cast: list[CastMember], base_url: str) -> list[JsonDict]:
    return [_person(member.name, member.id, base_url) for member in cast]


def _date_published(film: Film) -> str | None:
    """The first full or partial release date, else the year."""
    for release in film.release_dates:
        if release.date:
            return release.date
    return str(film.year) if film.year is not None else None


def _review(review: Review) -> JsonDict:
    node: JsonDict = {"@type": "Review"}
    if review.title:
        node["name"] = review.title
    if review.body:
        node["reviewBody"] = review.body
    if review.author:
        node["author"] = {"@type": "Person", "name": review.author}
    if review.date:
        node["datePublished"] = review.date.isoformat()
    if review.score:
        node["reviewRating"] = {
            "@type": "Rating",
            "ratingValue": review.score.value,
            "bestRating": review.score.scale,
            "worstRating": 0,
        }
    return node


def _aggregate_rating(film: Film) -> JsonDict | None:
    """Only with a vote count: schema.org and search engines want ratingCount."""
    rating = film.rating
    if rating is None or not rating.votes:
        return None
    return {
        "@type": "AggregateRating",
        "ratingValue": rating.value,
        "bestRating": rating.scale,
        "worstRating": 1,
        "ratingCount": rating.votes,
    }


def _duration(film: Film) -> str | None:
    for runtime in film.runtimes:
        if runtime.minutes:
            return iso_duration(runtime.minutes)
    return None


def _same_as(film: Film) -> str | list[str] | None:
    """IMDb's page, then the film's page on each site whose id has a known URL (one: a plain string)."""
    urls = [f"https://www.imdb.com/title/{film.id}/"] if film.id.startswith("tt") else []
    for site, value in film.external_ids.items():
        url = external_url(site, value)
        if url and url not in urls:
            urls.append(url)
    if len(urls) > 1:
        return urls
    return urls[0] if urls else None


def award_text(award: Award) -> str:
    """``Academy Award for Best Makeup (1986)``: an award as one line."""
    text = f"{award.name} for {award.category}" if award.category else award.name
    return f"{text} ({award.year})" if award.year is not None else text


def movie_jsonld(film: Film, *, base_url: str = "") -> JsonDict:
    """The film as a schema.org ``Movie`` node; keys without data are left out."""
    node: JsonDict = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": f"{base_url}/title/{film.id}",
    }
    optional: JsonDict = {
        "alternateName": [alt.title for alt in film.alternate_titles] or None,
        "datePublished": _date_published(film),
        "description": film.outline or film.plot,
        "genre": film.genres or None,
        "director": _people(film.directors, base_url) or None,
        "author": _people(film.writers, base_url) or None,
        "actor": _actors(film.cast, base_url) or None,
        "duration": _duration(film),
        "aggregateRating": _aggregate_rating(film),
        "review": [_review(review) for review in film.reviews] or None,
        "countryOfOrigin": [{"@type": "Country", "name": name} for name in film.countries if name] or None,
        "inLanguage": [name for name in film.languages if name] or None,
        # schema.org's award is an award won (nominations have no property).
        "award": [award_text(a) for a in film.awards if a.outcome == "won"] or None,
        "sameAs": _same_as(film),
    }
    node.update({key: value for key, value in optional.items() if value is not None})
    return node
