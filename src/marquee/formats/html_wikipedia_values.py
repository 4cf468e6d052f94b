"""What a Wikipedia infobox row says: its label's meaning, its items, the dates, runtimes and money in them.

An infobox row is a label (``<th scope="row">Directed by</th>``) and a cell. A cell holds one value, a list
(``<div class="plainlist"><ul><li>…``, ``hlist``, or names separated by ``<br>``), or dates and money as
the page prints them. Footnote markers (``<sup class="reference">[1]</sup>``, a bare ``[a]``) and text the
page hides (``display:none``: the machine-readable copy of a date) are no part of a value; "(uncredited)"
is a note on a credit, not a name. Labels are read in English and, where the same infobox exists there, in
German, French and Spanish (``LABELS``: the one table). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import clean, parse_date

__all__ = [
    "LABELS",
    "NOT_KEPT",
    "SERIES_LABELS",
    "Money",
    "cell_items",
    "is_hidden",
    "label_key",
    "money",
    "person_name",
    "release_of",
    "runtime_of",
    "shown_parts",
    "strip_footnotes",
]

# A row's label (folded: lower case, no accents, spaces tidied) -> what it is: a Film field, or
# "crew:<category>" (IMDb's category names), "year", "original_title".
LABELS: dict[str, str] = {
    # English
    "directed by": "directors", "written by": "writers", "screenplay by": "writers", "story by": "writers",
    "teleplay by": "writers", "produced by": "crew:producer", "starring": "stars",
    "music by": "crew:composer",
    "cinematography": "crew:cinematographer", "edited by": "crew:editor", "running time": "runtimes",
    "country": "countries", "countries": "countries", "language": "languages", "languages": "languages",
    "budget": "budget", "box office": "gross", "release date": "release_dates",
    "release dates": "release_dates",
    "released": "release_dates", "chinese": "original_title", "traditional chinese": "original_title",
    "simplified chinese": "original_title", "japanese": "original_title", "korean": "original_title",
    # German (Infobox Film)
    "originaltitel": "original_title", "regie": "directors", "drehbuch": "writers",
    "produktion": "crew:producer", "musik": "crew:composer", "kamera": "crew:cinematographer",
    "schnitt": "crew:editor", "besetzung": "stars", "lange": "runtimes", "produktionsland": "countries",
    "originalsprache": "languages", "erscheinungsjahr": "year",
    # French (Infobox Cinéma (film))
    "titre original": "original_title", "realisation": "directors", "scenario": "writers",
    "musique": "crew:composer", "acteurs principaux": "stars", "pays d'origine": "countries",
    "langue originale": "languages", "duree": "runtimes", "sortie": "year",
    # Spanish (Ficha de película)
    "titulo original": "original_title", "direccion": "directors", "guion": "writers",
    "produccion": "crew:producer",
    "musica": "crew:composer", "fotografia": "crew:cinematographer", "montaje": "crew:editor",
    "protagonistas": "stars", "pais": "countries", "idioma": "languages", "idiomas": "languages",
    "duracion": "runtimes", "presupuesto": "budget", "recaudacion": "gross", "estreno": "release_dates",
}  # fmt: skip
# Labels a film's infobox shows whose values have no place in a film record: reported, not kept.
NOT_KEPT: dict[str, str] = {
    "based on": "source material", "narrated by": "narrator", "production company": "production company",
    "production companies": "production companies", "distributed by": "distributor",
    "societe de production": "production company", "distribution": "distributor",
    "produktionsunternehmen": "production company", "verleih": "distributor", "basado en": "source material",
    "productora": "production company", "distribucion": "distributor", "genre": "genre",
}  # fmt: skip
# Labels only a television series' infobox shows (English; German, French, Spanish).
SERIES_LABELS = frozenset(
    {"no. of episodes", "no. of seasons", "no. of series", "original network", "first shown in",
     "created by", "original release", "episodenzahl", "staffeln", "nb. de saisons", "nb. d'episodes",
     "cadena original", "n.º de episodios", "temporadas"}
)  # fmt: skip

_FOOTNOTE = re.compile(r"\[\s*(?:\d+|[a-z]|note \d+|nb \d+|citation needed|[a-z ]{1,20} \d+)\s*\]", re.I)
_UNCREDITED = re.compile(r"\s*\((?:uncredited|non crédité|no acreditado|nicht im abspann)\)", re.I)
_TRAILING_NOTE = re.compile(r"\s*\(([^()]{1,80})\)\s*$")
_MINUTES = re.compile(r"(\d{1,4})\s*(?:minutes|minute|mins?\.?|minuten|minutos)\b", re.I)
_CURRENCIES = (  # longest first: "US$" before "$"
    ("US$", "USD"), ("CN¥", "CNY"), ("JP¥", "JPY"), ("HK$", "HKD"), ("CA$", "CAD"), ("C$", "CAD"),
    ("A$", "AUD"), ("AU$", "AUD"), ("NZ$", "NZD"), ("R$", "BRL"), ("RMB", "CNY"), ("$", "USD"),
    ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("₩", "KRW"), ("元", "CNY"),
)  # fmt: skip
_AMOUNT = re.compile(
    r"(?P<cur>US\$|CN¥|JP¥|HK\$|CA\$|C\$|AU?\$|NZ\$|R\$|RMB|\$|€|£|₹|₩|¥)\s?"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<scale>million|billion|thousand|crore|lakh)\b)?"
    r"(?P<range>\s*[-–—]\s*\$?\d)?",
    re.I,
)
_SCALES = {"thousand": 10**3, "lakh": 10**5, "million": 10**6, "crore": 10**7, "billion": 10**9}


@dataclass(frozen=True)
class Money:
    """An amount as the page states it: whole units, its ISO currency, and whether the page rounded it."""

    amount: int
    currency: str
    rounded: bool
    shown: str


def label_key(text: str) -> str:
    """A label folded for the table: ``"Production\\ncompany "`` -> ``"production company"``."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_FOOTNOTE.sub("", plain).replace("\u00a0", " ").split()).rstrip(" :")


