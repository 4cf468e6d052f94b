"""Marquee's exception tree, translated to exit codes (CLI) and statuses (web) only at the edges.

MarqueeError
├── InputError          bad input from a user: a file, a row, a field (exit 1, HTTP 400)
│   └── NotAMoviePage   the input is not a movie page at all
├── NotFound            no such film or person (exit 2, HTTP 404)
└── StoreError          the database could not be opened or migrated (exit 3, HTTP 503)

Each class carries its answer: ``status`` (HTTP) and ``exit_code`` (CLI); a subclass elsewhere
(``FieldError`` 422, ``Forbidden`` 403, ``Conflict`` 409, ``StoreBusy`` 503) sets its own. The edges
read these two attributes and nothing else: one handler per edge (``web/error_pages.py``,
``web/api_common.problem_for``, ``cli_common.errors_to_exit``).
"""

from __future__ import annotations

from typing import ClassVar

__all__ = ["InputError", "MarqueeError", "NotAMoviePage", "NotFound", "StoreError", "http_status"]


class MarqueeError(Exception):
    """Base of every error Marquee raises on purpose."""

    status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1


class InputError(MarqueeError):
    """Bad input; the message names the file, line or field."""

    status = 400


class NotAMoviePage(InputError):
    """The input holds no film."""


class NotFound(MarqueeError):
    """No such film or person."""

    status = 404
    exit_code = 2


class StoreError(MarqueeError):
    """The store could not be opened, migrated or written."""

    status = 503
    exit_code = 3


def http_status(error: BaseException) -> int:
    """The HTTP status an error answers with: its own for Marquee's errors, else 500."""
    return error.status if isinstance(error, MarqueeError) else 500
