# ruff: noqa: E501 (small HTML pages written inline, one element a line as the sites write them)
"""The HTML page parser on each defect class of issue 19, with small pages shaped like the real ones.

Localized IMDb pages (German, French, Spanish, Italian, Hungarian, Portuguese headings), sidebars of other
films, navigation glued to values, made-up descriptions, quotes inside meta tags, runtimes in every form,
AKAs with region and notes, other sites' ids and scores, pages that are no film's."""

from __future__ import annotations

import pytest

from marquee.errors import NotAMoviePage
from marquee.formats.htmlpage import parse_html_page
from marquee.records import AlternateTitle, ExternalScore, Film, ReleaseDate, Runtime


def _film(html: str) -> Film:
    return parse_html_page(html, source="page.html").film


def _imdb_2015(labels: dict[str, str], values: dict[str, str], lang: str = "en") -> str:
    """A title page in IMDb's 2010–16 shape: <h4 class="inline">Label:</h4> then the value."""
    blocks = "\n".join(
        f'<div class="txt-block"><h4 class="inline">{labels[key]}:</h4> {values[key]}</div>' for key in labels
    )
    return f"""<!DOCTYPE html><html lang="{lang}"><head><title>Die Maske (1985) - IMDb</title>
<meta property="og:type" content="video.movie"><meta property="og:url" content="https://www.imdb.com/title/tt0089560/">
</head><body><h1>Die Maske (1985)</h1>
{blocks}
</body></html>"""


