# ruff: noqa: E501 (small HTML pages written inline, as the sites write them)
"""The defect classes the second held-out round found (bench/page_facts.py HELD_OUT_2), each on a small
page shaped like the real ones: ČSFD's Czech credits, IMDb 2017–20's credits sentence before the outline and
its unlabelled summary, IMDb 2010's "Users:" rating and meta description, credit notes in a cast table,
Letterboxd's tagline."""

from __future__ import annotations

from marquee.formats.htmlpage import parse_html_page
from marquee.records import Film, Runtime


def _film(html: str) -> Film:
    return parse_html_page(html, source="page.html").film


CSFD = """<html><head><link rel="canonical" href="https://www.csfd.cz/film/535121-na-spatne-strane/prehled/">
<meta property="og:type" content="video.movie"><meta property="og:title" content="Na špatné straně (2018)">
</head><body><div itemscope itemtype="http://schema.org/Movie"><h1 itemprop="name">Na špatné straně</h1>
<p class="genre">Krimi / Drama / Psychologický</p>
<p class="origin">USA / Kanada, <span itemprop="dateCreated">2018</span>, 159 min</p>
<div class="creators">
<div><h4>Režie:</h4> <span><a href="/tvurce/87470-s-craig-zahler/">S. Craig Zahler</a></span></div>
<div><h4>Předloha:</h4> <a href="/tvurce/1-a-writer/">A. Writer</a> <span>(kniha)</span></div>
<div><h4>Kamera:</h4> <a href="/tvurce/190956-benji-bakshi/">Benji Bakshi</a></div>
<div><h4>Hrají:</h4> <a href="/tvurce/1-mel-gibson/">Mel Gibson</a>, <a href="/tvurce/2012-vince-vaughn/">Vince Vaughn</a> <a href="#">(více)</a></div>
</div></div>
<div class="related"><p class="genre">Western</p><div class="creators"><div><h4>Režie:</h4> <a href="/tvurce/9-other/">Other Director</a></div>
<div><h4>Hrají:</h4> <a href="/tvurce/8-other/">Other Actor</a></div></div></div>
</body></html>"""


def test_csfd_reads_the_films_own_czech_credits_and_no_related_films() -> None:
    film = _film(CSFD)
    assert [d.name for d in film.directors] == ["S. Craig Zahler"]
    assert [w.name for w in film.writers] == ["A. Writer"]  # Předloha: the book's author
    assert [(c.name, c.character) for c in film.cast] == [("Mel Gibson", None), ("Vince Vaughn", None)]
    assert film.genres == ["Crime", "Drama"]  # "Psychologický" has no IMDb genre: reported, not kept
    assert film.countries == ["United States", "Canada"]
    assert film.runtimes == [Runtime(minutes=159)]


def test_imdb_2017_credits_sentence_is_cut_and_the_summary_completes_the_outline() -> None:
    page = """<html><head><script type="application/ld+json">{"@type": "Movie", "url": "/title/tt7214470/",
"name": "Heilstätten", "description": "Heilstätten is a movie starring Nilam Farooq, Sonja L. Gerhardt, and Timmi Trinks. In HEILSTÄTTEN, a group of YouTubers access the surgery block for a..."}</script>
</head><body><div class="title_wrapper"><h1>Heilstätten (2018)</h1></div>
<div class="summary_text">
  In HEILSTÄTTEN, a group of YouTubers access the surgery block for a 24-hour challenge.
</div></body></html>"""
    assert (
        _film(page).outline
        == "In HEILSTÄTTEN, a group of YouTubers access the surgery block for a 24-hour challenge."
    )


def test_imdb_2010_users_rating_and_meta_description_outline() -> None:
    page = """<html><head><title>Troy (2004)</title><meta name="description" content="Directed by Wolfgang Petersen. With Brad Pitt, Eric Bana. An adaptation of Homer's great epic.">
<meta property="og:type" content="movie"><meta property="og:title" content="Troy (2004)"><meta property="og:site_name" content="IMDb">
<meta property="og:url" content="http://www.imdb.com/title/tt0332452/"></head><body>
<div id="overview-top"><h1>Troy (2004)</h1><div class="star-box">Users: <span style="display: none;"><b>7.0</b>/10</span>
(<a href="/title/tt0332452/ratings">130,397 votes</a>)</div>
<div class="txt-block"><h4 class="inline">Director:</h4> <a href="/name/nm0000583/">Wolfgang Petersen</a></div></div>
</body></html>"""
    film = _film(page)
    assert film.rating is not None and (film.rating.value, film.rating.votes) == (7.0, 130397)
    assert film.outline == "An adaptation of Homer's great epic."
    assert [p.name for p in film.cast] == []  # the description's "With …" names are not the cast


