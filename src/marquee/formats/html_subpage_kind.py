"""Which IMDb sub-page a saved page is (``releaseinfo``, ``trivia``…), and which film's.

Evidence, strongest first: the page's address (``<link rel=canonical>``, ``og:url``, the saved file's
``<base href>`` or "saved from url" mark), then its ``<title>`` ("The Matrix (1999) - Trivia - IMDb") and
its heading. The film's id comes from the page only (its address, ``pageId``, the header's link back to
the title, or sub-page links that all name one title). Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import clean, imdb_id

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
