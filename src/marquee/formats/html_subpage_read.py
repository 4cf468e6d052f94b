"""Readers of the section each IMDb sub-page carries: release dates and AKAs, locations, credits,
taglines, trivia, goofs by category, quotes with speakers, plots, technical specs.

Each reader looks in the sub-page's content for IMDb's own table and class names only, so navigation,
sidebars and ads are never read. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import ROLE_NOTES, clean, imdb_id, parse_date
from marquee.records import (
    AlternateTitle,
    CastMember,
    CrewMember,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    ReleaseDate,
    Runtime,
)

__all__ = ["READERS", "SubPageRead"]


@dataclass
class SubPageRead:
    """What a sub-page's reader found: values by Film field, fields shown only in part, and notes."""

    values: dict[str, Any] = field(default_factory=dict)
    partial: set[str] = field(default_factory=set)
    notes: list[tuple[int, str]] = field(default_factory=list)


def _sodas(content: Element) -> list[Element]:
    """IMDb's list items: ``div.soda`` (odd/even rows), excluding nested ones."""
    found = []
    for element in content.iter():
        if element.tag != "div" or "soda" not in element.classes():
            continue
        if not any("soda" in p.classes() for p in _ancestors(element, content)):
            found.append(element)
    return found


def _ancestors(element: Element, stop: Element) -> list[Element]:
    out = []
    node = element.parent
    while node is not None and node is not stop:
        out.append(node)
        node = node.parent
    return out


def _child(element: Element, tag: str, cls: str | None = None) -> Element | None:
    return next(
        (
            e
            for e in element.iter()
            if e is not element and e.tag == tag and (cls is None or cls in e.classes())
        ),
        None,
    )


def _read_texts(name: str) -> Callable[[Element, SubPageRead], None]:
    """Trivia, taglines: the text of each item (``div.sodatext`` where there is one)."""

    def read(content: Element, out: SubPageRead) -> None:
        texts = []
        for soda in _sodas(content):
            body = _child(soda, "div", "sodatext") or soda
            text = clean(body.text())
            if text:
                texts.append(text)
        if texts:
            out.values[name] = texts

    return read


def _read_goofs(content: Element, out: SubPageRead) -> None:
    """Goofs under their category headings (``<h4 class="li_group">Continuity</h4>``)."""
    goofs = []
    category: str | None = None
    for element in content.iter():
        if element.tag == "h4" and "li_group" in element.classes():
            category = _heading(element)
        elif element.tag == "div" and "soda" in element.classes():
            body = _child(element, "div", "sodatext")
            text = clean(body.text()) if body is not None else None
            if text:
                spoiler = category is not None and category.casefold().startswith("spoiler")
                goofs.append(Goof(category=None if spoiler else category, text=text))
    if goofs:
        out.values["goofs"] = goofs


def _heading(element: Element) -> str | None:
    """A group heading without its count: "Continuity (12)" -> "Continuity"."""
    text = re.sub(r"\s*\(\d+\)\s*$", "", element.text().replace("\u00a0", " ")).strip()
    return text or None


def _read_quotes(content: Element, out: SubPageRead) -> None:
    """Quotes: each ``<p>`` of an item is a line, ``Speaker: [direction] text``."""
    quotes = []
    for soda in _sodas(content):
        body = _child(soda, "div", "sodatext")
        if body is None:
            continue
        lines = [line for p in body.iter() if p.tag == "p" and (line := _quote_line(p)) is not None]
        if lines:
            quotes.append(Quote(lines=lines))
    if quotes:
        out.values["quotes"] = quotes


def _quote_line(p: Element) -> QuoteLine | None:
    text = clean(p.text())
    if not text:
        return None
    speaker = _child(p, "span", "character")
    character = clean(speaker.text()) if speaker is not None else None
    if character and text.startswith(character):
        text = text[len(character) :].lstrip(" :")
    direction = None
    bracket = re.match(r"^\[([^\]]*)\]\s*", text)
    if bracket:
        direction, text = clean(bracket.group(1)), text[bracket.end() :]
    return QuoteLine(character=character, direction=direction, text=text)


