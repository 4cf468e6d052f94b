"""Whatever the input, parse_page returns a film or raises NotAMoviePage: never another error."""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marquee.errors import NotAMoviePage
from marquee.formats.textpage import PageResult, parse_page

PAGES = Path(__file__).parent / "data" / "pages"
MASK_LINES = (PAGES / "mask-1985.txt").read_text(encoding="utf-8").split("\n")
DIAG = re.compile(r"^page\.txt:\d+: \S")

# Lines that stress the readers: huge numbers, odd labels, half-formed structure.
HOSTILE = st.sampled_from(
    [
        "Release Year: " + "9" * 5000,
        "Rating: 1e999/10 (1 voted)",
        "Rating: 7/0",
        "Rating: 7.0/10 (" + "1" * 5000 + " voted)",
        "Gross: $" + "9" * 5000,
        "Runtime: " + "9" * 5000 + " min",
        "Runtime: | | |",
        "Episode Of: tt1 (season " + "9" * 5000 + ")",
        "Score: 4/" + "9" * 5000,
        "Review Date: 2020-02-30",
        "Release Date: 31 February 1999 (USA)",
        "February 29th, 2001",
        "Cast IDs: a, b, c",
        "ID:",
        "Title:",
        "Kind:",
        "User Review",
        "Did You Know?",
        "Technical Specs",
        "Comments are closed.",
        "No valid json found",
        "xx No valid JSON found yy",
        "Continuity:",
        "Goof:",
        "[",
        "[]",
        "Bob: [unclosed",
        "\\",
        "- x",
        " - ",
        "A - (as )",
        "Also Known As: | region=",
        "Crew: (x)",
        "Box Office: : $1",
        "99 out of 0 stars",
        "1e999 out of 5",
        "\ufeff",
        "\x0c",
        "\u2028",
    ]
)


def check(result: PageResult) -> None:
    film = result.film
    for text in [film.outline, film.plot, *film.trivia, *film.taglines, *film.filming_locations]:
        assert text is None or (text and text == text.strip()), repr(text)
    dumped = json.dumps(film.model_dump(mode="json"), allow_nan=False)
    assert "no valid json found" not in dumped.casefold()
    for diag in result.diagnostics:
        assert DIAG.match(str(diag)), str(diag)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(MASK_LINES), HOSTILE, st.text(max_size=30)), max_size=40))
def test_any_mix_of_lines_parses_or_is_refused(lines: list[str]) -> None:
    try:
        result = parse_page("\n".join(lines), source="page.txt")
    except NotAMoviePage as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    check(result)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_reference_page_with_lines_dropped_or_replaced(data: st.DataObject) -> None:
    lines = list(MASK_LINES)
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(lines) - 1))
        if data.draw(st.booleans()):
            del lines[i]
        else:
            lines[i] = data.draw(st.one_of(HOSTILE, st.text(max_size=40)))
    try:
        result = parse_page("\n".join(lines), source="page.txt")
    except NotAMoviePage:
        return
    check(result)


@given(st.binary(max_size=200))
def test_arbitrary_text_never_crashes(data: bytes) -> None:
    text = data.decode("latin-1")
    with contextlib.suppress(NotAMoviePage):
        check(parse_page(text, source="page.txt"))


def test_hostile_values_become_diagnostics() -> None:
    text = "\n\n".join(
        [
            "Title: Hostile",
            "Release Year: " + "9" * 5000,
            "Rating: 1e999/10 (1 voted)",
            "Gross: $" + "9" * 5000,
            "User Review",
            "Score: 4/" + "9" * 5000,
            "Numbers 1e999 out of 5 and 3 out of " + "9" * 5000,
        ]
    )
    result = parse_page(text, source="page.txt")
    film = result.film
    assert (film.title, film.year, film.rating, film.box_office) == ("Hostile", None, None, [])
    assert film.reviews[0].score is None
    assert [d.line for d in result.diagnostics] == [3, 5, 7, 11]
    assert result.diagnostics[0].message.startswith("Release Year: cannot read")


def test_scraper_message_in_any_case_is_cut_out() -> None:
    page = "Title: X\n\nID: y\n\nNo valid JSON found\n\nA plot NO VALID JSON FOUND here.\n"
    result = parse_page(page, source="page.txt")
    assert result.film.outline == "A plot here."
    assert [str(d) for d in result.diagnostics] == [
        "page.txt:5: could not place line 'No valid JSON found'",
        "page.txt:7: dropped the scraper message 'No valid json found' from the line",
    ]
