"""Wikipedia's film articles: the facts of the film's infobox, its IMDb and Wikidata ids, the lead as outline.

A saved article is known by its own address (``<link rel="canonical" href="https://en.wikipedia.org/wiki/
Titanic_(1997_film)">``, ``og:url``) or, without one, by MediaWiki's markup (``mw-parser-output``) under a
``<title>`` ending "- Wikipedia". A film's article has an infobox (``<table class="infobox vevent">``)
whose rows are read by their label (``html_wikipedia_values.LABELS``)::

    <tr><th class="summary" colspan="2">Titanic</th></tr> …
    <tr><th scope="row">Directed by</th><td><a href="/wiki/James_Cameron">James Cameron</a></td></tr>
    <tr><th scope="row">Release date</th><td><div class="plainlist"><ul><li>December 19, 1997
        <span style="display:none">(<span class="dtstart">1997-12-19</span>)</span> (United States)</li>…
    <tr><th scope="row">Box office</th><td>$2.187 billion<sup class="reference">[7]</sup></td></tr>

The film's IMDb id is the article's "<title> on IMDb" external link, its Wikidata id the "Wikidata item"
link of the tools menu. The lead's first paragraph is kept as the outline only when it says what the film
is ("Titanic is a 1997 American epic romance and disaster film…"). The article's Cast section is the
film's cast (``html_wikipedia_cast``); the infobox's "Starring" stays the film's stars. Money is kept as
the page rounds it ("$2.187 billion" is 2,187,000,000 US dollars), with a diagnostic saying so. An
article whose infobox is a television series' (episodes, seasons, an original network), a person's, or
none at all (lists, disambiguation pages) is no film's page: the reason is returned, in one line. Pure: no
I/O.
"""

from __future__ import annotations

import re

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts
from marquee.formats.html_layout import Layout
from marquee.formats.html_wikipedia_cast import cast_section
from marquee.formats.html_wikipedia_values import (
    LABELS,
    NOT_KEPT,
    SERIES_LABELS,
    cell_items,
    label_key,
    money,
    person_name,
    release_of,
    runtime_of,
    shown_parts,
)
from marquee.formats.vocab_places import country_name, is_country
from marquee.records import BoxOffice, CrewMember, PersonRef, ReleaseDate, Runtime

__all__ = ["SOURCE", "wikipedia_facts"]

SOURCE = "Wikipedia"
_HOST = re.compile(r"^(?:https?:)?//(?P<lang>[a-z][a-z-]{1,11})\.(?:m\.)?wikipedia\.org(?::\d+)?/", re.I)
_TITLE_SUFFIX = re.compile(r"\s[-–—]\s(?:Wikipedia|Wikipédia)\s*$")
_PERSON_LABELS = frozenset({"born", "died", "occupation", "years active", "spouse(s)", "geboren", "naissance",
                            "nacimiento"})  # fmt: skip
# Rows that make an infobox a film's: it must show at least two of these.
_FILM_FIELDS = frozenset({"directors", "runtimes", "release_dates", "stars", "year"})
_IMDB_TITLE = re.compile(r"imdb\.com/title/(tt\d{7,})/?$")
_WIKIDATA = re.compile(r"(?:wikidata\.org/wiki/(?:Special:EntityPage/)?|\"wgWikibaseItemId\":\")(Q\d+)")
_HEADING_YEAR = re.compile(r"\((\d{4})\b[^()]*\bfilm\)\s*$")
_LEAD_IS_FILM = re.compile(r"\b(?:is|was) an?\b[^.]{0,160}?\bfilm\b", re.I)


def wikipedia_facts(root: Element) -> tuple[Facts, Layout] | str | None:
    """A Wikipedia film article's facts and layout; why the article is no film's; None if not Wikipedia's."""
    lang = _language(root)
    if lang is None:
        return None
    box = next((e for e in root.iter() if e.tag == "table" and "infobox" in e.classes()), None)
    if box is None:
        return _without_infobox(root)
    rows = _rows(box)
    labels = [label for label, _ in rows]
    series = [label for label in labels if label_key(label) in SERIES_LABELS]
    if series:
        return f"a Wikipedia article on a television series (its infobox shows {', '.join(series[:3])})"
    person = [label for label in labels if label_key(label) in _PERSON_LABELS]
    if person:
        return f"a Wikipedia article on a person (its infobox shows {', '.join(person[:3])})"
    film_rows = [label for label in labels if LABELS.get(label_key(label)) in _FILM_FIELDS]
    if len(film_rows) < 2:
        shown = ", ".join(labels[:4]) or "no labelled rows"
        return f"a Wikipedia article whose infobox is no film's ({shown})"
    kind = "infobox vevent" if "vevent" in box.classes() else "infobox"
    evidence = f"Wikipedia's {kind} ({', '.join(film_rows[:3])})"
    facts = Facts(SOURCE, box.line, evidence=evidence)
    facts.put("title", _title(root, box))
    _read_rows(rows, facts, localized=lang != "en")
    _put_year(root, facts)
    _put_ids(root, facts)
    body = next((e for e in root.iter() if "mw-parser-output" in e.classes()), None)
    facts.put("outline", _outline(body, facts.values.get("title")))
    facts.put("cast", cast_section(body, lang) if body is not None else [])
    name = "wikipedia-infobox" if lang == "en" else f"wikipedia-infobox+{lang}"
    return facts, Layout(name, evidence)