# Each language: its labels, and the values as its site shows them.
LOCALIZED = {
    "de": (
        ["Regie", "Drehbuch", "Stars", "Genres", "Herkunftsland", "Sprache", "Erscheinungsdatum",
         "Auch bekannt als", "Laufzeit"],
        ["Vereinigte Staaten", "Englisch", "8. März 1985 (Vereinigte Staaten)", "2 Std. 0 Min.", "Biografie"],
    ),
    "fr": (
        ["Réalisation", "Scénario", "Vedettes", "Genres", "Pays d'origine", "Langue", "Date de sortie",
         "Aussi connu sous le nom de", "Durée"],
        ["États-Unis", "Anglais", "8 mars 1985 (États-Unis)", "2 h 0 min", "Biographie"],
    ),
    "es": (
        ["Dirección", "Guion", "Estrellas", "Géneros", "País de origen", "Idioma", "Fecha de lanzamiento",
         "También conocida como", "Duración"],
        ["Estados Unidos", "Inglés", "8 de marzo de 1985 (Estados Unidos)", "2 horas 0 minutos", "Biografía"],
    ),
    "it": (
        ["Regia", "Sceneggiatura", "Star", "Generi", "Paese di origine", "Lingua", "Data di uscita",
         "Conosciuto anche come", "Durata"],
        ["Stati Uniti", "Inglese", "8 marzo 1985 (Stati Uniti)", "2 ore 0 minuti", "Biografico"],
    ),
    "hu": (
        ["Rendező", "Forgatókönyvíró", "Sztárok", "Műfajok", "Származási ország", "Nyelv",
         "Megjelenési dátum", "Más néven", "Játékidő"],
        ["Amerikai Egyesült Államok", "Angol", "1985. március 8. (Amerikai Egyesült Államok)", "2 óra 0 perc",
         "Biográfia"],
    ),
    "pt": (
        ["Direção", "Roteirista", "Artistas", "Gêneros", "País de origem", "Idioma", "Data de lançamento",
         "Também conhecido como", "Duração"],
        ["Estados Unidos", "Inglês", "8 de março de 1985 (Estados Unidos)", "2 horas 0 minutos", "Biografia"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(LOCALIZED))
def test_localized_imdb_headings_read_into_the_english_vocabulary(lang: str) -> None:
    labels, (country, language, released, runtime, biography) = LOCALIZED[lang]
    keys = ["directors", "writers", "stars", "genres", "countries", "languages", "release", "akas", "runtime"]
    values = {
        "directors": '<a href="/name/nm0000953/">Peter Bogdanovich</a>',
        "writers": '<a href="/name/nm0653608/">Anna Hamilton Phelan</a>',
        "stars": "<a>Cher</a>, <a>Sam Elliott</a>, <a>Eric Stoltz</a>",
        "genres": f'<a href="/genre/Drama">Drama</a> | <a href="/genre/Biography">{biography}</a>',
        "countries": f"<a>{country}</a>",
        "languages": f"<a>{language}</a>",
        "release": released,
        "akas": "Mask",
        "runtime": runtime,
    }
    film = _film(_imdb_2015(dict(zip(keys, labels, strict=True)), values, lang))
    assert (film.id, film.title, film.year) == ("tt0089560", "Die Maske", 1985)
    assert [(d.name, d.id) for d in film.directors] == [("Peter Bogdanovich", "nm0000953")]
    assert [w.name for w in film.writers] == ["Anna Hamilton Phelan"]
    assert film.stars == ["Cher", "Sam Elliott", "Eric Stoltz"]
    assert film.genres == ["Drama", "Biography"]
    assert film.countries == ["United States"] and film.languages == ["English"]
    assert [(r.date, r.country) for r in film.release_dates] == [("1985-03-08", country)]
    assert [a.title for a in film.alternate_titles] == ["Mask"]
    assert film.runtimes == [Runtime(minutes=120)]


@pytest.mark.parametrize("lang", sorted(LOCALIZED))
def test_a_page_read_through_localized_headings_is_named_with_its_language(lang: str) -> None:
    labels = dict(
        zip(["directors", "genres", "runtime"], [LOCALIZED[lang][0][i] for i in (0, 3, 8)], strict=True)
    )
    values = {"directors": "<a>Peter Bogdanovich</a>", "genres": "<a>Drama</a>", "runtime": "120 min"}
    result = parse_html_page(_imdb_2015(labels, values, lang), source="page.html")
    assert result.sections is not None and result.sections.layout == f"imdb-text+{lang}"
    first = result.diagnostics[0].message
    assert first.startswith(f"read as imdb-text+{lang} (film sections: directors, ")
    assert "localized headings " in first and repr(labels["directors"]) in first
    assert "also seen, not chosen: imdb-opengraph (og:type video.movie)" in first


def test_a_page_with_english_headings_is_not_named_localized() -> None:
    labels = {"directors": "Director", "genres": "Genres", "runtime": "Runtime"}
    values = {"directors": "<a>Peter Bogdanovich</a>", "genres": "<a>Drama</a>", "runtime": "120 min"}
    result = parse_html_page(_imdb_2015(labels, values, "de"), source="page.html")
    assert result.sections is not None and result.sections.layout == "imdb-text"


@pytest.mark.parametrize("shown", ["2 hours 1 minute", "2h 1m", "121 min", "2 hours 1 minutes", "121 Min."])
def test_runtimes_in_every_form(shown: str) -> None:
    page = _imdb_2015({"runtime": "Runtime"}, {"runtime": shown})
    assert _film(page).runtimes == [Runtime(minutes=121)]


RECS = """<html><head><title>City of God (2002) - IMDb</title></head><body>
<h1>City of God (2002)</h1>
<div class="txt-block"><h4 class="inline">Directors:</h4> <a>Fernando Meirelles</a>, <a>Kátia Lund</a></div>
<div class="txt-block"><h4 class="inline">Stars:</h4> <a>Alexandre Rodrigues</a></div>
<div class="rec_wrapper" id="title_recs"><span class="rec_heading">People who liked this also liked...</span>
 <div class="rec_overview"><div class="txt-block"><h4 class="inline">Director:</h4> <a>Quentin Tarantino</a></div>
 <div class="txt-block"><h4 class="inline">Stars:</h4> <a>John Travolta</a>, <a>Uma Thurman</a></div></div>
</div>
<section data-testid="MoreLikeThis"><div class="txt-block"><h4 class="inline">Director:</h4> <a>Peter Jackson</a>
</div></section>
</body></html>"""


def test_no_people_from_recommendations_sidebars() -> None:
    film = _film(RECS)
    assert [d.name for d in film.directors] == ["Fernando Meirelles", "Kátia Lund"]
    assert film.stars == ["Alexandre Rodrigues"]


def test_navigation_links_are_not_part_of_values() -> None:
    page = """<html><head><title>Troy (2004)</title><link rel="canonical" href="http://www.imdb.com/title/tt0332452/">
</head><body><h1>Troy <span>(<a href="/year/2004/">2004</a>) <a href="/pro">More at <b>IMDbPro</b> &raquo;</a></span></h1>
<div class="info"><h5>Genre:</h5><a href="/Sections/Genres/Action/">Action</a> | <a href="/Sections/Genres/History/">History</a>
 <a class="tn15more" href="/title/tt0332452/keywords">more</a></div>
<div class="info"><h5>Tagline:</h5>For Honor <a class="tn15more" href="/title/tt0332452/taglines">more</a></div>
<div class="info"><h5>Plot:</h5>An adaptation of Homer's great epic. <a href="plotsummary">full summary</a> |
 <a href="synopsis">full synopsis</a></div>
<div class="info"><h5>Release Date:</h5>14 May 2004 (USA) (premiere) <a class="tn15more" href="releaseinfo">more</a></div>
<div class="info"><h5>Also Known As:</h5>Untitled 'The Illiad' Project (USA) (working title)
 <a class="tn15more" href="releaseinfo#akas">more</a></div>
</body></html>"""
    film = _film(page)
    assert (film.id, film.title, film.year) == ("tt0332452", "Troy", 2004)
    assert film.genres == ["Action", "History"]
    assert film.taglines == ["For Honor"]
    assert film.plot == "An adaptation of Homer's great epic."
    assert film.release_dates == [ReleaseDate(date="2004-05-14", country="USA", note="premiere")]
    assert film.alternate_titles == [
        AlternateTitle(title="Untitled 'The Illiad' Project", region="USA", attributes=["working title"])
    ]


def test_an_aka_note_is_not_taken_for_a_region() -> None:
    page = _imdb_2015({"akas": "Also Known As"}, {"akas": "Mask: The Movie (informal title)"})
    assert _film(page).alternate_titles == [
        AlternateTitle(title="Mask: The Movie", attributes=["informal title"])
    ]


def test_a_description_made_up_from_the_credits_is_no_outline() -> None:
    page = """<html><head><script type="application/ld+json">{"@type": "Movie", "url": "/title/tt1300570/",
"name": "Cuckold 1", "description": "Cuckold 1 is a video starring Cram Johnson and Grip Johnson."}</script>
</head><body></body></html>"""
    assert _film(page).outline is None


def test_a_quote_inside_og_description_does_not_cut_the_outline() -> None:
    page = """<html><head><meta property="og:type" content="video.movie"><meta property="og:title" content="Sweetback (1971)">
<meta property="og:description" content="A man runs from "the man" with the help of his community." />
</head><body></body></html>"""
    assert _film(page).outline == 'A man runs from "the man" with the help of his community.'


def test_the_display_title_is_kept_and_the_original_name_is_the_original_title() -> None:
    page = """<html><head><title>Princess Mononoke (1997) - IMDb</title>
<meta property="og:title" content="Princess Mononoke (1997) - IMDb">
<script type="application/ld+json">{"@type": "Movie", "url": "/title/tt0119698/", "name": "Mononoke-hime",
"alternateName": "Princess Mononoke", "datePublished": "1997-07-12"}</script></head><body></body></html>"""
    film = _film(page)
    assert (film.title, film.original_title, film.year) == ("Princess Mononoke", "Mononoke-hime", 1997)


def test_rotten_tomatoes_scores_and_id_are_not_a_rating() -> None:
    page = """<html><head><link rel="canonical" href="https://www.rottentomatoes.com/m/mask">
<script type="application/ld+json">{"@type": "Movie", "name": "Mask", "dateCreated": "1985-03-08",
"aggregateRating": {"@type": "AggregateRating", "name": "Tomatometer", "ratingValue": "85", "bestRating": "100",
"ratingCount": 40}}</script></head><body>
<score-board tomatometerscore="85" audiencescore="79"></score-board></body></html>"""
    film = _film(page)
    assert film.rating is None
    assert film.external_ids == {"rotten_tomatoes": "m/mask"}
    assert (
        ExternalScore(source="Rotten Tomatoes", kind="critics", value=85, scale=100, count=40) in film.scores
    )
    assert ExternalScore(source="Rotten Tomatoes", kind="audience", value=79, scale=100) in film.scores


def test_letterboxd_gives_the_imdb_id_it_links_and_its_average_as_a_score() -> None:
    page = """<html><head><meta property="og:url" content="https://letterboxd.com/film/mask/">
<script type="application/ld+json">{"@type": "Movie", "name": "Mask", "releasedEvent": [{"startDate": "1985"}],
"countryOfOrigin": [{"@type": "Country", "name": "USA"}],
"aggregateRating": {"ratingValue": 3.5, "bestRating": 5, "ratingCount": 900}}</script></head><body>
<p class="text-link text-footer">120&nbsp;mins <a href="http://www.imdb.com/title/tt0089560/maindetails">IMDb</a>
<a href="https://www.themoviedb.org/movie/11524/">TMDb</a></p></body></html>"""
    film = _film(page)
    assert (film.id, film.title, film.year, film.rating) == ("tt0089560", "Mask", 1985, None)
    assert film.external_ids == {"letterboxd": "mask", "tmdb": "11524"}
    assert film.scores == [ExternalScore(source="Letterboxd", kind="average", value=3.5, scale=5, count=900)]
    assert film.countries == ["United States"] and film.runtimes == [Runtime(minutes=120)]


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Similar films - Letterboxd</title></head><body><h1>Films like This Is the End</h1>"
        "<ul><li>Superbad</li></ul></body></html>",
        "<html><head><title>Cars Toons - Wikipedia</title></head><body><p>An article.</p></body></html>",
    ],
)
def test_a_page_that_is_no_film_page_is_refused_in_one_line(page: str) -> None:
    with pytest.raises(NotAMoviePage) as err:
        parse_html_page(page, source="page.html")
    assert str(err.value).startswith("page.html: not a movie page: ") and "\n" not in str(err.value)


