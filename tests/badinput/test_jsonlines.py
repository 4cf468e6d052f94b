"""JSON lines (``marquee import json FILE``): each bad line refused as ``FILE:LINE: reason``.

The store is left unchanged. Each case is a file written by the test into a sub-folder (so a
message naming only the basename fails); a good film comes first, so the refusal also shows
that a bad line stops the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support.cli import Marquee

GOOD = b'{"id":"tt9000001","title":"Good"}\n'


def film(**fields: str) -> bytes:
    body = ",".join(['"id":"tt9000002"', '"title":"Bad"', *(f'"{k}":{v}' for k, v in fields.items())])
    return ("{" + body + "}\n").encode()


CASES: dict[str, tuple[bytes, int, str]] = {
    # name: (file content, line refused, words the message holds)
    "negative votes": (GOOD + film(rating='{"value":7,"votes":-1}'), 2, "rating.votes: must be ≥ 0"),
    "votes beyond 64 bits": (
        GOOD + film(rating='{"value":7,"votes":9223372036854775808}'),
        2,
        "rating.votes",
    ),
    "a 5000-digit number": (GOOD + film(year="9" * 5000), 2, "year"),
    "negative runtime": (GOOD + film(runtimes='[{"minutes":-5}]'), 2, "runtimes.0.minutes: must be ≥ 0"),
    "negative box office": (
        GOOD + film(box_office='[{"kind":"gross","amount":-1}]'),
        2,
        "box_office.0.amount",
    ),
    "NaN literal": (GOOD + film(rating='{"value":NaN}'), 2, "NaN"),
    "Infinity literal": (GOOD + film(rating='{"value":Infinity}'), 2, "Infinity"),
    "overflowing float": (GOOD + film(rating='{"value":1e999}'), 2, "rating.value: must be a finite number"),
    "rating above scale": (GOOD + film(rating='{"value":11,"scale":10}'), 2, "above the scale"),
    "score NaN in a review": (GOOD + film(reviews='[{"score":{"value":-Infinity}}]'), 2, "Infinity"),
    "year 99999": (GOOD + film(year="99999"), 2, "year: must be ≤ 2200"),
    "year 0": (GOOD + film(year="0"), 2, "year: must be ≥ 1870"),
    "end before start": (GOOD + film(year="2000", end_year="1990"), 2, "end_year"),
    "release date year 0001": (
        GOOD + film(release_dates='[{"date":"0001-01-01"}]'),
        2,
        "release_dates.0.date",
    ),
    "release date 30 February": (GOOD + film(release_dates='[{"date":"1985-02-30"}]'), 2, "release_dates.0"),
    "id ../x": (GOOD + b'{"id":"../x","title":"x"}\n', 2, "id: not a safe id"),
    "id javascript:": (GOOD + b'{"id":"javascript:alert(1)","title":"x"}\n', 2, "id: not a safe id"),
    "id with a slash": (GOOD + b'{"id":"tt1/2","title":"x"}\n', 2, "id: not a safe id"),
    "id with a backslash": (GOOD + b'{"id":"tt1\\\\x","title":"x"}\n', 2, "id: not a safe id"),
    "id with a space": (GOOD + b'{"id":"tt 1","title":"x"}\n', 2, "id: not a safe id"),
    "id with percent": (GOOD + b'{"id":"tt%2e1","title":"x"}\n', 2, "id: not a safe id"),
    "id with ? and #": (GOOD + b'{"id":"tt1?a#b","title":"x"}\n', 2, "id: not a safe id"),
    "empty id": (GOOD + b'{"id":"","title":"x"}\n', 2, "id: not a safe id"),
    "id of 200 characters": (GOOD + b'{"id":"' + b"a" * 200 + b'","title":"x"}\n', 2, "id"),
    "id with a newline": (GOOD + b'{"id":"tt1\\n","title":"x"}\n', 2, "id"),
    "person id ../x": (GOOD + film(cast='[{"name":"A","id":"../x"}]'), 2, "cast.0.id"),
    "series id unsafe": (GOOD + film(episode_of='{"series_id":"a/b"}'), 2, "episode_of.series_id"),
    "NUL in a title": (GOOD + b'{"id":"tt2","title":"a\\u0000b"}\n', 2, "title: holds a control character"),
    "escape in a name": (GOOD + film(directors='[{"name":"A\\u001b[31m"}]'), 2, "directors.0.name"),
    "text too long": (GOOD + film(plot='"' + "x" * 200_001 + '"'), 2, "plot: longer than 200,000"),
    "lone surrogate": (GOOD + film(plot='"\\ud800"'), 2, "plot"),
    "duplicate keys": (GOOD + b'{"id":"tt2","title":"a","title":"b"}\n', 2, "duplicate key 'title'"),
    "top-level array": (GOOD + b"[1, 2]\n", 2, "not an array"),
    "top-level string": (GOOD + b'"film"\n', 2, "a JSON object"),
    "top-level null": (GOOD + b"null\n", 2, "a JSON object"),
    "nested 100,000 deep": (
        GOOD + b'{"id":"tt2","title":"x","genres":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
        2,
        "nested deeper than 256",
    ),
    "objects nested deep": (GOOD + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"\n", 2, "nested deeper"),
    "Latin-1 bytes": (GOOD + b'{"id":"tt2","title":"caf\xe9"}\n', 2, "not UTF-8"),
    "invalid UTF-8 on line 3": (
        GOOD + GOOD.replace(b"01", b"03") + b'{"id":"tt2","title":"\xff\xfe"}\n',
        3,
        "not UTF-8",
    ),
    "truncated JSON": (GOOD + b'{"id":"tt2","title":\n', 2, "not valid JSON"),
    "good film then bad one": (GOOD + film(year='"soon"'), 2, "year"),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_bad_line_is_refused(refuse: Callable[..., object], tmp_path: Path, case: str) -> None:
    content, line, words = CASES[case]
    path = tmp_path / "exports" / "films.jsonl"
    path.parent.mkdir()
    path.write_bytes(content)
    refusal = refuse("import", "json", str(path), names=path, line=line)
    assert words in refusal.message  # type: ignore[attr-defined]


def test_a_line_beyond_the_limit_is_refused_without_reading_it_whole(
    refuse: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("marquee.services.jsonlines.MAX_LINE_BYTES", 1000)
    path = tmp_path / "in" / "long.jsonl"
    path.parent.mkdir()
    path.write_bytes(GOOD + b'{"id":"tt2","title":"' + b"x" * 5000 + b'"}\n')
    refuse("import", "json", str(path), names=path, line=2)


def test_dev_zero_is_refused(refuse: Callable[..., object]) -> None:
    refuse("import", "json", "/dev/zero", names="/dev/zero", line=1)


def test_a_folder_is_refused(refuse: Callable[..., object], tmp_path: Path) -> None:
    refuse("import", "json", str(tmp_path), names=tmp_path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_bom_files_are_decoded(
    filled_db_url: str, tmp_path: Path, encoding: str, runner: Marquee
) -> None:
    from marquee.storage import open_store

    path = tmp_path / "films.jsonl"
    path.write_bytes(
        '{"id":"tt9000001","title":"Amélie 🎠"}\n{"id":"tt9000002","title":"B"}\n'.encode(encoding)
    )
    result = runner("--db", filled_db_url, "import", "json", str(path))
    assert result.exit_code == 0, result.stderr
    store = open_store(filled_db_url)
    try:
        film = store.get_film("tt9000001")
    finally:
        store.close()
    assert film is not None and film.title == "Amélie 🎠"
