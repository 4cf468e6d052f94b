"""Read schema.org film data: JSON-LD blocks, and the same vocabulary from microdata.

Lenient in the ways real pages need: relative URLs (the IMDb id comes from
``url: "/title/tt0133093/"``), HTML entities inside JSON strings, one value or a list,
numbers written as strings (``"8.7"``, ``"1,234"``), ISO 8601 durations, and one broken
block among good ones (reported, the rest used). Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from pydantic import ValidationError

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import (
    Facts,
    clean,
    imdb_id,
    iso_minutes,
    parse_count,
    parse_number,
    partial_date,
)
from marquee.formats.html_jsonld_text import load_block
from marquee.formats.jsontext import too_deep
from marquee.limits import MAX_NESTING
from marquee.records import (
    AlternateTitle,
    CastMember,
    CrewMember,
    EpisodeOf,
    PersonRef,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)

__all__ = ["FILM_TYPES", "film_type", "jsonld_facts", "schema_facts"]

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
# Crew roles schema.org names, as IMDb's categories.
_CREW_KEYS = {"musicBy": "composer", "producer": "producer"}
JsonObj = dict[str, Any]
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
    for raw in _many(node.get("@type")):
        name = str(raw).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        if name in FILM_TYPES:
            return name
    return None


def jsonld_facts(scripts: list[Element]) -> Facts | None:
    """Facts from the page's ``application/ld+json`` blocks; None when it has none."""
    if not scripts:
        return None
    facts = Facts("JSON-LD", scripts[0].line)
    films: list[tuple[int, JsonObj]] = []
    for number, script in enumerate(scripts, start=1):
        text = script.raw_text()
        deep = too_deep(text)
        if deep is not None:
            facts.note(
                f"JSON-LD block {number} of {len(scripts)} nests arrays/objects deeper than {MAX_NESTING}; "
                "skipped, the other blocks are used",
                script.line + text.count("\n", 0, deep),
            )
            continue
        try:
            data, repaired = load_block(text)
        except json.JSONDecodeError as err:
            facts.note(
                f"JSON-LD block {number} of {len(scripts)} is not valid JSON ({err.msg} at line "
                f"{err.lineno} column {err.colno}); skipped, the other blocks are used",
                script.line + err.lineno - 1,  # the page's line of the fault
            )
            continue
        if repaired:
            facts.note(
                f"JSON-LD block {number} read after removing comments, CDATA or trailing commas", script.line
            )
        films.extend((script.line, node) for node in _film_nodes(data))
    if not films:
        if not facts.notes:
            return None
        return facts
    facts.line, node = films[0]
    if len(films) > 1:
        facts.note(f"{len(films)} film items in JSON-LD; read the first, {len(films) - 1} ignored")
    schema_facts(node, facts)
    return facts


def _film_nodes(data: Any) -> list[JsonObj]:
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
    for reader in (_names, _dates, _rating, _credits, _runtime, _reviews, _episode):
        try:
            reader(node, facts)
        except (ValidationError, ValueError, TypeError, OverflowError) as err:
            # A value of the wrong shape or out of range (a negative score…): this part is lost, not the page.
            part = reader.__name__.strip("_")
            facts.note(f"{facts.source} {part}: a value Marquee cannot use ({_reason(err)}); not kept")
    facts.ignored = sorted(key for key in node if key not in _READ)


