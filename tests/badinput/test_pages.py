"""Movie pages (``marquee import page FILE``, ``marquee parse FILE``): hostile pages end cleanly.

Refused pages give one line naming the file as given (and the line, where one exists) and leave
the store unchanged; pages nested absurdly deep are read, in linear time and without recursion.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from marquee.formats.htmlpage import parse_html_page
from support.cli import Marquee

DATA = Path(__file__).parent.parent / "data"
MATRIX = (DATA / "html" / "tt0133093_2023-05-26.html").read_text(encoding="utf-8")
MASK_TEXT = (DATA / "pages" / "mask-1985.txt").read_text(encoding="utf-8")


def _jsonld(body: str) -> str:
    return f'<html><head><script type="application/ld+json">{body}</script></head><body></body></html>'


# name: (file content, line refused or None, words the message holds)
REFUSED: dict[str, tuple[bytes, int | None, str]] = {
    "binary text page": (b"Title: X\nYear: 1985\n\x00\x01\x02", 3, "binary"),
    "NUL at the start of an HTML page": (b"<html>\x00\x00<title>x</title>", None, "binary"),
    "invalid UTF-8 in a text page": (b"Title: X\nYear: 1985\n\nCaf\xe9\n", 4, "not UTF-8"),
    "unsafe id in JSON-LD": (
        _jsonld('{"@type":"Movie","name":"X","url":"/title/..%2F..%2Fetc/"}').encode(), None, "id"
    ),
    "empty file": (b"", None, "not a movie page"),
}  # fmt: skip


@pytest.mark.parametrize("command", [("import", "page"), ("parse",)], ids=["import-page", "parse"])
@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_a_bad_page_is_refused(
    refuse: Callable[..., object], tmp_path: Path, case: str, command: tuple[str, ...]
) -> None:
    content, line, words = REFUSED[case]
    path = tmp_path / "saved" / "page.html"
    path.parent.mkdir()
    path.write_bytes(content)
    refusal = refuse(*command, str(path), names=path, line=line)
    assert words in refusal.message  # type: ignore[attr-defined]


def test_dev_zero_is_refused_unread(refuse: Callable[..., object]) -> None:
    refuse("import", "page", "/dev/zero", names="/dev/zero")


def test_a_page_over_the_size_limit_is_refused(
    refuse: Callable[..., object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("marquee.limits.MAX_FILE_BYTES", 10_000)
    path = tmp_path / "big" / "page.html"
    path.parent.mkdir()
    path.write_text(MATRIX, encoding="utf-8")
    refusal = refuse("import", "page", str(path), names=path)
    assert "MiB" in refusal.message  # type: ignore[attr-defined]


def _deep(n: int) -> str:
    i = MATRIX.index(">", MATRIX.index("<body")) + 1
    return MATRIX[:i] + "<div><span>" * n + "deep" + "</span></div>" * n + MATRIX[i:]


def test_html_nested_50000_deep_is_read_linearly_and_without_recursion() -> None:
    small, large = _deep(5_000), _deep(50_000)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)  # far below the nesting: any recursion over the tree would fail
    try:
        start = time.perf_counter()
        parse_html_page(small, "small.html")
        middle = time.perf_counter()
        result = parse_html_page(large, "large.html")
        end = time.perf_counter()
    finally:
        sys.setrecursionlimit(limit)
    assert result.film.id == "tt0133093" and result.film.title == "The Matrix"
    # Ten times the nesting, well under a hundred times the time (quadratic would be ~100x).
    assert (end - middle) < 30 * max(middle - start, 0.05)
    assert end - middle < 10


@pytest.mark.parametrize("where", ["jsonld", "nextdata"])
def test_json_nested_100000_deep_is_skipped_and_the_page_still_read(where: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    if where == "jsonld":
        tag = '<script type="application/ld+json">'
        page = MATRIX.replace(tag, tag + deep + "</script>" + tag, 1)
    else:
        tag = '<script id="__NEXT_DATA__" type="application/json">'
        page = MATRIX.replace(tag, tag + '{"a":' + deep + '}</script><script type="text/x">', 1)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        result = parse_html_page(page, "deep.html")
    finally:
        sys.setrecursionlimit(limit)
    assert result.film.title == "The Matrix"
    assert any("deeper than 256" in d.message for d in result.diagnostics)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_utf16_and_bom_pages_are_read(tmp_path: Path, encoding: str, runner: Marquee) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(MATRIX.encode(encoding))
    result = runner("parse", str(path))
    assert result.exit_code == 0, result.stderr
    assert '"title": "The Matrix"' in result.stdout


def test_nul_bytes_late_in_an_html_page_are_dropped(tmp_path: Path, runner: Marquee) -> None:
    path = tmp_path / "page.html"
    path.write_text(MATRIX.replace("</body>", "\x00\x00stray\x1b</body>"), encoding="utf-8")
    result = runner("parse", str(path))
    assert result.exit_code == 0, result.stderr
    assert "\\u0000" not in result.stdout


def test_a_text_page_with_100000_character_lines_parses_quickly(tmp_path: Path, runner: Marquee) -> None:
    long_line = "word " * 20_000
    page = MASK_TEXT + "\n\nTrivia\n\n" + long_line + "\n\n" + ("x:" * 50_000) + "\n"
    path = tmp_path / "long.txt"
    path.write_text(page, encoding="utf-8")
    start = time.perf_counter()
    result = runner("parse", str(path))
    assert time.perf_counter() - start < 10
    # Read (or, the review grown past MAX_FIELD_CHARS, refused with its line): never a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 0 or f"{path}:" in result.stderr
