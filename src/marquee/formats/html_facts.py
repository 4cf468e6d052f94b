"""What one source inside an HTML page says about a film, and the small readers they share.

Each reader (JSON-LD, ``__NEXT_DATA__``, microdata, Open Graph, text sections) fills a
``Facts``: values keyed by ``Film`` field name, already in record types, plus notes on
what it could not read. ``marquee.formats.htmlpage`` merges them into one ``Film``.
Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from marquee.formats.vocab import genre_name

__all__ = [
    "ROLE_NOTES",
    "Facts",
    "clean",
    "imdb_id",
    "iso_minutes",
    "parse_count",
    "parse_date",
    "parse_number",
    "partial_date",
    "strip_tags",
    "tidy_genres",
]

# Notes IMDb writes after a character's name: about the credit, not the character. A series' cast adds
# the episodes ("Rick Grimes (99 episodes, 2010-2017)") and cuts a long list of characters with " / ...".
ROLE_NOTES = re.compile(
    r"\s*\((?:uncredited|voice|archive footage|credit only|scenes deleted|unconfirmed|as [^)]*|"
    r"\d+ episodes?(?:,\s*\d{4}(?:\s*[-–]\s*\d{4})?)?)\)|\s*/\s*(?:\.\.\.|…)(?=\s*(?:\(|$))",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\r\f\v]+")
_TAGS = re.compile(r"<[^>]*>")
_TITLE_ID = re.compile(r"\btt\d{7,}\b")
_NAME_ID = re.compile(r"\bnm\d{7,}\b")
# Marquee's own pages link films as /title/<id> and people as /person/<id> (ids may be slugs).
_TITLE_PATH = re.compile(r"/title/([^/?#\s]+)")
_PERSON_PATH = re.compile(r"/(?:person|name)/([^/?#\s]+)")
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


@dataclass
class Facts:
    """The facts one source gave: ``values`` by Film field, and ``notes`` (line, problem)."""

    source: str
    line: int
    values: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)
    # Why this source counts as evidence of a film (e.g. "@type Movie"); None = weak source.
    evidence: str | None = None
    # Keys the source held that have no place in a film record (reported, not kept).
    ignored: list[str] = field(default_factory=list)
    # Fields this source only implies (a year from a release date): other sources' values come first.
    weak: set[str] = field(default_factory=set)
    # Section labels read through the localized vocabulary ("Regie", "Réalisation"): the layout's language.
    localized: list[str] = field(default_factory=list)

    def put(self, name: str, value: Any) -> None:
        """Record a value unless it is empty (None, "", []): nothing found is not a fact."""
        if value is None or value == "" or value == []:
            return
        self.values[name] = value

    def note(self, message: str, line: int | None = None) -> None:
        """Record something the source held but that could not be read."""
        self.notes.append((self.line if line is None else line, message))


def clean(value: object) -> str | None:
    """A string with HTML entities decoded (IMDb writes ``&apos;`` inside JSON) and spaces tidied."""
    if value is None or isinstance(value, dict | list | bool):
        return None
    text = html.unescape(str(value))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    tidy = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", tidy) or None


def strip_tags(markup: str) -> str | None:
    """Text of a small HTML fragment (IMDb's ``plaidHtml``): tags dropped, entities decoded."""
    return clean(_TAGS.sub("", markup.replace("<br/>", "\n").replace("<br>", "\n")))


def parse_number(value: object) -> float | None:
    """``8.7``, ``"8.7"``, ``"1,234"``, ``" 12 168 "`` -> a number; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    if re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # "7,0": a decimal comma, not a thousands separator
    text = re.sub(r"[\s,\u00a0\u202f_]", "", text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # "1e999", "nan": no number a page means


def parse_count(value: object) -> float | None:
    """A count (votes, reviews): ``"2.151"`` and ``"1 234"`` are thousands, not decimals."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+\s*", value):
        return float(re.sub(r"\D", "", value))
    return parse_number(value)