def test_credit_notes_are_not_part_of_a_characters_name() -> None:
    page = """<html><head><title>Astro Boy (2009) - IMDb</title><meta property="og:type" content="video.movie">
<meta property="og:url" content="https://www.imdb.com/title/tt0375568/"></head><body><h1>Astro Boy (2009)</h1>
<h2>Cast</h2><table class="cast_list">
<tr><td><a href="/name/nm0383603/">Freddie Highmore</a></td><td>...</td><td class="character">Astro / Toby (voice)</td></tr>
<tr><td><a href="/name/nm0000115/">Nicolas Cage</a></td><td>...</td><td class="character">Dr. Tenma (voice) (as Nick Cage)</td></tr>
</table></body></html>"""
    cast = _film(page).cast
    assert [(c.name, c.character, c.credited_as) for c in cast] == [
        ("Freddie Highmore", "Astro / Toby", None),
        ("Nicolas Cage", "Dr. Tenma", "Nick Cage"),
    ]


def test_letterboxd_keeps_its_tagline() -> None:
    page = """<html><head><meta property="og:url" content="https://letterboxd.com/film/nightmare-city-1/">
<script type="application/ld+json">{"@type": "Movie", "name": "Nightmare City"}</script></head><body>
<div class="review body-text"><h3 class="hidden">Synopsis</h3><h4 class="tagline">Welcome to the city of the walking dead.</h4>
<div class="truncate"><p>When a mysterious virus spreads…</p></div></div></body></html>"""
    assert _film(page).taglines == ["Welcome to the city of the walking dead."]


def test_csfd_slovak_site_reads_the_same_header_in_slovak() -> None:
    page = """<html><head><link rel="canonical" href="https://www.csfd.sk/film/535121-na-zlej-strane/prehlad/">
<script type="application/ld+json">{"@type": "Movie", "name": "Na zlej strane", "dateCreated": "2018"}</script>
</head><body><div class="genres"><a href="/zanre/1/">Krimi</a> / <a href="/zanre/2/">Komédia</a></div>
<div class="origin">USA / Veľká Británia <span>2018</span> 159 min</div>
<div class="creators"><div><h4>Réžia:</h4> <a href="/tvorca/87470-s-craig-zahler/">S. Craig Zahler</a></div>
<div><h4>Scenár:</h4> <a href="/tvorca/87470-s-craig-zahler/">S. Craig Zahler</a></div>
<div><h4>Hrajú:</h4> <a href="/tvorca/1-mel-gibson/">Mel Gibson</a></div></div></body></html>"""
    film = _film(page)
    assert film.external_ids == {"csfd": "535121-na-zlej-strane"}
    assert film.genres == ["Crime", "Comedy"]
    assert film.countries == ["United States", "United Kingdom"]
    assert [d.name for d in film.directors] == [w.name for w in film.writers] == ["S. Craig Zahler"]
    assert [c.name for c in film.cast] == ["Mel Gibson"]


def test_rotten_tomatoes_later_score_boards_and_scorecard_data_give_both_scores() -> None:
    from marquee.formats.htmlpage import parse_html_page

    head = (
        '<html><head><link rel="canonical" href="https://www.rottentomatoes.com/m/the_matrix">'
        '<script type="application/ld+json">{"@type": "Movie", "name": "The Matrix", "aggregateRating": '
        '{"ratingValue": "83", "bestRating": "100", "ratingCount": 160}}</script></head><body>'
    )
    deprecated = '<score-board-deprecated tomatometerscore="83" audiencescore="85"></score-board-deprecated>'
    card = (
        '<script id="media-scorecard-json" type="application/json">{"criticsScore": {"score": "83"}, '
        '"audienceScore": {"score": "85"}}</script>'
    )
    for body in (deprecated, card):
        film = parse_html_page(head + body + "</body></html>", "rt.html").film
        assert [(s.kind, s.value, s.count) for s in film.scores] == [
            ("critics", 83.0, 160),
            ("audience", 85.0, None),
        ]
        assert film.rating is None
