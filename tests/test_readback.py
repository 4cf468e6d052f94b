"""Marquee reads back what it writes: its schema.org JSON-LD and Kodi/Jellyfin ``movie.nfo``.

Property: a film written in one of these formats and read back equals the film reduced to what
that format carries (``jsonld_view`` / ``nfo_view`` below spell out, field by field, what each
format holds; everything else cannot survive and is not expected to)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marquee.errors import NotAMoviePage
from marquee.formats.external_ids import external_url
from marquee.formats.jsonld import award_text, movie_jsonld
from marquee.formats.jsonld_read import looks_like_jsonld, parse_jsonld
from marquee.formats.nfo import film_nfo
from marquee.formats.nfo_read import looks_like_nfo, parse_nfo
from marquee.records import (
    AlternateTitle,
    Award,
    CastMember,
    CrewMember,
    ExternalScore,
    Film,
    PersonRef,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)
from support.tokens import DIGITS, LOWER_DIGITS, chars, joined, slug

# Characters the records accept in a line (no C0/C1 controls); prose may hold tabs and line ends.
LINE_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in [*range(32), *range(0x7F, 0xA0)]]
)
PROSE_CHARS = st.one_of(LINE_CHARS, st.sampled_from("\n\t\r<>&\"'"))
LINE = st.text(LINE_CHARS, max_size=20)
TEXT = st.text(LINE_CHARS, min_size=1, max_size=20)
PROSE = st.text(PROSE_CHARS, max_size=40)
IDS = st.one_of(joined("tt", chars(DIGITS, 7, 8)), slug(20))  # tt[0-9]{7,8} | [a-z0-9][a-z0-9-]{0,20}
PERSON_IDS = st.one_of(st.none(), joined("nm", chars(DIGITS, 7, 7)), slug(12))  # nm[0-9]{7} | …{0,12}
DATES = st.dates(
    min_value=__import__("datetime").date(1870, 1, 1), max_value=__import__("datetime").date(2199, 12, 31)
)
PARTIAL = st.one_of(
    st.none(),
    DATES.map(lambda d: d.isoformat()),
    DATES.map(lambda d: d.isoformat()[:7]),
    DATES.map(lambda d: d.isoformat()[:4]),
)
SCALES = st.sampled_from([5, 10, 100])
# Built once rather than on every draw of a rating or review (the values are the same).
VALUES = {scale: st.floats(0, scale, allow_nan=False) for scale in [5, 10, 100]}
MAYBE_VOTES = st.one_of(st.none(), st.integers(0, 2**31 - 1))
MAYBE_PROSE = st.one_of(st.none(), PROSE)
MAYBE_DATE = st.one_of(st.none(), DATES)


@st.composite
def ratings(draw: st.DrawFn) -> Rating:
    scale = draw(SCALES)
    value = draw(VALUES[scale])
    return Rating(value=value, scale=scale, votes=draw(MAYBE_VOTES))


@st.composite
def reviews(draw: st.DrawFn) -> Review:
    scale = draw(SCALES)
    score = draw(st.one_of(st.none(), VALUES[scale].map(lambda v: Score(value=v, scale=scale))))
    return Review(
        title=draw(MAYBE_PROSE),
        body=draw(PROSE),
        score=score,
        author=draw(MAYBE_PROSE),
        date=draw(MAYBE_DATE),
    )


people = st.builds(PersonRef, name=TEXT, id=PERSON_IDS)
films = st.builds(
    Film,
    id=IDS,
    title=TEXT,
    original_title=st.one_of(st.none(), LINE),
    kind=st.sampled_from(["movie", "tvSeries", "short"]),
    year=st.one_of(st.none(), st.integers(1870, 2200)),
    outline=st.one_of(st.none(), PROSE),
    plot=st.one_of(st.none(), PROSE),
    genres=st.lists(LINE, max_size=3),
    rating=st.one_of(st.none(), ratings()),
    directors=st.lists(people, max_size=3),
    writers=st.lists(people, max_size=3),
    cast=st.lists(
        st.builds(CastMember, name=TEXT, character=st.one_of(st.none(), PROSE), id=PERSON_IDS), max_size=4
    ),
    crew=st.lists(st.builds(CrewMember, name=TEXT, category=TEXT), max_size=2),
    taglines=st.lists(PROSE, max_size=2),
    release_dates=st.lists(
        st.builds(ReleaseDate, date=PARTIAL, country=st.one_of(st.none(), LINE)), max_size=3
    ),
    runtimes=st.lists(
        st.builds(Runtime, minutes=st.one_of(st.none(), st.integers(0, 2**31 - 1))), max_size=2
    ),
    reviews=st.lists(reviews(), max_size=2),
    alternate_titles=st.lists(
        st.builds(AlternateTitle, title=TEXT, region=st.one_of(st.none(), LINE)), max_size=2
    ),
    trivia=st.lists(PROSE, max_size=2),
    countries=st.lists(LINE, max_size=2),
    languages=st.lists(LINE, max_size=2),
    awards=st.lists(
        st.builds(
            Award,
            name=TEXT,
            category=st.one_of(st.none(), LINE),
            year=st.one_of(st.none(), st.integers(1870, 2200)),
            outcome=st.sampled_from(["won", "nominated"]),
        ),
        max_size=2,
    ),
    external_ids=st.dictionaries(
        st.sampled_from(["imdb", "wikidata", "tmdb", "letterboxd", "rotten_tomatoes", "metacritic", "other"]),
        st.one_of(
            joined("tt", chars(DIGITS, 7, 7)),  # tt[0-9]{7}
            joined("Q", chars(DIGITS, 1, 6)),  # Q[0-9]{1,6}
            chars(DIGITS, 1, 6),  # [0-9]{1,6}
            slug(10),  # [a-z0-9][a-z0-9-]{0,10}
            joined("m/", chars(LOWER_DIGITS + "_-", 1, 10)),  # m/[a-z0-9_-]{1,10}
            joined("movie/", chars(LOWER_DIGITS + "-", 1, 10)),  # movie/[a-z0-9-]{1,10}
        ),
        max_size=3,
    ),
    scores=st.lists(
        st.builds(ExternalScore, source=TEXT, value=st.floats(0, 100, allow_nan=False), scale=st.just(100)),
        max_size=1,
    ),
)


def jsonld_view(film: Film) -> Film:
    """What ``movie_jsonld`` carries: see the table in ``formats.jsonld_read``."""
    published = next((r.date for r in film.release_dates if r.date), None) or (
        str(film.year) if film.year is not None else None
    )
    rating = film.rating if film.rating is not None and film.rating.votes else None
    minutes = next((r.minutes for r in film.runtimes if r.minutes), None)
    return Film(
        id=film.id,
        title=film.title,
        year=int(published[:4]) if published else None,
        release_dates=[ReleaseDate(date=published)] if published and len(published) > 4 else [],
        outline=film.outline or film.plot or None,
        genres=[g for g in film.genres if g],
        rating=rating,
        directors=[PersonRef(name=p.name, id=p.id) for p in film.directors],
        writers=[PersonRef(name=p.name, id=p.id) for p in film.writers],
        cast=[CastMember(name=c.name, id=c.id) for c in film.cast],
        runtimes=[Runtime(minutes=minutes)] if minutes else [],
        reviews=[
            r.model_copy(update={"title": r.title or None, "author": r.author or None}) for r in film.reviews
        ],
        alternate_titles=[AlternateTitle(title=a.title) for a in film.alternate_titles],
        countries=[c for c in film.countries if c],
        languages=[lang for lang in film.languages if lang],
        external_ids=_linked_ids(film),
    )


def _linked_ids(film: Film) -> dict[str, str]:
    """The other sites' ids ``sameAs`` carries: those with a known link, and no IMDb id that is the film's."""
    return {
        site: value
        for site, value in film.external_ids.items()
        if external_url(site, value) and not (site == "imdb" and value == film.id)
    }


def _xml(text: str | None) -> str | None:
    """What XML 1.0 keeps of a text: line ends as \\n, no U+FFFE/U+FFFF; empty is absent."""
    if text is None:
        return None
    kept = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "").replace("\uffff", "")
    return kept or None


def nfo_view(film: Film) -> Film:
    """What ``film_nfo`` carries (Kodi's elements; see ``formats.nfo_read``)."""
    title = _xml(film.title)
    original = _xml(film.original_title or film.title)
    minutes = next((r.minutes for r in film.runtimes if r.minutes), None)
    premiered = next((r.date for r in film.release_dates if r.date and len(r.date) == 10), None)
    tagline = _xml(film.taglines[0]) if film.taglines else None
    return Film(
        id=film.id,
        title=title,
        original_title=original if original != title else None,
        year=film.year,
        plot=_xml(film.plot),
        outline=_xml(film.outline),
        taglines=[tagline] if tagline else [],
        runtimes=[Runtime(minutes=minutes)] if minutes else [],
        release_dates=[ReleaseDate(date=premiered)] if premiered else [],
        genres=[g for g in map(_xml, film.genres) if g],
        directors=[PersonRef(name=_xml(p.name)) for p in film.directors],
        writers=[PersonRef(name=_xml(p.name)) for p in film.writers],
        rating=film.rating,
        cast=[CastMember(name=_xml(c.name), character=_xml(c.character)) for c in film.cast],
    )


def _printable(film: Film) -> bool:
    """Names that XML keeps non-empty (a title of only U+FFFE has nothing left to write)."""
    return all(_xml(n) for n in [film.title, *(p.name for p in [*film.directors, *film.writers, *film.cast])])


@settings(max_examples=150, deadline=None)
@given(films)
def test_jsonld_round_trip_keeps_every_field_jsonld_carries(film: Film) -> None:
    for base_url in ("", "https://films.example"):
        text = json.dumps(movie_jsonld(film, base_url=base_url), ensure_ascii=False)
        assert looks_like_jsonld(text)
        [result] = parse_jsonld(text, "film.jsonld")
        assert result.film.model_copy(update={"awards": []}) == jsonld_view(film)
        # schema.org's award is one line of text, of an award won: that line is what comes back.
        won = [award_text(a) for a in film.awards if a.outcome == "won"]
        assert [award_text(a) for a in result.film.awards] == won


@settings(max_examples=150, deadline=None)
@given(films)
def test_nfo_round_trip_keeps_every_field_nfo_carries(film: Film) -> None:
    if not _printable(film):
        return
    text = film_nfo(film)
    assert looks_like_nfo(text)
    assert parse_nfo(text, "movie.nfo").film == nfo_view(film)


def test_jsonld_lines_export_reads_every_film() -> None:
    films_in = [Film(id="tt0089560", title="Mask", year=1985), Film(id="christine-1983", title="Christine")]
    text = "\n".join(json.dumps(movie_jsonld(f)) for f in films_in) + "\n"
    results = parse_jsonld(text, "films.jsonld")
    assert [(r.film.id, r.film.title, r.film.year) for r in results] == [
        ("tt0089560", "Mask", 1985),
        ("christine-1983", "Christine", None),
    ]


def test_jsonld_of_other_sites_keeps_their_ids_and_countries() -> None:
    node = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Mask",
        "sameAs": ["https://www.imdb.com/title/tt0089560/", "https://www.themoviedb.org/movie/11524"],
        "countryOfOrigin": {"@type": "Country", "name": "United States"},
        "inLanguage": "English",
        "productionCompany": {"@type": "Organization", "name": "Universal"},
    }
    [result] = parse_jsonld(json.dumps(node), "mask.json")
    assert result.film.id == "tt0089560"
    assert result.film.external_ids == {"tmdb": "11524"}
    assert result.film.countries == ["United States"] and result.film.languages == ["English"]
    assert any("productionCompany" in d.message for d in result.diagnostics)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"@type": "Person", "name": "Cher"}', "no schema.org Movie"),
        ('{"@type": "Movie"}', "without a name"),
        ('{"@type": "Movie", "name": "X",', "not valid JSON"),
        ('{"@type": "Movie", "name": "X", "url": "/title/Bad_Id"}', "facts do not make a film record"),
    ],
)
def test_jsonld_that_is_no_film_is_refused_in_one_line(text: str, reason: str) -> None:
    with pytest.raises(NotAMoviePage) as err:
        parse_jsonld(text, "bad.json")
    assert reason in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith("bad.json")


