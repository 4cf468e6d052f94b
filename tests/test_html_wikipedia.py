"""Wikipedia's film articles are read from their infobox and Cast section; articles on anything else are
refused in one line.

Unit rules on small articles written here in the markup Wikipedia serves (footnote markers, "(uncredited)",
plainlists, ``<br>`` lists, hidden ISO dates, money as the page rounds it, German labels, Cast lists and
tables), then the real
saved articles in tests/data/html/real/wikipedia/ against bench/page_facts_6.py (facts written by reading
each page before the reader was written)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import NotAMoviePage
from marquee.formats.html_dom import parse_dom
from marquee.formats.html_wikipedia import wikipedia_facts
from marquee.formats.html_wikipedia_values import label_key, money
from marquee.formats.htmlpage import parse_html_bytes, parse_html_page
from marquee.records import BoxOffice, CastMember, CrewMember, PersonRef, ReleaseDate, Runtime
from marquee.services.page_import import import_pages
from marquee.storage.sqlstore import SqlStore

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from page_facts_6 import HELD_OUT_6
from score_pages import find, score

REAL = Path(__file__).parent / "data" / "html" / "real" / "wikipedia" / "zli117--Web-Scraper"
_REF = '<sup class="reference"><a href="#cite_note-{0}">[{0}]</a></sup>'


def article(rows: str, *, lead: str = "", host: str = "en", extra: str = "", heading: str = "Mask") -> str:
    """A saved Wikipedia article in the 2019 Vector markup, with the given infobox rows."""
    return f"""<!DOCTYPE html><html lang="{host}"><head><title>{heading} - Wikipedia</title>
