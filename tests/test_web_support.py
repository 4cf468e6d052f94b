"""The web tests' page reader and schema.org check (tests/support/web.py) do what they say."""

from __future__ import annotations

from support.web import jsonld_blocks, read_page, schema_org_errors


def test_read_page_finds_sections_links_and_scripts() -> None:
    html = (
        '<html lang="en"><head><title>T</title><script type="application/ld+json">{"a": "</b>"}</script>'
        '</head><body><section id="s"><h2>Cast</h2><a href="/person/x">X <b>Y</b></a></section>'
        '<input id="q" name="q"><label for="q">Q</label><input name="bare"><img src="/i.png"></body></html>'
    )
    page = read_page(html)
    assert page.lang == "en"
    assert page.title == "T"
    assert page.section("s") == "Cast X Y"
    assert page.links == [("/person/x", "X Y")]
    assert jsonld_blocks(page) == [{"a": "</b>"}]
    assert page.unlabelled_inputs == ["bare"]
    assert page.images_without_alt == 1


def test_schema_org_check_accepts_a_valid_movie_and_names_each_fault() -> None:
    good = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Mask",
        "duration": "PT1H40M",
        "datePublished": "1985-03-08",
        "director": [{"@type": "Person", "name": "Peter Bogdanovich", "url": "/person/pb"}],
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": 7.0, "ratingCount": 12168},
    }
    assert schema_org_errors(good) == []
    bad = {
        **good,
        "runtime": 100,
        "duration": "100 min",
        "director": [{"@type": "Person", "nickname": "PB"}],
        "aggregateRating": {"@type": "AggregateRating", "ratingCount": "many"},
    }
    errors = schema_org_errors(bad)
    assert "$.runtime: not a property of Movie" in errors
    assert any(e.startswith("$.duration:") for e in errors)
    assert "$.director[0].nickname: not a property of Person" in errors
    assert any(e.startswith("$.aggregateRating.ratingCount:") for e in errors)
