"""IMDb sub-pages (``/title/tt…/trivia``, ``/releaseinfo``, ``/fullcredits``…): which film, which
section, and that section's entries. Pure: no I/O.

A sub-page is recognised by evidence in the page, strongest first: its address (``<link
rel=canonical>``, ``og:url``, the saved file's ``<base href>`` or "saved from url" mark), then its
``<title>`` ("The Matrix (1999) - Trivia - IMDb") and its heading (``<h1 class="header">Trivia</h1>``).
The film's id comes from the page only: the address, ``<meta property="pageId">``, the header's link
back to the title, or the sub-page links that all name one title; a sub-page naming no film is
refused, never stored under an invented id.

Each kind has a reader (``READERS``) for the section it exists for; a kind whose content has no
place in a film record (keywords, awards, soundtrack…) is recognised and carries no section. The
readers know IMDb's 2010–2021 sub-page layout (``div#…_content`` with ``soda`` items, the
``subpage_data`` and ``ipl-zebra`` tables) and take only entries they recognise: navigation, vote
buttons and share links are never read as entries. A new layout or kind is a new reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from marquee.errors import NotAMoviePage
from marquee.formats.diagnostics import Diagnostic
from marquee.formats.html_dom import Element
from marquee.formats.html_facts import ROLE_NOTES, clean, imdb_id, parse_date
from marquee.formats.html_layout import subpage_layout
from marquee.formats.page_merge import Sections
from marquee.formats.textpage_parse import PageResult
from marquee.records import (
    AlternateTitle,
    CastMember,
    CrewMember,
    Film,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    ReleaseDate,
    Runtime,
)

__all__ = ["KINDS", "READERS", "SubPage", "recognise", "subpage_result"]

# kind -> (what IMDb calls the page, the Film fields it is for).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "releaseinfo": ("Release Info", ("release_dates", "alternate_titles")),
    "locations": ("Filming Locations", ("filming_locations",)),
    "fullcredits": ("Full Cast & Crew", ("directors", "writers", "cast", "crew")),
    "taglines": ("Taglines", ("taglines",)),
    "trivia": ("Trivia", ("trivia",)),
    "goofs": ("Goofs", ("goofs",)),
    "quotes": ("Quotes", ("quotes",)),
    "plotsummary": ("Plot Summary", ("plot",)),
    "technical": ("Technical Specifications", ("runtimes",)),
    "reviews": ("User Reviews", ("reviews",)),
    "synopsis": ("Synopsis", ()),
    "keywords": ("Plot Keywords", ()),
    "awards": ("Awards", ()),
    "soundtrack": ("Soundtracks", ()),
    "criticreviews": ("Critic Reviews", ()),
    "externalreviews": ("External Reviews", ()),
    "episodes": ("Episode List", ()),
    "companycredits": ("Company Credits", ()),
    "parentalguide": ("Parents Guide", ()),
    "alternateversions": ("Alternate Versions", ()),
    "movieconnections": ("Connections", ()),
    "crazycredits": ("Crazy Credits", ()),
    "faq": ("FAQ", ()),
    "business": ("Box Office", ()),
    "ratings": ("User Ratings", ()),
    "officialsites": ("Official Sites", ()),
    "externalsites": ("External Sites", ()),
    "mediaindex": ("Photo Gallery", ()),
    "videogallery": ("Video Gallery", ()),
    "news": ("News", ()),
}
# Lists a sub-page of its kind shows only in part: a reviews page is one page of many, and the
# crew of a full credits page is read only for the departments Marquee has a category for.
_PARTIAL = frozenset({"reviews", "crew"})
# Kinds whose "Showing all 144 items" counts the section's own entries (a release info page counts
# its AKAs too, a technical page every spec).
_COUNTED = frozenset({"trivia", "goofs", "quotes", "taglines", "locations"})
# Kinds whose reader looks only for IMDb's own table or class names, so it may search the whole page.
_ANYWHERE = frozenset({"releaseinfo", "plotsummary"})
# Other names of the same page (address segments and headings, casefolded).
_ALIASES = {
    "release dates": "releaseinfo",
    "release information": "releaseinfo",
    "filming & production": "locations",
    "filming and production": "locations",
    "full cast and crew": "fullcredits",
    "full credits": "fullcredits",
    "memorable quotes": "quotes",
    "plot summaries": "plotsummary",
    "plot": "plotsummary",
    "summary": "plotsummary",
    "plot synopsis": "synopsis",
    "technical specs": "technical",
    "reviews": "reviews",
    "keywords": "keywords",
    "soundtrack": "soundtrack",
    "episodes": "episodes",
    "parental guide": "parentalguide",
    "connections": "movieconnections",
    "box office/business": "business",
    "boxoffice": "business",
}
# Views of the title page itself: not sub-pages.
_MAIN_SEGMENTS = frozenset({"", "maindetails", "combined", "reference"})
_URL = re.compile(r"/title/(tt\d{7,})(?:/([A-Za-z_]+))?")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_TITLE_ELEMENT = re.compile(r"^(?P<name>.+?)\s+-\s+(?P<section>[^-]+?)\s+-\s+IMDb\s*$")
_YEAR_NOTE = re.compile(r"\s*\((?P<inner>[^()]*\b(?P<year>\d{4})\b[^()]*)\)\s*$")


@dataclass
class SubPage:
    """What the page says about itself: its kind, its film, and where that was read."""

    kind: str
    line: int
    film_id: str | None = None
    title: str | None = None
    year: int | None = None
    evidence: str = ""


@dataclass
class _Read:
    """A reader's result: values by Film field, fields shown only in part, and notes."""

    values: dict[str, Any] = field(default_factory=dict)
    partial: set[str] = field(default_factory=set)
    notes: list[tuple[int, str]] = field(default_factory=list)


