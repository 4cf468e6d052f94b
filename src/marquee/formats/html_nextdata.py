"""Film facts from the ``__NEXT_DATA__`` JSON of IMDb's 2022–2023 title pages.

The page's React state holds far more than its JSON-LD: the billed cast with characters,
writers, the full outline, release date and country, box office, runtime, a trivia item,
a goof, a quote, featured reviews. Its shape is IMDb's private GraphQL, so every step is
lenient: a missing or renamed branch gives nothing (and a note), never an exception.
Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import ValidationError

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean, strip_tags
from marquee.formats.jsontext import bounded_int, too_deep
from marquee.limits import MAX_NESTING
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    CastMember,
    CrewMember,
    EpisodeOf,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)

__all__ = ["next_data_facts"]

Json = Any
# IMDb's box office branches, as Marquee's kinds (and the region IMDb's page labels them with).
_BOX_OFFICE = (
    ("productionBudget", ("budget",), "budget", None),
    ("lifetimeGross", ("total",), "gross", "US & Canada"),
    ("openingWeekendGross", ("gross", "total"), "opening weekend", "US & Canada"),
    ("worldwideGross", ("total",), "cumulative worldwide gross", None),
)


def get(data: Json, *path: str | int) -> Json:
    """``data[path[0]][path[1]]…``, or None as soon as a step is missing or the wrong shape."""
    for step in path:
        if isinstance(step, int):
            data = data[step] if isinstance(data, list) and -len(data) <= step < len(data) else None
        else:
            data = data.get(step) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


def edges(data: Json, *path: str) -> list[Json]:
    """The ``node``s of a GraphQL connection (``{"edges": [{"node": …}]}``)."""
    found = get(data, *path, "edges")
    return (
        [edge["node"] for edge in found if isinstance(edge, dict) and edge.get("node")]
        if isinstance(found, list)
        else []
    )


def next_data_facts(script: Element) -> Facts | None:
    """Facts from the ``<script id="__NEXT_DATA__">`` element; None when it holds no title."""
    facts = Facts("__NEXT_DATA__", script.line)
    text = script.raw_text()
    deep = too_deep(text)
    if deep is not None:
        facts.note(
            f"__NEXT_DATA__ nests arrays/objects deeper than {MAX_NESTING}; not read",
            script.line + text.count("\n", 0, deep),
        )
        return facts
    try:
        data = json.loads(text, parse_int=bounded_int)
    except json.JSONDecodeError as err:
        facts.note(
            f"__NEXT_DATA__ is not valid JSON ({err.msg} at line {err.lineno} column {err.colno}); not read"
        )
        return facts
    props = get(data, "props", "pageProps")
    above, main = get(props, "aboveTheFoldData"), get(props, "mainColumnData")
    if not isinstance(above, dict) and not isinstance(main, dict):
        return None  # a Next.js page, but not a title page
    both = [part for part in (above, main) if isinstance(part, dict)]
    readers = (_identity, _rating, _people, _cast, _details, _box_office, _did_you_know, _reviews, _episode)
    for reader in readers:
        try:
            reader(both, props, facts)
        except (ValidationError, TypeError, ValueError, AttributeError) as err:
            part = reader.__name__.strip("_")
            facts.note(f"__NEXT_DATA__ {part}: unexpected shape ({type(err).__name__}); skipped")
    if "title" in facts.values:
        facts.evidence = "a title in __NEXT_DATA__"
    return facts


def first(parts: list[Json], *path: str | int) -> Json:
    """The value at ``path`` in the first part (above the fold, then main column) that has it."""
    for part in parts:
        value = get(part, *path)
        if value is not None:
            return value
    return None


def _identity(parts: list[Json], props: Json, facts: Facts) -> None:
    facts.put("id", clean(first(parts, "id")) or clean(get(props, "tconst")))
    title = clean(first(parts, "titleText", "text"))
    facts.put("title", title)
    original = clean(first(parts, "originalTitleText", "text"))
    if original and original != title:
        facts.put("original_title", original)
    facts.put("kind", clean(first(parts, "titleType", "id")))
    year = first(parts, "releaseYear", "year")
    facts.put("year", year if isinstance(year, int) else None)
    end = first(parts, "releaseYear", "endYear")
    facts.put("end_year", end if isinstance(end, int) else None)
    adult = first(parts, "isAdult")
    if adult is True:
        facts.put("is_adult", True)
    facts.put("outline", clean(first(parts, "plot", "plotText", "plainText")))
    genres = first(parts, "genres", "genres") or []
    facts.put("genres", [g for g in (clean(get(item, "text")) for item in genres) if g])


def _rating(parts: list[Json], props: Json, facts: Facts) -> None:
    value = first(parts, "ratingsSummary", "aggregateRating")
    if isinstance(value, int | float):
        votes = first(parts, "ratingsSummary", "voteCount")
        facts.put("rating", Rating(value=value, votes=votes if isinstance(votes, int) else None))


def _credits(groups: Json) -> list[PersonRef]:
    refs = []
    for group in groups if isinstance(groups, list) else []:
        for credit in get(group, "credits") or []:
            name = clean(get(credit, "name", "nameText", "text"))
            if name:
                refs.append(PersonRef(name=name, id=clean(get(credit, "name", "id"))))
    return refs


def _people(parts: list[Json], props: Json, facts: Facts) -> None:
    facts.put("directors", _credits(first(parts, "directors")))
    facts.put("writers", _credits(first(parts, "writers")))
    creators = _credits(first(parts, "creators"))
    facts.put("crew", [CrewMember(name=p.name, id=p.id, category="creator") for p in creators])
    principal = first(parts, "principalCredits") or []
    stars = [g for g in principal if get(g, "category", "id") == "cast"]
    facts.put("stars", [ref.name for ref in _credits(stars)])


def _cast(parts: list[Json], props: Json, facts: Facts) -> None:
    cast = []
    for node in edges(parts[-1], "cast") or edges(parts[0], "cast"):
        name = clean(get(node, "name", "nameText", "text"))
        if not name:
            continue
        characters = [clean(get(c, "name")) for c in get(node, "characters") or []]
        notes = [clean(get(a, "text")) or "" for a in get(node, "attributes") or []]
        credited = next((n[3:].strip() for n in notes if n.startswith("as ")), None)
        cast.append(
            CastMember(
                name=name,
                id=clean(get(node, "name", "id")),
                character=" / ".join(c for c in characters if c) or None,
                credited_as=credited,
            )
        )
    facts.put("cast", cast)


def _details(parts: list[Json], props: Json, facts: Facts) -> None:
    released = first(parts[::-1], "releaseDate")  # the main column's one names the country
    year = get(released, "year")
    if isinstance(year, int):
        date = f"{year:04d}"
        month, day = get(released, "month"), get(released, "day")
        if isinstance(month, int):
            date += f"-{month:02d}" + (f"-{day:02d}" if isinstance(day, int) else "")
        facts.put("release_dates", [ReleaseDate(date=date, country=clean(get(released, "country", "text")))])
    seconds = first(parts, "runtime", "seconds")
    if isinstance(seconds, int | float):
        facts.put("runtimes", [Runtime(minutes=round(seconds / 60))])
    locations = [_with_note(node) for node in edges(parts[-1], "filmingLocations")]
    facts.put("filming_locations", [loc for loc in locations if loc])
    countries = get(first(parts[::-1], "countriesOfOrigin"), "countries")
    if isinstance(countries, list):
        names = [clean(get(c, "text")) or clean(get(c, "id")) for c in countries]
        facts.put("countries", [n for n in names if n])
    languages = get(first(parts[::-1], "spokenLanguages"), "spokenLanguages")
    if isinstance(languages, list):
        names = [clean(get(lang, "text")) or clean(get(lang, "id")) for lang in languages]
        facts.put("languages", [n for n in names if n])
    taglines = [clean(get(node, "text")) for node in edges(parts[-1], "taglines")]
    facts.put("taglines", [t for t in taglines if t])
    akas = [clean(get(node, "text")) for node in edges(parts[-1], "akas")]
    facts.put("alternate_titles", [AlternateTitle(title=t) for t in akas if t])


def _with_note(node: Json) -> str | None:
    """A filming location with IMDb's note about it: "Nashville, Tennessee, USA (exterior scenes: …)"."""
    place = clean(get(node, "text"))
    attributes = get(node, "attributes")
    texts = [clean(get(a, "text")) for a in attributes] if isinstance(attributes, list) else []
    notes = [n for n in texts if n]
    return f"{place} ({'; '.join(notes)})" if place and notes else place


