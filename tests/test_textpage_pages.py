"""Hand-written pages in the reference layout (tests/data/pages/): facts checked one by one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from marquee.errors import InputError, NotAMoviePage
from marquee.formats.textpage import PageResult, parse_bytes, parse_page, render_page
from marquee.records import (
    AlternateTitle,
    BoxOffice,
    CastMember,
    CrewMember,
    EpisodeOf,
    Goof,
    PersonRef,
    QuoteLine,
    Rating,
    ReleaseDate,
    Runtime,
    Score,
)

PAGES = Path(__file__).parent / "data" / "pages"
FILM_PAGES = sorted(p for p in PAGES.glob("*.txt") if p.name != "prose.txt")


def parse(name: str) -> PageResult:
    path = PAGES / name
    return parse_page(path.read_text(encoding="utf-8"), source=str(path))


def messages(result: PageResult) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in result.diagnostics]


def test_there_are_a_dozen_more_pages() -> None:
    assert len(FILM_PAGES) >= 13


@pytest.mark.parametrize("path", FILM_PAGES, ids=lambda p: p.stem)
def test_every_page_renders_and_reads_back(path: Path) -> None:
    film = parse_page(path.read_text(encoding="utf-8"), source=str(path)).film
    page = render_page(film)
    again = parse_page(page, source="rendered.txt")
    assert again.film == film
    assert render_page(again.film) == page
    assert "no valid json found" not in json.dumps(film.model_dump(mode="json")).casefold()


def test_brazil_writers_two_reviews_comments_open() -> None:
    r = parse("brazil-1985.txt")
    film = r.film
    assert (film.title, film.year, film.id) == ("Brazil", 1985, "brazil-1985")
    assert film.published == dt.date(1985, 12, 20)
    assert film.directors == [PersonRef(name="Terry Gilliam")]
    assert [w.name for w in film.writers] == ["Terry Gilliam", "Tom Stoppard", "Charles McKeown"]
    assert film.genres == ["Drama", "Sci-Fi"]
    assert film.rating == Rating(value=7.9, scale=10, votes=201442)
    assert film.release_dates == [
        ReleaseDate(date="1985-02-20", country="UK"),
        ReleaseDate(date="1985-12-18", country="USA"),
    ]
    assert film.box_office == [
        BoxOffice(kind="budget", amount=15_000_000, currency="USD", country=None),
        BoxOffice(kind="gross", amount=9_929_135, currency="USD", country="USA"),
    ]
    assert film.runtimes == [
        Runtime(minutes=132),
        Runtime(minutes=94, country="USA", note="Love Conquers All cut"),
    ]
    assert film.filming_locations == ["Marne-la-Vallée, Seine-et-Marne, France"]
    (quote,) = film.quotes
    assert [line.character for line in quote.lines] == ["Harry Tuttle", "Sam Lowry", "Harry Tuttle"]
    assert quote.lines[0].direction == "entering through the window"
    assert quote.lines[1] == QuoteLine(character="Sam Lowry", text="Er, no, I'm not.")
    assert film.goofs == [
        Goof(category="Continuity", text="The number of ducts in Sam's apartment changes between shots.")
    ]
    assert len(film.trivia) == 1 and film.trivia[0].startswith("The film's title comes from")
    assert [(rv.title, rv.score) for rv in film.reviews] == [
        ("A Masterpiece of Paranoia", Score(value=9, scale=10)),
        ("Too long for me", Score(value=2, scale=5)),
    ]
    assert film.reviews[1].body == "Interesting ideas, but I lost patience. 2 out of 5 stars."
    assert film.comments_open is True
    assert messages(r) == [(1, "title taken from the file name: 'Brazil'")]


def test_amelie_explicit_title_unicode_and_euros() -> None:
    r = parse("amelie-2001.txt")
    film = r.film
    assert (film.id, film.title, film.original_title) == (
        "tt0211915",
        "Amélie",
        "Le Fabuleux Destin d'Amélie Poulain",
    )
    assert r.diagnostics == []  # the title is on the page: nothing taken from the file name
    assert film.cast[0] == CastMember(name="Audrey Tautou", character="Amélie Poulain")
    assert film.cast[2] == CastMember(name="Rufus", character="Raphaël Poulain")
    assert film.box_office == [
        BoxOffice(kind="budget", amount=10_000_000, currency="EUR"),
        BoxOffice(kind="opening weekend", amount=4_300_000, currency="EUR", country="France"),
        BoxOffice(kind="gross", amount=33_225_499, currency="USD", country="USA"),
    ]
    assert film.quotes[0].lines == [
        QuoteLine(character="Amélie Poulain", direction="narrating", text="Amélie still seeks solitude.")
    ]
    assert film.reviews[0].title == "Délicieux"
    assert film.reviews[0].score == Score(value=5, scale=5)
    assert film.comments_open is False


def test_matrix_directors_goofs_quotes() -> None:
    film = parse("the-matrix-1999.txt").film
    assert film.title == "The Matrix" and film.id == "the-matrix-1999"
    assert film.directors == [PersonRef(name="Lana Wachowski"), PersonRef(name="Lilly Wachowski")]
    assert film.taglines == ["Free your mind.", "The fight for the future begins."]
    assert [g.category for g in film.goofs] == ["Continuity", "Revealing mistakes", "Factual errors"]
    assert len(film.trivia) == 2
    assert [len(q.lines) for q in film.quotes] == [1, 2, 1]
    assert film.quotes[1].lines == [
        QuoteLine(character="Neo", text="I know kung fu."),
        QuoteLine(character="Morpheus", text="Show me."),
    ]
    assert film.cast[-1] == CastMember(
        name="Joe Pantoliano", character="Cypher", credited_as="Joe Pantoliano"
    )
    assert film.box_office[-1] == BoxOffice(kind="cumulative worldwide gross", amount=467_222_728)
    assert film.reviews[0].score is None


def test_minimal_page_missing_sections() -> None:
    r = parse("minimal-2020.txt")
    film = r.film
    assert (film.title, film.year, film.id) == ("Minimal", 2020, "minimal-2020")
    assert film.outline == "A short film with almost nothing on its page."
    assert film.rating == Rating(value=5.5, votes=42)
    assert film.plot is None and film.cast == [] and film.reviews == [] and film.runtimes == []
    assert film.published is None and film.comments_open is True


def test_seven_samurai_cjk_and_iso_currency() -> None:
    film = parse("seven-samurai-1954.txt").film
    assert film.original_title == "七人の侍"
    assert film.cast[-1] == CastMember(name="三船敏郎", character="菊千代", credited_as="三船 敏郎")
    assert film.cast[4].character == "Manzo, father of Shino"
    assert film.box_office == [BoxOffice(kind="budget", amount=125_000_000, currency="JPY")]
    assert film.runtimes == [
        Runtime(minutes=207),
        Runtime(minutes=160, country="Japan", note="cut version"),
        Runtime(minutes=141, country="USA"),
    ]
    assert film.quotes[0].lines[0].character == "Kambei Shimada"
    assert film.reviews[0].score == Score(value=10, scale=10)
    assert film.comments_open is True


def test_noisy_page_reports_lines_and_keeps_noise_out() -> None:
    r = parse("noisy-1990.txt")
    film = r.film
    assert messages(r) == [
        (1, "heading 'February 30th, 1990' is not a valid date"),
        (1, "title taken from the file name: 'Noisy'"),
        (3, "could not place line 'No valid json found'"),
        (5, "could not place paragraph 'Some leftover banner text from the scraper.'"),
        (11, "Rating: cannot read 'excellent' (expected e.g. '7.0/10 (12,168 voted)')"),
        (22, "could not place paragraph 'Another paragraph that belongs nowhere.'"),
        (24, "Release Date: cannot read the date 'Spring 1990'"),
        (26, "Gross: cannot read the amount 'about ten dollars' (expected e.g. '$42,400,000 (USA)')"),
        (30, "Runtime: minutes missing for Germany (TV version)"),
        (32, "could not place paragraph 'Stray text in the technical specs.'"),
        (36, "could not place line 'No valid json found'"),
        (38, "goof 'Continuity:' has no text"),
        (44, "could not place line 'No valid json found'"),
        (48, "dropped the scraper message 'No valid json found' from the line"),
    ]
    assert film.published is None and film.rating is None and film.box_office == []
    assert film.outline == "A detective chases a ghost through a city that never sleeps."
    assert film.plot is not None and film.plot.startswith("A detective, haunted")
    assert film.release_dates == [ReleaseDate(date=None, country="USA")]
    assert film.runtimes == [Runtime(minutes=95), Runtime(country="Germany", note="TV version")]
    assert film.goofs == [] and film.trivia == ["The ghost never casts a shadow, by design."]
    assert film.reviews[0].title == "Spooky"
    assert film.reviews[0].body == "Fun enough. 3/5"
    assert film.reviews[0].score == Score(value=3, scale=5)
    assert (
        str(r.diagnostics[2]) == f"{PAGES / 'noisy-1990.txt'}:3: could not place line 'No valid json found'"
    )


def test_episode_page_extras_and_ids() -> None:
    r = parse("night-shift-s01e02.txt")
    film = r.film
    assert (film.id, film.title, film.kind) == ("tt9900001", "The Long Night", "tvEpisode")
    assert film.episode_of == EpisodeOf(series_id="tt9900000", season=1, episode=2)
    assert film.directors == [PersonRef(name="Sofía Martínez", id="nm9900010")]
    assert film.writers == [PersonRef(name="Ana Ruiz", id="nm9900011"), PersonRef(name="Tom Baker")]
    assert [m.id for m in film.cast] == ["nm9900020", "nm9900021", None]
    assert film.cast[2] == CastMember(name="Zoë Kravitz-Lee", character="Patient in Bed 4")
    assert film.crew == [
        CrewMember(name="Hans Zimmerman", category="composer"),
        CrewMember(name="Petra Novak", category="producer", job="executive producer", id="nm9900031"),
    ]
    assert film.alternate_titles == [
        AlternateTitle(title="La Larga Noche", region="ES", language="es"),
        AlternateTitle(title="Night Shift: The Long Night", types=["working"]),
    ]
    assert film.release_dates == [ReleaseDate(date="2019-03-12", country="USA", note="premiere")]
    assert r.diagnostics == []


def test_reviews_labels_scores_and_paragraphs() -> None:
    film = parse("reviews-2005.txt").film
    first, second, third, fourth = film.reviews
    assert (first.author, first.date, first.title) == ("cinephile42", dt.date(2005, 6, 10), "A mixed bag")
    assert first.body == "The first half drags.\n\nThe second half soars, and the ending is earned. 8/10"
    assert first.score == Score(value=8, scale=10)
    assert (second.title, second.score, second.body) == (
        "Overrated",
        Score(value=3, scale=5),
        "I wanted to like it.",
    )
    assert third.title is None and third.score is None and third.body.startswith("A review with no title")
    assert fourth.score == Score(value=10, scale=10)  # the last score the body states
    assert film.id == "crowded-theatre-2005"


def test_did_you_know_classification_by_vocabulary() -> None:
    film = parse("dyk-mix-1977.txt").film
    assert film.trivia == [
        "Note: the original cut had a different opening crawl.",
        "Mark Hamster was in a car accident before filming the sequel.",
    ]
    assert [g.category for g in film.goofs] == [
        "Boom mic visible",
        "Audio/visual unsynchronized",  # IMDb's spelling, whatever the page's case
        "Errors in geography",
        "Plot holes",
        "Incorrectly regarded as goofs",
    ]
    speakers = [[line.character for line in q.lines] for q in film.quotes]
    assert speakers == [["Sky Walker"], ["Leia"], ["Han Solo", "Luke", "Han"], ["Narrator"], ["Princess"]]
    assert film.quotes[2].lines[1] == QuoteLine(character="Luke", direction="laughs", text="")
    assert film.quotes[3].lines[0].direction == "voice over"


def test_prose_with_dashes_is_not_cast() -> None:
    film = parse("dash-plot-1960.txt").film
    assert film.outline == "A story told in one night - and one day."
    assert film.plot is not None and film.plot.startswith("A ferryman - old, tired, and stubborn")
    assert film.cast == [
        CastMember(name="Olga Petrova", character="The Passenger"),
        CastMember(name="Ivan Ivanov", character="The Ferryman"),
        CastMember(name="Nikolai Smirnov"),
    ]
    assert film.stars == ["Olga Petrova"] and film.writers == [PersonRef(name="Ivan Ivanov")]
    assert film.comments_open is True


def test_amounts_currencies_release_dates_runtimes() -> None:
    film = parse("amounts-2010.txt").film
    assert film.box_office == [
        BoxOffice(kind="budget", amount=2_500_000, currency="GBP"),
        BoxOffice(kind="opening weekend", amount=812_345, currency="EUR", country="Germany"),
        BoxOffice(kind="gross", amount=1_234_567, currency="USD", country="USA"),
        BoxOffice(kind="gross", amount=1_000_000, currency="DEM", country="Germany"),
        BoxOffice(kind="cumulative worldwide gross", amount=9_876_543, currency="USD"),
        BoxOffice(kind="rentals", amount=123, currency="USD", country="USA"),
    ]
    assert film.release_dates == [
        ReleaseDate(date="2010-03-08", country="USA"),
        ReleaseDate(date="2010-03", country="Germany"),
        ReleaseDate(date="2011"),
    ]
    assert film.runtimes == [Runtime(minutes=120), Runtime(minutes=126, country="USA", note="director's cut")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\n\t\n", "empty"),
        ("\x00\x01\x02binary\x00junk", "binary"),
        ((PAGES / "prose.txt").read_text(encoding="utf-8"), "no film facts"),
        ("No valid json found\n", "no film facts"),
        ("Rating: 7.0/10\n", "no film facts"),
    ],
    ids=["empty", "blank", "binary", "prose", "only-noise", "one-fact"],
)
def test_not_a_movie_page(text: str, reason: str) -> None:
    with pytest.raises(NotAMoviePage) as info:
        parse_page(text, source="x.txt")
    message = str(info.value)
    assert reason in message and "\n" not in message
    assert isinstance(info.value, InputError)


def test_parse_bytes_decodes_and_rejects_binary() -> None:
    data = (PAGES / "mask-1985.txt").read_bytes()
    assert parse_bytes(b"\xef\xbb\xbf" + data, source="mask-1985.txt").film.title == "Mask"
    with pytest.raises(NotAMoviePage, match="not UTF-8"):
        parse_bytes(b"\xff\xfe\xfa" * 50, source="x.bin")
    with pytest.raises(NotAMoviePage, match="binary"):
        parse_bytes(b"PK\x03\x04\x00\x00" + data, source="x.zip")


def test_crlf_and_title_fallbacks() -> None:
    text = (PAGES / "minimal-2020.txt").read_text(encoding="utf-8").replace("\n", "\r\n")
    assert parse_page(text, source="C:\\films\\minimal-2020.txt").film.title == "Minimal"
    nameless = parse_page(text)
    assert nameless.film.title == "Untitled" and nameless.film.id == "untitled-2020"
    other_year = parse_page(text, source="minimal-2019.txt")
    assert other_year.film.year == 2020
    assert any("file name says 2019" in d.message for d in other_year.diagnostics)


def test_wrapped_lines_multi_character_and_noise_inside_cast() -> None:
    r = parse("kind-hearts-and-coronets-1949.txt")
    film = r.film
    assert (film.title, film.id) == ("Kind Hearts and Coronets", "kind-hearts-and-coronets-1949")
    assert film.outline is not None and film.outline.endswith("in the line of succession.")
    assert "\n" not in film.outline and "  " not in film.outline
    assert [m.name for m in film.cast] == [
        "Dennis Price",
        "Alec Guinness",
        "Valerie Hobson",
        "Joan Greenwood",
    ]
    assert film.cast[1].character == "The Duke / The Banker / The Parson / Lady Agatha"
    assert film.runtimes == [Runtime(minutes=None, country="UK", note="original release")]
    assert len(film.trivia) == 1 and film.trivia[0].endswith("and the producers agreed.")
    first, second = film.quotes
    assert first.lines == [
        QuoteLine(
            character="Louis Mazzini",
            direction="reading",
            text="It is so difficult to make a neat job of killing people with whom one is not on"
            " friendly terms.",
        )
    ]
    assert [line.character for line in second.lines] == ["The Banker", "Louis Mazzini"]
    assert [line for line, _ in messages(r)] == [1, 21, 29]


def test_escapes_and_explicit_labels() -> None:
    r = parse("escapes-2015.txt")
    film = r.film
    assert (film.title, film.id, film.year) == ("Rating: Unrated", "escapes-2015", None)
    assert film.rating is None
    assert film.outline == "User Review"
    assert film.plot == "Cast - Crew: a plot shaped like other things."
    assert film.cast == [CastMember(name="Ann Lee")]
    assert film.trivia == ["Continuity: this is trivia about continuity, not a goof.", "\\backslash first"]
    assert film.goofs == [Goof(category=None, text="A goof without a category.")]
    assert [q.lines for q in film.quotes] == [
        [
            QuoteLine(character="Zed", text="[whispers] who is Zed?"),
            QuoteLine(character=None, text="An unattributed line."),
        ]
    ]
    (review,) = film.reviews
    assert review.title is None and review.score is None
    assert review.body == "Comments are closed.\n\nIt says 4 out of 5 but means nothing by it."
    assert film.comments_open is True
    assert r.diagnostics == []


def test_unknown_labels_are_reported_not_taken_as_plot() -> None:
    r = parse("details-1994.txt")
    film = r.film
    assert film.plot is None  # "Country: USA" stands where the plot would: it is not the plot
    assert film.cast == [CastMember(name="Ada Lovel", character="Herself")]
    assert film.runtimes == [Runtime(minutes=101)] and film.taglines == ["Small things matter."]
    assert messages(r) == [
        (11, "unknown label 'Country': line not used"),
        (13, "unknown label 'Language': line not used"),
        (23, "unknown label 'Sound Mix': line not used"),
        (25, "unknown label 'Aspect Ratio': line not used"),
    ]
