"""The reference page (tests/data/pages/mask-1985.txt): every fact it shows, and nothing it cannot place."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from marquee.formats.textpage import PageResult, parse_page, render_page
from marquee.records import (
    BoxOffice,
    CastMember,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    Rating,
    ReleaseDate,
    Runtime,
    Score,
)

PAGES = Path(__file__).parent / "data" / "pages"
MASK = PAGES / "mask-1985.txt"


@pytest.fixture(scope="module")
def result() -> PageResult:
    return parse_page(MASK.read_text(encoding="utf-8"), source=str(MASK))


def test_identity_from_file_name(result: PageResult) -> None:
    film = result.film
    assert (film.title, film.year, film.id, film.kind) == ("Mask", 1985, "mask-1985", "movie")
    assert any("title taken from the file name" in d.message for d in result.diagnostics)


def test_heading_outline_plot(result: PageResult) -> None:
    film = result.film
    assert film.published == dt.date(1985, 3, 8)
    assert film.outline is not None and film.outline.startswith("A boy with a massive facial skull")
    assert film.outline.endswith("under the circumstances.")
    assert film.plot is not None and film.plot.startswith("Rusty Dennis is the mother of Rocky")
    assert film.plot.endswith("everyone else takes for granted.")


def test_rating_director_stars(result: PageResult) -> None:
    film = result.film
    assert film.rating == Rating(value=7.0, scale=10, votes=12168)
    assert film.directors == [PersonRef(name="Peter Bogdanovich")]
    assert film.stars == ["Cher", "Eric Stoltz", "Sam Elliott"]
    assert film.writers == [] and film.genres == []


def test_cast(result: PageResult) -> None:
    cast = result.film.cast
    assert len(cast) == 15
    assert cast[0] == CastMember(name="Cher", character="Florence 'Rusty' Dennis")
    assert cast[2] == CastMember(name="Eric Stoltz", character="Roy L.'Rocky' Dennis")
    assert CastMember(name="Kelly Jo Minter", character="Lorrie", credited_as="Kelly Minter") in cast
    assert cast[-1] == CastMember(name="Joe Unger", character="1st Boyfriend")
    assert [m.name for m in cast][7] == "Harry Carey Jr."
    assert sum(m.credited_as is not None for m in cast) == 1


def test_details(result: PageResult) -> None:
    film = result.film
    assert film.taglines == ["Sometimes the most unlikely people become heroes."]
    assert film.release_dates == [ReleaseDate(date="1985-03-08", country=None, note=None)]
    assert film.filming_locations == ["Azusa, California, USA"]
    assert film.box_office == [BoxOffice(kind="gross", amount=42_400_000, currency="USD", country="USA")]


def test_runtime_without_minutes(result: PageResult) -> None:
    assert result.film.runtimes == [Runtime(minutes=None, country="USA", note="director's cut")]
    (diag,) = [d for d in result.diagnostics if "minutes missing" in d.message]
    assert diag.line == 45
    assert str(diag) == f"{MASK}:45: Runtime: minutes missing for USA (director's cut)"


def test_did_you_know(result: PageResult) -> None:
    film = result.film
    assert len(film.trivia) == 1 and film.trivia[0].startswith("Eric Stoltz spent so much time")
    assert film.trivia[0].endswith("what he really looked like.")
    assert film.goofs == [
        Goof(
            category="Anachronisms",
            text="When Rocky and Ben are trading baseball cards back and forth near the beginning of the"
            " film, on the bench is a card from the 1986 Topps set. The film is supposed to be taking"
            " place in the 70s.",
        )
    ]
    (quote,) = film.quotes
    assert isinstance(quote, Quote) and len(quote.lines) == 1
    line = quote.lines[0]
    assert (line.character, line.direction) == ("Rocky Dennis", "Poem")
    assert line.text.startswith("These things are good: ice cream and cake")
    assert line.text.endswith("and the sun shining on my face.")
    assert line != QuoteLine(character="Rocky Dennis", direction="Poem")


def test_review(result: PageResult) -> None:
    (review,) = result.film.reviews
    assert review.title == "Hard to Watch at Times, But a Very Good Film."
    assert review.score == Score(value=4.5, scale=5)
    assert review.body.startswith("The true story of Rocky Dennis (Eric Stoltz) is the subject")
    assert review.body.endswith("Terribly over-looked. 4.5 out of 5 stars.")
    assert '"Mask" one of the best films of the 1980s.' in review.body
    assert (review.author, review.date) == (None, None)
    assert result.film.comments_open is False


def test_scraper_noise_is_reported_and_kept_out(result: PageResult) -> None:
    dumped = json.dumps(result.film.model_dump(mode="json"))
    assert "No valid json found" not in dumped
    (diag,) = [d for d in result.diagnostics if "No valid json found" in d.message]
    assert diag.line == 5
    assert str(diag).startswith(f"{MASK}:5: ")


def test_only_expected_diagnostics(result: PageResult) -> None:
    assert [d.line for d in result.diagnostics] == [1, 5, 45]


def test_render_reads_back(result: PageResult) -> None:
    page = render_page(result.film)
    assert page.startswith("March 8th, 1985\n\nTitle: Mask\nID: mask-1985\n")
    for line in (
        "Rating: 7.0/10 (12,168 voted)",
        "Director: Peter Bogdanovich",
        "Technical Specs",
        "Gross: $42,400,000 (USA)",
        "Did You Know?",
        "User Review",
        "Comments are closed.",
    ):
        assert line in page.splitlines()
    again = parse_page(page, source="rendered.txt")
    assert again.film == result.film
    assert render_page(again.film) == page