def _box_office(parts: list[Json], props: Json, facts: Facts) -> None:
    found = []
    for key, path, kind, country in _BOX_OFFICE:
        money = first(parts, key, *path)
        amount = get(money, "amount")
        if isinstance(amount, int | float):
            currency = clean(get(money, "currency")) or "USD"
            found.append(BoxOffice(kind=kind, amount=int(amount), currency=currency, country=country))
    facts.put("box_office", found)


def _markdown(node: Json) -> str | None:
    """IMDb's Markdown object: ``plainText``, else ``plaidHtml`` with its links stripped."""
    plain = get(node, "plainText")
    if isinstance(plain, str):
        return clean(plain)
    html = get(node, "plaidHtml")
    return strip_tags(html) if isinstance(html, str) else None


def _did_you_know(parts: list[Json], props: Json, facts: Facts) -> None:
    main = parts[-1]
    facts.put("trivia", [t for t in (_markdown(get(n, "text")) for n in edges(main, "trivia")) if t])
    goofs = []
    for node in edges(main, "goofs"):
        text = _markdown(get(node, "text"))
        if text:
            goofs.append(Goof(category=clean(get(node, "category", "text")), text=text))
    facts.put("goofs", goofs)
    quotes = []
    for node in edges(main, "quotes"):
        lines = [
            QuoteLine(
                character=" / ".join(
                    filter(None, (clean(get(c, "character")) for c in get(line, "characters") or []))
                )
                or None,
                direction=clean(get(line, "stageDirection")),
                text=clean(get(line, "text")) or "",
            )
            for line in get(node, "lines") or []
        ]
        if lines:
            quotes.append(Quote(lines=lines))
    facts.put("quotes", quotes)


def _reviews(parts: list[Json], props: Json, facts: Facts) -> None:
    reviews: list[Review] = []
    for part in parts:
        for node in edges(part, "featuredReviews"):
            rating = get(node, "authorRating")
            raw_date = get(node, "submissionDate")
            review = Review(
                title=clean(get(node, "summary", "originalText")),
                body=_markdown(get(node, "text", "originalText")) or "",
                author=clean(get(node, "author", "nickName")),
                score=Score(value=rating) if isinstance(rating, int | float) else None,
                date=dt.date.fromisoformat(raw_date[:10]) if isinstance(raw_date, str) else None,
            )
            if not any(r.author == review.author and r.title == review.title for r in reviews):
                reviews.append(review)
    facts.put("reviews", reviews)


def _episode(parts: list[Json], props: Json, facts: Facts) -> None:
    series_id = first(parts, "series", "series", "id")
    if not isinstance(series_id, str):
        return
    season = first(parts, "series", "episodeNumber", "seasonNumber")
    episode = first(parts, "series", "episodeNumber", "episodeNumber")
    facts.put(
        "episode_of",
        EpisodeOf(
            series_id=series_id,
            season=season if isinstance(season, int) else None,
            episode=episode if isinstance(episode, int) else None,
        ),
    )