def _reason(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(err) or type(err).__name__


def _names(node: JsonObj, facts: Facts) -> None:
    facts.put("id", _film_id(node))
    facts.put("title", _text(node.get("name")))
    description = _text(node.get("description"))
    lead = _GENERATED_LEAD.match(description) if description else None
    if description and _GENERATED.match(description):
        facts.note(f"description {description[:60]!r}… is made up from the credits, not an outline; not kept")
    elif description and lead:
        facts.note(f"description begins {lead.group(0).strip()[:60]!r}…, made up from the credits; cut")
        facts.put("outline", description[lead.end() :])
    else:
        facts.put("outline", description)
    facts.put("genres", _unique([g for g in map(_text, _many(node.get("genre"))) if g]))
    facts.put("alternate_titles", [AlternateTitle(title=t) for t in _texts(node.get("alternateName"))])
    facts.put("countries", _texts(node.get("countryOfOrigin")))
    facts.put("languages", _texts(node.get("inLanguage")))


def _credits(node: JsonObj, facts: Facts) -> None:
    facts.put("directors", _people(node.get("director"), facts, "director"))
    writers = _people(node.get("author"), facts, "author") + _people(node.get("creator"), facts, "creator")
    facts.put("writers", _unique_people(writers))
    facts.put("cast", _cast(_many(node.get("actor")) + _many(node.get("actors")), facts))
    facts.put("crew", _crew(node, facts))


def _reviews(node: JsonObj, facts: Facts) -> None:
    facts.put("reviews", [r for r in (_review(item, facts) for item in _many(node.get("review"))) if r])


def _many(value: Any) -> list[Any]:
    """One value or a list of them, as a list (None -> [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    """A string field, entities decoded; a ``{"@value": …}`` or one-item list is unwrapped."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return clean(value)


def _texts(value: Any) -> list[str]:
    return [t for t in (_text(v) for v in _many(value)) if t]


def _unique(items: list[str]) -> list[str]:
    """Case-insensitively distinct, first spelling and order kept."""
    kept: dict[str, str] = {}
    for item in items:
        kept.setdefault(item.casefold(), item)
    return list(kept.values())


def _film_id(node: JsonObj) -> str | None:
    """The IMDb id from ``url``/``@id``/``sameAs``/``identifier``; else Marquee's own ``/title/<id>``."""
    candidates = [node.get("url"), node.get("@id"), *_many(node.get("sameAs"))]
    for ident in _many(node.get("identifier")):
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
    events = [e for e in _many(node.get("releasedEvent")) if isinstance(e, dict)]  # Letterboxd's year
    published = (
        node.get("datePublished")
        or node.get("startDate")
        or next((e.get("startDate") for e in events if e.get("startDate")), None)
    )
    date = partial_date(_text(published))
    if published is not None and date is None:
        facts.note(f"datePublished {published!r} is not a date")
    if date:
        facts.put("year", int(date[:4]))
        if len(date) > 4:  # a bare year is the film's year, not a release date anyone recorded
            facts.put("release_dates", [ReleaseDate(date=date)])
            # A release date (IMDb's: in the visitor's country) only implies the year: a source that
            # states the year outright (the heading, og:title, __NEXT_DATA__) is preferred.
            facts.weak.add("year")
    end = partial_date(_text(node.get("endDate")))
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


def _person(item: Any) -> tuple[str, str | None] | None:
    """(name, IMDb nm… id) of a Person node or a bare name; None for organisations."""
    if isinstance(item, str):
        name = clean(item)
        return (name, None) if name else None
    if not isinstance(item, dict) or "Organization" in _many(item.get("@type")):
        return None
    name = _text(item.get("name"))
    if not name:
        return None
    return name, imdb_id(item.get("url") or item.get("@id") or item.get("sameAs"), "name")


def _people(value: Any, facts: Facts, key: str) -> list[PersonRef]:
    refs = []
    for item in _many(value):
        person = _person(item)
        if person:
            refs.append(PersonRef(name=person[0], id=person[1]))
        elif isinstance(item, dict) and "Organization" not in _many(item.get("@type")):
            facts.note(f"a {key} without a name; skipped")
    return refs


def _unique_people(refs: list[PersonRef]) -> list[PersonRef]:
    """One entry per person (IMDb lists a writer-director under both author and creator)."""
    kept: dict[str, PersonRef] = {}
    for ref in refs:
        kept.setdefault(ref.id or ref.name, ref)
    return list(kept.values())


def _cast(items: list[Any], facts: Facts) -> list[CastMember]:
    """Actors: Person nodes, bare names, or ``PerformanceRole`` nodes carrying ``characterName``."""
    cast: list[CastMember] = []
    for item in items:
        character = None
        if (
            isinstance(item, dict)
            and item.get("characterName")
            and "PerformanceRole" not in _many(item.get("@type"))
        ):
            character = " / ".join(_texts(item.get("characterName"))) or None  # a Person with its role
        if isinstance(item, dict) and "PerformanceRole" in _many(item.get("@type")):
            character = " / ".join(_texts(item.get("characterName") or item.get("roleName"))) or None
            item = _many(item.get("actor"))[0] if _many(item.get("actor")) else None
        person = _person(item)
        if person is None:
            facts.note("an actor without a name; skipped")
            continue
        member = CastMember(name=person[0], id=person[1], character=character)
        same = next(
            (i for i, m in enumerate(cast) if (m.id and m.id == member.id) or m.name == member.name), None
        )
        if same is None:
            cast.append(member)
        elif cast[same].character is None and character:  # IMDb's microdata: the Stars line, then the table
            cast[same] = cast[same].model_copy(update={"character": character})
    return cast


def _crew(node: JsonObj, facts: Facts) -> list[CrewMember]:
    crew = []
    for key, category in _CREW_KEYS.items():
        for ref in _people(node.get(key), facts, key):
            crew.append(CrewMember(name=ref.name, id=ref.id, category=category))
    return crew


def _runtime(node: JsonObj, facts: Facts) -> None:
    raw = node.get("duration") or node.get("timeRequired")
    if raw is None:
        return
    minutes = iso_minutes(_text(raw) if not isinstance(raw, int | float) else raw)
    if minutes is None:
        facts.note(f"duration {raw!r} is not an ISO 8601 duration; no runtime")
    else:
        facts.put("runtimes", [Runtime(minutes=minutes)])


def _review(item: Any, facts: Facts) -> Review | None:
    if not isinstance(item, dict):
        return None
    authors = [person for person in map(_person, _many(item.get("author"))) if person]
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
    raw_date = partial_date(_text(item.get("dateCreated") or item.get("datePublished")))
    if raw_date and len(raw_date) == 10:
        date = dt.date.fromisoformat(raw_date)
    title, body = _text(item.get("name")), _text(item.get("reviewBody")) or ""
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
