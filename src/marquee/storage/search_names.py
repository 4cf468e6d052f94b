"""The rows a title's and a person's names and texts become in the search index, built without I/O.

A title's names are folded and padded (``padded``: a space each side, so a word start is ``" " +
prefix``), distinct, primary first, then original, then alternate titles, at most ``MAX_NAMES``
(``name_rows``); the bulk rebuild (``search_rebuild``) gives the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from marquee.formats.query import fold
from marquee.storage.search_layout import MAX_NAMES

__all__ = ["NameRow", "PersonRow", "TextDoc", "name_rows", "padded"]


@dataclass(frozen=True)
class NameRow:
    """One searchable name of a title: ``name`` folded and padded, ``display`` as written."""

    title_key: int
    n: int
    name: str
    display: str
    source: str  # "primary", "original" or "aka"


@dataclass(frozen=True)
class PersonRow:
    """One searchable person and how known they are."""

    person_key: int
    name: str
    credits: int
    votes: int


@dataclass(frozen=True)
class TextDoc:
    """The full-text fields of one title, folded; several parts are joined by newlines."""

    title_key: int
    outline: str
    plot: str
    taglines: str
    trivia: str
    goofs: str
    quotes: str

    def fields(self) -> dict[str, Any]:
        """Bind parameters for the insert statements."""
        return {
            "title_key": self.title_key,
            "outline": self.outline,
            "plot": self.plot,
            "taglines": self.taglines,
            "trivia": self.trivia,
            "goofs": self.goofs,
            "quotes": self.quotes,
        }


def padded(name: str) -> str:
    """Folded name with a space each side, so a word start is ``" " + prefix``."""
    return f" {fold(name)} "


def name_rows(
    title_key: int, primary: str, original: str | None, akas: Iterable[tuple[str, bool]]
) -> list[NameRow]:
    """Distinct folded names of a title, primary first, then original, then alternate titles."""
    rows: list[NameRow] = []
    seen: set[str] = set()
    candidates = [(primary, "primary")]
    if original:
        candidates.append((original, "original"))
    candidates += [(aka, "original" if is_original else "aka") for aka, is_original in akas]
    for display, source in candidates:
        name = padded(display)
        if name.strip() and name not in seen and len(rows) < MAX_NAMES:
            seen.add(name)
            rows.append(NameRow(title_key, len(rows), name, display, source))
    return rows
