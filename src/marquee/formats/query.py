"""Search query parsing, shared by every search path: folding, year extraction, tokens, trigrams.

Pure functions only (no I/O). The same ``fold`` runs on the indexed names and on
what a person types, so ``amelie`` finds Amélie and ``Amélie`` finds Amelie on both
backends without relying on a database's own accent tables.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "LEADING_ARTICLES",
    "STOPWORDS",
    "ParsedQuery",
    "align",
    "edit_distance",
    "fold",
    "parse_query",
    "prefix_upper_bound",
    "text_terms",
    "trigrams",
]

# Letters NFKD leaves alone (no combining mark to strip): fold them the way people type them.
_SPECIAL = str.maketrans(
    {"ø": "o", "æ": "ae", "ß": "ss", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)
_APOSTROPHES = re.compile(r"['’`´]")
# French and Italian elisions (d'Amélie, l'Avventura) are typed as a separate word.
_ELISION = re.compile(r"(?<![0-9a-z])([a-z])['’`´]")
_WORD = re.compile(r"[^\W_]+")  # letters of every script stay: Καρμενσίτα is searchable
# Sequel numbers are typed either way ("Part II", "part 2"); I, V and X alone are too often words.
_ROMAN = {
    "ii": "2",
    "iii": "3",
    "iv": "4",
    "vi": "6",
    "vii": "7",
    "viii": "8",
    "ix": "9",
    "xi": "11",
    "xii": "12",
}
# Years a query may end with: from the first films (1870s).
_YEAR_MIN, _YEAR_MAX = 1870, 2099  # 2099 too: "mask 2008" typed as "2080" is still a year
_TRAILING_YEAR = re.compile(r"^(?P<text>.*?)[\s,\-–]*[(\[]?\s*(?P<year>\d{4})\s*[)\]]?\s*$")

# Leading articles a title is also found without ("godf" finds The Godfather): the search's ranking
# strips them, and so does the quick title lookup a first import builds (``storage.search_prefix``).
LEADING_ARTICLES = (
    "the ",
    "a ",
    "an ",
    "le ",
    "la ",
    "les ",
    "l ",
    "el ",
    "los ",
    "las ",
    "il ",
    "der ",
    "die ",
    "das ",
)

# Words too common to narrow a full-text search (both backends drop them from queries).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "he",
        "her",
        "his",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "she",
        "that",
        "the",
        "their",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation: ``"Amélie (2001)!"`` -> ``"amelie 2001"``."""
    if text.isascii():  # most names: no accents to strip, and lower() is casefold() here
        text = text.lower()
        if "'" in text or "`" in text:
            text = _APOSTROPHES.sub("", _ELISION.sub(r"\1 ", text))
    else:
        text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        # "Schindler's" is typed "schindlers" as often as "schindler s": drop the apostrophe.
        text = _APOSTROPHES.sub("", _ELISION.sub(r"\1 ", text))
    if "&" in text:
        text = text.replace("&", " and ")
    words = _WORD.findall(text)
    if _ROMAN.keys().isdisjoint(words):
        return " ".join(words)
    return " ".join([_ROMAN.get(word, word) for word in words])


@dataclass(frozen=True)
class ParsedQuery:
    """What a person typed, folded; ``text`` lacks the year when one was found."""

    raw: str
    full: str  # the whole query folded, year included ("death race 2000" may be a title)
    text: str  # the query without its year
    year: int | None
    tokens: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when nothing searchable is left."""
        return not self.full


def _split_year(raw: str) -> tuple[str, int | None]:
    """Split a trailing year, "(1985)" or "1985", off a query when something else remains."""
    match = _TRAILING_YEAR.match(raw.strip())
    if match is None:
        return raw, None
    year = int(match.group("year"))
    rest = match.group("text")
    if not (_YEAR_MIN <= year <= _YEAR_MAX) or not fold(rest):
        return raw, None  # "1917" alone is a title, not a year
    return rest, year


def parse_query(raw: str) -> ParsedQuery:
    """Parse a title query: ``"Mask (1985)"`` -> text ``"mask"``, year 1985."""
    rest, year = _split_year(raw)
    full = fold(raw)
    text = fold(rest) if year is not None else full
    return ParsedQuery(raw=raw, full=full, text=text, year=year, tokens=tuple(text.split()))


def text_terms(raw: str) -> list[str]:
    """Folded words of a full-text query, stopwords dropped (unless nothing else is left)."""
    words = fold(raw).split()
    kept = [w for w in words if w not in STOPWORDS]
    return kept or words


def trigrams(folded: str) -> list[str]:
    """Distinct trigrams of `` text ``, padded so short words and word starts count; in order."""
    padded = f" {folded} "
    seen: dict[str, None] = {}
    for i in range(len(padded) - 2):
        seen.setdefault(padded[i : i + 3], None)
    return list(seen)


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (for index range scans)."""
    return prefix + "\U0010ffff"


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours counts 1), capped at ``limit + 1``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        row_min = i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            row_min = min(row_min, value)
        if row_min > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def align(query: str, name: str, starts: Sequence[int], limit: int) -> tuple[int, int]:
    """Edit distances of ``query`` against ``name`` read from one of ``starts``: (to its end, to any point).

    The second is the distance to the closest start of ``name`` (typing is unfinished). Both
    are capped at ``limit + 1``; neighbours swapped count as one edit. One dynamic programming
    pass over ``name`` (Sellers' algorithm with chosen start columns) gives both.
    """
    cap = limit + 1
    allowed = set(starts)
    # Row 0: reading from an allowed start costs nothing; later columns skip name letters.
    previous = [cap] * (len(name) + 1)
    last: int | None = None
    for j in range(len(name) + 1):
        if j in allowed:
            last = j
        if last is not None:
            previous[j] = min(j - last, cap)
    before: list[int] = []
    for i, qc in enumerate(query, 1):
        current = [min(i, cap) if 0 in allowed else cap] + [0] * len(name)
        row_min = current[0]
        for j in range(1, len(name) + 1):
            nc = name[j - 1]
            value = previous[j - 1] + (qc != nc)
            if previous[j] + 1 < value:
                value = previous[j] + 1
            if current[j - 1] + 1 < value:
                value = current[j - 1] + 1
            if i > 1 and j > 1 and qc == name[j - 2] and query[i - 2] == nc and before[j - 2] + 1 < value:
                value = before[j - 2] + 1
            current[j] = value if value < cap else cap
            if value < row_min:
                row_min = value
        if row_min >= cap:
            return cap, cap
        before, previous = previous, current
    return previous[-1], min(previous)
