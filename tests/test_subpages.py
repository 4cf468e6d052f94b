"""IMDb sub-pages: recognised by evidence in the page, their film's id from the page, their section read
right (never navigation text). The pages in tests/data/html/subpages are copies of
../shared/data/html-pages/imdb (the trivia page trimmed: share links of items after the tenth cut)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marquee.errors import NotAMoviePage
from marquee.formats.htmlpage import parse_html_bytes, parse_html_page
from marquee.records import Goof

SUBPAGES = Path(__file__).parent / "data" / "html" / "subpages"
SHARED = Path(__file__).parents[1].parent / "shared" / "data" / "html-pages"


def parse(name: str):  # type: ignore[no-untyped-def]
    path = SUBPAGES / name
    return parse_html_bytes(path.read_bytes(), str(path))


# file -> (film id, title shown, kind, {section: entries}, sections shown whole)
EXPECTED = {
    "tt0133093_trivia_2016-02-26.html": ("tt0133093", "The Matrix", "trivia", {"trivia": 144}, {"trivia"}),
    "tt0133093_taglines_2016-05-09.html": (
        "tt0133093",
        "The Matrix",
        "taglines",
        {"taglines": 15},
        {"taglines"},
    ),
    "tt0133093_fullcredits_2014.html": (
        "tt0133093",
        "The Matrix",
        "fullcredits",
        {"directors": 2, "writers": 2, "cast": 37, "crew": 16},
        {"directors", "writers", "cast"},
    ),
    "tt0375568_releaseinfo_2022-03-01.html": (
        "tt0375568",
        "Astro Boy",
        "releaseinfo",
        {"release_dates": 64, "alternate_titles": 30},  # the page counts "Also Known As (AKA) (30)"
        {"release_dates", "alternate_titles"},
    ),
    "tt1571249_releaseinfo_2014-07.html": (
        "tt1571249",
        "The Skeleton Twins",
        "releaseinfo",
        {"release_dates": 11, "alternate_titles": 2},  # "Also Known As (AKA) (2)"
        {"release_dates", "alternate_titles"},
    ),
    "tt1571249_locations_2014-07.html": (
        "tt1571249",
        "The Skeleton Twins",
        "locations",
        {"filming_locations": 2},
        {"filming_locations"},
    ),
    "tt1571249_fullcredits_2014-07.html": (
        "tt1571249",
        "The Skeleton Twins",
        "fullcredits",
        {"directors": 1, "writers": 2, "cast": 16, "crew": 12},
        {"directors", "writers", "cast"},
    ),
    "tt1571249_keywords_2014-07.html": ("tt1571249", "The Skeleton Twins", "keywords", {}, set()),
    "tt0120338_technical_2016-02-26.html": (
        "tt0120338",
        "Titanic",
        "technical",
        {"runtimes": 1},
        {"runtimes"},
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_sub_page_yields_its_section(name: str) -> None:
    film_id, title, kind, counts, whole = EXPECTED[name]
    result = parse(name)
    assert result.sections is not None
    assert (result.film.id, result.film.title, result.sections.kind) == (film_id, title, kind)
    assert {field: len(getattr(result.film, field)) for field in result.sections.shown} == counts
    assert result.sections.whole == whole
    # Nothing but the section (and the id, title and year shown in the header) is on the film.
    shown = {k for k, v in result.film.model_dump(exclude_defaults=True).items()} - {"id", "title", "year"}
    assert shown == set(counts)


def test_release_dates_keep_country_date_and_note() -> None:
    film = parse("tt1571249_releaseinfo_2014-07.html").film
    first = film.release_dates[0]
    assert (first.date, first.country, first.note) == ("2014-01-18", "USA", "Sundance Film Festival")
    zebra = parse("tt0375568_releaseinfo_2022-03-01.html").film.release_dates
    assert (zebra[0].date, zebra[0].country, zebra[0].note) == ("2009-10-05", "Japan", "Tokyo; premiere")
    assert (zebra[1].country, zebra[1].note) == ("Hong Kong", None)


def test_filming_locations_are_places_with_their_note() -> None:
    assert parse("tt1571249_locations_2014-07.html").film.filming_locations == [
        "New York, USA",
        "New York City, New York, USA",
    ]


def test_full_credits_cast_has_characters_ids_and_no_label_rows() -> None:
    film = parse("tt0133093_fullcredits_2014.html").film
    neo = film.cast[0]
    assert (neo.name, neo.character, neo.id) == ("Keanu Reeves", "Neo", "nm0000206")
    assert all(c.id and c.id.startswith("nm") for c in film.cast)
    assert not any("Rest of cast" in c.name or "alphabetical" in c.name for c in film.cast)
    crew = {"producer", "composer", "cinematographer", "editor", "casting_director", "production_designer"}
    assert {c.category for c in film.crew} <= crew
    assert [d.id for d in film.directors] == ["nm0905152", "nm0905154"]


def test_trivia_items_are_the_items_not_the_vote_and_share_links() -> None:
    trivia = parse("tt0133093_trivia_2016-02-26.html").film.trivia
    assert trivia[0].startswith("The Wachowskis approached Warner with the idea of the Matrix")
    assert "Carrie-Anne Moss" in trivia[0]  # text of the links inside an item is kept
    noise = re.compile(r"found this interesting|Share this|Permalink|Facebook|Interesting\?")
    assert not [t for t in trivia if noise.search(t)]


def test_technical_specs_give_the_runtime() -> None:
    runtime = parse("tt0120338_technical_2016-02-26.html").film.runtimes
    assert [(r.minutes, r.note) for r in runtime] == [(194, None)]


def test_a_sub_page_without_its_address_is_known_by_its_title_and_header_link() -> None:
    html = (SUBPAGES / "tt0133093_taglines_2016-05-09.html").read_text(encoding="utf-8")
    bare = re.sub(r'<(?:link rel="canonical"|meta property="og:url"|meta property="pageId")[^>]*>', "", html)
    assert "tt0133093/taglines" not in bare.split("<body")[0]
    result = parse_html_page(bare, "saved.html")
    assert result.sections is not None and result.sections.kind == "taglines"
    assert (result.film.id, len(result.film.taglines)) == ("tt0133093", 15)


def test_a_sub_page_naming_no_film_is_refused_not_stored_under_an_invented_id() -> None:
    html = (SUBPAGES / "tt0133093_taglines_2016-05-09.html").read_text(encoding="utf-8")
    anonymous = re.sub(r"tt0133093", "", html)
    with pytest.raises(NotAMoviePage, match=r"^saved\.html:\d+: an IMDb Taglines page that names no film"):
        parse_html_page(anonymous, "saved.html")


def _shell(kind: str, heading: str, content: str) -> str:
    """A 2010–2016 sub-page of another kind: the real taglines page with its address, heading and
    content swapped (IMDb's goofs and quotes pages share that shell; no real copy was found)."""
    html = (SUBPAGES / "tt0133093_taglines_2016-05-09.html").read_text(encoding="utf-8")
    html = html.replace("tt0133093/taglines", f"tt0133093/{kind}").replace(
        " - Taglines - ", f" - {heading} - "
    )
    html = html.replace('<h1 class="header">Taglines</h1>', f'<h1 class="header">{heading}</h1>')
    start = html.index('<div id="taglines_content"')
    end = html.index('<div class="article" id="see_also">')
    return html[:start] + f'<div id="{kind}_content" class="header">{content}</div></div>\n' + html[end:]


def test_goofs_keep_their_category() -> None:
    content = """<div class="header"><div class="nav"><div class="desc">Showing all 2 items</div></div></div>
      <h4 class="li_group">Continuity&nbsp;(1)</h4>
      <div id="gf1" class="soda odd sodavote"><div class="sodatext">The phone booth window is broken,
        then whole.</div><div class="did-you-know-actions"><a href="?item=gf1">12 of 13 found this
        interesting</a> <span class="linksoda"><a href="?item=gf1">Share this</a></span></div></div>
      <h4 class="li_group">Factual errors&nbsp;(1)</h4>
      <div id="gf2" class="soda even sodavote"><div class="sodatext">The rooftop has no exits.</div></div>"""
    result = parse_html_page(_shell("goofs", "Goofs", content), "goofs.html")
    assert result.film.goofs == [
        Goof(category="Continuity", text="The phone booth window is broken, then whole."),
        Goof(category="Factual errors", text="The rooftop has no exits."),
    ]
    assert result.sections is not None and result.sections.whole == {"goofs"}


def test_quotes_are_lines_with_speaker_and_direction() -> None:
    content = """<div class="header"><div class="nav"><div class="desc">Showing all 1 items</div></div></div>
      <div id="qt1" class="quote soda odd sodavote"><div class="sodatext">
        <p><span class="character"><a href="/name/nm0000401/">Morpheus</a></span>:
           [holding out two pills] This is your last chance.</p>
        <p><span class="character"><a href="/name/nm0000206/">Neo</a></span>: Why me?</p>
      </div><div class="did-you-know-actions"><a href="?item=qt1">Share this</a></div></div>"""
    quotes = parse_html_page(_shell("quotes", "Quotes", content), "quotes.html").film.quotes
    assert len(quotes) == 1
    first, second = quotes[0].lines
    assert (first.character, first.direction, first.text) == (
        "Morpheus",
        "holding out two pills",
        "This is your last chance.",
    )
    assert (second.character, second.text) == ("Neo", "Why me?")


def test_a_page_listing_fewer_items_than_it_counts_is_a_part() -> None:
    content = """<div class="header"><div class="nav"><div class="desc">Showing 1-1 of 144 items</div>
      </div></div><div class="soda odd"><div class="sodatext">One trivia item.</div></div>"""
    result = parse_html_page(_shell("trivia", "Trivia", content), "trivia.html")
    assert result.film.trivia == ["One trivia item."]
    assert result.sections is not None and "trivia" in result.sections.shown
    assert result.sections.whole == frozenset()


def test_a_main_page_is_not_a_sub_page() -> None:
    result = parse("tt1571249_main_2014-07.html")
    assert result.sections is not None and result.sections.kind == "main"
    assert result.film.rating is not None and result.film.cast


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not here")
def test_every_shared_imdb_sub_page_is_recognised_with_its_id() -> None:
    rows = [
        line.split("\t") for line in (SHARED / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    subpages = [r for r in rows if r[1] == "page" and r[0].startswith("imdb/") and "title page" not in r[4]]
    assert len(subpages) == 23
    for row in subpages:
        path = SHARED / row[0]
        result = parse_html_bytes(path.read_bytes(), str(path))
        assert result.sections is not None and result.sections.kind != "main", row[0]
        assert result.film.id == row[5], row[0]
        assert not re.search(r"\(\d{4}\)|IMDb", result.film.title), row[0]


def test_a_plot_summary_page_gives_the_first_summary_without_its_author() -> None:
    html = """<!DOCTYPE html>
<html><head><title>The Matrix (1999) - Plot Summary - IMDb</title>
<link rel="canonical" href="https://www.imdb.com/title/tt0133093/plotsummary"></head>
<body><div class="subpage_title_block"><h3 itemprop="name"><a href="/title/tt0133093/">The Matrix</a>
<span class="nobr">(1999)</span></h3><h1 class="header">Plot</h1></div>
<h4 id="summaries">Summaries</h4>
<ul class="ipl-zebra-list" id="plot-summaries-content">
<li class="ipl-zebra-list__item" id="summary-ps0"><p>Thomas A. Anderson is a man living two lives.</p>
<div class="author-container"><em>&mdash;<a href="/search/title?plot_author=rc27">rc27</a></em>
</div></li>
<li class="ipl-zebra-list__item" id="summary-ps1"><p>A second summary.</p></li></ul>
<ul class="ipl-zebra-list" id="plot-synopsis-content">
<li class="ipl-zebra-list__item">A long synopsis.</li></ul>
</body></html>"""
    result = parse_html_page(html, "plot.html")
    assert result.sections is not None and result.sections.shown == {"plot"}
    assert result.film.plot == "Thomas A. Anderson is a man living two lives."
