"""Merging what one page shows into the film already stored, section by section. Pure: no I/O.

A page rarely shows a whole film. IMDb's main title page shows the headline facts (title, year,
rating, genres, directors, the top-billed cast, two trivia items…); each sub-page shows one
section (``/trivia`` every trivia item, ``/releaseinfo`` every release date…) and nothing else.
So a page carries a set of ``Sections``: the ``Film`` fields it shows, and among the list fields
those it shows *whole*. Storing a page changes exactly those fields:

=====================  ===========================================================================
the page's field       what the stored film keeps
=====================  ===========================================================================
not shown              the stored value, untouched (a sub-page never touches title, rating, cast…)
scalar, shown          the page's value (title, year, rating, outline, plot…: the newer page wins)
list, shown whole      the page's list, in the page's order; an entry the stored film also holds is
                       completed from it (ids, credited-as names); stored entries the page no
                       longer lists are dropped: the page is the whole section
list, shown in part    the stored list, in its order: entries the page also shows are completed
                       from it (empty fields only), and the page's other entries are added at the
                       end. Nothing is dropped: a main page showing 3 of 144 trivia items, or the
                       top-billed cast, leaves the other 141 items and the rest of the cast alone
list, shown but empty  the stored list: an empty section never wipes a stored one
=====================  ===========================================================================

A film not stored yet is the page's film as it is (a sub-page's: its id, the title it shows and its
sections). ``id`` is never merged: it is how the stored film is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from marquee.records import Film

__all__ = [
    "ENTRY_KEYS",
    "LIST_FIELDS",
    "Sections",
    "comparable",
    "fill_empty",
    "main_page_sections",
    "merge_film",
    "section_counts",
    "shown_fields",
    "whole_page_sections",
]

LIST_FIELDS = frozenset(name for name, spec in Film.model_fields.items() if spec.default_factory is list)
# Lists a main page always shows whole: its genres line and its "Stars" line are the whole thing.
_MAIN_PAGE_WHOLE = frozenset({"genres", "stars"})
# How entries of a list are recognised as the same entry (an equal ``id`` first, where both have one).
ENTRY_KEYS: dict[str, tuple[str, ...]] = {
    "cast": ("name",),
    "directors": ("name",),
    "writers": ("name",),
    "crew": ("name", "category"),
    "reviews": ("author", "title"),
    "runtimes": ("minutes", "country", "note"),
    "release_dates": ("date", "country", "note"),
    "box_office": ("kind", "country"),
    "goofs": ("text",),
    "alternate_titles": ("title", "region"),
    "quotes": ("lines",),
}
# Keys that must be equal (when the other keys are): a crew member's job differs from category to category.
_REQUIRED = {"crew": ("category",)}


def _is_list(name: str) -> bool:
    return name in LIST_FIELDS


@dataclass(frozen=True, slots=True)
class Sections:
    """What a page carries: ``shown`` Film fields, and ``whole`` the list fields it shows in full.

    ``kind`` names the page (``main``, ``text``, or a sub-page's kind such as ``trivia``); ``layout`` the
    layout family it was read as (``imdb-2022-nextdata``, ``imdb-2010-trivia``: ``formats.html_layout``;
    ``kodi-nfo``…), "" when the reader does not say.
    """

    shown: frozenset[str]
    whole: frozenset[str] = frozenset()
    kind: str = "main"
    layout: str = ""

    def __post_init__(self) -> None:
        unknown = (self.shown | self.whole) - set(Film.model_fields)
        if unknown:
            raise ValueError(f"not Film fields: {sorted(unknown)}")
        if not self.whole <= self.shown:
            raise ValueError("a section shown whole must be shown")
        if not self.whole <= LIST_FIELDS:
            raise ValueError("only list sections can be shown whole")


def shown_fields(film: Film) -> frozenset[str]:
    """The fields a parsed film has a value for: not empty and not the record's default."""
    shown = set()
    for name, spec in Film.model_fields.items():
        if name == "id":
            continue
        value = getattr(film, name)
        if value is None or value == [] or value == "" or value == {}:
            continue  # an empty map (external ids, sources) says nothing either
        if spec.default is not PydanticUndefined and value == spec.default:
            continue  # kind "movie", is_adult False: the record's default, not something the page said
        shown.add(name)
    return frozenset(shown)


def whole_page_sections(film: Film, kind: str = "text") -> Sections:
    """A page that renders every section it has whole (Marquee's text page, a JSON line)."""
    shown = shown_fields(film)
    return Sections(shown=shown, whole=shown & LIST_FIELDS, kind=kind)


def main_page_sections(film: Film, layout: str = "") -> Sections:
    """A site's main title page: headline facts, but most lists only in part (the top-billed cast,
    a few trivia items, one release date). Only its genres and its Stars line are whole."""
    shown = shown_fields(film)
    return Sections(shown=shown, whole=shown & _MAIN_PAGE_WHOLE, kind="main", layout=layout)


def section_counts(film: Film, sections: Sections) -> dict[str, int]:
    """``{field: entries}`` of the page's list sections (1 for a scalar it shows)."""
    counts = {}
    for name in sorted(sections.shown):
        value = getattr(film, name)
        counts[name] = len(value) if isinstance(value, list) else 1
    return counts


def merge_film(stored: Film | None, page: Film, sections: Sections) -> Film:
    """The stored film with the page's sections merged in (see the module's table); pure."""
    if stored is None:
        return page
    if stored.id != page.id:
        raise ValueError(f"cannot merge {page.id!r} into {stored.id!r}")
    update: dict[str, Any] = {}
    for name in sections.shown:
        if name == "id":
            continue
        new = getattr(page, name)
        if not _is_list(name):
            if new is not None:
                update[name] = new
            continue
        if not new:
            continue  # an empty section never wipes a stored one
        old = getattr(stored, name)
        if name in sections.whole:
            update[name] = _replace(name, old, new)
        else:
            update[name] = _union(name, old, new)
    return stored.model_copy(update=update) if update else stored


def _replace(name: str, old: list[Any], new: list[Any]) -> list[Any]:
    """The page's list, each entry completed from the stored entry it matches."""
    merged = []
    free = list(old)
    for item in new:
        index = _find(name, free, item)
        if index is None:
            merged.append(item)
        else:
            merged.append(fill_empty(item, free.pop(index)))
    return _unique(merged)


def _union(name: str, old: list[Any], new: list[Any]) -> list[Any]:
    """The stored list with its entries completed from the page's, and the page's other entries added."""
    merged = list(old)
    for item in new:
        index = _find(name, merged, item)
        if index is None:
            merged.append(item)
        elif isinstance(item, str):
            if _completes(merged[index], item):
                merged[index] = item  # the stored text was cut short ("…") or lacked the page's note
        else:
            merged[index] = fill_empty(merged[index], item)
    return _unique(merged)


def _unique(items: Iterable[Any]) -> list[Any]:
    """Drop exact repeats (a page listing a writer twice for two credits), keeping the first."""
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _find(name: str, items: list[Any], item: Any) -> int | None:
    return next((i for i, have in enumerate(items) if _matches(name, have, item)), None)


def comparable(value: Any) -> Any:
    """A value as entries are compared: text casefolded, spaces collapsed; a list, each item's text."""
    if isinstance(value, str):
        return " ".join(value.casefold().split())
    if isinstance(value, list):
        return tuple(comparable(getattr(v, "text", v)) for v in value)
    return value


_NOTE = re.compile(r"\s*\([^()]*\)$")
_CUT = re.compile(r"\s*(?:\.\.\.|…)$")


def _text_matches(a: str, b: str) -> bool:
    """Equal texts, or one is the other cut short ("…") or without its trailing "(note)"."""
    x, y = comparable(a), comparable(b)
    if x == y:
        return True
    return _completes(a, b) or _completes(b, a)


def _completes(short: str, full: str) -> bool:
    """``full`` is ``short`` made whole: ``short`` cut with an ellipsis, or lacking ``full``'s note."""
    x, y = comparable(short), comparable(full)
    if len(y) <= len(x):
        return False
    stem = _CUT.sub("", x)
    if stem != x and len(stem) >= 20 and y.startswith(stem):
        return True
    return bool(_NOTE.sub("", y) == x)


def _matches(name: str, have: Any, item: Any) -> bool:
    if isinstance(have, str) and isinstance(item, str):
        return _text_matches(have, item)
    if not isinstance(have, BaseModel) or not isinstance(item, BaseModel):
        return bool(have == item)
    for key in _REQUIRED.get(name, ()):
        if comparable(getattr(have, key)) != comparable(getattr(item, key)):
            return False
    have_id, item_id = getattr(have, "id", None), getattr(item, "id", None)
    if have_id and item_id:
        return bool(have_id == item_id)
    known = 0
    for key in ENTRY_KEYS.get(name, ()):
        a, b = getattr(have, key), getattr(item, key)
        if a is None or b is None:
            continue
        if isinstance(a, str) and isinstance(b, str) and key in ("text", "title"):
            if not _text_matches(a, b):
                return False
        elif comparable(a) != comparable(b):
            return False
        known += 1
    return known > 0


def fill_empty(have: Any, other: Any) -> Any:
    """``have`` with its empty fields filled from ``other``, a matching entry of another list (the same
    object when nothing was missing)."""
    if not isinstance(have, BaseModel):
        return have
    update = {}
    for key, spec in type(have).model_fields.items():
        mine, theirs = getattr(have, key), getattr(other, key)
        if _unset(mine, spec.default) and not _unset(theirs, spec.default):
            update[key] = theirs
    return have.model_copy(update=update) if update else have


def _unset(value: Any, default: Any) -> bool:
    """Empty, or the field's default (``is_original=False``): another source may know better."""
    return (
        value is None or value == "" or value == [] or (default is not PydanticUndefined and value == default)
    )
