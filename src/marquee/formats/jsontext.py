"""JSON text read within bounds (pure, no I/O): nesting depth, numbers, duplicate keys, NaN.

Python's ``json`` recurses once per nested array or object (100,000 ``[`` end in RecursionError
or worse), accepts ``NaN`` and ``Infinity`` (not JSON), reads integers of any length and lets a
repeated key silently replace the first. ``loads`` refuses each of these with a ``JsonProblem``
that names the line of the text it happened on; the depth is checked before parsing, by a
linear scan that skips strings, so no nesting ever reaches the parser.
"""

from __future__ import annotations

import json
import re
from typing import Any

from marquee.limits import MAX_INT, MAX_NESTING

__all__ = ["JsonProblem", "bounded_int", "loads", "too_deep"]

# A string (escapes included) or one bracket; anything else between them is skipped.
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
# Integers longer than this are beyond 64 bits whatever their digits (2**63 has 19).
_INT_DIGITS = 20


class JsonProblem(ValueError):
    """JSON text refused: ``reason`` in words, ``line`` (1-based) within the text."""

    def __init__(self, reason: str, line: int = 1) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def too_deep(text: str, limit: int = MAX_NESTING) -> int | None:
    """The character offset where arrays/objects nest deeper than ``limit``, or None (linear time)."""
    if text.count("[") + text.count("{") <= limit:
        return None  # cannot nest deeper than it has brackets: the common case, at C speed
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return match.start()
        elif token in ("]", "}"):
            depth -= 1
    return None


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _refuse_constant(name: str) -> Any:
    raise JsonProblem(f"{name} is not a JSON number")


def bounded_int(digits: str) -> int:
    """``json``'s ``parse_int``: a literal beyond 20 digits becomes just beyond 64 bits (never slow)."""
    # A huge literal becomes a value just beyond 64 bits: the record's rule names the field.
    if len(digits.lstrip("-")) > _INT_DIGITS:
        return -(MAX_INT + 2) if digits.startswith("-") else MAX_INT + 1
    return int(digits)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise JsonProblem(f"duplicate key {key!r}")
            seen.add(key)
    return found


def loads(text: str, *, strict: bool = True, max_depth: int = MAX_NESTING) -> Any:
    """Parse JSON text; ``strict`` also refuses duplicate keys, NaN/Infinity and raw control characters.

    Integers beyond 64 bits come back as ``MAX_INT + 1`` (or its negative), so the record that
    reads them refuses them by name; a ``JsonProblem`` says what else is wrong, and on which line.
    """
    deep = too_deep(text, max_depth)
    if deep is not None:
        raise JsonProblem(f"arrays/objects nested deeper than {max_depth}", _line_at(text, deep))
    try:
        if strict:
            return json.loads(
                text,
                object_pairs_hook=_unique_keys,
                parse_constant=_refuse_constant,
                parse_int=bounded_int,
            )
        return json.loads(text, strict=False, parse_int=bounded_int)
    except json.JSONDecodeError as err:
        raise JsonProblem(f"not valid JSON ({err.msg} at column {err.colno})", err.lineno) from None
    except RecursionError:  # pragma: no cover - too_deep keeps nesting far below the interpreter's limit
        raise JsonProblem(f"arrays/objects nested deeper than {max_depth}") from None
