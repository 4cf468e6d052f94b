"""Which layout family a film page is, by the evidence in the page; a name the film's sources record.

A saved page is read by every reader (JSON-LD, ``__NEXT_DATA__``, microdata, Open Graph, the visible text
sections, the ``<title>``) and their facts are merged (``htmlpage``). The layout says which family of
pages it was read as, from what the page itself shows, strongest first:

=======================  ==============================================================================
name                     evidence
=======================  ==============================================================================
``imdb-2022-nextdata``   IMDb's React page whose ``__NEXT_DATA__`` holds the title (2022 on)
``imdb-2021-react``      IMDb's React page (``hero-title-block``) whose ``__NEXT_DATA__`` holds no title
``imdb-2017-jsonld``     IMDb's ``title-overview-widget`` with JSON-LD (2017–2020)
``imdb-2010-overview``   IMDb's ``overview-top`` / ``title-overview-widget``, microdata at most (2010–16)
``imdb-2006-tn15``       IMDb's ``tn15`` layout (2006–2010)
``imdb-2005-legacy``     IMDb's table layout with ``class="ch"`` labels (before 2006)
``<site>-<source>``      another film site (``letterboxd-jsonld``, ``rottentomatoes-opengraph``…), or an
                         unknown one (``page-jsonld``, ``page-microdata``, ``page-text``…), by the
                         strongest reader that found the film; IMDb pages of no known family likewise
``imdb-<era>-<kind>``    an IMDb sub-page (``imdb-2010-trivia``: its ``div#trivia_content``;
                         ``imdb-releaseinfo`` when its section is found by IMDb's table and class names)
=======================  ==============================================================================

A page whose sections were read through the localized vocabulary (``Regie``, ``Réalisation``…) gets the
page's language after a ``+`` (``imdb-2010-overview+de``; ``+localized`` when the page names none). The other
families whose signs the page also shows are the losers; they are reported in the diagnostics. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts

__all__ = ["Layout", "detect_layout", "subpage_layout"]


@dataclass(frozen=True)
class Layout:
    """A page's layout family: its ``name`` (``imdb-2022-nextdata``), the ``evidence`` it was chosen by,
    and ``losers``: the other families whose signs the page shows, each with its evidence."""

    name: str
    evidence: str
    losers: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        """One diagnostic line: ``read as imdb-2022-nextdata (…); also seen: …``."""
        text = f"read as {self.name} ({self.evidence})"
        if self.losers:
            text += "; also seen, not chosen: " + ", ".join(f"{n} ({e})" for n, e in self.losers)
        return text


# IMDb's markers, by id, class or data-testid prefix, each the sign of one family.
_MARKERS = (
    ("hero", re.compile(r"^(?:hero-title-block|hero__)")),
    ("overview", re.compile(r"^(?:title-overview-widget|overview-top)$")),
    ("tn15", re.compile(r"^tn15(?:content|title|main)?$")),
    ("legacy", re.compile(r"^(?:ch|blackcatheader)$")),
    ("reference", re.compile(r"^titlereference-header$")),
)
_SOURCE_NAMES = {
    "__NEXT_DATA__": "nextdata",
    "JSON-LD": "jsonld",
    "microdata": "microdata",
    "Open Graph": "opengraph",
    "text sections": "text",
    "HTML title": "title",
}
_GENERIC_ORDER = {
    name: rank
    for rank, name in enumerate(
        ("__NEXT_DATA__", "JSON-LD", "microdata", "text sections", "Open Graph", "HTML title")
    )
}
_IMDB_HOST = re.compile(r"(?:^|[/.])imdb\.com(?:[:/]|$)", re.IGNORECASE)


def _markers(root: Element) -> tuple[dict[str, str], str | None, bool]:
    """IMDb's family markers found (family -> the marker), the page's language, and whether it names
    IMDb as its site (its address, ``og:site_name``)."""
    found: dict[str, str] = {}
    lang: str | None = None
    imdb = False
    for element in root.iter():
        attrs = element.attrs
        if element.tag == "html" and attrs.get("lang"):
            lang = lang or attrs["lang"]
        elif element.tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("http-equiv") or "").lower()
            content = attrs.get("content", "")
            if key in ("og:locale", "content-language") and content:
                lang = lang or content
            elif key == "og:site_name":
                imdb = imdb or content.strip().lower() == "imdb"
            elif key == "og:url":
                imdb = imdb or bool(_IMDB_HOST.search(content))
        elif element.tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            imdb = imdb or bool(_IMDB_HOST.search(attrs.get("href", "")))
        names = [attrs.get("id", ""), attrs.get("data-testid", ""), *attrs.get("class", "").split()]
        for family, pattern in _MARKERS:
            if family not in found:
                marker = next((n for n in names if n and pattern.match(n)), None)
                if marker is not None:
                    found[family] = marker
    return found, lang, imdb


def _language(lang: str | None) -> str | None:
    """``de`` from ``de-DE`` or ``de_DE``; None for English or nothing."""
    if not lang:
        return None
    primary = re.split(r"[-_]", lang.strip().lower())[0]
    return None if primary in ("", "en") or not primary.isalpha() else primary


def detect_layout(root: Element, sources: list[Facts], site_key: str | None = None) -> Layout:
    """The layout family of a film's main page, from its markers and the readers that found the film."""
    markers, lang, names_imdb = _markers(root)
    strong = {f.source: f.evidence for f in sources if f.evidence}
    film_id = next((f.values["id"] for f in sources if isinstance(f.values.get("id"), str)), "")
    candidates: list[tuple[str, str]] = []  # every family whose signs the page shows, strongest first
    if "__NEXT_DATA__" in strong:
        candidates.append(("imdb-2022-nextdata", str(strong["__NEXT_DATA__"])))
    if "hero" in markers:
        candidates.append(("imdb-2021-react", f"IMDb's {markers['hero']}"))
    if "overview" in markers:
        if "JSON-LD" in strong:
            why = f"IMDb's {markers['overview']}, JSON-LD {strong['JSON-LD']}"
            candidates.append(("imdb-2017-jsonld", why))
        candidates.append(("imdb-2010-overview", f"IMDb's {markers['overview']}"))
    if "tn15" in markers:
        candidates.append(("imdb-2006-tn15", f"IMDb's {markers['tn15']}"))
    if "reference" in markers:
        candidates.append(("imdb-2017-reference", f"IMDb's reference view, div.{markers['reference']}"))
    if "legacy" in markers and "text sections" in strong:
        candidates.append(("imdb-2005-legacy", f"IMDb's class={markers['legacy']!r} labels"))
    imdb = names_imdb or film_id.startswith("tt") or bool(markers)
    owner = site_key.replace("_", "") if site_key else ("imdb" if imdb else "page")
    # Whichever reader found the film: a family of its own on other sites, a fallback on IMDb's.
    # Open Graph only says "a film" and its title: the text sections, when they found the film, are the
    # layout that was read.
    ranked = sorted(strong.items(), key=lambda item: _GENERIC_ORDER.get(item[0], len(_GENERIC_ORDER)))
    # A site's own reader (TMDB's header, Metacritic's credits tables) is the "markup" family.
    generic = [(f"{owner}-{_SOURCE_NAMES.get(s, 'markup')}", str(e)) for s, e in ranked]
    if site_key:
        candidates = generic + [(n, e) for n, e in candidates if not n.startswith("imdb-")]
    else:
        candidates += generic
    name, evidence = candidates[0] if candidates else (f"{owner}-unknown", "nothing read")
    localized = sorted({label for f in sources for label in f.localized})
    if localized:
        name += "+" + (_language(lang) or "localized")
        evidence += ", localized headings " + ", ".join(repr(label) for label in localized[:4])
    seen = {name.split("+")[0]}
    losers = []
    for other, why in candidates[1:]:
        if other not in seen and why != candidates[0][1]:  # not the chosen family's own reader again
            seen.add(other)
            losers.append((other, why))
    return Layout(name, evidence, tuple(losers))


def subpage_layout(kind: str, content_id: str | None) -> Layout:
    """An IMDb sub-page's layout: the 2010–2021 one when its section is in ``div#<kind>_content``."""
    if content_id:
        return Layout(f"imdb-2010-{kind}", f"IMDb's div#{content_id}")
    return Layout(f"imdb-{kind}", "IMDb's own table and class names")
