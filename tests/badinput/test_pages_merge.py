"""IMDb sub-pages that name no film: refused in one line naming the file and line, nothing stored
(never a stub under an invented id), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "html" / "subpages"
TAGLINES = DATA / "tt0133093_taglines_2016-05-09.html"
TRIVIA = DATA / "tt0133093_trivia_2016-02-26.html"


def _without_ids(source: Path, target: Path) -> int:
    """The page with every tt… id cut out (its address, pageId, header and links); the line of its <title>."""
    html = re.sub(r"tt\d{7,}", "", source.read_text(encoding="utf-8"))
    target.write_text(html, encoding="utf-8")
    return html[: html.index("<title>")].count("\n") + 1


@pytest.mark.parametrize("source", [TAGLINES, TRIVIA], ids=["taglines", "trivia"])
def test_a_sub_page_naming_no_film_is_refused(
    refuse: Callable[..., object], tmp_path: Path, source: Path
) -> None:
    page = tmp_path / "saved pages" / source.name
    page.parent.mkdir()
    line = _without_ids(source, page)
    refusal = refuse("import", "page", str(page), names=page, line=line)
    assert "names no film" in refusal.message  # type: ignore[attr-defined]


def test_one_anonymous_sub_page_among_good_pages_stores_none_of_them(
    refuse: Callable[..., object], tmp_path: Path
) -> None:
    bad = tmp_path / "taglines.html"
    line = _without_ids(TAGLINES, bad)
    refuse("import", "page", str(TRIVIA), str(bad), names=bad, line=line)


def test_a_sub_page_with_an_address_but_no_title_is_refused(
    refuse: Callable[..., object], tmp_path: Path
) -> None:
    page = tmp_path / "bare.html"
    page.write_text(
        '<!DOCTYPE html>\n<html><head>\n<link rel="canonical" href="https://www.imdb.com/title/tt9999999/trivia/">\n'
        "</head><body><p>nothing</p></body></html>\n",
        encoding="utf-8",
    )
    refusal = refuse("import", "page", str(page), names=page, line=3)
    assert "shows no title" in refusal.message  # type: ignore[attr-defined]
