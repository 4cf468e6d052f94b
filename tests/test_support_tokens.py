"""The id strategies of tests/support/tokens.py draw only strings of the patterns they stand for."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from support.tokens import DIGITS, LOWER, LOWER_DIGITS, UPPER, chars, joined, separated, slug

CASES = [
    (joined(st.sampled_from(["tt", "nm"]), chars(DIGITS, 7, 8)), r"(tt|nm)[0-9]{7,8}"),
    (separated(chars(LOWER_DIGITS, 1, 8), "-", 4), r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}"),
    (separated(chars(LOWER, 1, 10), "_", 2), r"[a-z]{1,10}(_[a-z]{1,10})?"),
    (chars(UPPER, 2, 2), r"[A-Z]{2}"),
    (joined("movie/", chars(LOWER_DIGITS + "-", 1, 10)), r"movie/[a-z0-9-]{1,10}"),
    (slug(12), r"[a-z0-9][a-z0-9-]{0,12}"),
]


@pytest.mark.parametrize(("strategy", "pattern"), CASES, ids=[p for _, p in CASES])
def test_every_draw_matches_the_pattern(strategy: st.SearchStrategy[str], pattern: str) -> None:
    @settings(max_examples=30, deadline=None)
    @given(strategy)
    def check(value: str) -> None:
        assert re.fullmatch(pattern, value), value

    check()
