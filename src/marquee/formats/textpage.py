"""The film text page format: ``parse_page`` reads one, ``render_page`` writes one. Pure, no I/O.

The layout is the reference page's (``tests/data/pages/mask-1985.txt``); the grammar and the
normalisation of free text are described in :mod:`marquee.formats.textpage_parse`.
"""

from __future__ import annotations

from marquee.formats.diagnostics import Diagnostic
from marquee.formats.textpage_parse import (
    PageResult,
    normalise_body,
    normalise_text,
    parse_bytes,
    parse_page,
)
from marquee.formats.textpage_render import normalise_film, render_page

__all__ = [
    "Diagnostic",
    "PageResult",
    "normalise_body",
    "normalise_film",
    "normalise_text",
    "parse_bytes",
    "parse_page",
    "render_page",
]
