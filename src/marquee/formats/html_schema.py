"""One schema.org film node read into facts: JSON-LD's, or microdata turned into the same shape.

Lenient in the ways real pages need: relative URLs (the IMDb id comes from ``url: "/title/tt0133093/"``),
numbers written as strings (``"8.7"``, ``"1,234"``), ISO 8601 durations, a description a site makes up
from the credits (not kept as the outline), and a part of the node of the wrong shape (that part is
noted and lost, not the page). The people are read by ``html_schema_people``. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import ValidationError

from marquee.formats.html_facts import Facts, imdb_id, iso_minutes, parse_count, parse_number, partial_date
from marquee.formats.html_schema_people import name_and_id, read_credits
from marquee.formats.html_schema_values import JsonObj, many, text, texts, unique
from marquee.records import AlternateTitle, EpisodeOf, Rating, ReleaseDate, Review, Runtime, Score

__all__ = ["FILM_TYPES", "film_nodes", "film_type", "schema_facts"]

# schema.org types that are a film's page, with IMDb's titleType for each.
FILM_TYPES = {
    "Movie": "movie",
    "TVSeries": "tvSeries",
    "TVMiniSeries": "tvMiniSeries",
    "TVEpisode": "tvEpisode",
    "Episode": "tvEpisode",
    "TVMovie": "tvMovie",
    "TVSpecial": "tvSpecial",
    "ShortFilm": "short",
    "VideoGame": "videoGame",
}
# Keys read below; anything else on the node is listed as "not kept" in the diagnostics.
_READ = frozenset(
    "@context @type @id url name alternateName description genre aggregateRating datePublished startDate "  # noqa: SIM905 (names, one string)
    "endDate director author creator actor actors duration timeRequired review partOfSeries partOfSeason "
    "episodeNumber musicBy producer identifier sameAs isFamilyFriendly mainEntityOfPage releasedEvent "
    "countryOfOrigin inLanguage".split()
)
# A description a site writes from the credits when it has no plot ("Cuckold 1 is a video starring A,
# B and C."): no outline.
_CREDITS_SENTENCE = (
    r"^.{1,200}? is an? (?:\d{4} )?(?:[\w-]+ )?"
    r"(?:movie|film|video|tv series|tv movie|tv episode|tv mini series|"
    r"short|documentary|series|episode)(?: [\w -]{0,40})? (?:starring|with|directed by) "
    r"(?:[^.]|(?<=\b[A-Z])\.){1,300}"  # names, initials ("Samuel L. Jackson") included
)
_GENERATED = re.compile(_CREDITS_SENTENCE + r"\.?$", re.IGNORECASE)
# IMDb 2017–2020 puts that sentence before the outline, then cuts it: "Heilstätten is a movie starring
# Nilam Farooq, … . In HEILSTÄTTEN, a remote … they...": the sentence is dropped, the rest is the outline.
_GENERATED_LEAD = re.compile(_CREDITS_SENTENCE + r"\.\s+(?=\S)", re.IGNORECASE)


def film_type(node: object) -> str | None:
    """The schema.org film type of a node (``"Movie"``…), or None; ``http://schema.org/Movie`` too."""
    if not isinstance(node, dict):
        return None
    for raw in many(node.get("@type")):
        name = str(raw).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if name in FILM_TYPES:
            return name
    return None


def film_nodes(data: Any) -> list[JsonObj]:
    """Film nodes anywhere a page puts them: top level, a list, ``@graph``, ``mainEntity``."""
    found: list[JsonObj] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[0:0] = item
        elif isinstance(item, dict):
            if film_type(item):
                found.append(item)
            else:
                stack.extend(item[key] for key in ("@graph", "mainEntity") if key in item)
    return found


def schema_facts(node: JsonObj, facts: Facts) -> None:
    """Fill ``facts`` from one schema.org film node (JSON-LD, or microdata turned into the same)."""
    kind = film_type(node) or "Movie"
    facts.evidence = f"@type {kind}"
    if kind != "Movie":  # "Movie" is also what IMDb says of videos and TV films: no news
        facts.put("kind", FILM_TYPES[kind])
    parts = {"names": _names, "dates": _dates, "rating": _rating, "credits": read_credits}
    parts |= {"runtime": _runtime, "reviews": _reviews, "episode": _episode}
    for part, reader in parts.items():
        try:
            reader(node, facts)
        except (ValidationError, ValueError, TypeError, OverflowError) as err:
            # A value of the wrong shape or out of range (a negative score…): this part is lost, not the page.
            facts.note(f"{facts.source} {part}: a value Marquee cannot use ({_reason(err)}); not kept")
    facts.ignored = sorted(key for key in node if key not in _READ)