def _kind_of(name: str) -> str | None:
    key = " ".join(name.replace("\u00a0", " ").split()).casefold()
    if key in KINDS:
        return key
    if key in _ALIASES:
        return _ALIASES[key]
    for kind, (label, _fields) in KINDS.items():
        if label.casefold() == key:
            return kind
    return None


def _addresses(root: Element, html: str) -> list[tuple[str, int]]:
    """The page's own addresses, strongest first, with the line each is on."""
    found: list[tuple[str, int]] = []
    for element in root.iter():
        if element.tag == "link" and "canonical" in element.attrs.get("rel", "").lower().split():
            found.append((element.attrs.get("href", ""), element.line))
    for element in root.iter():
        prop = (element.attrs.get("property") or element.attrs.get("name") or "").lower()
        if element.tag == "meta" and prop in ("og:url", "twitter:url"):
            found.append((element.attrs.get("content", ""), element.line))
    for element in root.iter():
        if element.tag == "base" and element.attrs.get("href"):
            found.append((element.attrs["href"], element.line))
    saved = _SAVED_FROM.search(html[:4096])
    if saved:
        found.append((saved.group(1), html[: saved.start()].count("\n") + 1))
    return found


def recognise(root: Element, html: str = "") -> SubPage | None:
    """The sub-page this is, or None for a title page (or a page that is not IMDb's)."""
    for url, line in _addresses(root, html):
        match = _URL.search(url)
        if match is None:
            continue
        segment = (match.group(2) or "").lower()
        if segment in _MAIN_SEGMENTS:
            return None  # the title page's own address: a main page
        kind = _kind_of(segment) or segment
        found = SubPage(kind=kind, line=line, film_id=match.group(1), evidence=f"its address {url}")
        _fill_title(root, found)
        return found
    title = next((e for e in root.iter() if e.tag == "title"), None)
    heading = _header_heading(root)
    page: SubPage | None = None
    if title is not None:
        named = _TITLE_ELEMENT.match(" ".join(title.text().split()))
        if named and (kind := _kind_of(named.group("section"))):
            page = SubPage(kind=kind, line=title.line, evidence=f"its title {title.text()!r}")
    if page is None and heading is not None and (kind := _kind_of(heading.text())):
        page = SubPage(kind=kind, line=heading.line, evidence=f"its heading {heading.text()!r}")
    if page is None:
        return None
    page.film_id = _film_id(root)
    _fill_title(root, page)
    return page


def _header_heading(root: Element) -> Element | None:
    """IMDb's sub-page heading: ``<h1 class="header">`` under the title's header (2010–2021)."""
    for element in root.iter():
        if element.tag == "h1" and "header" in element.classes():
            return element
    return None


def _film_id(root: Element) -> str | None:
    """The film's tt… id from the page itself (never from links to other titles)."""
    for element in root.iter():
        if element.tag == "meta" and element.attrs.get("property") == "pageId":
            found = re.fullmatch(r"tt\d{7,}", element.attrs.get("content", "").strip())
            if found:
                return found.group(0)
    header = _header_link(root)
    if header is not None:
        found_id = imdb_id(header.attrs.get("href"))
        if found_id and found_id.startswith("tt"):
            return found_id
    # Links to the title's own sub-pages ("See also", the quick links) all name the one film.
    named = set()
    for element in root.iter():
        if element.tag == "a":
            match = _URL.search(element.attrs.get("href", ""))
            if match and match.group(2) and _kind_of(match.group(2).lower()):
                named.add(match.group(1))
    return named.pop() if len(named) == 1 else None


def _header_link(root: Element) -> Element | None:
    for element in root.iter():
        if element.tag == "h3" and element.attrs.get("itemprop") == "name":
            return next(
                (a for a in element.iter() if a.tag == "a" and "/title/" in a.attrs.get("href", "")), None
            )
    return None


