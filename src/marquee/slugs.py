"""Stable slugs for films and people that have no IMDb id."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["film_slug", "slugify"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """``"Amélie Poulain"`` -> ``"amelie-poulain"``; never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    return slug or "untitled"


def film_slug(title: str, year: int | None) -> str:
    """``("Mask", 1985)`` -> ``"mask-1985"``."""
    return slugify(f"{title} {year}" if year is not None else title)
