"""The HTML page parser on real IMDb title pages of 2022–2023 (copies of ../shared/data/html-pages).

Every expected value below was read by hand from the page (its JSON-LD block, its
``__NEXT_DATA__`` script, or its visible text), not from the parser's output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marquee.formats.htmlpage import looks_like_html, parse_html_page
from marquee.records import Film

DATA = Path(__file__).parent / "data" / "html"
SHARED_PAGES = Path(__file__).parents[1].parent / "shared" / "data" / "html-pages"
PAGES = {
    "tt0086425": "tt0086425_2022-10-27.html",
    "tt0088247": "tt0088247_2022-10-27.html",
    "tt0133093": "tt0133093_2023-05-26.html",
    "tt1300570": "tt1300570_2022-10-27.html",
    "tt3303790": "tt3303790_2022-10-27.html",
}
_cache: dict[str, tuple[Film, list[str]]] = {}


def page(tconst: str) -> tuple[Film, list[str]]:
    """The parsed page and its diagnostics as strings (parsed once per test session)."""
    if tconst not in _cache:
        result = parse_html_page((DATA / PAGES[tconst]).read_text(encoding="utf-8"), PAGES[tconst])
        _cache[tconst] = result.film, [str(d) for d in result.diagnostics]
    return _cache[tconst]


def cast_pairs(film: Film, count: int) -> list[tuple[str, str | None]]:
    return [(member.name, member.character) for member in film.cast[:count]]


# (id, title, year, rating value, votes, directors, genres, runtime minutes)
HEADLINES = [
    ("tt0086425", "Terms of Endearment", 1983, 7.4, 60851, ["James L. Brooks"], ["Comedy", "Drama"], 132),
    ("tt0088247", "The Terminator", 1984, 8.1, 860418, ["James Cameron"], ["Action", "Sci-Fi"], 107),
    (
        "tt0133093",
        "The Matrix",
        1999,
        8.7,
        1956171,
        ["Lana Wachowski", "Lilly Wachowski"],
        ["Action", "Sci-Fi"],
        136,
    ),
    ("tt1300570", "Cuckold 1", 2006, None, None, ["Cram Johnson", "Grip Johnson"], ["Adult"], 108),
    ("tt3303790", "Master of None", None, None, None, [], ["Drama"], None),
]


@pytest.mark.parametrize(
    ("tconst", "title", "year", "value", "votes", "directors", "genres", "minutes"),
    HEADLINES,
    ids=[h[0] for h in HEADLINES],
)
def test_headline_facts(
    tconst: str,
    title: str,
    year: int | None,
    value: float | None,
    votes: int | None,
    directors: list[str],
    genres: list[str],
    minutes: int | None,
) -> None:
    film, _ = page(tconst)
    assert film.id == tconst
    assert film.title == title
    assert film.year == year
    if value is None:
        assert film.rating is None
    else:
        assert film.rating is not None
        assert (film.rating.value, film.rating.votes, film.rating.scale) == (value, votes, 10)
    assert [d.name for d in film.directors] == directors
    assert film.genres == genres
    assert [r.minutes for r in film.runtimes] == ([minutes] if minutes else [])


def test_matrix_details() -> None:
    film, diagnostics = page("tt0133093")
    assert film.outline == (
        "When a beautiful stranger leads computer hacker Neo to a forbidding underworld, he discovers the "
        "shocking truth--the life he knows is the elaborate deception of an evil cyber-intelligence."
    )
    assert [(d.name, d.id) for d in film.directors] == [
        ("Lana Wachowski", "nm0905154"),
        ("Lilly Wachowski", "nm0905152"),
    ]
    # The billed cast with characters comes from __NEXT_DATA__ (JSON-LD lists three actors, no characters).
    assert cast_pairs(film, 4) == [
        ("Keanu Reeves", "Neo"),
        ("Laurence Fishburne", "Morpheus"),
        ("Carrie-Anne Moss", "Trinity"),
        ("Hugo Weaving", "Agent Smith"),
    ]
    assert len(film.cast) == 18
    assert film.cast[0].id == "nm0000206"
    gray = next(member for member in film.cast if member.name == "Marc Aden Gray")
    assert (gray.character, gray.credited_as) == ("Choi", "Marc Gray")
    assert [(r.date, r.country) for r in film.release_dates] == [("1999-03-31", "United States")]
    assert [(b.kind, b.amount, b.currency) for b in film.box_office][:2] == [
        ("budget", 63000000, "USD"),
        ("gross", 172076928, "USD"),
    ]
    # IMDb's note on the place is kept with it (it says what was filmed there).
    assert film.filming_locations == [
        "Nashville, Tennessee, USA (exterior scenes: skyline in opening Trinity rooftop chase)"
    ]
    assert film.quotes[0].lines[0].character == "Agent Smith"
    assert film.trivia[0].startswith(
        "To prepare for the scene where Neo wakes up in a pod, Keanu Reeves lost"
    )
    assert film.goofs[0].text.startswith("When Neo opens fire from the helicopter")
    assert film.stars[:3] == ["Keanu Reeves", "Laurence Fishburne", "Carrie-Anne Moss"]
    first = film.reviews[0]
    assert (first.title, first.author, str(first.date)) == ("Benchmark forever.", "suryanmukul", "2020-10-01")
    assert first.score is not None and (first.score.value, first.score.scale) == (10, 10)
    assert "it won't be wrong" in first.body  # &apos; in the JSON-LD, unescaped
    assert any(r.author == "xNecRosex" for r in film.reviews)
    assert any(": JSON-LD gave id, title" in d for d in diagnostics)
    assert any("__NEXT_DATA__ gave" in d and "cast" in d for d in diagnostics)


def test_terms_of_endearment_unescapes_entities_and_reads_writers() -> None:
    film, _ = page("tt0086425")
    assert (
        film.outline == "Follows hard-to-please Aurora looking for love, and her daughter's family problems."
    )
    assert [w.name for w in film.writers] == ["Larry McMurtry", "James L. Brooks"]
    assert cast_pairs(film, 3) == [
        ("Shirley MacLaine", "Aurora Greenway"),
        ("Debra Winger", "Emma Horton"),
        ("Jack Nicholson", "Garrett Breedlove"),
    ]
    assert film.box_office[0].amount == 8000000
    assert film.reviews[0].author == "johngiovannicorda"
    assert film.reviews[0].body.startswith("It's often a strange experience")


def test_terminator_outline_cut_short_in_json_ld_is_completed() -> None:
    film, diagnostics = page("tt0088247")
    assert film.outline is not None
    assert film.outline.endswith("whose unborn son is the key to humanity's future salvation.")
    assert any(
        "outline: JSON-LD cut the text short; the full text is from __NEXT_DATA__" in d for d in diagnostics
    )
    # Billing order is the cast list's (Linda Hamilton before Michael Biehn), not JSON-LD's star order.
    assert cast_pairs(film, 3) == [
        ("Arnold Schwarzenegger", "The Terminator"),
        ("Linda Hamilton", "Sarah Connor"),
        ("Michael Biehn", "Kyle Reese"),
    ]


def test_page_without_plot_leaves_it_empty() -> None:
    film, diagnostics = page("tt1300570")
    assert film.outline is None
    assert film.plot is None
    assert film.kind == "video"
    assert film.is_adult is True
    assert [m.name for m in film.cast[:2]] == ["Riley Shy", "Kelly Wells"]
    assert all(m.character is None for m in film.cast)
    assert any(d.endswith("not on the page: outline, rating") for d in diagnostics)


def test_page_without_year_leaves_it_empty() -> None:
    film, diagnostics = page("tt3303790")
    assert film.year is None
    assert film.release_dates == []
    assert film.outline is None  # og:description is IMDb's site blurb here, not the film's
    assert any("og:description is not about this film" in d for d in diagnostics)
    assert any("not on the page: year" in d for d in diagnostics)


def test_every_diagnostic_names_file_and_line() -> None:
    for tconst, name in PAGES.items():
        _, diagnostics = page(tconst)
        assert diagnostics, tconst
        for line in diagnostics:
            assert re.match(rf"^{re.escape(name)}:\d+: \S", line), line


def _without(html: str, pattern: str) -> str:
    return re.sub(pattern, "", html, flags=re.DOTALL | re.IGNORECASE)


def test_without_json_ld_the_next_data_still_gives_everything() -> None:
    html = (DATA / PAGES["tt0133093"]).read_text(encoding="utf-8")
    bare = _without(html, r'<script type="application/ld\+json">.*?</script>')
    assert bare != html
    film = parse_html_page(bare, "matrix-no-ld.html").film
    assert (film.id, film.title, film.year) == ("tt0133093", "The Matrix", 1999)
    assert film.rating is not None and film.rating.votes == 1956171
    assert [d.name for d in film.directors] == ["Lana Wachowski", "Lilly Wachowski"]
    assert film.runtimes[0].minutes == 136
    assert cast_pairs(film, 1) == [("Keanu Reeves", "Neo")]


def test_without_any_script_the_visible_text_still_gives_its_facts() -> None:
    html = (DATA / PAGES["tt0133093"]).read_text(encoding="utf-8")
    bare = _without(html, r"<script\b.*?</script>")
    assert "__NEXT_DATA__" not in bare and "ld+json" not in bare
    result = parse_html_page(bare, "matrix-text-only.html")
    film = result.film
    assert (film.id, film.title, film.year) == ("tt0133093", "The Matrix", 1999)  # Open Graph
    assert [d.name for d in film.directors] == ["Lana Wachowski", "Lilly Wachowski"]
    assert cast_pairs(film, 2) == [("Keanu Reeves", "Neo"), ("Laurence Fishburne", "Morpheus")]
    assert film.cast[0].id == "nm0000206"
    assert [(r.date, r.country) for r in film.release_dates] == [("1999-03-31", "United States")]
    assert film.runtimes[0].minutes == 136  # "2 hours 16 minutes"
    assert ("budget", 63000000) in [(b.kind, b.amount) for b in film.box_office]
    # IMDb's note on the place is kept with it (it says what was filmed there).
    assert film.filming_locations == [
        "Nashville, Tennessee, USA (exterior scenes: skyline in opening Trinity rooftop chase)"
    ]
    assert film.trivia and film.trivia[0].startswith("To prepare for the scene where Neo wakes up in a pod")
    assert film.goofs and film.goofs[0].text.startswith("When Neo opens fire")
    assert any("text sections gave" in str(d) for d in result.diagnostics)


@pytest.mark.parametrize("name", sorted(PAGES.values()))
def test_real_pages_look_like_html(name: str) -> None:
    assert looks_like_html((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_PAGES.is_dir(), reason="../shared is not here")
def test_every_shared_page_parses_with_its_id() -> None:
    pages = sorted(SHARED_PAGES.glob("*.html"))
    assert pages
    for path in pages:
        film = parse_html_page(path.read_text(encoding="utf-8"), path.name).film
        assert film.id == path.name.split("_")[0]
        assert film.title