def _read_locations(content: Element, out: SubPageRead) -> None:
    """Each ``<dt>`` a place, the ``<dd>`` after it its note: "Nyack, New York, USA (house)"."""
    places = []
    for dt in (e for e in content.iter() if e.tag == "dt"):
        place = clean(dt.text())
        if not place:
            continue
        siblings = [c for c in dt.parent.children if isinstance(c, Element)] if dt.parent else []
        after = siblings[siblings.index(dt) + 1 :] if dt in siblings else []
        note = clean(after[0].text()) if after and after[0].tag == "dd" else None
        if note:
            note = note if note.startswith("(") and note.endswith(")") else f"({note})"
            place = f"{place} {note}"
        places.append(place)
    if places:
        out.values["filming_locations"] = places


def _read_releases(content: Element, out: SubPageRead) -> None:
    """The release dates table: country, date, and notes such as "(New York City) (premiere)"."""
    table = next(
        (
            e
            for e in content.iter()
            if e.tag == "table"
            and (e.attrs.get("id") == "release_dates" or "release-dates-table-test-only" in e.classes())
        ),
        None,
    )
    if table is None:
        return
    releases = []
    for row in (e for e in table.iter() if e.tag == "tr"):
        cells = [c for c in row.children if isinstance(c, Element) and c.tag == "td"]
        if len(cells) < 2:
            continue
        country = clean(cells[0].text())
        date = parse_date(cells[1].text())
        if date is None:
            out.notes.append((row.line, f"release date {cells[1].text()!r} is not a date; not kept"))
            continue
        parts = re.findall(r"\(([^()]*)\)", cells[2].text()) if len(cells) > 2 else []
        note = "; ".join(p.strip() for p in parts if p.strip()) or None
        releases.append(ReleaseDate(date=date, country=country, note=note))
    if releases:
        out.values["release_dates"] = releases
    _read_akas(content, out)


def _read_akas(content: Element, out: SubPageRead) -> None:
    """The release info page's "Also Known As" table: "Bulgaria (Bulgarian title)" | "Наусика…";
    a row whose place is "(original title)" is the film's original title."""
    table = next(
        (
            e
            for e in content.iter()
            if e.tag == "table" and (e.attrs.get("id") == "akas" or "akas-table-test-only" in e.classes())
        ),
        None,
    )
    if table is None:
        return
    titles = []
    for row in (e for e in table.iter() if e.tag == "tr"):
        cells = [c for c in row.children if isinstance(c, Element) and c.tag == "td"]
        title = clean(cells[-1].text()) if len(cells) >= 2 else None
        if not title:
            continue
        where = " ".join(cells[0].text().split())
        notes = [n.strip() for n in re.findall(r"\(([^()]*)\)", where) if n.strip()]
        region = clean(re.sub(r"\([^()]*\)", "", where)) or None
        original = "original title" in notes
        attributes = [n for n in notes if n != "original title"]
        titles.append(AlternateTitle(title=title, region=region, attributes=attributes, is_original=original))
    if titles:
        out.values["alternate_titles"] = titles


# Full credits departments Marquee keeps, by heading, as IMDb's crew categories.
_CREW = {
    "produced by": "producer",
    "music by": "composer",
    "original music by": "composer",
    "cinematography by": "cinematographer",
    "film editing by": "editor",
    "casting by": "casting_director",
    "production design by": "production_designer",
}


def _read_credits(content: Element, out: SubPageRead) -> None:
    """Directors, writers, cast (with characters and credited-as names) and the main crew."""
    directors: list[PersonRef] = []
    writers: list[PersonRef] = []
    cast: list[CastMember] = []
    crew: list[CrewMember] = []
    heading: str | None = None
    for element in content.iter():
        if element.tag == "h4":
            heading = " ".join(element.text().replace("\u00a0", " ").split()).casefold()
            heading = re.sub(r"\s*\(.*$", "", heading)
        elif element.tag == "table" and "cast_list" in element.classes():
            cast.extend(_cast_rows(element))
        elif element.tag == "table" and "simpleCreditsTable" in element.classes() and heading:
            people = _credit_rows(element)
            if heading.startswith("direct"):
                directors.extend(PersonRef(name=n, id=i) for n, i, _ in people)
            elif heading.startswith("writ"):
                writers.extend(PersonRef(name=n, id=i) for n, i, _ in people)
            elif heading in _CREW:
                crew.extend(CrewMember(name=n, id=i, category=_CREW[heading], job=j) for n, i, j in people)
    found: dict[str, list[Any]] = {"directors": directors, "writers": writers, "cast": cast, "crew": crew}
    out.values.update((name, entries) for name, entries in found.items() if entries)
    if crew:
        out.partial.add("crew")


