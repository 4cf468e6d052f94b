"""Metacritic's film pages: scores as markup, credits tables, the summary's credit (html_metacritic.py).

The real pages are scored in tests/test_htmlpage_real.py; these are the rules each family fix rests on."""

from __future__ import annotations

from marquee.formats.html_metacritic import without_summary_credit
from marquee.formats.htmlpage import parse_html_page

HEAD = (
    '<html><head><meta property="og:type" content="video.movie"><meta property="og:title" content="Film">'
    '<link rel="canonical" href="http://www.metacritic.com/movie/film/details"></head><body>'
)


def _table(heading: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(
        f'<tr><td class="person"><a href="/person/x">{name}</a></td><td class="role">{credit}</td></tr>'
        for name, credit in rows
    )
    return (
        f'<table class="credits"><thead><tr><th class="person">{heading}</th><th class="role">Credit</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
    )


def test_a_credit_column_that_repeats_the_heading_names_no_character_and_a_later_listing_fills_it() -> None:
    tables = _table("Principal Cast", [("Ann Able", "Principal Cast"), ("Bo Baker", "Voice")]) + _table(
        "Cast", [("Ann Able", "Maya"), ("Cy Cole", "Cast")]
    )
    film = parse_html_page(HEAD + tables + "</body></html>", "d.html").film
    assert [(c.name, c.character) for c in film.cast] == [
        ("Ann Able", "Maya"),
        ("Bo Baker", None),
        ("Cy Cole", None),
    ]


def test_directors_writers_and_crew_by_heading_and_an_unknown_heading_is_reported() -> None:
    tables = (
        _table("Director", [("Di Rector", "Director")])
        + _table("Writer", [("Wri Ter", "Screenplay")])
        + _table("Producer", [("Pro Ducer", "Executive Producer")])
        + _table("Stunts", [("Stu Nt", "Stunts")])
    )
    result = parse_html_page(HEAD + tables + "</body></html>", "d.html")
    film = result.film
    assert ([p.name for p in film.directors], [p.name for p in film.writers]) == (["Di Rector"], ["Wri Ter"])
    assert [(c.name, c.category, c.job) for c in film.crew] == [
        ("Pro Ducer", "producer", "Executive Producer")
    ]
    assert any("credits headed 'Stunts' (1) have no place" in str(d) for d in result.diagnostics)


def test_the_scores_come_from_the_links_to_the_reviews_never_from_a_critics_own_score() -> None:
    body = (
        '<a class="metascore_anchor" href="/movie/film/critic-reviews">'
        '<span class="metascore_w">71</span></a>'
        '<span class="score_description"><a class="data" href="/movie/film/critic-reviews">'
        '<span class="based_on">based on 1,204 Critics</span></a></span>'
        '<a class="metascore_anchor" href="/movie/film/user-reviews">'
        '<span class="metascore_w user">tbd</span></a>'
        '<div class="review"><div class="metascore_w indiv">100</div></div>'
        + _table("Director", [("Di Rector", "Director")])
    )
    film = parse_html_page(HEAD + body + "</body></html>", "s.html").film
    assert [(s.kind, s.value, s.scale, s.count) for s in film.scores] == [("metascore", 71.0, 100, 1204)]
    assert film.rating is None


def test_the_summary_credit_goes_in_brackets_or_when_it_names_the_distributor() -> None:
    assert without_summary_credit("A plot. [Warner Bros.]") == "A plot."
    assert without_summary_credit("A plot.  (Indican Pictures)", {"indican pictures"}) == "A plot."
    assert without_summary_credit("They meet (again)", {"indican pictures"}) == "They meet (again)"