def is_hidden(element: Element) -> bool:
    """A footnote marker, or text the page does not show."""
    if element.tag == "sup" and "reference" in element.classes():
        return True
    style = element.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or element.tag in ("script", "style")


def shown_parts(element: Element) -> list[str]:
    """The visible text of an element, cut at each ``<br>``: one string per line, footnotes dropped."""
    parts: list[list[str]] = [[]]
    stack: list[Element | str] = list(reversed(element.children))
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts[-1].append(node)
        elif node.tag == "br":
            parts.append([])
        elif not is_hidden(node):
            stack.extend(reversed(node.children))
    lines = (clean(strip_footnotes("".join(p))) for p in parts)
    return [line for line in lines if line]


def strip_footnotes(text: str) -> str:
    """Text without its footnote markers: ``"$2.187 billion[7]"`` -> ``"$2.187 billion"``."""
    return _FOOTNOTE.sub("", text)


def cell_items(cell: Element) -> list[str]:
    """A cell's entries: a plainlist's or hlist's items, else its ``<br>``-separated lines."""
    items = [e for e in cell.iter() if e.tag == "li" and "mw-empty-elt" not in e.classes()]
    if items:
        return [" ".join(parts) for li in items if (parts := shown_parts(li))]
    return shown_parts(cell)


def person_name(item: str) -> tuple[str, str | None]:
    """A credited name and the note after it: ``"Tom (uncredited)"`` -> ``("Tom", "uncredited")``."""
    note = _UNCREDITED.search(item)
    name = _UNCREDITED.sub("", item)
    trailing = _TRAILING_NOTE.search(name)
    if trailing:
        name = name[: trailing.start()]
    why = note.group(0).strip(" ()") if note else (trailing.group(1) if trailing else None)
    return name.strip(" ,;"), why


def runtime_of(item: str) -> tuple[int, str | None] | None:
    """``"195 minutes"`` -> (195, None); ``"227 minutes (director's cut)"`` -> (227, "director's cut")."""
    match = _MINUTES.search(item)
    if not match:
        return None
    note = _TRAILING_NOTE.search(item[match.end() :])
    return int(match.group(1)), note.group(1) if note else None


def money(text: str) -> tuple[list[Money], list[str]]:
    """The amounts a Budget or Box office cell states, and what in it is no single amount (a range,
    a currency sign that names no one currency)."""
    found: list[Money] = []
    refused: list[str] = []
    for match in _AMOUNT.finditer(text):
        shown = match.group(0).strip()
        code = next((iso for sign, iso in _CURRENCIES if sign.casefold() == match["cur"].casefold()), None)
        if match["range"] or code is None:
            refused.append(shown)
            continue
        try:
            number = Decimal(match["num"].replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern only matches digits
            refused.append(shown)
            continue
        scale = _SCALES.get((match["scale"] or "").lower(), 1)
        found.append(Money(int(number * scale), code, scale > 1, shown))
    return found, refused


def release_of(item: Element | str) -> tuple[str | None, str | None]:
    """(date, the place in brackets after it) of one release line: the hidden ISO copy of the date
    (``<span class="dtstart">1997-12-19</span>``) first, else the date as printed."""
    iso = None
    if isinstance(item, Element):
        iso = next(
            (e.text() for e in item.iter() if e.tag == "span" and {"dtstart", "published"} & e.classes()),
            None,
        )
        text = " ".join(shown_parts(item))
    else:
        text = item
    place = _TRAILING_NOTE.search(text)
    printed = text[: place.start()] if place else text
    date = iso if iso and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", iso.strip()) else parse_date(printed)
    return (date.strip() if date else None), (place.group(1).strip() if place else None)
