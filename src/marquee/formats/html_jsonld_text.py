"""JSON-LD blocks as sites write them, read into Python values. Pure: no I/O.

Lenient where real pages need it: raw newlines inside strings, the wrappers sites put around the
JSON (Letterboxd's ``/* <![CDATA[ */ … /* ]]> */``, HTML comments, a trailing ``;``), commas before
``}`` or ``]``, and a key written more than once. Metacritic's 2017 film pages write every actor as
its own ``"actor"`` key of one object (``,"actor" : {…} ,"actor" : {…}``); Python's ``json`` would keep
the last one only, so a repeated key's values are gathered, in order, into a list.
"""

from __future__ import annotations

import json
import re
from typing import Any

from marquee.formats.jsontext import bounded_int

__all__ = ["load_block"]

# What sites wrap JSON-LD in or leave behind: "/* <![CDATA[ */ … /* ]]> */" (Letterboxd),
# HTML comments, a trailing ";", commas before "}" or "]".
_WRAPPERS = re.compile(
    r"^\s*(?:/\*.*?\*/|<!\[CDATA\[|<!--|//[^\n]*\n)|(?:/\*.*?\*/|\]\]>|-->|;)\s*$", re.DOTALL
)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def _gathered(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose repeated keys keep every value: ``{"actor": [first, second]}``."""
    found: dict[str, Any] = {}
    repeated: set[str] = set()
    for key, value in pairs:
        if key not in found:
            found[key] = value
            continue
        if key not in repeated:
            repeated.add(key)
            first = found[key]
            found[key] = list(first) if isinstance(first, list) else [first]
        found[key].extend(value if isinstance(value, list) else [value])
    return found


def _loads(text: str) -> Any:
    # strict=False: raw newlines inside strings
    return json.loads(text, strict=False, parse_int=bounded_int, object_pairs_hook=_gathered)


def load_block(text: str) -> tuple[Any, bool]:
    """(value, repaired) of one block: repaired is True when wrappers or trailing commas were removed.

    Raises ``json.JSONDecodeError`` (the first error, on the text as written) when no repair reads it.
    """
    try:
        return _loads(text), False
    except json.JSONDecodeError as err:
        first = err
    previous = None
    while previous != text:
        previous, text = text, _WRAPPERS.sub("", text.strip())
    for candidate in (text, _TRAILING_COMMA.sub(r"\1", text)):
        try:
            return _loads(candidate), True
        except json.JSONDecodeError:
            continue
    raise first
