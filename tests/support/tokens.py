"""Hypothesis strategies for ids and codes, built piece by piece instead of with ``st.from_regex``.

Each strategy draws exactly the strings of one regular expression (named beside it where used), but
a draw is a few text draws over a fixed alphabet: ``from_regex`` walks the parsed pattern on every
draw, which made ids a visible share of the property tests' generation time. Checked against the
patterns in tests/test_support_tokens.py.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

DIGITS = string.digits
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
LOWER_DIGITS = LOWER + DIGITS


def chars(alphabet: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """``[alphabet]{min_size,max_size}``."""
    return st.text(alphabet, min_size=min_size, max_size=max_size)


def joined(*parts: st.SearchStrategy[str] | str) -> st.SearchStrategy[str]:
    """The concatenation of the parts (a plain string is a literal)."""
    return st.tuples(*(st.just(p) if isinstance(p, str) else p for p in parts)).map("".join)


def separated(segment: st.SearchStrategy[str], sep: str, max_count: int) -> st.SearchStrategy[str]:
    """``segment(sep segment){0,max_count-1}``."""
    return st.lists(segment, min_size=1, max_size=max_count).map(sep.join)


def slug(max_rest: int) -> st.SearchStrategy[str]:
    """``[a-z0-9][a-z0-9-]{0,max_rest}``."""
    return joined(chars(LOWER_DIGITS, 1, 1), chars(LOWER_DIGITS + "-", 0, max_rest))
