"""TMDB's film page: the header, the top-billed cast and the side column, read from TMDB's own markup.

The fixture is reconstructed markup, not a saved page (tests/data/html/tmdb/README.md): TMDB pages carry no
JSON-LD, so without this reader they were refused as no film's page."""

from __future__ import annotations

from pathlib import Path

import pytest

from marquee.errors import NotAMoviePage
from marquee.formats.htmlpage import parse_html_bytes, parse_html_page
from marquee.records import Film

PAGE = Path(__file__).parent / "data" / "html" / "tmdb" / "movie_603_reconstructed.html"


@pytest.fixture(scope="module")
def matrix() -> Film:
    return parse_html_bytes(PAGE.read_bytes(), PAGE.name).film


def test_the_header_gives_title_year_release_genres_runtime(matrix: Film) -> None:
    assert (matrix.title, matrix.year) == ("The Matrix", 1999)
    assert [(r.date, r.country) for r in matrix.release_dates] == [("1999-03-31", "US")]
    assert matrix.genres == ["Action", "Sci-Fi"]
    assert [r.minutes for r in matrix.runtimes] == [136]
    assert matrix.taglines == ["Welcome to the Real World."]
    assert matrix.outline is not None and matrix.outline.startswith("Set in the 22nd century")


def test_the_header_crew_splits_jobs_into_directors_and_writers(matrix: Film) -> None:
    assert [p.name for p in matrix.directors] == ["Lana Wachowski", "Lilly Wachowski"]
    assert [p.name for p in matrix.writers] == ["Lana Wachowski", "Lilly Wachowski"]


def test_the_top_billed_cast_keeps_characters_and_nothing_else(matrix: Film) -> None:
    assert [(c.name, c.character) for c in matrix.cast] == [
        ("Keanu Reeves", "Neo"),
        ("Laurence Fishburne", "Morpheus"),
        ("Carrie-Anne Moss", "Trinity"),
        ("Hugo Weaving", "Agent Smith"),
    ]


def test_the_members_score_is_tmdbs_own_never_an_imdb_rating(matrix: Film) -> None:
    assert [(s.source, s.kind, s.value, s.scale) for s in matrix.scores] == [("TMDB", "audience", 82.0, 100)]
    assert matrix.rating is None


def test_the_side_column_gives_language_and_money(matrix: Film) -> None:
    assert matrix.languages == ["English"]
    assert [(b.kind, b.amount) for b in matrix.box_office] == [
        ("budget", 63_000_000),
        ("cumulative worldwide gross", 463_517_383),
    ]
    assert matrix.external_ids == {"tmdb": "603"}


def test_reviews_recommendations_and_keywords_are_not_the_films(matrix: Film) -> None:
    dumped = matrix.model_dump_json()
    for other in ("John Chard", "The Matrix Reloaded", "saving the world", "70"):
        assert other not in dumped.replace("1970", "")


def test_a_day_first_page_reads_its_release_day_first() -> None:
    html = (
        PAGE.read_text(encoding="utf-8")
        .replace('lang="en"', 'lang="de"')
        .replace("03/31/1999 (US)", "31.03.1999 (DE)")
    )
    film = parse_html_page(html, "de.html").film
    assert [(r.date, r.country) for r in film.release_dates] == [("1999-03-31", "DE")]


def test_a_tmdb_person_page_is_refused() -> None:
    html = (
        '<html><head><meta property="og:url" content="https://www.themoviedb.org/person/6384-keanu-reeves">'
        '<meta property="og:title" content="Keanu Reeves"></head><body><section class="header poster">'
        '<h2><a href="/person/6384-keanu-reeves">Keanu Reeves</a></h2></section></body></html>'
    )
    with pytest.raises(NotAMoviePage):
        parse_html_page(html, "person.html")


def test_a_shows_page_is_a_series() -> None:
    html = PAGE.read_text(encoding="utf-8").replace(
        'href="/movie/603-the-matrix">The Matrix</a> <span', 'href="/tv/603-the-matrix">The Matrix</a> <span'
    )
    film = parse_html_page(html.replace("themoviedb.org/movie/603", "themoviedb.org/tv/603"), "tv.html").film
    assert film.kind == "tvSeries"