def _reason(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(err) or type(err).__name__


def _names(node: JsonObj, facts: Facts) -> None:
    facts.put("id", _film_id(node))
    facts.put("title", text(node.get("name")))
    description = text(node.get("description"))
    lead = _GENERATED_LEAD.match(description) if description else None
    if description and _GENERATED.match(description):
        facts.note(f"description {description[:60]!r}… is made up from the credits, not an outline; not kept")
    elif description and lead:
        facts.note(f"description begins {lead.group(0).strip()[:60]!r}…, made up from the credits; cut")
        facts.put("outline", description[lead.end() :])
    else:
        facts.put("outline", description)
    facts.put("genres", unique([g for g in map(text, many(node.get("genre"))) if g]))
    facts.put("alternate_titles", [AlternateTitle(title=t) for t in texts(node.get("alternateName"))])
    facts.put("countries", texts(node.get("countryOfOrigin")))
    facts.put("languages", texts(node.get("inLanguage")))


def _reviews(node: JsonObj, facts: Facts) -> None:
    facts.put("reviews", [r for r in (_review(item, facts) for item in many(node.get("review"))) if r])


def _film_id(node: JsonObj) -> str | None:
    """The IMDb id from ``url``/``@id``/``sameAs``/``identifier``; else Marquee's own ``/title/<id>``."""
    candidates = [node.get("url"), node.get("@id"), *many(node.get("sameAs"))]
    for ident in many(node.get("identifier")):
        candidates.append(ident.get("value") if isinstance(ident, dict) else ident)
    for candidate in candidates:
        found = imdb_id(candidate)
        if found and found.startswith("tt"):
            return found
    for candidate in candidates:
        found = imdb_id(candidate)
        if found:
            return found
    return None


def _dates(node: JsonObj, facts: Facts) -> None:
    events = [e for e in many(node.get("releasedEvent")) if isinstance(e, dict)]  # Letterboxd's year
    published = (
        node.get("datePublished")
        or node.get("startDate")
        or next((e.get("startDate") for e in events if e.get("startDate")), None)
    )
    date = partial_date(text(published))
    if published is not None and date is None:
        facts.note(f"datePublished {published!r} is not a date")
    if date:
        facts.put("year", int(date[:4]))
        if len(date) > 4:  # a bare year is the film's year, not a release date anyone recorded
            facts.put("release_dates", [ReleaseDate(date=date)])
            # A release date (IMDb's: in the visitor's country) only implies the year: a source that
            # states the year outright (the heading, og:title, __NEXT_DATA__) is preferred.
            facts.weak.add("year")
    end = partial_date(text(node.get("endDate")))
    if end:
        facts.put("end_year", int(end[:4]))


def _rating(node: JsonObj, facts: Facts) -> None:
    agg = node.get("aggregateRating")
    if isinstance(agg, list) and agg and isinstance(agg[0], dict):
        # IMDb 2016 series pages: the episodes' ratings further down attach to the series item too
        facts.note(f"{len(agg)} aggregate ratings on the item; the first (the page's header) is the film's")
        agg = agg[0]
    if not isinstance(agg, dict):
        return
    value = parse_number(agg.get("ratingValue"))
    if value is None:
        facts.note(f"aggregateRating.ratingValue {agg.get('ratingValue')!r} is not a number; no rating")
        return
    votes = parse_count(agg.get("ratingCount"))
    if agg.get("ratingCount") is not None and votes is None:
        facts.note(f"aggregateRating.ratingCount {agg.get('ratingCount')!r} is not a number")
    scale = parse_number(agg.get("bestRating")) or 10
    try:
        facts.put(
            "rating", Rating(value=value, scale=round(scale), votes=None if votes is None else round(votes))
        )
    except ValidationError:
        facts.note(f"aggregateRating {value} of {scale} is out of range; no rating")


def _runtime(node: JsonObj, facts: Facts) -> None:
    raw = node.get("duration") or node.get("timeRequired")
    if raw is None:
        return
    minutes = iso_minutes(text(raw) if not isinstance(raw, int | float) else raw)
    if minutes is None:
        facts.note(f"duration {raw!r} is not an ISO 8601 duration; no runtime")
    else:
        facts.put("runtimes", [Runtime(minutes=minutes)])


def _review(item: Any, facts: Facts) -> Review | None:
    if not isinstance(item, dict):
        return None
    authors = [found for found in map(name_and_id, many(item.get("author"))) if found]
    author_name = authors[0][0] if authors else None
    score = None
    rated = item.get("reviewRating")
    if isinstance(rated, dict):
        value = parse_number(rated.get("ratingValue"))
        scale = parse_number(rated.get("bestRating")) or 10
        if value is None:
            facts.note(f"review rating {rated.get('ratingValue')!r} is not a number")
        elif value >= 0 and scale >= 1:
            score = Score(value=value, scale=round(scale))
        else:
            facts.note(f"review rating {value} of {scale} is out of range; review kept without it")
    date = None
    raw_date = partial_date(text(item.get("dateCreated") or item.get("datePublished")))
    if raw_date and len(raw_date) == 10:
        date = dt.date.fromisoformat(raw_date)
    title, body = text(item.get("name")), text(item.get("reviewBody")) or ""
    if not (title or body):
        facts.note("a review with neither title nor text; skipped")
        return None
    return Review(title=title, body=body, score=score, author=author_name, date=date)


def _episode(node: JsonObj, facts: Facts) -> None:
    series = node.get("partOfSeries")
    if not isinstance(series, dict):
        return
    series_id = imdb_id(series.get("url") or series.get("@id"))
    if not series_id:
        facts.note("episode's partOfSeries has no title id; series link not kept")
        return
    season = node.get("partOfSeason")
    season_number = parse_number(season.get("seasonNumber")) if isinstance(season, dict) else None
    episode_number = parse_number(node.get("episodeNumber"))
    facts.put(
        "episode_of",
        EpisodeOf(
            series_id=series_id,
            season=None if season_number is None else int(season_number),
            episode=None if episode_number is None else int(episode_number),
        ),
    )
