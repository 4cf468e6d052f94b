"""Every bound in ``marquee.limits`` has a row in the README's "Limits" table, with its value."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marquee import limits

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
_UNITS = {"KiB": 1024, "MiB": 1024**2, "GiB": 1024**3}


def _row(name: str) -> str:
    row = next((line for line in README.splitlines() if line.startswith(f"| {name} |")), None)
    assert row is not None, f"README's Limits table has no row for {name}"
    return row.split("|")[2].strip()


def _value(written: str) -> object:
    """The README's way of writing a value, read back: `64 MiB`, `200,000`, `2^31 − 1`, `1870–2200`."""
    if match := re.fullmatch(r"(\d+)\s*(KiB|MiB|GiB)", written):
        return int(match[1]) * _UNITS[match[2]]
    if match := re.fullmatch(r"2\^(\d+) − 1", written):
        return 2 ** int(match[1]) - 1
    if match := re.fullmatch(r"(\d+)–(\d+)", written):
        return (int(match[1]), int(match[2]))
    return float(written.replace(",", ""))


@pytest.mark.parametrize("name", limits.__all__)
def test_limit_is_documented_with_its_value(name: str) -> None:
    assert _value(_row(name)) == getattr(limits, name)