def test_json_ld_characters_are_kept() -> None:
    page = """<html><head><script type="application/ld+json">{"@type": "Movie", "url": "/title/tt0089560/",
"name": "Mask", "actor": [{"@type": "Person", "name": "Cher", "characterName": "Rusty Dennis"},
{"@type": "PerformanceRole", "characterName": "Rocky", "actor": {"@type": "Person", "name": "Eric Stoltz"}}]}
</script></head><body></body></html>"""
    assert [(m.name, m.character) for m in _film(page).cast] == [
        ("Cher", "Rusty Dennis"),
        ("Eric Stoltz", "Rocky"),
    ]


def test_no_cast_row_is_lost() -> None:
    page = """<html><head><title>Mask (1985) - IMDb</title></head><body><h1>Mask (1985)</h1>
<h2>Cast</h2><table class="cast_list">
<tr><td class="primary_photo"></td><td><a href="/name/nm0000128/">Cher</a></td><td class="ellipsis">...</td><td class="character">Rusty Dennis</td></tr>
<tr><td class="primary_photo"></td><td><a href="/name/nm0000658/">Eric Stoltz</a></td></tr>
<tr><td><a href="/name/nm0000385/">Sam Elliott</a></td><td class="ellipsis">...</td><td class="character"></td></tr>
</table></body></html>"""
    assert [(m.name, m.character) for m in _film(page).cast] == [
        ("Cher", "Rusty Dennis"),
        ("Eric Stoltz", None),
        ("Sam Elliott", None),
    ]