def _language(root: Element) -> str | None:
    """The wiki's language (``en``) by the page's address; by MediaWiki's markup and a "- Wikipedia"
    ``<title>`` when it has none; None for any other site's page."""
    titled = marked = False
    lang = "en"
    for element in root.iter():
        attrs = element.attrs
        if element.tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            match = _HOST.match(attrs.get("href", "").strip())
            if match:
                return match["lang"].lower()
        elif element.tag == "meta" and (attrs.get("property") or attrs.get("name")) == "og:url":
            match = _HOST.match(attrs.get("content", "").strip())
            if match:
                return match["lang"].lower()
        elif element.tag == "html" and attrs.get("lang"):
            lang = attrs["lang"].split("-")[0].lower()
        elif element.tag == "title":
            titled = bool(_TITLE_SUFFIX.search(element.text()))
        elif element.tag == "body" and not titled:
            return None  # the head named no Wikipedia address or title: the body need not be walked
        marked = marked or "mw-parser-output" in element.classes()
    return lang if titled and marked else None


def _without_infobox(root: Element) -> str:
    """Why an article with no infobox is no film's: a disambiguation page, a list, or no facts at all."""
    heading = _heading(root)
    if any(e.attrs.get("id") == "disambigbox" or "dmbox" in e.classes() for e in root.iter()):
        return f"a Wikipedia disambiguation page ({heading or 'no heading'}), no film's article"
    if heading and re.match(r"(?i)(?:list|liste|lista) (?:of|des?|de)\b", heading):
        return f"a Wikipedia list ({heading}), no film's article"
    return f"a Wikipedia article with no infobox ({heading or 'no heading'}): no film's facts to read"


def _heading(root: Element) -> str | None:
    first = next((e for e in root.iter() if e.tag == "h1" and e.attrs.get("id") == "firstHeading"), None)
    return first.text() if first is not None else None


def _rows(box: Element) -> list[tuple[str, Element]]:
    """The infobox's (label, cell) rows, in order: a ``<th>`` label, or a ``<td>`` one (German Wikipedia's
    film infobox) when it is a label the tables know."""
    rows = []
    for row in box.iter():
        if row.tag != "tr":
            continue
        cells = [c for c in row.children if isinstance(c, Element) and c.tag in ("th", "td")]
        if len(cells) != 2 or cells[1].tag != "td":
            continue
        label = " ".join(shown_parts(cells[0]))
        if label and (cells[0].tag == "th" or _known(label_key(label))):
            rows.append((label, cells[1]))
    return rows


def _known(key: str) -> bool:
    return key in LABELS or key in NOT_KEPT or key in SERIES_LABELS or key in _PERSON_LABELS


def _title(root: Element, box: Element) -> str | None:
    """The infobox's heading (``th.summary``), else the article's heading without "(1997 film)"."""
    top = next((e for e in box.iter() if e.tag in ("th", "caption") and "summary" in e.classes()), None)
    if top is None:
        top = next((e for e in box.iter() if e.tag == "caption"), None)
    if top is not None and (text := " ".join(shown_parts(top))):
        return text
    heading = _heading(root)
    return re.sub(r"\s*\([^()]*\bfilm\)\s*$", "", heading) if heading else None


def _read_rows(rows: list[tuple[str, Element]], facts: Facts, localized: bool) -> None:
    """Each row into the Film field its label names; rows with no place are reported."""
    unknown = []
    for label, cell in rows:
        key = label_key(label)
        target = LABELS.get(key)
        if target is None:
            if key in NOT_KEPT:
                facts.ignored.append(f"{label} ({NOT_KEPT[key]})")
            else:
                unknown.append(label)
            continue
        if localized:
            facts.localized.append(label)
        _read_row(target, label, cell, facts)
    if unknown:
        facts.note(f"{SOURCE}: infobox rows not read: {', '.join(map(repr, unknown))}")


