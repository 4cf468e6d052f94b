"""Marquee's exception tree, translated to exit codes (CLI) and statuses (web) only at the edges.

MarqueeError
├── InputError          bad input from a user: a file, a row, a field (exit 1, HTTP 4xx)
│   └── NotAMoviePage   the input is not a movie page at all
├── NotFound            no such film or person (exit 2, HTTP 404)
└── StoreError          the database could not be opened or migrated (exit 3, HTTP 500)
"""

from __future__ import annotations

__all__ = ["InputError", "MarqueeError", "NotAMoviePage", "NotFound", "StoreError"]


class MarqueeError(Exception):
    """Base of every error Marquee raises on purpose."""


class InputError(MarqueeError):
    """Bad input; the message names the file, line or field."""


class NotAMoviePage(InputError):
    """The input holds no film."""


class NotFound(MarqueeError):
    """No such film or person."""


class StoreError(MarqueeError):
    """The store could not be opened, migrated or written."""
