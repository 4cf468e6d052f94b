"""Wikidata film data (``marquee import wikidata FILE``): a bad row refused as ``FILE:LINE: field: reason``.

The store is left unchanged. A good row for a stored film comes first (it would fill its countries),
so each refusal also shows that one bad row stops the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

GOOD = b'{"imdb_id": "tt10070612", "wikidata_id": "Q1", "country_of_origin": "France"}\n'
CSV_HEAD = b"film,imdb,countryLabel,duration\nhttp://www.wikidata.org/entity/Q1,tt10070612,France,90\n"

CASES: dict[str, tuple[bytes, int | None, str]] = {
    # name: (file content, line refused (None: the file as a whole), words the message holds)
    "no IMDb id": (GOOD + b'{"wikidata_id": "Q2", "country": "Italy"}\n', 2, "imdb: no IMDb id (P345)"),
    "a person's IMDb id": (GOOD + b'{"imdb_id": "nm0000128"}\n', 2, "imdb: not an IMDb title id"),
    "an unsafe IMDb id": (GOOD + b'{"imdb_id": "tt1/../x"}\n', 2, "imdb: not an IMDb title id"),
    "a property as the item": (
        GOOD + b'{"imdb_id": "tt0000002", "item": "P31"}\n',
        2,
        "item: not a Wikidata",
    ),
    "runtime in words": (
        GOOD + b'{"imdb_id": "tt10070612", "duration": "long"}\n',
        2,
        "runtimes: not a number",
    ),
    "runtime beyond 32 bits": (
        GOOD + b'{"imdb_id": "tt10070612", "duration": 99999999999}\n',
        2,
        "runtimes: minutes: must be ≤",
    ),
    "negative box office": (
        GOOD + b'{"imdb_id": "tt10070612", "box_office": -1, "currency": "USD"}\n',
        2,
        "box_office: must be a number from 0",
    ),
    "NaN box office": (GOOD + b'{"imdb_id": "tt10070612", "box_office": NaN}\n', 2, "NaN"),
    "30 February": (GOOD + b'{"imdb_id": "tt10070612", "release_date": "1985-02-30"}\n', 2, "release_dates"),
    "a date in words": (GOOD + b'{"imdb_id": "tt10070612", "release_date": "soon"}\n', 2, "not a date"),
    "year 0001": (
        GOOD + b'{"imdb_id": "tt10070612", "release_date": "0001-05-01"}\n',
        2,
        "year 1 is outside",
    ),
    "an award year in words": (
        GOOD + b'{"imdb_id": "tt10070612", "award": {"name": "X", "year": "soon"}}\n',
        2,
        "awards: year",
    ),
    "a control character": (
        GOOD + b'{"imdb_id": "tt10070612", "award": "Best\\u0000Film"}\n',
        2,
        "awards: name: holds a control character",
    ),
    "an object for a name": (
        GOOD + b'{"imdb_id": "tt10070612", "language": {"x": 1}}\n',
        2,
        "languages: not a text value",
    ),
    "a JSON array line": (GOOD + b"[1, 2]\n", 2, "not a JSON object"),
    "truncated JSON": (GOOD + b'{"imdb_id": "tt2",\n', 2, "not valid JSON"),
    "duplicate keys": (GOOD + b'{"imdb_id": "tt2", "imdb_id": "tt3"}\n', 2, "duplicate key"),
    "Latin-1 bytes": (GOOD + b'{"imdb_id": "tt2", "label": "caf\xe9"}\n', 2, "not UTF-8"),
    "plain text": (b"these are not films\n", 1, "not JSON, and not CSV with an IMDb id column"),
    "CSV row without an id": (CSV_HEAD + b"http://www.wikidata.org/entity/Q2,,Italy,90\n", 3, "no IMDb id"),
    "CSV runtime in words": (
        CSV_HEAD + b"http://www.wikidata.org/entity/Q2,tt0000002,Italy,long\n",
        3,
        "runtimes",
    ),
    "CSV with too many cells": (CSV_HEAD + b"a,tt2,b,1,extra\n", 3, "5 cells for 4 columns"),
    "SPARQL JSON without bindings": (b'{"head": {"vars": []}, "results": {}}', None, "not a SPARQL result"),
    "SPARQL JSON row without an id": (
        b'{"head": {"vars": ["imdb"]}, "results": {"bindings": ['
        b'{"imdb": {"type": "literal", "value": "tt10070612"}},'
        b' {"countryLabel": {"type": "literal", "value": "France"}}]}}',
        None,
        "result 2: imdb: no IMDb id",
    ),
    "nothing at all": (b"", None, "empty"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_bad_row_is_refused(refuse: Callable[..., object], tmp_path: Path, case: str) -> None:
    content, line, words = CASES[case]
    path = tmp_path / "wikidata" / "films.txt"
    path.parent.mkdir()
    path.write_bytes(content)
    refusal = refuse("import", "wikidata", str(path), names=path, line=line)
    assert words in refusal.message  # type: ignore[attr-defined]


def test_a_dry_run_of_a_bad_file_is_refused_too(refuse: Callable[..., object], tmp_path: Path) -> None:
    path = tmp_path / "in" / "films.jsonl"
    path.parent.mkdir()
    path.write_bytes(GOOD + b'{"label": "no id"}\n')
    refuse("import", "wikidata", str(path), "--dry-run", names=path, line=2)


def test_a_file_beyond_the_limit_is_refused_without_reading_it_whole(
    refuse: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("marquee.limits.MAX_FILE_BYTES", 1000)
    path = tmp_path / "in" / "big.jsonl"
    path.parent.mkdir()
    path.write_bytes(GOOD * 100)
    refusal = refuse("import", "wikidata", str(path), names=path)
    assert "larger than" in refusal.message  # type: ignore[attr-defined]


def test_dev_zero_and_a_folder_are_refused(refuse: Callable[..., object], tmp_path: Path) -> None:
    refuse("import", "wikidata", "/dev/zero", names="/dev/zero")
    refuse("import", "wikidata", str(tmp_path), names=tmp_path)
