"""Values of a schema.org node as pages write them: one or a list, text bare or wrapped.

A field may hold one value or a list (``"genre": "Drama"`` or ``["Drama", "Crime"]``), a string or a
``{"@value": …}`` object, with HTML entities inside JSON strings or not; the readers here take every
form alike. JSON-LD and microdata (turned into the same shape) are read through them. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from marquee.formats.html_facts import clean

__all__ = ["JsonObj", "many", "text", "texts", "unique"]

# One schema.org node, as parsed from JSON.
JsonObj = dict[str, Any]


def many(value: Any) -> list[Any]:
    """One value or a list of them, as a list (None -> [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str | None:
    """A string field, entities decoded; a ``{"@value": …}`` or one-item list is unwrapped."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    return clean(value)


def texts(value: Any) -> list[str]:
    """Every string of a one-or-many field, empty ones left out."""
    return [t for t in (text(v) for v in many(value)) if t]


def unique(items: list[str]) -> list[str]:
    """Case-insensitively distinct, first spelling and order kept."""
    kept: dict[str, str] = {}
    for item in items:
        kept.setdefault(item.casefold(), item)
    return list(kept.values())
