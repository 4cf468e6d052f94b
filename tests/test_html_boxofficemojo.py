"""Box Office Mojo's film pages (formats/html_boxofficemojo.py): grosses as box office, never as ratings.

The real page (Astro Boy's 2020+ title summary, tests/data/html/real/boxofficemojo/) is scored against the
facts in bench/page_facts_5.py, written by reading it; the small pages below are the rules of each layout
(the release page and the pre-2020 ``/movies/`` page are written in the markup public scrapers of the site
select, for a made-up film)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from marquee.errors import NotAMoviePage
from marquee.formats.html_boxofficemojo import minutes, money
from marquee.formats.htmlpage import parse_html_bytes, parse_html_page
from marquee.records import BoxOffice, ReleaseDate

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from page_facts_5 import HELD_OUT_5
from score_pages import find, score

REAL = Path(__file__).parent / "data" / "html" / "real" / "boxofficemojo" / "slftp--slftp"


def _head(path: str, title: str = "Example Film - Box Office Mojo") -> str:
    return (
        f'<html><head><title>{title}</title><meta content="Box Office Mojo" property="og:site_name"/>'
        f'<link rel="canonical" href="https://www.boxofficemojo.com{path}"/></head><body>'
    )


RELEASE_PAGE = _head("/release/rl1234567890/") + (
    '<div class="a-section mojo-heading-summary"><div><h1 class="a-size-extra-large">Example Film</h1>'
    '<span class="a-size-medium">A made-up film.</span></div></div>'
    '<a class="a-link-normal mojo-title-link" href="/title/tt0000001/?ref_=bo_rl_ti">Title Summary</a>'
    '<div class="a-section a-spacing-none mojo-performance-summary-table"><div class="a-section">'
    '<span class="a-size-small">Domestic</span><br/><span class="a-size-medium a-text-bold">'
    '<span class="money">$2,000,000</span></span></div></div>'
    '<div class="a-section a-spacing-none mojo-summary-values">'
    "<div><span>Distributor</span><span>Example Pictures<br/><a>See full company information</a></span></div>"
    '<div><span>Opening</span><span><span class="money">$500,000</span><br/>1,000 theaters</span></div>'
    "<div><span>Release Date</span><span>Oct 23, 2009 - Jan 14, 2010</span></div>"
    "<div><span>Running Time</span><span>2 hr 5 min</span></div>"
    "<div><span>Genres</span><span>Drama\n    Romance\n  Sci-Fi</span></div>"
    "<div><span>Widest Release</span><span>1,000 theaters</span></div></div></body></html>"
)
LEGACY_PAGE = (
    "<html><head><title>Example Film (1994) - Box Office Mojo</title></head><body>"
    '<table><tr><td><font face="Verdana" size="6"><b>Example Film</b></font></td></tr></table>'
    '<table><tr><td align="center" colspan="2"><font size="4">Domestic Total Gross: <b>$10,000,000</b></font>'
    '</td></tr><tr><td valign="top">Distributor: <b><a href="/studio/">Example Pictures</a></b></td>'
    '<td valign="top">Release Date: <b><nobr><a href="/schedule/">October 14, 1994</a></nobr></b></td></tr>'
    '<tr><td valign="top">Genre: <b>Crime Drama</b></td><td valign="top">Runtime: <b>2 hrs. 34 min.</b></td>'
    '</tr><tr><td valign="top">MPAA Rating: <b>R</b></td>'
    '<td valign="top">Production Budget: <b>$8 million</b>'
    '</td></tr></table><div class="mp_box"><div class="mp_box_tab">Total Lifetime Grosses</div>'
    '<div class="mp_box_content"><table><tr><td width="40%"><b>Domestic:</b></td><td><b>$10,000,000</b></td>'
    '<td>40.0%</td></tr><tr><td>+&nbsp;<a href="/movies/?page=intl&amp;id=examplefilm.htm">Foreign:</a></td>'
    "<td>$15,000,000</td><td>60.0%</td></tr><tr><td><b>=&nbsp;Worldwide:</b></td><td><b>$25,000,000</b></td>"
    '</tr></table></div></div><div class="mp_box"><div class="mp_box_tab">Domestic Summary</div>'
    '<div class="mp_box_content"><table><tr>'
    '<td><a href="/movies/?page=weekend">Opening&nbsp;Weekend:</a></td>'
    "<td>&nbsp;$3,000,000</td></tr></table></div></div></body></html>"
)


def test_the_real_title_summary_gives_every_fact_it_shows_and_invents_none() -> None:
    entry = HELD_OUT_5[0]
    assert find(entry["page"]) is not None, "page copy missing"
    right, total, invented, problems, layout = score(entry, verbose=False)
    assert (right, invented, layout) == (total, 0, "boxofficemojo-2020-title"), problems


def test_the_real_page_reports_the_rating_and_distributor_it_cannot_place() -> None:
    page = REAL / "tt0375568_2022-03-01.html"
    result = parse_html_bytes(page.read_bytes(), page.name)
    said = "\n".join(d.message for d in result.diagnostics)
    assert "distributor 'Summit Entertainment'" in said and "MPAA rating 'PG'" in said
    assert result.film.rating is None and result.film.scores == []
    assert "CGI Animation" not in result.film.genres  # IMDbPro's genre keyword chart, beside the summary


def test_a_release_page_gives_that_releases_money_in_its_area_and_the_films_id_from_its_title_link() -> None:
    result = parse_html_page(RELEASE_PAGE, "rl.html")
    film = result.film
    assert (film.id, film.title, film.year, film.outline) == (
        "tt0000001",
        "Example Film",
        None,
        "A made-up film.",
    )
    assert film.box_office == [
        BoxOffice(kind="release gross", amount=2_000_000, country="US & Canada"),
        BoxOffice(kind="opening weekend", amount=500_000, country="US & Canada"),
    ]
    assert film.release_dates == [ReleaseDate(date="2009-10-23", country="US & Canada")]
    assert (film.runtimes[0].minutes, film.genres) == (125, ["Drama", "Romance", "Sci-Fi"])
    assert film.external_ids == {"boxofficemojo": "release/rl1234567890"}
    assert result.sections is not None and result.sections.layout == "boxofficemojo-2020-release"


def test_a_release_page_of_an_unknown_area_keeps_no_opening_or_date_and_says_so() -> None:
    page = RELEASE_PAGE.replace('"a-size-small">Domestic<', '"a-size-small">Grosses<')
    result = parse_html_page(page, "rl.html")
    assert result.film.box_office == [] and result.film.release_dates == []
    said = "\n".join(d.message for d in result.diagnostics)
    assert "the release's area is not on the page" in said and "Grosses gross" in said


def test_the_pre_2020_movies_page_gives_title_year_grosses_budget_runtime_and_date() -> None:
    result = parse_html_page(LEGACY_PAGE, "old.html")
    film = result.film
    assert (film.title, film.year, film.runtimes[0].minutes) == ("Example Film", 1994, 154)
    assert [(b.kind, b.amount, b.country) for b in film.box_office] == [
        ("gross", 10_000_000, "US & Canada"),
        ("budget", 8_000_000, None),
        ("gross", 15_000_000, "International"),
        ("cumulative worldwide gross", 25_000_000, None),
        ("opening weekend", 3_000_000, "US & Canada"),
    ]
    assert film.release_dates == [ReleaseDate(date="1994-10-14", country="US & Canada")]
    assert film.genres == []  # "Crime Drama" is the site's one category, not IMDb's genres: reported
    said = "\n".join(d.message for d in result.diagnostics)
    assert "genre category 'Crime Drama'" in said and "MPAA rating 'R'" in said
    assert result.sections is not None and result.sections.layout == "boxofficemojo-legacy"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("/year/2009/", "chart or list"),
        ("/weekend/2009W43/", "chart or list"),
        ("/search/?q=astro", "chart or list"),
        ("/title/tt0000001/", "no film's summary"),  # a film's address, but no summary on the page
    ],
)
def test_the_sites_other_pages_are_refused_in_one_line(path: str, why: str) -> None:
    with pytest.raises(NotAMoviePage) as refused:
        parse_html_page(_head(path) + "<h1>Something</h1></body></html>", "p.html")
    assert why in str(refused.value) and "\n" not in str(refused.value)


def test_a_page_only_named_box_office_mojo_is_read_by_its_markup() -> None:
    page = RELEASE_PAGE.replace(
        '<link rel="canonical" href="https://www.boxofficemojo.com/release/rl1234567890/"/>', ""
    )
    film = parse_html_page(page, "saved.html").film
    assert film.title == "Example Film" and "boxofficemojo" not in film.external_ids
    with pytest.raises(NotAMoviePage, match="no film's summary"):
        parse_html_page("<html><head><title>Top Grossers - Box Office Mojo</title></head></html>", "x.html")


@pytest.mark.parametrize(
    ("text", "dollars"),
    [("$65,000,000", 65_000_000), ("$237 million", 237_000_000), ("$1.5 million", 1_500_000), ("–", None),
     ("N/A", None), ("€5,000", None)],
)  # fmt: skip
def test_money_is_whole_us_dollars(text: str, dollars: int | None) -> None:
    assert money(text) == dollars


@pytest.mark.parametrize(
    ("text", "total"),
    [("1 hr 34 min", 94), ("2 hrs. 42 min.", 162), ("94 min", 94), ("2 hr", 120), ("soon", None)],
)
def test_running_times_in_minutes(text: str, total: int | None) -> None:
    assert minutes(text) == total


def test_another_sites_page_is_not_read_as_box_office_mojos() -> None:
    page = '<html><head><link rel="canonical" href="https://www.imdb.com/title/tt0000001/"></head></html>'
    with pytest.raises(NotAMoviePage) as refused:
        parse_html_page(page, "imdb.html")
    assert "Box Office Mojo" not in str(refused.value)


def test_a_re_released_films_old_page_keeps_the_lifetime_gross_apart_from_the_latest_releases() -> None:
    page = LEGACY_PAGE.replace(
        '<td valign="top">Distributor:',
        '<td valign="top">Domestic Lifetime Gross: <b>$12,500,000</b></td><td valign="top">Distributor:',
    )
    domestic = [(b.kind, b.amount) for b in parse_html_page(page, "old.html").film.box_office if b.country]
    assert domestic[:2] == [("release gross", 10_000_000), ("gross", 12_500_000)]


def test_an_old_page_still_in_release_keeps_no_running_total_as_the_gross() -> None:
    page = LEGACY_PAGE.replace("Domestic Total Gross:", "Domestic Total as of Mar. 3, 1995:").replace(
        "<b>Domestic:</b></td><td><b>$10,000,000</b></td>", "<b>Domestic:</b></td><td><b></b></td>"
    )
    result = parse_html_page(page, "old.html")
    assert [b.kind for b in result.film.box_office if b.country == "US & Canada"] == ["opening weekend"]
    assert any("running total" in d.message for d in result.diagnostics)


def test_with_no_address_the_summarys_heading_says_whether_the_money_is_the_films_or_one_releases() -> None:
    bare = RELEASE_PAGE.replace(
        '<link rel="canonical" href="https://www.boxofficemojo.com/release/rl1234567890/"/>', ""
    )
    headed = bare.replace('summary-table"><div', 'summary-table"><h2>All Releases</h2><div')
    release = parse_html_page(bare, "a.html")
    title = parse_html_page(headed, "b.html")
    assert release.film.box_office[0].kind == "release gross" and title.film.box_office[0].kind == "gross"
    layouts = [r.sections.layout for r in (release, title) if r.sections is not None]
    assert layouts == ["boxofficemojo-2020-release", "boxofficemojo-2020-title"]