def test_letterboxd_people_one_link_each_without_commas() -> None:
    page = """<html><head><meta property="og:type" content="video.movie"><meta property="og:title" content="Nightmare City (2021)">
</head><body><h3>Writers</h3><p><a href="/writer/tom-savini/">Tom Savini</a> <a href="/writer/piero-regnoli/">Piero Regnoli</a></p>
</body></html>"""
    assert [w.name for w in _film(page).writers] == ["Tom Savini", "Piero Regnoli"]


@pytest.mark.parametrize(
    ("address", "rating", "ids", "score"),
    [
        (
            "https://www.themoviedb.org/movie/11524-mask",
            '{"ratingValue": 6.9, "bestRating": 10, "ratingCount": 812}',
            {"tmdb": "11524"},
            ExternalScore(source="TMDB", kind="average", value=6.9, scale=10, count=812),
        ),
        (
            "https://www.metacritic.com/movie/mask/",
            '{"ratingValue": 68, "bestRating": 100, "ratingCount": 11}',
            {"metacritic": "movie/mask"},
            ExternalScore(source="Metacritic", kind="metascore", value=68, scale=100, count=11),
        ),
    ],
)
def test_tmdb_and_metacritic_scores_are_theirs(
    address: str, rating: str, ids: dict[str, str], score: ExternalScore
) -> None:
    page = f"""<html><head><meta property="og:url" content="{address}">
<script type="application/ld+json">{{"@type": "Movie", "name": "Mask", "datePublished": "1985-03-08",
"aggregateRating": {rating}}}</script></head><body></body></html>"""
    film = _film(page)
    assert (film.title, film.year, film.rating) == ("Mask", 1985, None)
    assert film.external_ids == ids and film.scores == [score]


