"""TMDB's film page (themoviedb.org/movie/603-the-matrix): what the page shows as markup, not JSON-LD.

TMDB's pages carry no JSON-LD and an ``og:type`` of ``movie``; the film is in the header and the side
column (the markup public TMDB scrapers select, 2019–2024)::

    <div class="title"><h2><a href="/movie/603-the-matrix">The Matrix</a>
        <span class="tag release_date">(1999)</span></h2>
      <div class="facts"><span class="release">03/31/1999 (US)</span>
        <span class="genres"><a>Action</a>, <a>Science Fiction</a></span> <span class="runtime">2h 16m</span>
    <div class="user_score_chart" data-percent="82.0">               (the members' score, a percentage)
    <h3 class="tagline">…</h3> <div class="overview"><p>…</p></div>
    <ol class="people no_image"><li class="profile"><p><a>Lana Wachowski</a></p>
        <p class="character">Director, Writer</p></li>                (the header's crew, jobs by commas)
    <section class="top_billed"> <ol class="people"><li class="card"> … <p class="character">Neo</p>
    <section class="facts left_column"> <p><strong><bdi>Original Language</bdi></strong> English</p> …

Recommendations, reviews and keywords beside it are other films' or members' and are never read. The
release date is month first on English pages, day first on the others. Pure: no I/O.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean, parse_number
from marquee.records import BoxOffice, CastMember, CrewMember, ExternalScore, PersonRef, ReleaseDate, Runtime

__all__ = ["tmdb_facts"]

SOURCE = "TMDB"
_YEAR = re.compile(r"\((\d{4})\)")
_RELEASE = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})\s*(?:\((?P<country>[A-Z]{2})\))?")
_ISO_RELEASE = re.compile(r"(?P<year>\d{4})-(?P<a>\d{2})-(?P<b>\d{2})\s*(?:\((?P<country>[A-Z]{2})\))?")
_RUNTIME = re.compile(r"^(?:(?P<hours>\d+)h)?\s*(?:(?P<minutes>\d+)m)?$")
_WRITING = frozenset({"writer", "screenplay", "story", "novel", "author", "characters", "teleplay", "book"})
_CREW = {"producer": "producer", "original music composer": "composer", "director of photography":
         "cinematographer", "editor": "editor", "casting": "casting_director"}  # fmt: skip
_NO_OVERVIEW = re.compile(r"^We don't have an overview", re.IGNORECASE)


def tmdb_facts(root: Element, facts: Facts) -> None:
    """The header's and side column's film facts of a TMDB film page, into ``facts``."""
    header = next((e for e in root.iter() if e.attrs.get("id") == "original_header"), None)
    if header is None:
        header = next((e for e in root.iter() if e.tag == "section" and "header" in e.classes()), None)
    if header is None:
        return
    if _title(header, facts):
        facts.evidence = "TMDB film header"
    page = next((e for e in root.iter() if e.tag == "html"), root)
    english = (page.attrs.get("lang") or "en").lower() in ("en", "en-us")
    for element in header.iter():
        classes = element.classes()
        if element.tag == "span" and "release" in classes:
            facts.put("release_dates", _release(element.text(), english, facts))
        elif element.tag == "span" and "genres" in classes:
            facts.put("genres", [t for a in element.iter() if a.tag == "a" and (t := clean(a.text()))])
        elif element.tag == "span" and "runtime" in classes:
            _runtime(element.text(), facts)
        elif element.tag == "div" and "user_score_chart" in classes:
            _score(element, facts)
        elif element.tag == "h3" and "tagline" in classes:
            facts.put("taglines", [t for t in [clean(element.text())] if t])
        elif element.tag == "div" and "overview" in classes:
            text = clean(element.text())
            if text and not _NO_OVERVIEW.match(text):
                facts.put("outline", text)
        elif element.tag == "li" and "profile" in classes:
            _crew_member(element, facts)
    _cast(root, facts)
    _side_facts(root, facts)


def _title(header: Element, facts: Facts) -> bool:
    heading = next((e for e in header.iter() if e.tag == "h2"), None)
    link = next((e for e in heading.iter() if e.tag == "a"), None) if heading is not None else None
    title = clean(link.text()) if link is not None else None
    if not title or heading is None:
        return False
    facts.put("title", title)
    if link is not None and link.attrs.get("href", "").startswith("/tv/"):
        facts.put("kind", "tvSeries")  # a show's page (/tv/1399-game-of-thrones)
    year = _YEAR.search(heading.text()[len(title) :])
    if year:
        facts.put("year", int(year.group(1)))
    return True


def _release(text: str, english: bool, facts: Facts) -> list[ReleaseDate]:
    match = _ISO_RELEASE.search(text) or _RELEASE.search(text)
    if match is None:
        facts.note(f"{SOURCE} release {text.strip()!r} is not a date; not kept")
        return []
    first, second = int(match["a"]), int(match["b"])
    month_first = english or match.re is _ISO_RELEASE  # 03/31/1999 in English, 31.03.1999 in German
    month, day = (first, second) if month_first else (second, first)
    try:
        return [ReleaseDate(date=f"{match['year']}-{month:02d}-{day:02d}", country=match["country"])]
    except ValidationError:
        facts.note(f"{SOURCE} release {text.strip()!r} is not a date; not kept")
        return []


def _runtime(text: str, facts: Facts) -> None:
    match = _RUNTIME.match(text.strip())
    if match and (match["hours"] or match["minutes"]):
        facts.put("runtimes", [Runtime(minutes=int(match["hours"] or 0) * 60 + int(match["minutes"] or 0))])


def _score(chart: Element, facts: Facts) -> None:
    value = parse_number(chart.attrs.get("data-percent"))
    if value:  # 0: "NR", no member has rated it
        facts.put("scores", [ExternalScore(source=SOURCE, kind="audience", value=value, scale=100)])


def _name_and_role(item: Element) -> tuple[str | None, str | None]:
    name = next(
        (clean(a.text()) for p in item.iter() if p.tag == "p" for a in p.iter() if a.tag == "a"), None
    )
    role = next((clean(p.text()) for p in item.iter() if p.tag == "p" and "character" in p.classes()), None)
    return name, role


def _crew_member(item: Element, facts: Facts) -> None:
    name, jobs = _name_and_role(item)
    if not name:
        return
    for job in (j.strip() for j in (jobs or "").split(",") if j.strip()):
        key = job.casefold()
        if key == "director":
            _add(facts, "directors", PersonRef(name=name))
        elif key in _WRITING:
            _add(facts, "writers", PersonRef(name=name))
        elif key in _CREW:
            _add(facts, "crew", CrewMember(name=name, category=_CREW[key], job=job))


def _add(facts: Facts, field: str, person: PersonRef | CrewMember) -> None:
    have = facts.values.get(field, [])
    if all(p.name != person.name or getattr(p, "category", None) != getattr(person, "category", None)
           for p in have):  # fmt: skip
        facts.values[field] = [*have, person]


def _cast(root: Element, facts: Facts) -> None:
    panel = next((e for e in root.iter() if e.tag == "section" and "top_billed" in e.classes()), None)
    if panel is None:
        return
    cast = []
    for item in panel.iter():
        if item.tag == "li" and "card" in item.classes():
            name, character = _name_and_role(item)
            if name:
                cast.append(CastMember(name=name, character=character or None))
    facts.put("cast", cast)


def _side_facts(root: Element, facts: Facts) -> None:
    """The side column: original title and language, budget and revenue ("-" where TMDB has none)."""
    column = next(
        (e for e in root.iter() if e.tag == "section" and {"facts", "left_column"} <= e.classes()), None
    )
    if column is None:
        return
    for paragraph in (e for e in column.iter() if e.tag == "p"):
        label_element = next((e for e in paragraph.iter() if e.tag == "strong"), None)
        label = clean(label_element.text()) if label_element is not None else None
        value = clean(paragraph.text()[len(label or "") :].strip()) if label else None
        if not label or not value or value == "-":
            continue
        key = label.casefold()
        if key == "original title":
            facts.put("original_title", value)
        elif key == "original language":
            facts.put("languages", [value])
        elif key in ("budget", "revenue"):
            amount = parse_number(value.lstrip("$").split(".")[0]) if value.startswith("$") else None
            if amount:
                kind = "budget" if key == "budget" else "cumulative worldwide gross"
                box = [*facts.values.get("box_office", []), BoxOffice(kind=kind, amount=int(amount))]
                facts.put("box_office", box)
