"""IMDb's reference view: its labelled rows by the text-section reader, its header's rating and release date.

The fixture is reconstructed markup, not a saved page (tests/data/html/imdb_reference/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from marquee.formats.htmlpage import parse_html_bytes, parse_html_page
from marquee.formats.textpage import PageResult

PAGE = Path(__file__).parent / "data" / "html" / "imdb_reference" / "tt0133093_reference_reconstructed.html"


@pytest.fixture(scope="module")
def reference() -> PageResult:
    return parse_html_bytes(PAGE.read_bytes(), PAGE.name)


def test_the_reference_view_is_its_own_layout_family(reference: PageResult) -> None:
    assert reference.sections is not None
    assert reference.sections.layout == "imdb-2017-reference"


def test_the_header_gives_the_rating_and_the_release_date(reference: PageResult) -> None:
    film = reference.film
    assert film.rating is not None
    assert (film.rating.value, film.rating.scale, film.rating.votes) == (8.7, 10, 1_670_554)
    assert [(r.date, r.country) for r in film.release_dates] == [("1999-03-31", "USA")]


def test_the_labelled_rows_and_sections_give_the_rest(reference: PageResult) -> None:
    film = reference.film
    assert (film.id, film.title, film.year) == ("tt0133093", "The Matrix", 1999)
    assert [p.name for p in film.directors] == ["Lana Wachowski", "Lilly Wachowski"]
    assert [(c.name, c.character) for c in film.cast] == [
        ("Keanu Reeves", "Neo"),
        ("Laurence Fishburne", "Morpheus"),
        ("Carrie-Anne Moss", "Trinity"),
    ]
    assert film.genres == ["Action", "Sci-Fi"]
    assert [r.minutes for r in film.runtimes] == [136]
    assert (film.countries, film.languages) == (["United States", "Australia"], ["English"])
    assert film.taglines == ["Free your mind"]
    assert [a.title for a in film.alternate_titles] == ["Matrix"]


def test_a_recommended_film_is_not_read(reference: PageResult) -> None:
    assert "Reloaded" not in reference.film.model_dump_json()


def test_a_rating_outside_the_header_is_not_the_films() -> None:
    html = (
        PAGE.read_text(encoding="utf-8")
        .replace('<span class="ipl-rating-star__rating">8.7</span>', "")
        .replace("</body>", '<div class="review"><span class="ipl-rating-star__rating">3</span></div></body>')
    )
    assert parse_html_page(html, "r.html").film.rating is None