<link rel="canonical" href="https://{host}.wikipedia.org/wiki/{heading.replace(" ", "_")}"/></head><body>
<h1 id="firstHeading" class="firstHeading">{heading}</h1><div class="mw-parser-output">
<table class="infobox vevent"><tbody><tr><th colspan="2" class="summary">Mask</th></tr>{rows}</tbody></table>
{lead}<h2>Plot</h2><p>Rocky is born with a rare disorder.</p>{extra}</div>
<div id="p-tb"><ul><li id="t-wikibase"><a href="https://www.wikidata.org/wiki/Special:EntityPage/Q1140317">
Wikidata item</a></li></ul></div></body></html>"""


def row(label: str, cell: str) -> str:
    return f'<tr><th scope="row">{label}</th><td>{cell}</td></tr>'


def plainlist(*items: str) -> str:
    return '<div class="plainlist"><ul>' + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>"


MASK_ROWS = "".join(
    [
        row("Directed by", '<a href="/wiki/Peter_Bogdanovich">Peter Bogdanovich</a>' + _REF.format(1)),
        row("Screenplay by", "Anna Hamilton Phelan"),
        row("Story by", "Anna Hamilton Phelan<br />Jane Doe" + _REF.format("a")),
        row("Produced by", "Martin Starger<br />Peter Bart (uncredited)"),
        row("Starring", plainlist("Cher", "Sam Elliott", "Eric Stoltz", "Dennis Burkley (uncredited)")),
        row("Music by", '<div class="hlist"><ul><li>Bob Seger</li><li>Dennis Ricotta</li></ul></div>'),
        row("Release date", plainlist(
            'March&#160;8,&#160;1985<span style="display:none">&#160;(<span class="bday dtstart published">'
            "1985-03-08</span>)</span> (United States)",
            'February&#160;2,&#160;1985<span style="display:none">&#160;(<span class="dtstart">1985-02-02'
            "</span>)</span> (Tokyo)",
        ) + '<li class="mw-empty-elt"></li>'),
        row("Running time", "120 minutes" + _REF.format(2)),
        row("Country", "United States"),
        row("Language", "English"),
        row("Budget", "$7.5 million"),
        row("Box office", "$2.195 billion" + _REF.format(3)),
        row("Distributed by", "Universal Pictures"),
    ]
)  # fmt: skip
# The lead's source breaks a line inside the paragraph; the outline is one line.
MASK_LEAD = "<p><b>Mask</b> is a 1985 American drama film directed\nby Peter Bogdanovich.{}</p>"
MASK_LEAD = MASK_LEAD.format(_REF.format(4))
MASK_LINKS = (
    '<h2>External links</h2><ul><li><a class="external text" href="https://www.imdb.com/title/tt0089560/">'
    '<i>Mask</i></a> on <a href="/wiki/IMDb">IMDb</a></li></ul>'
)


@pytest.fixture
def mask_page() -> Any:
    """Mask (1985) read from a small English article with every kind of row the reader knows."""
    return parse_html_page(article(MASK_ROWS, lead=MASK_LEAD, extra=MASK_LINKS), "mask.html")


def test_infobox_rows_are_read_by_their_label(mask_page: Any) -> None:
    film = mask_page.film
    assert (film.id, film.title, film.year) == ("tt0089560", "Mask", 1985)
    assert film.directors == [PersonRef(name="Peter Bogdanovich")]  # the footnote [1] is no part of the name
    assert [p.name for p in film.writers] == ["Anna Hamilton Phelan", "Jane Doe"]  # screenplay + story, once
    assert film.stars == ["Cher", "Sam Elliott", "Eric Stoltz", "Dennis Burkley"]
    assert CrewMember(name="Martin Starger", category="producer") in film.crew
    assert [c.name for c in film.crew if c.category == "composer"] == ["Bob Seger", "Dennis Ricotta"]
    assert film.runtimes == [Runtime(minutes=120)]
    assert (film.countries, film.languages) == (["United States"], ["English"])
    assert film.external_ids == {"wikidata": "Q1140317"}


def test_uncredited_is_a_note_on_the_credit_not_the_name(mask_page: Any) -> None:
    assert "Dennis Burkley" in mask_page.film.stars
    assert not any("uncredited" in name for name in mask_page.film.stars)
    assert CrewMember(name="Peter Bart", category="producer") in mask_page.film.crew  # no job "uncredited"


def test_release_dates_keep_their_country_and_a_city_is_a_note(mask_page: Any) -> None:
    assert mask_page.film.release_dates == [
        ReleaseDate(date="1985-03-08", country="United States"),
        ReleaseDate(date="1985-02-02", note="Tokyo"),
    ]
    assert mask_page.film.year == 1985  # the first release's year


def test_money_is_kept_with_its_currency_as_rounded_as_the_page_states_it(mask_page: Any) -> None:
    assert mask_page.film.box_office == [
        BoxOffice(kind="budget", amount=7_500_000, currency="USD"),
        BoxOffice(kind="gross", amount=2_195_000_000, currency="USD"),
    ]
    messages = [d.message for d in mask_page.diagnostics]
    said = "'$2.195 billion' kept as 2195000000 USD, rounded as the page states it"
    assert any(said in m for m in messages)


def test_the_lead_is_the_outline_and_rows_with_no_place_are_reported(mask_page: Any) -> None:
    assert mask_page.film.outline == "Mask is a 1985 American drama film directed by Peter Bogdanovich."
    assert mask_page.sections.layout == "wikipedia-infobox"
    messages = " ".join(d.message for d in mask_page.diagnostics)
    assert "Distributed by (distributor)" in messages


def test_a_lead_that_does_not_say_what_the_film_is_is_not_the_outline() -> None:
    lead = "<p>Rocky Dennis was a boy from Azusa, California.</p>"
    film = parse_html_page(article(MASK_ROWS, lead=lead), "mask.html").film
    assert film.outline is None
    assert film.id == "mask-1985"  # no IMDb link: the slug


def test_german_labels_are_read_and_named_in_the_layout() -> None:
    rows = "".join(
        [
            "<tr><td>Regie</td><td>Peter Bogdanovich</td></tr>",  # German infoboxes label rows with <td>
            "<tr><td>Rocky Dennis</td><td>a boy</td></tr>",  # a <td> that is no label the tables know
            row("Drehbuch", "Anna Hamilton Phelan"),
            row("Besetzung", plainlist("Cher", "Sam Elliott")),
            row("Länge", "120 Minuten"),
            row("Produktionsland", "Vereinigte Staaten"),
            row("Erscheinungsjahr", "1985"),
        ]
    )
    result = parse_html_page(article(rows, host="de", heading="Die Maske"), "maske.html")
    assert result.film.year == 1985 and result.film.runtimes == [Runtime(minutes=120)]
    assert result.film.countries == ["United States"] and result.film.stars == ["Cher", "Sam Elliott"]
    assert result.sections.layout == "wikipedia-infobox+de"
    assert [p.name for p in result.film.directors] == ["Peter Bogdanovich"]
    assert not any("Rocky Dennis" in d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    ("rows", "why"),
    [
        (row("Directed by", "Lasseter") + row("No. of episodes", "15") + row("Original network", "Disney"),
         "a Wikipedia article on a television series (its infobox shows No. of episodes, Original network)"),
        (row("Born", "29 March 1943") + row("Occupation", "Actor"),
         "a Wikipedia article on a person (its infobox shows Born, Occupation)"),
        (row("Directed by", "Peter Bogdanovich") + row("Genre", "Drama"),
         "a Wikipedia article whose infobox is no film's (Directed by, Genre)"),
    ],
)  # fmt: skip
def test_an_infobox_that_is_no_films_is_refused_in_one_line(rows: str, why: str) -> None:
    with pytest.raises(NotAMoviePage) as refused:
        parse_html_page(article(rows), "page.html")
    assert str(refused.value) == f"page.html: not a movie page: {why}"


@pytest.mark.parametrize(
    ("body", "heading", "why"),
    [
        ('<div id="disambigbox">Mask may refer to:</div>', "Mask", "a Wikipedia disambiguation page (Mask)"),
        ("<p>Films of 1985.</p>", "List of American films of 1985", "a Wikipedia list (List of American"),
        ("<p>A mask is a covering.</p>", "Mask", "a Wikipedia article with no infobox (Mask)"),
    ],
)
def test_an_article_without_infobox_is_refused_saying_what_it_is(body: str, heading: str, why: str) -> None:
    page = (
        f"<html><head><title>{heading} - Wikipedia</title><link rel='canonical' "
        f"href='https://en.wikipedia.org/wiki/X'/></head><body><h1 id='firstHeading'>{heading}</h1>"
        f"<div class='mw-parser-output'>{body}</div></body></html>"
    )
    with pytest.raises(NotAMoviePage) as refused:
        parse_html_page(page, "page.html")
    assert str(refused.value).startswith(f"page.html: not a movie page: {why}")


def test_another_sites_page_is_not_wikipedias() -> None:
    page = "<html><head><title>Mask - Wikipedia fan site</title></head><body><p>Mask</p></body></html>"
    assert wikipedia_facts(parse_dom(page)) is None


def test_money_reads_currencies_and_refuses_what_is_no_single_amount() -> None:
    found, refused = money("US$12,500,000 CN¥4.68 billion €3 million ¥500 million $10–15 million")
    assert [(m.amount, m.currency, m.rounded) for m in found] == [
        (12_500_000, "USD", False),
        (4_680_000_000, "CNY", True),
        (3_000_000, "EUR", True),
    ]
    assert refused == ["¥500 million", "$10–1"]  # a bare ¥ names no one currency; a range is no amount


def test_labels_are_folded_for_the_table() -> None:
    assert label_key("Production\u00a0company ") == "production company"
    assert label_key("Länge:") == "lange" and label_key("Durée[1]") == "duree"


def cast_of(section: str, *, host: str = "en") -> list[tuple[str, str | None]]:
    """The (name, character) rows read from an article whose body holds ``section`` after the plot."""
    film = parse_html_page(article(MASK_ROWS, extra=section, host=host), "mask.html").film
    return [(c.name, c.character) for c in film.cast]


def cast_list(*items: str, heading: str = "Cast") -> str:
    """A Cast section as the 2019 Vector skin writes it: a headline span, the list in a ``div-col``."""
    lis = "".join(f"<li>{i}</li>" for i in items)
    headline = f'<h2><span class="mw-headline" id="{heading.replace(" ", "_")}">{heading}</span></h2>'
    return (
        f'{headline}<div class="div-col columns"><ul>{lis}</ul></div><h2>Production</h2><ul><li>Peter Bart as'
        " a producer</li></ul>"
    )


def listed(*items: str) -> list[tuple[str, str | None]]:
    """The (name, character) rows read from a Cast section listing ``items``."""
    return cast_of(cast_list(*items))


def test_a_cast_item_is_an_actor_and_a_character_without_the_description_after_it() -> None:
    rows = listed(
        '<a href="/wiki/Cher">Cher</a> as Rusty Dennis, a biker and Rocky\'s mother' + _REF.format(5),
        '<a href="/wiki/Eric_Stoltz">Eric Stoltz</a> as <a href="/wiki/R">Rocky Dennis</a>: a boy',
        "Sam Elliott as Gar. He rides with Rusty's gang.",
        "Estelle Getty as Evelyn – Rocky's grandmother",
    )
    assert rows == [("Cher", "Rusty Dennis"), ("Eric Stoltz", "Rocky Dennis"), ("Sam Elliott", "Gar"),
                    ("Estelle Getty", "Evelyn")]  # fmt: skip


def test_as_himself_is_the_character_himself_and_a_bare_name_has_no_character() -> None:
    rows = listed(
        "Bob Seger as himself",
        "Mary Doe as Herself (archive footage)",
        "Dennis Burkley (uncredited)",
        "Several bikers of the Hells Angels appear in minor roles.",
    )
    assert rows == [("Bob Seger", "Himself"), ("Mary Doe", "Herself"), ("Dennis Burkley", None)]


def test_nested_lists_of_minor_roles_are_kept_in_page_order() -> None:
    rows = listed(
        "Laura Dern as Diana Adams, a blind girl"
        "<ul><li>Micole Mercurio as Babe</li><li>Harry Carey Jr.</li></ul>",
        "Lawrence Monoson as Ben",
    )
    assert rows == [("Laura Dern", "Diana Adams"), ("Micole Mercurio", "Babe"), ("Harry Carey Jr.", None),
                    ("Lawrence Monoson", "Ben")]  # fmt: skip


def test_footnotes_abbreviations_and_punctuation_inside_links_stay_out_of_the_split() -> None:
    rows = listed(
        "Suzanne Shepherd as Asst. Principal Anita Hoargarth" + _REF.format(6),
        'Rochelle Rose as <a href="/wiki/N_Leslie">Noël Leslie, Countess of Rothes</a>: kind to all',
        'Dale Dye as Gen. "Y"',
        'Lew Palter and <a href="/wiki/E_Raven">Elsa Raven</a> as Isidor Straus and Ida Straus: a couple',
    )
    assert rows == [
        ("Suzanne Shepherd", "Asst. Principal Anita Hoargarth"),
        ("Rochelle Rose", "Noël Leslie, Countess of Rothes"),
        ("Dale Dye", 'Gen. "Y"'),
        ("Lew Palter", "Isidor Straus"),
        ("Elsa Raven", "Ida Straus"),
    ]


def test_a_cast_wikitable_is_read_by_its_actor_and_role_columns() -> None:
    table = (
        '<div class="mw-heading mw-heading2"><h2 id="Cast_and_characters">Cast and characters</h2></div>'
        '<table class="wikitable"><tr><th>Role</th><th>Actor</th></tr>'
        "<tr><td>Rusty Dennis</td><td><a href='/wiki/Cher'>Cher</a>" + _REF.format(7) + "</td></tr>"
        "<tr><td>Himself</td><td>Bob Seger</td></tr><tr><td>Gar (voice)</td><td>Sam Elliott</td></tr></table>"
        "<h2>Production</h2>"
    )
    assert cast_of(table) == [("Cher", "Rusty Dennis"), ("Bob Seger", "Himself"), ("Sam Elliott", "Gar")]


def test_a_cast_inside_parsoid_section_wrappers_is_read() -> None:
    sections = (
        '<section data-mw-section-id="1"><h2 id="Cast">Cast</h2><ul><li>Cher as Rusty Dennis</li></ul>'
        '<section data-mw-section-id="2"><h3 id="Minor">Minor</h3><ul><li>Bob Seger as himself</li></ul>'
        '</section></section><section data-mw-section-id="3"><h2 id="Production">Production</h2>'
        "<ul><li>Peter Bart as a producer</li></ul></section>"
    )
    assert cast_of(sections) == [("Cher", "Rusty Dennis"), ("Bob Seger", "Himself")]


def test_a_spanish_reparto_reads_como_and_another_section_is_no_cast() -> None:
    assert cast_of(cast_list("Cher como Rusty Dennis", heading="Reparto"), host="es") == [
        ("Cher", "Rusty Dennis")
    ]
    assert (
        cast_of('<h2><span class="mw-headline" id="Crew">Crew</span></h2><ul><li>Cher as Rusty</li></ul>')
        == []
    )


def test_the_cast_section_is_the_cast_and_the_infobox_starring_stays_the_stars() -> None:
    film = parse_html_page(
        article(MASK_ROWS, extra=cast_list("Sam Elliott as Gar", "Cher as Rusty")), "m.html"
    ).film
    assert film.stars == ["Cher", "Sam Elliott", "Eric Stoltz", "Dennis Burkley"]
    assert film.cast == [
        CastMember(name="Sam Elliott", character="Gar"),
        CastMember(name="Cher", character="Rusty"),
    ]


@pytest.mark.parametrize("entry", HELD_OUT_6, ids=[Path(e["page"]).name for e in HELD_OUT_6])
def test_a_real_article_gives_its_facts_and_invents_none(entry: dict[str, Any]) -> None:
    assert find(entry["page"]) is not None, "page copy missing"
    right, total, invented, problems, layout = score(entry, verbose=False)
    assert (right, invented) == (total, 0), problems
    assert layout == "wikipedia-infobox"


def test_titanic_keeps_its_festival_premiere_as_a_note_and_its_box_office_rounded() -> None:
    page = REAL / "Titanic_1997_film_rev885175866.html"
    result = parse_html_bytes(page.read_bytes(), page.name)
    assert result.film.release_dates[0] == ReleaseDate(date="1997-11-01", note="Tokyo")
    assert BoxOffice(kind="gross", amount=2_187_000_000, currency="USD") in result.film.box_office
    assert result.diagnostics[0].message.startswith("read as wikipedia-infobox (Wikipedia's infobox vevent")


def test_titanic_reads_its_cast_sub_sections_in_order_and_no_cameo_prose() -> None:
    page = REAL / "Titanic_1997_film_rev885175866.html"
    cast = parse_html_bytes(page.read_bytes(), page.name).film.cast
    assert (cast[0].name, cast[0].character) == ("Leonardo DiCaprio", "Jack Dawson")  # ": Cameron said …" cut
    assert (cast[10].name, cast[10].character) == ("Kathy Bates", 'Margaret "Molly" Brown')  # "Historical"
    assert "Anders Falk" not in [c.name for c in cast]  # named in the Cameos paragraph, no list


def test_the_cars_toons_series_article_is_refused_as_a_series() -> None:
    page = REAL / "Cars_Toons_rev882842626.html"
    with pytest.raises(NotAMoviePage, match="a Wikipedia article on a television series"):
        parse_html_bytes(page.read_bytes(), page.name)


def test_an_imported_article_is_stored_with_the_page_as_its_source(store: SqlStore) -> None:
    page = REAL / "Uncle_Buck_rev883818490.html"
    import_pages(store, [(page.name, parse_html_bytes(page.read_bytes(), page.name))])
    film = store.get_film("tt0098554")
    assert film is not None and film.title == "Uncle Buck"
    assert BoxOffice(kind="gross", amount=79_200_000, currency="USD") in film.box_office
    assert ("Ira Newborn", "composer") in [(c.name, c.category) for c in film.crew]
    assert film.external_ids == {"wikidata": "Q609091"}
    assert film.outline is not None and film.outline.startswith("Uncle Buck is a 1989 American comedy film")
    assert set(film.sources.values()) == {f"page:{page.name}#wikipedia-infobox"}