JELLYFIN_NFO = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<movie>
  <plot><![CDATA[Rusty Dennis & her son Rocky.]]></plot>
  <lockdata>false</lockdata>
  <title>Mask</title>
  <originaltitle>Mask</originaltitle>
  <director>Peter Bogdanovich</director>
  <rating>7.2</rating>
  <year>1985</year>
  <mpaa>PG-13</mpaa>
  <imdbid>tt0089560</imdbid>
  <tmdbid>11524</tmdbid>
  <premiered>1985-03-08</premiered>
  <runtime>120</runtime>
  <country>United States of America</country>
  <genre>Drama</genre>
  <studio>Universal Pictures</studio>
  <uniqueid type="tmdb">11524</uniqueid>
  <uniqueid type="imdb">tt0089560</uniqueid>
  <actor>
    <name>Eric Stoltz</name>
    <role>Rocky Dennis</role>
    <type>Actor</type>
    <sortorder>1</sortorder>
  </actor>
  <actor>
    <name>Cher</name>
    <role>Rusty Dennis</role>
    <order>0</order>
  </actor>
</movie>
"""


def test_a_media_library_nfo_is_read_with_its_ids_and_country() -> None:
    result = parse_nfo(JELLYFIN_NFO, "Mask (1985)/movie.nfo")
    film = result.film
    assert film.id == "tt0089560" and film.title == "Mask" and film.original_title is None
    assert film.plot == "Rusty Dennis & her son Rocky." and film.year == 1985
    assert film.rating == Rating(value=7.2)  # Kodi's old top-level <rating> is IMDb's
    assert film.external_ids == {"tmdb": "11524"}
    assert film.countries == ["United States of America"]
    assert film.release_dates == [ReleaseDate(date="1985-03-08")] and film.runtimes == [Runtime(minutes=120)]
    assert [(c.name, c.character) for c in film.cast] == [
        ("Cher", "Rusty Dennis"),
        ("Eric Stoltz", "Rocky Dennis"),
    ]
    assert any("lockdata" in d.message and "studio" in d.message for d in result.diagnostics)


def test_nfo_scores_of_other_sites_are_scores_not_the_rating() -> None:
    text = (
        '<movie><title>M</title><uniqueid type="imdb">tt0089560</uniqueid><ratings>'
        '<rating name="themoviedb" max="10"><value>6.9</value><votes>800</votes></rating>'
        "</ratings></movie>"
    )
    film = parse_nfo(text, "m.nfo").film
    assert film.rating is None
    assert film.scores == [ExternalScore(source="TMDB", kind="average", value=6.9, scale=10, count=800)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<tvshowx><title>A</title></tvshowx>", "root element is <tvshowx>"),
        ("<movie><title>A</title>", "not well-formed"),
        ("<movie><year>1985</year></movie>", "no <title>"),
        ('<!DOCTYPE movie [<!ENTITY a "aaaa">]><movie><title>&a;</title></movie>', "document type"),
    ],
)
def test_nfo_that_is_no_film_is_refused_in_one_line(text: str, reason: str) -> None:
    with pytest.raises(NotAMoviePage) as err:
        parse_nfo(text, "bad.nfo")
    assert reason in str(err.value) and "\n" not in str(err.value)
