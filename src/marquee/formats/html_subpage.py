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

Which page it is: ``html_subpage_kind``; the readers: ``html_subpage_read``.
"""

from __future__ import annotations

import re

from marquee.errors import NotAMoviePage
from marquee.formats.diagnostics import Diagnostic
from marquee.formats.html_dom import Element
from marquee.formats.html_layout import subpage_layout
from marquee.formats.html_subpage_kind import KINDS, SubPage, recognise
from marquee.formats.html_subpage_read import READERS, SubPageRead
from marquee.formats.page_merge import Sections
from marquee.formats.textpage_parse import PageResult
from marquee.records import (
    Film,
)

__all__ = ["KINDS", "READERS", "SubPage", "recognise", "subpage_result"]


# Lists a sub-page of its kind shows only in part: a reviews page is one page of many, and the
# crew of a full credits page is read only for the departments Marquee has a category for.
_PARTIAL = frozenset({"reviews", "crew"})


# Kinds whose "Showing all 144 items" counts the section's own entries (a release info page counts
# its AKAs too, a technical page every spec).
_COUNTED = frozenset({"trivia", "goofs", "quotes", "taglines", "locations"})


# Kinds whose reader looks only for IMDb's own table or class names, so it may search the whole page.
_ANYWHERE = frozenset({"releaseinfo", "plotsummary"})


def _content(root: Element, kind: str) -> Element | None:
    """The element holding the section (``div#trivia_content``, ``div#filming_locations_content``…),
    or None when the page has none: a layout whose section Marquee does not know how to find."""
    for element in root.iter():
        ident = element.attrs.get("id", "")
        if element.tag == "div" and ident.endswith("_content") and kind in ident:
            return element
    return None


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
    read = SubPageRead()
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