def iso_minutes(value: object) -> int | None:
    """An ISO 8601 duration (``PT2H16M``) or a bare number of minutes -> whole minutes."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _DURATION.match(text)
    if match and text.upper() not in ("P", "PT"):
        parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
        seconds = parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
        return round(seconds / 60)
    minutes = re.fullmatch(r"(\d+)\s*(?:min|mins|minutes)?\.?", text, re.IGNORECASE)
    return int(minutes.group(1)) if minutes else None


def partial_date(value: object) -> str | None:
    """``"1999-03-31"``, ``"1999-03-31T00:00:00Z"``, ``"1999-03"``, ``1999`` -> a partial ISO date."""
    if value is None or isinstance(value, bool):
        return None
    match = re.match(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value))
    if not match:
        return parse_date(str(value))
    return "-".join(part for part in match.groups() if part)


# Month names of IMDb's localized sites (de, fr, es, it, pt, hu), folded to no accents.
for _number, _names in enumerate(
    [
        ("januar", "janvier", "enero", "gennaio", "janeiro", "januar", "janv", "ene", "jan"),
        ("februar", "fevrier", "febrero", "febbraio", "fevereiro", "februar", "fevr", "feb", "febr", "fev"),
        ("marz", "maerz", "mars", "marzo", "marco", "marcius", "mrz", "marc"),
        ("april", "avril", "abril", "aprile", "aprilis", "avr", "abr", "apr"),
        ("mai", "mayo", "maggio", "maio", "majus"),
        ("juni", "juin", "junio", "giugno", "junho", "junius", "giu"),
        ("juli", "juillet", "julio", "luglio", "julho", "julius", "juil", "lug"),
        ("august", "aout", "agosto", "augusztus", "aug"),
        ("september", "septembre", "septiembre", "settembre", "setembro", "szeptember", "sept"),
        ("oktober", "octobre", "octubre", "ottobre", "outubro", "oktober", "okt", "ott"),
        ("november", "novembre", "noviembre", "novembro", "nov"),
        ("dezember", "decembre", "diciembre", "dicembre", "dezembro", "december", "dez", "dic", "dec"),
    ],
    start=1,
):
    for _name in _names:
        _MONTHS.setdefault(_name, _number)
_DATE_FILLERS = frozenset({"de", "del", "of", "the", "le", "la", "di", "em", "el"})


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def parse_date(text: str) -> str | None:
    """Dates as pages print them: ``8 March 1985``, ``March 8, 1985``, ``March 1985``, ``1985``."""
    words = re.findall(r"[^\W\d_]+|\d+", text)
    day = month = year = None
    for word in words:
        low = _fold(word)
        if low in _DATE_FILLERS:
            continue  # "31 de marzo de 1999"
        if low in _MONTHS and month is None:
            month = _MONTHS[low]
        elif word.isdigit() and len(word) == 4 and year is None:
            year = int(word)
        elif word.isdigit() and len(word) <= 2 and day is None:
            day = int(word)
        elif not (low in _MONTHS or word.isdigit()):
            return None  # a word that is no part of a date: not a date
    if year is None:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def imdb_id(url: object, kind: str = "title") -> str | None:
    """The id inside a link: ``/title/tt0133093/`` -> ``tt0133093``; ``/name/nm0000206/`` -> ``nm…``.

    Relative links are fine: only the path matters. Marquee's own links
    (``/title/mask-1985``, ``/person/cher``) give their slug ids.
    """
    if not isinstance(url, str):
        return None
    plain = _TITLE_ID if kind == "title" else _NAME_ID
    found = plain.search(url)
    if found:
        return found.group(0)
    path = (_TITLE_PATH if kind == "title" else _PERSON_PATH).search(url)
    return path.group(1) if path else None


_GENRE_LABEL = re.compile(r"^[^\W\d_][^:\d]{0,30}:\s*")
_GENRE_NAV = re.compile(r"(?i)\s*(?:\(more\)|\bmore\b|see (?:more|all)[^|]*|»)\s*$")
_GENRE_WORD = re.compile(r"^[^\W\d_][^\W\d_ '&-]*(?:[ '&-]+[^\W\d_][^\W\d_'&-]*){0,3}$")


def tidy_genres(values: list[str]) -> tuple[list[str], list[str]]:
    """Genres as IMDb names them, and what was dropped as no genre.

    A label glued to the value ("Genres: Crime | Drama"), navigation ("Romance more"), lists in one
    value ("Action/Adventure", "Crime | Drama") are undone; IMDb's genres (in any of its languages) get
    IMDb's English spelling; other words are kept as the site's genre; anything with digits or a colon
    ("Sep 10", "Directed By:") is no genre."""
    kept: dict[str, str] = {}
    dropped: list[str] = []
    for value in values:
        text = _GENRE_NAV.sub("", _GENRE_LABEL.sub("", value.strip()))
        for part in re.split(r"\s*[|/,·•]\s*", text):
            part = part.strip(" .")
            if not part:
                continue
            name = genre_name(part)
            if (
                name is None
                and _GENRE_WORD.match(part)
                and part.casefold() not in ("more", "see more", "genres")
            ):
                name = part
            if name is None:
                dropped.append(part)
            else:
                kept.setdefault(name.casefold(), name)
    return list(kept.values()), dropped
