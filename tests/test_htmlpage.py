"""The HTML page parser on hand-made pages: every source it reads, and what real pages get wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marquee.errors import InputError, NotAMoviePage
from marquee.formats.html_facts import iso_minutes, parse_date, parse_number
from marquee.formats.html_microdata import parse_heading_title
from marquee.formats.htmlpage import looks_like_html, parse_html_bytes, parse_html_page
from marquee.formats.textpage import Diagnostic, PageResult
from marquee.records import ExternalScore, Film

DATA = Path(__file__).parent / "data" / "html"
TEXT_PAGE = Path(__file__).parent / "data" / "pages" / "mask-1985.txt"


def parse(name: str) -> tuple[Film, list[str]]:
    result = parse_html_page((DATA / name).read_text(encoding="utf-8"), name)
    return result.film, [str(d) for d in result.diagnostics]


def ld_page(*blocks: str, body: str = "") -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>\n' for b in blocks)
    return f"<!DOCTYPE html>\n<html><head>\n{scripts}</head><body>{body}</body></html>\n"


# --- JSON-LD: lenient with what real pages do --------------------------------------------


def test_result_types_are_the_text_parsers() -> None:
    result = parse_html_page((DATA / "jsonld-lenient.html").read_text(encoding="utf-8"), "x.html")
    assert isinstance(result, PageResult)
    assert all(isinstance(d, Diagnostic) for d in result.diagnostics)


def test_one_broken_json_ld_block_is_reported_and_the_others_used() -> None:
    film, diagnostics = parse("jsonld-lenient.html")
    assert film.id == "tt0211915"
    broken = [d for d in diagnostics if "JSON-LD block 2 of 3 is not valid JSON" in d]
    assert len(broken) == 1
    assert broken[0].startswith("jsonld-lenient.html:10: ")  # the line of the bad comma


def test_json_ld_entities_single_values_and_string_numbers() -> None:
    film, _ = parse("jsonld-lenient.html")
    # The page shows "Amélie" (heading, <title>, alternateName); JSON-LD's name is the original title.
    assert film.title == "Amélie"
    assert film.original_title == "Le fabuleux destin d'Amélie Poulain"  # &apos; and &eacute;
    assert film.outline is not None and film.outline.endswith("help those around her & discovers love.")
    assert film.genres == ["Comedy"]  # one value, not a list
    assert [(d.name, d.id) for d in film.directors] == [("Jean-Pierre Jeunet", "nm0000466")]
    # creator: the Organization is no writer, and Jeunet is listed once
    assert [(w.name, w.id) for w in film.writers] == [
        ("Jean-Pierre Jeunet", "nm0000466"),
        ("Guillaume Laurant", "nm0529507"),
    ]
    assert film.rating is not None
    assert (film.rating.value, film.rating.votes, film.rating.scale) == (8.3, 1234, 10)  # "8.3", "1,234"
    assert [r.minutes for r in film.runtimes] == [122]  # PT2H2M
    assert film.year == 2001
    assert [r.date for r in film.release_dates] == ["2001-04-25"]
    assert [a.title for a in film.alternate_titles] == ["Amélie"]


def test_json_ld_actors_as_person_performance_role_or_bare_name() -> None:
    film, _ = parse("jsonld-lenient.html")
    assert [(m.name, m.character, m.id) for m in film.cast] == [
        ("Audrey Tautou", None, "nm0851582"),
        ("Mathieu Kassovitz", "Nino Quincampoix", "nm0458726"),
        ("Rufus", None, None),
    ]


def test_json_ld_review() -> None:
    film, _ = parse("jsonld-lenient.html")
    [review] = film.reviews
    assert review.title == 'A "feel-good" film'
    assert review.body == "It's charming.\n\nGo and see it."
    assert review.author == "cinephile's corner"
    assert review.date == dt.date(2002, 1, 5)
    assert review.score is not None and (review.score.value, review.score.scale) == (9, 10)


def test_the_display_title_is_kept_and_json_ld_name_becomes_the_original_title() -> None:
    film, diagnostics = parse("jsonld-lenient.html")
    assert (film.title, film.original_title) == ("Amélie", "Le fabuleux destin d'Amélie Poulain")
    assert any(
        "title: the page shows 'Amélie'" in d and "kept as the original title" in d for d in diagnostics
    )


def test_summary_diagnostic_lists_the_fields_a_source_gave() -> None:
    _, diagnostics = parse("jsonld-lenient.html")
    [summary] = [d for d in diagnostics if "JSON-LD gave" in d]
    assert summary.startswith("jsonld-lenient.html:12: JSON-LD gave id, title, year, outline, genres, rating")


def test_tv_episode_in_a_graph_with_its_series() -> None:
    node = """{"@context": "https://schema.org", "@graph": [
      {"@type": "WebPage", "name": "An episode"},
      {"@type": ["TVEpisode"], "@id": "https://www.imdb.com/title/tt4590220/", "name": "Parents",
       "episodeNumber": "2", "partOfSeason": {"@type": "TVSeason", "seasonNumber": 1},
       "partOfSeries": {"@type": "TVSeries", "url": "/title/tt3303790/", "name": "Master of None"},
       "datePublished": "2015-11-06", "timeRequired": "PT31M"}]}"""
    film = parse_html_page(ld_page(node), "episode.html").film
    assert (film.id, film.title, film.kind, film.year) == ("tt4590220", "Parents", "tvEpisode", 2015)
    assert film.episode_of is not None
    assert (film.episode_of.series_id, film.episode_of.season, film.episode_of.episode) == ("tt3303790", 1, 2)
    assert [r.minutes for r in film.runtimes] == [31]


def test_tv_series_years() -> None:
    node = (
        '{"@type": "TVSeries", "name": "Show", "url": "/title/tt0000001/", '
        '"startDate": "2015", "endDate": "2021"}'
    )
    film = parse_html_page(ld_page(node), "s.html").film
    assert (film.kind, film.year, film.end_year) == ("tvSeries", 2015, 2021)


def test_unreadable_values_are_reported_not_guessed() -> None:
    node = """{"@type": "Movie", "name": "Odd", "url": "/title/tt0000002/",
      "aggregateRating": {"ratingValue": "great", "ratingCount": "many"},
      "duration": "two hours", "datePublished": "sometime"}"""
    result = parse_html_page(ld_page(node), "o.html")
    film, diagnostics = result.film, [str(d) for d in result.diagnostics]
    assert film.rating is None
    assert film.runtimes == []
    assert film.year is None
    assert any("aggregateRating.ratingValue 'great' is not a number; no rating" in d for d in diagnostics)
    assert any("duration 'two hours' is not an ISO 8601 duration" in d for d in diagnostics)
    assert any("datePublished 'sometime' is not a date" in d for d in diagnostics)


def test_two_film_items_read_the_first_and_say_so() -> None:
    first = '{"@type": "Movie", "name": "One", "url": "/title/tt0000003/"}'
    second = '{"@type": "Movie", "name": "Two", "url": "/title/tt0000004/"}'
    result = parse_html_page(ld_page(first, second), "two.html")
    assert result.film.title == "One"
    assert any("2 film items in JSON-LD; read the first" in str(d) for d in result.diagnostics)


def test_broken_next_data_is_reported_and_json_ld_used() -> None:
    node = '{"@type": "Movie", "name": "Kept", "url": "/title/tt0000005/"}'
    html = ld_page(node, body='<script id="__NEXT_DATA__" type="application/json">{"props": oops}</script>')
    result = parse_html_page(html, "n.html")
    assert result.film.title == "Kept"
    assert any("__NEXT_DATA__ is not valid JSON" in str(d) for d in result.diagnostics)


def test_no_id_gives_a_slug_and_says_so() -> None:
    result = parse_html_page(
        ld_page('{"@type": "Movie", "name": "Mask", "datePublished": "1985-03-08"}'), "m.html"
    )
    assert result.film.id == "mask-1985"
    assert any(
        "no IMDb id on the page; the film's id is the slug 'mask-1985'" in str(d) for d in result.diagnostics
    )


# --- microdata, Open Graph ----------------------------------------------------------------


def test_microdata_without_json_ld() -> None:
    film, diagnostics = parse("microdata-only.html")
    assert (film.id, film.title, film.year) == ("tt0089560", "Mask", 1985)
    assert film.rating is not None
    assert (film.rating.value, film.rating.votes) == (7.0, 12168)  # "7,0" and "12 168"
    assert film.genres == ["Biography", "Drama"]
    assert [(d.name, d.id) for d in film.directors] == [("Peter Bogdanovich", "nm0000953")]
    assert [(m.name, m.character, m.id) for m in film.cast] == [
        ("Cher", "Florence 'Rusty' Dennis", "nm0000333"),
        ("Sam Elliott", "Gar", "nm0000479"),
        ("Eric Stoltz", "Roy L.'Rocky' Dennis", "nm0000658"),
    ]
    assert [r.minutes for r in film.runtimes] == [120]
    assert film.outline is not None and film.outline.startswith("A boy with a massive facial skull deformity")
    [review] = film.reviews
    assert (review.title, review.author, review.date) == (
        "Hard to Watch at Times, But a Very Good Film.",
        "MovieFan",
        dt.date(2005, 1, 12),
    )
    assert review.score is not None and review.score.value == 9
    assert any(d.startswith("microdata-only.html:7: microdata gave id, title") for d in diagnostics)


def test_open_graph_only() -> None:
    film, diagnostics = parse("open-graph-only.html")
    assert (film.id, film.title, film.year, film.kind) == ("tt0092099", "Top Gun", 1986, "movie")
    assert [d.name for d in film.directors] == ["Tony Scott"]
    # og:description's "With …" names the first-billed cast, not the page's Stars line.
    assert film.stars == []
    assert [m.name for m in film.cast] == ["Tom Cruise", "Tim Robbins", "Kelly McGillis", "Val Kilmer"]
    assert film.outline is not None
    assert film.outline.startswith("As students at the United States Navy's elite fighter weapons school")
    assert any("Open Graph gave id, title, kind, year, outline, directors, cast" in d for d in diagnostics)
    assert any("not on the page: genres, rating, runtimes" in d for d in diagnostics)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Matrix (1999) - IMDb", {"title": "The Matrix", "year": 1999}),
        ("Cuckold 1 (Video 2006) - IMDb", {"title": "Cuckold 1", "year": 2006, "kind": "video"}),
        (
            "Master of None (TV Series 2015–2021) - IMDb",
            {"title": "Master of None", "year": 2015, "end_year": 2021, "kind": "tvSeries"},
        ),
        ("Master of None - IMDb", {"title": "Master of None"}),
        ("Mask (1985)", {"title": "Mask", "year": 1985}),
        ("2001: A Space Odyssey (1968) | Films", {"title": "2001: A Space Odyssey", "year": 1968}),
    ],
)
def test_heading_titles(text: str, expected: dict[str, object]) -> None:
    assert parse_heading_title(text, "Films") == expected


# --- the visible text of older layouts ----------------------------------------------------


def test_old_layout_text_sections() -> None:
    film, diagnostics = parse("old-layout-text.html")
    assert (film.id, film.title, film.year) == ("mask-1985", "Mask", 1985)
    assert film.taglines == ["Sometimes the most unlikely people become heroes."]
    assert film.filming_locations == ["Azusa, California, USA"]
    assert [(b.kind, b.amount, b.currency, b.country) for b in film.box_office] == [
        ("budget", 7500000, "USD", None),
        ("opening weekend", 5017742, "USD", "USA"),
        ("gross", 42400000, "USD", "USA"),
    ]
    assert [(r.minutes, r.country, r.note) for r in film.runtimes] == [
        (120, None, None),
        (126, "USA", "director's cut"),
    ]
    assert [(r.date, r.country) for r in film.release_dates] == [("1985-03-08", "USA")]
    assert film.trivia == [
        "Eric Stoltz spent so much time under heavy makeup that he had to present I.D. to security to prove "
        "that he was Eric Stoltz."
    ]
    assert [(g.category, g.text[:30]) for g in film.goofs] == [
        ("Anachronisms", "When Rocky and Ben are trading")
    ]
    [quote] = film.quotes
    assert [(line.character, line.direction, line.text[:20]) for line in quote.lines] == [
        ("Rocky Dennis", "Poem", "These things are goo"),
        ("Rusty Dennis", None, "That's my boy."),
    ]
    [review] = film.reviews
    assert review.title == "Hard to Watch at Times, But a Very Good Film."
    assert (review.author, review.date) == ("MovieFan", dt.date(2005, 1, 12))
    assert review.body.startswith("The true story of Rocky Dennis") and review.body.endswith(
        "4.5 out of 5 stars."
    )
    assert review.score is not None and (review.score.value, review.score.scale) == (4.5, 5)
    assert diagnostics[-1] == "old-layout-text.html:1: not on the page: outline"


def test_old_layout_people_genres_rating_plot_and_cast() -> None:
    film, _ = parse("old-layout-text.html")
    assert [(d.name, d.id) for d in film.directors] == [("Peter Bogdanovich", "nm0000953")]
    assert [w.name for w in film.writers] == ["Anna Hamilton Phelan"]
    assert film.stars == ["Cher", "Eric Stoltz", "Sam Elliott"]
    assert film.genres == ["Biography", "Drama"]
    assert film.rating is not None and (film.rating.value, film.rating.votes) == (7.0, 12168)
    assert film.plot == (
        "Rusty Dennis is the mother of Rocky, a seriously deformed but extremely intelligent and "
        "emotionally warm child."
    )
    assert [(m.name, m.character, m.credited_as) for m in film.cast] == [
        ("Cher", "Florence 'Rusty' Dennis", None),
        ("Sam Elliott", "Gar", None),
        ("Kelly Jo Minter", "Lorrie", "Kelly Minter"),
    ]


def test_lost_runtime_minutes_stay_none() -> None:
    body = '<div class="txt-block"><h4 class="inline">Runtime:</h4> | USA: (director\'s cut)</div>'
    html = f"<html><head><title>Mask (1985)</title></head><body><h1>Mask (1985)</h1>{body}</body></html>"
    film = parse_html_page(html, "lost.html").film
    assert [(r.minutes, r.country, r.note) for r in film.runtimes] == [(None, "USA", "director's cut")]


def test_unreadable_text_section_is_reported() -> None:
    body = "<h1>Film (2000)</h1><div><h4>Director:</h4> Someone</div><div><h4>Budget:</h4> a lot</div>"
    result = parse_html_page(f"<html><body>{body}</body></html>", "b.html")
    assert result.film.box_office == []
    assert any(
        str(d) == "b.html:1: budget 'a lot' is not an amount of money; not kept" for d in result.diagnostics
    )


# --- not a movie page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        (DATA / "garbage.html").read_text(encoding="utf-8"),
        "",
        "hello, world",
        "<html><body><h1>Welcome</h1><p>Nothing here.</p></body></html>",
        ld_page('{"@type": "Movie", "url": "/title/tt0000006/"}'),  # a film item without a title
        '<html><head><script type="application/ld+json">{not json</script></head></html>',
    ],
    ids=["blog", "empty", "plain-text", "no-film", "no-title", "only-broken-json-ld"],
)
def test_not_a_movie_page(html: str) -> None:
    with pytest.raises(NotAMoviePage) as caught:
        parse_html_page(html, "input.html")
    message = str(caught.value)
    assert message.startswith("input.html: not a movie page: ")
    assert "\n" not in message
    assert isinstance(caught.value, InputError)


def test_looks_like_html() -> None:
    for name in (
        "jsonld-lenient.html",
        "microdata-only.html",
        "open-graph-only.html",
        "old-layout-text.html",
    ):
        assert looks_like_html((DATA / name).read_text(encoding="utf-8")), name
    assert looks_like_html("\ufeff  <!-- saved -->\n<!doctype html><title>x</title>")
    assert looks_like_html("<HTML><BODY>x</BODY></HTML>")
    assert not looks_like_html("March 8th, 1985\n\nA boy with a massive facial skull deformity…")
    assert not looks_like_html("Rocky <3 Rusty\nRelease Year: 1985")
    if TEXT_PAGE.exists():
        assert not looks_like_html(TEXT_PAGE.read_text(encoding="utf-8"))


# --- small readers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "minutes"),
    [("PT2H16M", 136), ("PT136M", 136), ("PT2H", 120), ("P0DT1H5M", 65), ("PT1H47M0S", 107), (91, 91),
     ("91 min", 91), ("PT", None), ("two hours", None), (None, None)],
)  # fmt: skip
def test_iso_minutes(value: object, minutes: int | None) -> None:
    assert iso_minutes(value) == minutes


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("8.7", 8.7),
        ("1,234", 1234.0),
        ("7,0", 7.0),
        (" 12 168 ", 12168.0),
        (8, 8.0),
        ("n/a", None),
        (True, None),
    ],
)
def test_parse_number(value: object, number: float | None) -> None:
    assert parse_number(value) == number


@pytest.mark.parametrize(
    ("text", "date"),
    [("8 March 1985", "1985-03-08"), ("March 31, 1999", "1999-03-31"), ("December 2006", "2006-12"),
     ("1985", "1985"), ("Apr 4, 1999", "1999-04-04"), ("USA", None), ("31 February 1999", None)],
)  # fmt: skip
def test_parse_date(text: str, date: str | None) -> None:
    assert parse_date(text) == date


# --- never a traceback ---------------------------------------------------------------------------

_PIECES = [
    "<", ">", "!", "[", "]", "-", "/", '"', "'", "=", "&", ";", "#", "x", " ", "\n", "<!", "<![CDATA[",
    "<!--", "-->", "<?", "<script>", "</script>", '<script type="application/ld+json">', "<table>", "<tr>",
    "<td>", "<h4>", "Runtime:", "Budget:", "$", "1,0", "(", ")", "|", "itemscope", 'itemprop="name"',
    'itemtype="http://schema.org/Movie"', "<div ", "<p>", "</div>", "&#", "&#x", "99999999999", "\x00",
    "\ufeff",
    '{"@type": "Movie", "name": ', '"aggregateRating": {"ratingValue": -5}', "PT", "1e999", "}",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_any_input_gives_a_film_or_not_a_movie_page(html: str) -> None:
    try:
        result = parse_html_page(html, "fuzz.html")
    except NotAMoviePage as err:
        assert str(err).startswith("fuzz.html: not a movie page: ")
    else:
        assert result.film.title


def test_conditional_comment_markup_is_text_not_a_crash() -> None:
    html = (
        '<html><!--[if IE]><p>old</p><![endif]--><![if !IE]><meta property="og:type" content="video.movie">'
    )
    html += '<meta property="og:title" content="Film (2001) - IMDb"><![endif]></html>'
    film = parse_html_page(html, "ie.html").film
    assert (film.title, film.year) == ("Film", 2001)


# --- bytes from a file ---------------------------------------------------------------------------

_LATIN_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
    '<script type="application/ld+json">{"@type": "Movie", "name": "Amélie", '
    '"url": "/title/tt0211915/"}</script>'
    "</head></html>"
)


@pytest.mark.parametrize(
    "data",
    [
        _LATIN_PAGE.encode("iso-8859-1"),
        _LATIN_PAGE.replace("iso-8859-1", "utf-8").encode("utf-8"),
        b"\xef\xbb\xbf" + _LATIN_PAGE.replace("iso-8859-1", "utf-8").encode("utf-8"),
        _LATIN_PAGE.replace("; charset=iso-8859-1", "").encode("cp1252"),  # no charset, not UTF-8
    ],
    ids=["declared-latin-1", "declared-utf-8", "bom", "undeclared-cp1252"],
)
def test_bytes_are_decoded_by_their_charset(data: bytes) -> None:
    assert parse_html_bytes(data, "saved.html").film.title == "Amélie"


def test_binary_data_is_not_a_movie_page() -> None:
    with pytest.raises(NotAMoviePage, match=r"^saved\.bin: not a movie page: binary data"):
        parse_html_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "saved.bin")


def test_json_ld_wrapped_in_cdata_comments_with_a_trailing_comma() -> None:
    film, diagnostics = parse("letterboxd-style.html")
    assert (film.id, film.title, film.year) == ("the-matrix-1999", "The Matrix", 1999)  # releasedEvent
    assert [d.name for d in film.directors] == ["Lilly Wachowski", "Lana Wachowski"]
    assert [m.name for m in film.cast] == ["Keanu Reeves", "Laurence Fishburne"]  # "actors"
    assert film.genres == ["Sci-Fi", "Action"]  # IMDb's name for Letterboxd's "Science Fiction"
    # Letterboxd's members' average is Letterboxd's score, not IMDb's users' rating.
    assert film.rating is None
    assert film.scores == [
        ExternalScore(source="Letterboxd", kind="average", value=4.21, scale=5, count=1980000)
    ]
    assert film.external_ids == {"letterboxd": "the-matrix"}
    assert film.outline is not None and film.outline.startswith("Set in the 22nd century")  # og:description
    assert film.release_dates == []  # a bare year is no release date
    assert any(
        "JSON-LD block 1 read after removing comments, CDATA or trailing commas" in d for d in diagnostics
    )


_HEADING_2016 = """<html><head><title>The Matrix (1999) - IMDb</title></head><body>
<div itemscope itemtype="http://schema.org/Movie">
<h1 itemprop="name" class="">{name}&nbsp;<span id="titleYear">(<a href="/year/1999/">1999</a>)</span></h1>
<meta itemprop="datePublished" content="{date}" />
</div></body></html>"""


@pytest.mark.parametrize("date", ["1999-03-31", ""])
def test_a_heading_holding_its_year_is_read_as_title_and_year(date: str) -> None:
    # IMDb's 2015-2017 layout puts the year inside the item's name (<h1 itemprop="name">).
    film = parse_html_page(_HEADING_2016.format(name="The Matrix", date=date), source="m.html").film
    assert (film.title, film.year) == ("The Matrix", 1999)


def test_a_heading_year_other_than_the_films_stays_in_the_title() -> None:
    # "(1999)" that is not the item's own year is part of the name, not a year to drop.
    # (The <title> is this film's, without a year: a <title> stating a year would outweigh a release date.)
    page = (
        _HEADING_2016.replace('(<a href="/year/1999/">1999</a>)', "(1999)")
        .replace("The Matrix (1999) - IMDb", "Prince - IMDb")
        .format(name="Prince", date="1982-10-27")
    )
    film = parse_html_page(page, source="m.html").film
    assert film.year == 1982
    assert film.title.startswith("Prince")