def _read_row(target: str, label: str, cell: Element, facts: Facts) -> None:
    items = cell_items(cell)
    if target in ("directors", "writers"):
        have = facts.values.get(target, [])
        known = {p.name for p in have}
        people = [PersonRef(name=n) for n, _ in map(person_name, items) if n and n not in known]
        facts.put(target, have + list({p.name: p for p in people}.values()))
    elif target == "stars":
        facts.put("stars", list(dict.fromkeys(n for n, _ in map(person_name, items) if n)))
    elif target.startswith("crew:"):
        category = target.removeprefix("crew:")
        crew = [CrewMember(name=n, category=category) for n, _ in map(person_name, items) if n]
        facts.put("crew", facts.values.get("crew", []) + crew)
    elif target in ("countries", "languages"):
        names = [part.strip() for item in items for part in re.split(r"\s*[,/]\s*", item) if part.strip()]
        facts.put(target, names)
    elif target == "runtimes":
        facts.put("runtimes", [Runtime(minutes=r[0], note=r[1]) for r in map(runtime_of, items) if r])
    elif target in ("budget", "gross"):
        _put_money(target, label, " ".join(shown_parts(cell)), facts)
    elif target == "release_dates":
        _put_releases(cell, facts)
    elif target == "year":
        year = re.search(r"\b(1[89]\d\d|2\d{3})\b", " ".join(items))
        if year and "year" not in facts.values:
            facts.put("year", int(year.group(1)))
    elif target == "original_title" and items and "original_title" not in facts.values:
        facts.put("original_title", items[0])


def _put_money(kind: str, label: str, text: str, facts: Facts) -> None:
    """Budget and Box office as amounts with their currency, as rounded as the page states them."""
    amounts, refused = money(text)
    for shown in refused:
        facts.note(f"{SOURCE}: {label} {shown!r} is no single amount in a known currency; not kept")
    have = facts.values.get("box_office", [])
    for amount in amounts:
        have.append(BoxOffice(kind=kind, amount=amount.amount, currency=amount.currency))
        if amount.rounded:
            facts.note(f"{SOURCE}: {label} {amount.shown!r} kept as {amount.amount} {amount.currency}, "
                       "rounded as the page states it")  # fmt: skip
    facts.put("box_office", have)


def _put_releases(cell: Element, facts: Facts) -> None:
    """Release dates, each with its country when the bracket after it names one ("(United States)");
    another place in brackets ("(Tokyo)": a festival's city) is the release's note."""
    lines: list[Element | str] = [e for e in cell.iter() if e.tag == "li" and shown_parts(e)]
    if not lines:
        lines = list(shown_parts(cell))
    releases = []
    for line in lines:
        date, place = release_of(line)
        if date is None:
            shown = " ".join(shown_parts(line)) if isinstance(line, Element) else line
            facts.note(f"{SOURCE}: release {shown!r} has no date; not kept")
            continue
        country = country_name(place) if place and is_country(place) else None
        releases.append(ReleaseDate(date=date, country=country, note=None if country else place))
    facts.put("release_dates", releases)


def _put_year(root: Element, facts: Facts) -> None:
    """The year of the first release; else the article's heading's "(1997 film)"."""
    if "year" in facts.values:
        return
    years = [int(r.date[:4]) for r in facts.values.get("release_dates", []) if r.date]
    if years:
        facts.put("year", min(years))
        return
    heading = _HEADING_YEAR.search(_heading(root) or "")
    if heading:
        facts.put("year", int(heading.group(1)))


def _put_ids(root: Element, facts: Facts) -> None:
    """The IMDb id of the "… on IMDb" external link and the Wikidata id of the "Wikidata item" link."""
    imdb: list[str] = []
    wikidata = None
    for element in root.iter():
        if element.tag == "a":
            match = _IMDB_TITLE.search(element.attrs.get("href", ""))
            parent = element.parent
            if match and parent is not None and parent.tag == "li" and " on IMDb" in parent.text():
                imdb.append(match.group(1))
        elif element.tag == "li" and element.attrs.get("id") == "t-wikibase" and wikidata is None:
            link = next((a.attrs.get("href", "") for a in element.iter() if a.tag == "a"), "")
            found = _WIKIDATA.search(link)
            wikidata = found.group(1) if found else None
        elif element.tag == "script" and wikidata is None:
            found = _WIKIDATA.search(element.raw_text())
            wikidata = found.group(1) if found else None
    if imdb:
        facts.put("id", imdb[0])
        if len(set(imdb)) > 1:
            facts.note(f"{SOURCE}: the external links name several IMDb titles ({', '.join(imdb)}); kept one")
    if wikidata:
        facts.put("external_ids", {"wikidata": wikidata})


def _outline(body: Element | None, title: object) -> str | None:
    """The lead's first paragraph, when it says what the film is ("Titanic is a 1997 … film …")."""
    if body is None or not isinstance(title, str):
        return None
    for child in body.children:
        if not isinstance(child, Element):
            continue
        if child.tag in ("h2", "h3"):
            return None
        if child.tag == "p" and (text := " ".join(" ".join(shown_parts(child)).split("\n"))):
            first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
            starts = text.casefold().startswith(title.casefold())
            return text if starts and _LEAD_IS_FILM.search(first) else None
    return None