def _person_link(cell: Element) -> Element | None:
    return next((a for a in cell.iter() if a.tag == "a" and imdb_id(a.attrs.get("href"), "name")), None)


def _credit_rows(table: Element) -> list[tuple[str, str | None, str | None]]:
    people = []
    for row in (e for e in table.iter() if e.tag == "tr"):
        cell = next((c for c in row.iter() if c.tag == "td" and "name" in c.classes()), None)
        link = _person_link(cell) if cell is not None else None
        name = clean(link.text()) if link is not None else None
        if not name or link is None:
            continue
        credit = next((c for c in row.iter() if c.tag == "td" and "credit" in c.classes()), None)
        job = clean(credit.text().strip("() ")) if credit is not None else None
        person_id = imdb_id(link.attrs.get("href"), "name")
        people.append((name, person_id if person_id and person_id.startswith("nm") else None, job))
    return people


def _cast_rows(table: Element) -> list[CastMember]:
    cast = []
    for row in (e for e in table.iter() if e.tag == "tr"):
        cells = [c for c in row.children if isinstance(c, Element) and c.tag == "td"]
        actor = next((c for c in cells if c.attrs.get("itemprop") == "actor"), None)
        if actor is None:
            actor = next((c for c in cells if "primary_photo" not in c.classes() and _person_link(c)), None)
        link = _person_link(actor) if actor is not None else None
        name = clean(link.text()) if link is not None else None
        if not name or link is None:
            continue  # "Rest of cast listed alphabetically:" and other label rows
        role = next((c for c in cells if "character" in c.classes()), None)
        character, credited = None, None
        if role is not None:
            text = " ".join(role.text().split())
            as_name = re.search(r"\(as ([^)]+)\)", text)
            credited = clean(as_name.group(1)) if as_name else None
            character = clean(ROLE_NOTES.sub("", text).strip(" /"))
        person_id = imdb_id(link.attrs.get("href"), "name")
        cast.append(
            CastMember(
                name=name,
                character=character,
                credited_as=credited,
                id=person_id if person_id and person_id.startswith("nm") else None,
            )
        )
    return cast


def _read_plot(content: Element, out: SubPageRead) -> None:
    """The first plot summary (``p.plotSummary`` or the first item of the summaries list)."""
    for element in content.iter():
        classes = element.classes()
        if element.tag == "p" and ("plotSummary" in classes or "plotsummary" in classes):
            text = clean(element.text())
        elif element.tag == "li" and "ipl-zebra-list__item" in classes and element.parent is not None:
            if element.parent.attrs.get("id") == "plot-synopsis-content":
                continue
            body = _child(element, "p")
            text = clean(body.text()) if body is not None else None
        else:
            continue
        if text:
            out.values["plot"] = re.sub(r"\s*(?:[-—]\s*)?Written by\b.*$", "", text).strip() or text
            return


def _read_technical(content: Element, out: SubPageRead) -> None:
    """The Runtime row: "3 hr 14 min (194 min)", "120 min (USA) | 131 min (director's cut)"."""
    for row in (e for e in content.iter() if e.tag == "tr"):
        cells = [c for c in row.children if isinstance(c, Element) and c.tag == "td"]
        if len(cells) < 2 or cells[0].text().strip().casefold() != "runtime":
            continue
        runtimes = []
        for part in cells[1].text().split("|"):
            minutes = re.findall(r"(\d+)\s*min\b", part)
            if not minutes:
                continue
            notes = [n for n in re.findall(r"\(([^()]*)\)", part) if not re.fullmatch(r"\s*\d+\s*min\s*", n)]
            runtimes.append(Runtime(minutes=int(minutes[-1]), note="; ".join(notes) or None))
        if runtimes:
            out.values["runtimes"] = runtimes
        return


READERS: dict[str, Callable[[Element, SubPageRead], None]] = {
    "releaseinfo": _read_releases,
    "locations": _read_locations,
    "fullcredits": _read_credits,
    "taglines": _read_texts("taglines"),
    "trivia": _read_texts("trivia"),
    "goofs": _read_goofs,
    "quotes": _read_quotes,
    "plotsummary": _read_plot,
    "technical": _read_technical,
}
