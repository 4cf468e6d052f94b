"""The layout family a page is read as (formats/html_layout.py), by the evidence in the page itself:
one real saved page of each family, the sub-pages, other sites; the losers reported in the diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from marquee.formats.htmlpage import parse_html_bytes, parse_html_page
from marquee.formats.textpage import PageResult

HTML = Path(__file__).parent / "data" / "html"
REAL = HTML / "real"

FAMILIES = {
    "tt0133093_2023-05-26.html": "imdb-2022-nextdata",
    "real/imdb/slftp--slftp/tt0375568_2021-06-08.html": "imdb-2021-react",
    "real/imdb/jmarroyave-compsci--node-imdb-parser/tt0076759_2022-02.html": "imdb-2021-react",
    "real/imdb/defeed--spotlite/tt0133093_index_2016-02-26.html": "imdb-2010-overview",
    "real/imdb/dirk--hipster/tt1853728_2013-01-08.html": "imdb-2010-overview",
    "real/imdb/gitpan--IMDB-Film/tt0332452_2009-06-29.html": "imdb-2006-tn15",
    "real/imdb/gitpan--IMDB-Film/tt0332452_2007-02-20.html": "imdb-2006-tn15",
    "real/imdb/gitpan--IMDB-Film/tt0332452_2005-11-17.html": "imdb-2005-legacy",
    "real/letterboxd/drewstinnett--go-letterboxd/sweet-sweetbacks-baadasssss-song.html": "letterboxd-jsonld",
    "real/rottentomatoes/jonbaer--opengraph/m_1217700-kick_ass_2010-04-22.html": "rottentomatoes-text",
    "subpages/tt0133093_trivia_2016-02-26.html": "imdb-2010-trivia",
    "subpages/tt1571249_locations_2014-07.html": "imdb-2010-locations",
    "subpages/tt0375568_releaseinfo_2022-03-01.html": "imdb-2010-releaseinfo",
    "microdata-only.html": "imdb-microdata",
    "open-graph-only.html": "imdb-opengraph",
}


def parse(name: str) -> PageResult:
    path = HTML / name
    return parse_html_bytes(path.read_bytes(), path.name)


@pytest.mark.parametrize(("name", "layout"), sorted(FAMILIES.items()))
def test_each_saved_page_is_read_as_its_family(name: str, layout: str) -> None:
    result = parse(name)
    assert result.sections is not None and result.sections.layout == layout
    assert result.diagnostics[0].message.startswith(f"read as {layout} (")


def test_the_2022_page_names_its_evidence_and_the_families_it_did_not_choose() -> None:
    first = parse("tt0133093_2023-05-26.html").diagnostics[0]
    assert first.line == 1
    assert first.message.startswith(
        "read as imdb-2022-nextdata (a title in __NEXT_DATA__); also seen, not chosen: "
    )
    losers = first.message.split("not chosen: ", 1)[1]
    assert losers.startswith("imdb-2021-react (IMDb's hero__")
    assert "imdb-jsonld (@type Movie)" in losers
    assert "imdb-nextdata" not in losers  # the chosen family's own reader is not a loser


def test_a_2010_page_reports_its_microdata_and_text_as_losers() -> None:
    message = parse("real/imdb/defeed--spotlite/tt0133093_index_2016-02-26.html").diagnostics[0].message
    assert message.startswith(
        "read as imdb-2010-overview (IMDb's title-overview-widget); also seen, not chosen: "
    )
    assert "imdb-microdata (@type Movie)" in message and "imdb-text (film sections: " in message


def test_a_sub_page_names_its_layout_and_how_it_was_recognised() -> None:
    first = parse("subpages/tt0133093_trivia_2016-02-26.html").diagnostics[0].message
    assert first.startswith(
        "read as imdb-2010-trivia (IMDb's div#trivia_content), recognised by its address "
    )


def test_the_same_signs_in_another_order_give_the_same_family() -> None:
    """Evidence decides, not the order of the markup: JSON-LD before or after the overview widget."""
    movie = '{"@type": "Movie", "name": "Heat", "datePublished": "1995"}'
    ld = f'<script type="application/ld+json">{movie}</script>'
    widget = '<div id="title-overview-widget"><h1>Heat (1995)</h1></div>'
    for body in (ld + widget, widget + ld):
        result = parse_html_page(f"<html><head></head><body>{body}</body></html>", "heat.html")
        assert result.sections is not None and result.sections.layout == "imdb-2017-jsonld"


def test_a_page_of_no_known_site_is_named_by_its_strongest_reader() -> None:
    page = (
        '<html><head><script type="application/ld+json">{"@type": "Movie", "name": "Heat"}</script>'
        '<meta property="og:type" content="video.movie"><meta property="og:title" content="Heat">'
        "</head><body></body></html>"
    )
    result = parse_html_page(page, "heat.html")
    assert result.sections is not None and result.sections.layout == "page-jsonld"
    assert "not chosen: page-opengraph (og:type video.movie)" in result.diagnostics[0].message
