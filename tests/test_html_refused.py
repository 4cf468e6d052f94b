"""Real saved pages that are no film's page are refused with a one-line reason, never read as a film.

A person's biography, a member's watchlist, a box office year chart, a list of similar films, encyclopedia
articles on a series and on a person, a film site's search results and a critic site's person page. The pages:
tests/data/html/refused/ (see its README) and tests/data/html/real/."""

from __future__ import annotations

from pathlib import Path

import pytest

from marquee.errors import NotAMoviePage
from marquee.formats.htmlpage import parse_html_bytes

DATA = Path(__file__).parent / "data" / "html"
PAGES = [
    DATA / "refused" / "imdb_name_nm0005132_bio_2016-11-30.html",
    DATA / "refused" / "letterboxd_flophousecat_watchlist.html",
    DATA / "refused" / "metacritic_search_game-of-thrones_2014.html",
    DATA / "refused" / "boxofficemojo_year_2009_faithful.html",
    DATA / "refused" / "wikipedia_person_eric-idle_2020_excerpt.html",
    DATA / "real" / "letterboxd" / "drewstinnett--letterrestd" / "this-is-the-end_similar.html",
    DATA / "real" / "wikipedia" / "zli117--Web-Scraper" / "Cars_Toons_rev882842626.html",
    DATA / "real" / "metacritic" / "marcalencc--metacritic-scraper" / "person_woody-allen_movies_2017.html",
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_a_real_page_that_is_no_films_is_refused_in_one_line(page: Path) -> None:
    with pytest.raises(NotAMoviePage) as refused:
        parse_html_bytes(page.read_bytes(), page.name)
    message = str(refused.value)
    assert message.startswith(f"{page.name}: not a movie page: ")
    assert "\n" not in message and len(message) < 300