def _react_item(label: str, *values: str) -> str:
    items = "".join(f'<li><a class="ipc-metadata-list-item__list-content-item">{v}</a></li>' for v in values)
    return (
        f'<li class="ipc-metadata-list__item"><span class="ipc-metadata-list-item__label">{label}</span>'
        f'<div class="ipc-metadata-list-item__content-container"><ul>{items}</ul></div></li>'
    )


def test_a_localized_2022_layout_reads_its_labels() -> None:
    details = "".join(
        [
            _react_item("Erscheinungsdatum", "31. März 1999 (Deutschland)"),
            _react_item("Herkunftsländer", "Vereinigte Staaten", "Australien"),
            _react_item("Sprache", "Englisch"),
            _react_item("Drehorte", "Sydney, Australien"),
            _react_item("Laufzeit", "2 Std. 16 Min."),
        ]
    )
    page = f"""<html lang="de"><head><title>Matrix (1999) - IMDb</title>
<meta property="og:url" content="https://www.imdb.com/title/tt0133093/"></head><body><h1>Matrix</h1>
<ul>{_react_item("Regie", "Lana Wachowski", "Lilly Wachowski")}</ul>
<section data-testid="Details"><ul>{details}</ul></section></body></html>"""
    film = _film(page)
    assert (film.id, film.title, film.year) == ("tt0133093", "Matrix", 1999)
    assert [d.name for d in film.directors] == ["Lana Wachowski", "Lilly Wachowski"]
    assert film.countries == ["United States", "Australia"] and film.languages == ["English"]
    assert film.release_dates == [ReleaseDate(date="1999-03-31", country="Deutschland")]
    assert film.filming_locations == ["Sydney, Australien"]
    assert film.runtimes == [Runtime(minutes=136)]
