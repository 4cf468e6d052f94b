"""Read back Marquee's own schema.org ``Movie`` JSON-LD (``marquee export jsonld``, the API's ``.jsonld``).

The inverse of :func:`marquee.formats.jsonld.movie_jsonld`: every key that writer emits is read back
into the field it came from, exactly (strings are not unescaped or tidied: this is JSON, not a web
page). Input is one JSON object, a list of them, an ``@graph``, or JSON lines (one object a line, as
the export writes). Keys the writer never emits but schema.org films commonly carry are read too where
the record has a place (``countryOfOrigin``, ``inLanguage``, ``sameAs`` ids of other sites); any other
key is reported as not kept. A node that is not a film is refused with a one-line reason. Pure: no I/O.

What JSON-LD cannot carry (so a round trip cannot keep it): the kind (always ``Movie``), a year apart
from ``datePublished``, nominations (``award`` is an award won, one line of text: read back up to its
first " for " as the name), the plot when there is an outline (``description`` is the outline, else the
plot; it is read back as the outline), characters, crew, every release date but the first, runtimes but
the first, alternate titles' regions, trivia, goofs, quotes, taglines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from pydantic import ValidationError

from marquee.errors import NotAMoviePage
from marquee.formats.diagnostics import Diagnostic
from marquee.formats.html_schema import FILM_TYPES, film_nodes, film_type
from marquee.formats.html_schema_values import many
from marquee.formats.jsontext import bounded_int, too_deep
from marquee.formats.page_merge import main_page_sections
from marquee.formats.textpage_parse import PageResult
from marquee.limits import MAX_NESTING
from marquee.records import (
    AlternateTitle,
    Award,
    CastMember,
    Film,
    PersonRef,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
    describe_error,
)
from marquee.slugs import film_slug

__all__ = ["looks_like_jsonld", "parse_jsonld", "parse_jsonld_node"]

JsonDict = dict[str, Any]
_TITLE_PATH = re.compile(r"/title/([^/?#\s]+)/?(?:[?#].*)?$")
_PERSON_PATH = re.compile(r"/(?:person|name)/([^/?#\s]+)/?(?:[?#].*)?$")
_DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?$")
# sameAs links of other sites -> (external id key, pattern of the id in the link).
_SAME_AS = (
    ("imdb", re.compile(r"imdb\.com/title/(tt\d+)")),
    ("tmdb", re.compile(r"themoviedb\.org/movie/(\d+)")),
    ("letterboxd", re.compile(r"letterboxd\.com/film/([^/?#]+)")),
    ("rotten_tomatoes", re.compile(r"rottentomatoes\.com/((?:m|tv)/[^/?#]+)")),
    ("metacritic", re.compile(r"metacritic\.com/(movie/[^/?#]+)")),
    ("wikidata", re.compile(r"wikidata\.org/(?:wiki|entity)/(Q\d+)")),
)
_READ = frozenset(
    "@context @type @id url name alternateName datePublished description genre director author actor "  # noqa: SIM905
    "duration aggregateRating review sameAs countryOfOrigin inLanguage award".split()
)


def looks_like_jsonld(text: str) -> bool:
    """Whether the input is JSON holding a schema.org node (not an HTML page, not a text page)."""
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    return head[:1] in ("{", "[") and '"@type"' in head


def parse_jsonld(text: str, source: str = "<json-ld>") -> list[PageResult]:
    """Every film in a JSON-LD document or JSON lines file; ``NotAMoviePage`` with a one-line reason."""
    results: list[PageResult] = []
    for line, data in _documents(text, source):
        nodes = film_nodes(data)
        if not nodes:
            raise NotAMoviePage(f"{source}:{line}: not a movie page: no schema.org Movie/TVSeries node")
        for node in nodes:
            notes: list[str] = []
            film = parse_jsonld_node(node, notes, f"{source}:{line}")
            diagnostics = [Diagnostic(source, line, note) for note in notes]
            sections = main_page_sections(film, "schema-jsonld")
            results.append(PageResult(film=film, diagnostics=diagnostics, sections=sections))
    if not results:
        raise NotAMoviePage(f"{source}: not a movie page: empty JSON-LD")
    return results


def _documents(text: str, source: str) -> list[tuple[int, Any]]:
    """(line, parsed JSON) of the whole text, or of each line when it is JSON lines."""
    body = text.lstrip("\ufeff")
    try:
        return [(1, _load(body))]
    except json.JSONDecodeError as whole:
        lines = [(n, raw) for n, raw in enumerate(body.splitlines(), start=1) if raw.strip()]
        if len(lines) < 2:
            raise NotAMoviePage(
                f"{source}:{whole.lineno}: not valid JSON ({whole.msg}, column {whole.colno})"
            ) from None
        docs = []
        for number, raw in lines:
            try:
                docs.append((number, _load(raw)))
            except json.JSONDecodeError as err:
                raise NotAMoviePage(
                    f"{source}:{number}: not valid JSON ({err.msg}, column {err.colno})"
                ) from None
        return docs


def _load(text: str) -> Any:
    deep = too_deep(text)
    if deep is not None:
        raise json.JSONDecodeError(f"nested deeper than {MAX_NESTING}", text, deep)
    return json.loads(text, parse_int=bounded_int)


def _string(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, str) and value != "":
        return value
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


def _id_from(url: Any, pattern: re.Pattern[str]) -> str | None:
    if not isinstance(url, str):
        return None
    match = pattern.search(url)
    return match.group(1) if match else None


def _person(item: Any) -> tuple[str, str | None] | None:
    if isinstance(item, str):
        return (item, None) if item else None
    if not isinstance(item, dict) or "Organization" in many(item.get("@type")):
        return None
    name = _string(item.get("name"))
    if name is None:
        return None
    return name, _id_from(item.get("url") or item.get("@id"), _PERSON_PATH)


def _people(value: Any, notes: list[str], key: str) -> list[tuple[str, str | None]]:
    people = []
    for item in many(value):
        person = _person(item)
        if person is None:
            notes.append(f"a {key} without a name; not kept")
        else:
            people.append(person)
    return people


def _minutes(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        return None
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _review(item: Any, notes: list[str]) -> Review | None:
    if not isinstance(item, dict):
        notes.append("a review that is not an object; not kept")
        return None
    score = None
    rated = item.get("reviewRating")
    if isinstance(rated, dict):
        value, scale = _number(rated.get("ratingValue")), _number(rated.get("bestRating"))
        if value is not None:
            score = Score(value=value, scale=round(scale) if scale else 10)
    author = _person(many(item.get("author"))[0]) if many(item.get("author")) else None
    raw_date = item.get("datePublished")
    date = None
    if isinstance(raw_date, str):
        try:
            date = dt.date.fromisoformat(raw_date[:10])
        except ValueError:
            notes.append(f"review datePublished {raw_date!r} is not a date; not kept")
    body = item.get("reviewBody")
    return Review(
        title=_string(item.get("name")),
        body=body if isinstance(body, str) else "",
        score=score,
        author=author[0] if author else None,
        date=date,
    )


def _award(text: str) -> Award:
    """``"Academy Award for Best Makeup (1986)"`` (``jsonld.award_text``) -> the award won; the name is
    taken up to the first " for " (schema.org's ``award`` is one line of text)."""
    year = None
    match = re.fullmatch(r"(?s)(.+) \((\d{4})\)", text)
    if match and 1870 <= int(match.group(2)) <= 2200:
        text, year = match.group(1), int(match.group(2))
    name, _, category = text.partition(" for ")
    if not name or not category:
        name, category = text, ""
    return Award(name=name, category=category or None, year=year, outcome="won")


def _external_ids(node: JsonDict, film_id: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    for link in many(node.get("sameAs")):
        for key, pattern in _SAME_AS:
            found = _id_from(link, pattern)
            if found and not (key == "imdb" and found == film_id):
                ids.setdefault(key, found)
    return ids


def parse_jsonld_node(node: JsonDict, notes: list[str], where: str = "<json-ld>") -> Film:
    """One Film from one schema.org film node; what it cannot keep is added to ``notes``."""
    try:
        return _node_film(node, notes, where)
    except (ValidationError, ValueError, OverflowError) as err:
        why = describe_error(err) if isinstance(err, ValidationError) else str(err)
        raise NotAMoviePage(f"{where}: facts do not make a film record: {why}") from None


def _node_film(node: JsonDict, notes: list[str], where: str) -> Film:
    values: dict[str, Any] = {}
    title = _string(node.get("name"))
    if title is None:
        raise NotAMoviePage(f"{where}: not a movie page: a {film_type(node)} without a name")
    values["title"] = title
    kind = FILM_TYPES.get(film_type(node) or "Movie", "movie")
    if kind != "movie":
        values["kind"] = kind
    film_id = _id_from(node.get("url"), _TITLE_PATH) or _id_from(node.get("@id"), _TITLE_PATH)
    if film_id is None:
        film_id = next(
            (i for i in (_id_from(s, _SAME_AS[0][1]) for s in many(node.get("sameAs"))) if i), None
        )
    alternate = [t for t in (_string(v) for v in many(node.get("alternateName"))) if t]
    values["alternate_titles"] = [AlternateTitle(title=t) for t in alternate]
    published = node.get("datePublished")
    if isinstance(published, int) and not isinstance(published, bool):
        published = str(published)
    if isinstance(published, str):
        match = re.match(r"^(\d{4})(-\d{2}(?:-\d{2})?)?", published)
        if match:
            values["year"] = int(match.group(1))
            if match.group(2):
                values["release_dates"] = [ReleaseDate(date=match.group(0))]
        else:
            notes.append(f"datePublished {published!r} is not a date; not kept")
    values["outline"] = _string(node.get("description"))
    values["genres"] = [g for g in (_string(v) for v in many(node.get("genre"))) if g]
    values["directors"] = [
        PersonRef(name=n, id=i) for n, i in _people(node.get("director"), notes, "director")
    ]
    values["writers"] = [PersonRef(name=n, id=i) for n, i in _people(node.get("author"), notes, "author")]
    values["cast"] = [CastMember(name=n, id=i) for n, i in _people(node.get("actor"), notes, "actor")]
    duration = node.get("duration")
    if duration is not None:
        minutes = _minutes(duration)
        if minutes is None:
            notes.append(f"duration {duration!r} is not an ISO 8601 duration; not kept")
        else:
            values["runtimes"] = [Runtime(minutes=minutes)]
    agg = node.get("aggregateRating")
    if isinstance(agg, dict):
        value, scale, votes = (_number(agg.get(k)) for k in ("ratingValue", "bestRating", "ratingCount"))
        if value is not None:
            values["rating"] = Rating(
                value=value,
                scale=round(scale) if scale else 10,
                votes=None if votes is None else round(votes),
            )
    values["reviews"] = [r for r in (_review(item, notes) for item in many(node.get("review"))) if r]
    values["awards"] = [_award(text) for text in (_string(v) for v in many(node.get("award"))) if text]
    values["countries"] = [c for c in (_string(v) for v in many(node.get("countryOfOrigin"))) if c]
    values["languages"] = [c for c in (_string(v) for v in many(node.get("inLanguage"))) if c]
    values["id"] = film_id or film_slug(title, values.get("year"))
    if film_id is None:
        notes.append(f"no film id in url or sameAs; the film's id is the slug {values['id']!r}")
    values["external_ids"] = _external_ids(node, values["id"])
    ignored = sorted(key for key in node if key not in _READ)
    if ignored:
        notes.append(f"not kept (no place in a film record): {', '.join(ignored)}")
    return Film(**{k: v for k, v in values.items() if v is not None})