def _fill_title(root: Element, page: SubPage) -> None:
    """The title and year the page shows: its header (``<h3 itemprop=name>``), else its ``<title>``."""
    header = _header_link(root)
    same = header is not None and (page.film_id is None or imdb_id(header.attrs.get("href")) == page.film_id)
    if header is not None and header.text() and same:
        page.title = clean(header.text())
        block = header.parent
        years = re.findall(r"\b(1[89]\d\d|2\d\d\d)\b", block.text()) if block is not None else []
        page.year = int(years[0]) if years else None
        return
    title = next((e for e in root.iter() if e.tag == "title"), None)
    if title is None:
        return
    named = _TITLE_ELEMENT.match(" ".join(title.text().split()))
    if named is None:
        return
    name = named.group("name")
    year = _YEAR_NOTE.search(name)
    if year:
        name, page.year = name[: year.start()], int(year.group("year"))
    page.title = clean(name)


def _content(root: Element, kind: str) -> Element | None:
    """The element holding the section (``div#trivia_content``, ``div#filming_locations_content``…),
    or None when the page has none: a layout whose section Marquee does not know how to find."""
    for element in root.iter():
        ident = element.attrs.get("id", "")
        if element.tag == "div" and ident.endswith("_content") and kind in ident:
            return element
    return None


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


def _read_texts(name: str) -> Callable[[Element, _Read], None]:
    """Trivia, taglines: the text of each item (``div.sodatext`` where there is one)."""

    def read(content: Element, out: _Read) -> None:
        texts = []
        for soda in _sodas(content):
            body = _child(soda, "div", "sodatext") or soda
            text = clean(body.text())
            if text:
                texts.append(text)
        if texts:
            out.values[name] = texts

    return read


def _read_goofs(content: Element, out: _Read) -> None:
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


def _read_quotes(content: Element, out: _Read) -> None:
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


def _read_locations(content: Element, out: _Read) -> None:
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


def _read_releases(content: Element, out: _Read) -> None:
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


def _read_akas(content: Element, out: _Read) -> None:
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


def _read_credits(content: Element, out: _Read) -> None:
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


def _read_plot(content: Element, out: _Read) -> None:
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


def _read_technical(content: Element, out: _Read) -> None:
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


READERS: dict[str, Callable[[Element, _Read], None]] = {
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


def _shown_total(content: Element) -> int | None:
    """The count the page says it lists ("Showing all 144 items", "1-25 of 144")."""
    for element in content.iter():
        if element.tag == "div" and "desc" in element.classes():
            text = element.text().replace(",", "")
            match = re.search(r"\bof (\d+)\b", text) or re.search(r"\bShowing (?:all )?(\d+)\b", text)
            if match:
                return int(match.group(1))
    return None


def subpage_result(root: Element, html: str, source: str) -> PageResult | None:
    """The sub-page's film (its id, the title it shows, its section) and the sections it carries;
    None when the page is not an IMDb sub-page. Raises ``NotAMoviePage`` when it names no film."""
    page = recognise(root, html)
    if page is None:
        return None
    label = KINDS.get(page.kind, (page.kind, ()))[0]
    if page.film_id is None:
        raise NotAMoviePage(
            f"{source}:{page.line}: an IMDb {label} page that names no film (no tt… id in its address, "
            "header or links); not stored"
        )
    if page.title is None:
        raise NotAMoviePage(f"{source}:{page.line}: an IMDb {label} page of {page.film_id} shows no title")
    fields = KINDS.get(page.kind, ("", ()))[1]
    content = _content(root, page.kind)
    layout = subpage_layout(page.kind, content.attrs.get("id") if content is not None else None)
    if content is None and page.kind in _ANYWHERE:
        content = root  # its reader looks for IMDb's own table and class names only
    read = _Read()
    reader = READERS.get(page.kind)
    if reader is not None and content is not None:
        reader(content, read)
    notes = list(read.notes)
    if reader is not None and content is None:
        notes.append((page.line, f"an IMDb {label} page in a layout Marquee does not read yet; nothing kept"))
    total = _shown_total(content) if content is not None and page.kind in _COUNTED else None
    for name in fields:
        value = read.values.get(name)
        if isinstance(value, list) and total is not None and len(fields) == 1 and len(value) < total:
            read.partial.add(name)
            notes.append(
                (page.line, f"{label}: {len(value)} of the {total} entries the page counts; kept as a part")
            )
    shown = frozenset(read.values)
    whole = frozenset(
        n for n in shown if isinstance(read.values[n], list) and n not in read.partial | _PARTIAL
    )
    film = Film(id=page.film_id, title=page.title, year=page.year, **read.values)
    sections = Sections(shown=shown, whole=whole, kind=page.kind, layout=layout.name)
    # Diagnostics say what the page holds that is not kept; what is kept the import reports itself.
    if not fields:
        notes.append((page.line, f"an IMDb {label} page: nothing on it has a place in a film record"))
    elif not shown and content is not None:
        notes.append((page.line, f"an IMDb {label} page, but no {', '.join(fields)} found on it"))
    notes.insert(0, (page.line, f"{layout.describe()}, recognised by {page.evidence}"))
    diagnostics = [Diagnostic(source, line, message) for line, message in notes]
    return PageResult(film=film, diagnostics=diagnostics, sections=sections)
