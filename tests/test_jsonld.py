"""schema.org Movie JSON-LD from a Film, and its safe embedding (pure: no server)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marquee.formats.jsonld import iso_duration, movie_jsonld, script_json
from marquee.records import CastMember, Film, PersonRef, Rating, Review, Runtime, Score
from support.web import mask_film, schema_org_errors


def test_reference_film_as_movie() -> None:
    movie = movie_jsonld(mask_film(), base_url="https://films.example")
    assert schema_org_errors(movie) == []
    assert movie["url"] == "https://films.example/title/tt0089560"
    assert movie["sameAs"] == "https://www.imdb.com/title/tt0089560/"
    assert movie["description"].startswith("A boy with a massive facial skull deformity")
    assert len(movie["actor"]) == 15
    assert movie["actor"][13] == {"@type": "Person", "name": "Kelly Jo Minter"}  # no id: no url
    assert movie["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 7.0,
        "bestRating": 10,
        "worstRating": 1,
        "ratingCount": 12168,
    }
    assert movie["review"][0]["name"] == "Hard to Watch at Times, But a Very Good Film."


def test_a_bare_film_has_only_the_keys_it_can_fill() -> None:
    movie = movie_jsonld(Film(id="my-film", title="My Film"))
    assert movie == {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "My Film",
        "url": "/title/my-film",
    }


def test_aggregate_rating_only_with_votes() -> None:
    assert "aggregateRating" not in movie_jsonld(Film(id="a", title="A", rating=Rating(value=7.0)))
    assert "aggregateRating" not in movie_jsonld(Film(id="a", title="A", rating=Rating(value=7.0, votes=0)))
    assert (
        movie_jsonld(Film(id="a", title="A", rating=Rating(value=7, votes=3)))["aggregateRating"][
            "ratingCount"
        ]
        == 3
    )


def test_writers_directors_reviews_and_duration() -> None:
    film = Film(
        id="tt1",
        title="T",
        year=1999,
        directors=[PersonRef(name="D", id="nm1")],
        writers=[PersonRef(name="W")],
        cast=[CastMember(name="A", id="nm2", character="C")],
        runtimes=[Runtime(minutes=None, country="UK"), Runtime(minutes=60)],
        reviews=[Review(body="Fine.", author="R", date=dt.date(2020, 1, 2), score=Score(value=8, scale=10))],
    )
    movie = movie_jsonld(film)
    assert schema_org_errors(movie) == []
    assert movie["datePublished"] == "1999"  # no release date: the year
    assert movie["director"] == [{"@type": "Person", "name": "D", "url": "/person/nm1"}]
    assert movie["author"] == [{"@type": "Person", "name": "W"}]
    assert movie["duration"] == "PT1H"
    assert movie["review"] == [
        {
            "@type": "Review",
            "reviewBody": "Fine.",
            "author": {"@type": "Person", "name": "R"},
            "datePublished": "2020-01-02",
            "reviewRating": {"@type": "Rating", "ratingValue": 8.0, "bestRating": 10, "worstRating": 0},
        }
    ]


@pytest.mark.parametrize(("minutes", "expected"), [(0, "PT0M"), (45, "PT45M"), (60, "PT1H"), (91, "PT1H31M")])
def test_iso_duration(minutes: int, expected: str) -> None:
    assert iso_duration(minutes) == expected


def test_script_json_escapes_what_could_end_a_script() -> None:
    data = {"a": "</script><!-- x -->", "b": "line\u2028sep\u2029", "c": "R&D > 1"}
    text = script_json(data)
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == data


# Text as records hold it (valid Unicode, no lone surrogates); integers as JSON numbers in 64 bits.
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))
_LEAVES = (
    _TEXT
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)


@given(
    st.recursive(
        _LEAVES | st.none(), lambda inner: st.lists(inner) | st.dictionaries(_TEXT, inner), max_leaves=20
    )
)
def test_script_json_round_trips_and_never_contains_a_tag_opening(data: object) -> None:
    text = script_json(data)
    assert "<" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == data


def test_external_ids_become_same_as_links_only_when_their_shape_is_known() -> None:
    from marquee.formats.external_ids import external_url

    film = Film(id="my-film", title="T", external_ids={"wikidata": "Q42", "tmdb": "x y", "unknown": "1"})
    assert movie_jsonld(film)["sameAs"] == "https://www.wikidata.org/wiki/Q42"  # one link: a plain string
    assert "sameAs" not in movie_jsonld(Film(id="my-film", title="T", external_ids={"tmdb": "../x"}))
    assert external_url("rotten_tomatoes", "m/mask") == "https://www.rottentomatoes.com/m/mask"
    assert external_url("letterboxd", "Mask") is None


def test_countries_languages_and_awards_won() -> None:
    from marquee.records import Award

    film = Film(
        id="tt1",
        title="T",
        countries=["France", "Italy"],
        languages=["French"],
        awards=[
            Award(name="César Award", outcome="won"),
            Award(name="Palme d'Or", year=1990, outcome="nominated"),
        ],
    )
    movie = movie_jsonld(film)
    assert schema_org_errors(movie) == []
    assert movie["countryOfOrigin"] == [
        {"@type": "Country", "name": "France"},
        {"@type": "Country", "name": "Italy"},
    ]
    assert movie["inLanguage"] == ["French"]
    assert movie["award"] == ["César Award"]  # schema.org's award is an award won
