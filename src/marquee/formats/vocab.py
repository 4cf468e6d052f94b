"""Known vocabularies the text page parser leans on instead of one page's wording."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "BOX_OFFICE_KINDS",
    "CURRENCY_BY_SYMBOL",
    "GOOF_CATEGORIES",
    "MONTHS",
    "NAME_PARTICLES",
    "NOT_COUNTRIES",
    "SYMBOL_BY_CURRENCY",
    "goof_category",
    "speaker_forms",
    "speaker_vocabulary",
]

# IMDb's goof categories, spelled as IMDb spells them.
GOOF_CATEGORIES: tuple[str, ...] = (
    "Anachronisms",
    "Audio/visual unsynchronized",
    "Boom mic visible",
    "Character error",
    "Continuity",
    "Crew or equipment visible",
    "Errors in geography",
    "Factual errors",
    "Incorrectly regarded as goofs",
    "Miscellaneous",
    "Plot holes",
    "Revealing mistakes",
)
_GOOF_BY_FOLD = {c.casefold(): c for c in GOOF_CATEGORIES}

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Box office labels on the page -> BoxOffice.kind.
BOX_OFFICE_KINDS: dict[str, str] = {
    "Budget": "budget",
    "Opening Weekend": "opening weekend",
    "Gross": "gross",
    "Cumulative Worldwide Gross": "cumulative worldwide gross",
}

CURRENCY_BY_SYMBOL: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP"}
SYMBOL_BY_CURRENCY: dict[str, str] = {v: k for k, v in CURRENCY_BY_SYMBOL.items()}

# Parenthesised notes after an amount that are not countries, e.g. "$15,000,000 (estimated)".
NOT_COUNTRIES: frozenset[str] = frozenset({"estimated"})

# Lower-case words that belong inside names: Ludwig van Beethoven, Oscar de la Hoya.
NAME_PARTICLES: frozenset[str] = frozenset((
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "e", "el",
    "ibn", "la", "le", "van", "von", "y", "zu", "ter",
))  # fmt: skip

# A nickname in quotes inside a name: Roy L.'Rocky' Dennis, Florence "Rusty" Dennis.
_NICKNAME = re.compile(r"""(?:^|(?<=[\s.]))['"‘“]([^'"‘’“”]+)['"’”](?=\s|$)""")
_SPACES = re.compile(r"\s+")


def goof_category(label: str) -> str | None:
    """IMDb's spelling of a goof category, or None when ``label`` is not one."""
    return _GOOF_BY_FOLD.get(label.casefold())


def speaker_forms(name: str) -> set[str]:
    """The ways a quote may name a character: 'Roy L.'Rocky' Dennis' -> also 'Rocky Dennis', 'Rocky'."""
    forms = {name}
    quoted = "'" in name or '"' in name or "‘" in name or "“" in name  # cheap test before the regex
    match = _NICKNAME.search(name) if quoted else None
    if match:
        nick = match.group(1).strip()
        rest = _SPACES.sub(" ", name[: match.start()] + " " + name[match.end() :]).strip()
        forms.add(nick)
        if rest:
            forms.add(rest)
            forms.add(f"{nick} {rest.split(' ')[-1]}")
    words = name.split(" ")
    # A first name alone ("Diana" for Diana Adams) is how quotes often name a character.
    if len(words) > 1 and words[0].isalpha() and len(words[0]) >= 3:
        forms.add(words[0])
    return {f for f in forms if f}


def speaker_vocabulary(names: Iterable[str | None]) -> frozenset[str]:
    """Case-folded speaker forms of the cast's names and characters (characters split on ' / ')."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        for part in name.split(" / "):
            out.update(f.casefold() for f in speaker_forms(part.strip()))
    return frozenset(out)
