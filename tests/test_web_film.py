"""The film page and its JSON twin, served from a real store (SQLite, and PostgreSQL where marked)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from marquee.records import (
    AlternateTitle,
    Award,
    ExternalScore,
    Film,
    Goof,
    Quote,
    QuoteLine,
    Rating,
    Runtime,
)
from marquee.storage import open_store
from marquee.web.render import urlencode
from support.web import TestClient, jsonld_blocks, mask_film, read_page, schema_org_errors, site_on

MASK = "tt0089560"


def serve(url: str, films: list[Film], **settings: object) -> TestClient:
    """A test client for the site on a store holding ``films``."""
    return site_on(url, films, **settings)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_at: Callable[[Path], str]) -> str:
    return migrated_sqlite_at(tmp_path_factory.mktemp("web-film") / "marquee.db")


@pytest.fixture(scope="module")
def client(site_url: str) -> Iterator[TestClient]:
    """One site for the read-only tests: the reference film and a film with nothing but a title."""
    with serve(site_url, [mask_film(), Film(id="tt0000001", title="Bare")]) as test_client:
        yield test_client


def test_film_page_shows_every_section_of_the_reference_page(client: TestClient) -> None:
    response = client.get(f"/title/{MASK}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = read_page(response.text)
    assert page.title.startswith("Mask (1985)")
    heading = page.text
    assert "Mask (1985)" in heading
    assert "8 March 1985" in heading  # the page's dated heading
    assert "biker gang mother attempts to live as normal a life" in heading  # outline
    assert page.section("rating").endswith("rating ★ 7.0 /10 12,168 votes")
    credits = page.section("credits")
    assert "Director Peter Bogdanovich" in credits
    assert "Stars Cher , Eric Stoltz , Sam Elliott" in credits
    assert page.section("storyline").startswith("Storyline Rusty Dennis is the mother of Rocky")
    cast = page.section("cast")
    assert "Cher Florence 'Rusty' Dennis" in cast
    assert "Eric Stoltz Roy L.'Rocky' Dennis" in cast
    assert "Kelly Jo Minter Lorrie (as Kelly Minter)" in cast
    assert "Joe Unger 1st Boyfriend" in cast
    assert page.section("taglines") == "Tagline Sometimes the most unlikely people become heroes."
    assert page.section("release-dates") == "Release date 8 March 1985"
    assert page.section("filming-locations") == "Filming locations Azusa, California, USA"
    assert page.section("box-office") == "Box office Gross $42,400,000 (USA)"
    assert page.section("technical-specs") == "Technical specs Runtime USA (director's cut), length not given"
    assert "Eric Stoltz spent so much time under heavy makeup" in page.section("trivia")
    assert page.section("goofs").startswith(
        "Goofs Anachronisms When Rocky and Ben are trading baseball cards"
    )
    quote = page.section("quotes")
    assert quote.startswith("Quotes Rocky Dennis : [Poem] These things are good: ice cream and cake")
    reviews = page.section("reviews")
    assert "Hard to Watch at Times, But a Very Good Film." in reviews
    assert "4.5 out of 5" in reviews
    assert "Terribly over-looked." in reviews
    # the comments area is ours, or the community's partial when installed: closed either way
    assert page.section("comments").startswith("Comments")
    assert page.section("comments").endswith("Comments are closed.")
    assert "Drama" in page.section("main")  # genres (Wikidata's, added by the demo)
    assert "Runtime: |" not in response.text and "|" not in page.section("technical-specs")


def test_cast_and_credits_link_to_person_pages(client: TestClient) -> None:
    page = read_page(client.get(f"/title/{MASK}").text)
    links = dict((text, href) for href, text in page.links)
    assert links["Peter Bogdanovich"] == "/person/peter-bogdanovich"
    assert links["Cher"] == "/person/cher"
    assert links["Kelly Jo Minter"] == "/person/kelly-jo-minter"
    cast_links = [href for href, _ in page.links if href.startswith("/person/")]
    assert len(set(cast_links)) == 16  # 15 cast members + the director; stars link to the same pages


def test_sections_without_data_are_left_out(client: TestClient) -> None:
    response = client.get("/title/tt0000001")
    assert response.status_code == 200
    page = read_page(response.text)
    for absent in (
        "rating",
        "credits",
        "storyline",
        "cast",
        "taglines",
        "trivia",
        "goofs",
        "quotes",
        "reviews",
        "release-dates",
        "filming-locations",
        "box-office",
        "technical-specs",
        "alternate-titles",
        "details",
        "scores",
        "awards",
    ):
        assert absent not in page.sections, absent
    comments = page.section("comments")  # open by default: not "closed"
    assert "No comments yet." in comments
    assert "closed" not in comments
    assert "Bare" in page.title


def test_json_twin_is_the_film_record_and_is_advertised(client: TestClient, site_url: str) -> None:
    html = client.get(f"/title/{MASK}")
    assert html.headers["link"] == f'</title/{MASK}.json>; rel="alternate"; type="application/json"'
    twin = client.get(f"/title/{MASK}.json")
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    store = open_store(site_url)
    try:
        stored = store.get_film(MASK)
    finally:
        store.close()
    assert stored is not None
    body = twin.json()
    assert body.pop("similar") == []  # the page's "more like this" (none built here), then the record
    assert body == stored.model_dump(mode="json")
    assert Film.model_validate(body).cast[13].credited_as == "Kelly Minter"


def test_unknown_film_is_a_404_page_and_a_json_404(client: TestClient) -> None:
    page = client.get("/title/tt9999999")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "No film with id 'tt9999999'" in read_page(page.text).section("main")
    twin = client.get("/title/tt9999999.json")
    assert twin.status_code == 404
    assert twin.json()["error"]["status"] == 404
    assert twin.json()["error"]["message"] == "No film with id 'tt9999999'"


def test_film_page_embeds_valid_schema_org_movie_jsonld(client: TestClient) -> None:
    page = read_page(client.get(f"/title/{MASK}").text)
    [movie] = jsonld_blocks(page)
    assert schema_org_errors(movie) == []
    assert movie["@type"] == "Movie"
    assert movie["name"] == "Mask"
    assert movie["datePublished"] == "1985-03-08"
    assert movie["genre"] == ["Drama", "Biography"]
    assert movie["director"] == [
        {"@type": "Person", "name": "Peter Bogdanovich", "url": "/person/peter-bogdanovich"}
    ]
    assert [actor["name"] for actor in movie["actor"]][:3] == ["Cher", "Sam Elliott", "Eric Stoltz"]
    assert movie["aggregateRating"]["ratingCount"] == 12168
    assert movie["review"][0]["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4.5,
        "bestRating": 5,
        "worstRating": 0,
    }
    assert "duration" not in movie  # the page's only runtime has no minutes


def test_jsonld_survives_hostile_text(sqlite_url: str) -> None:
    hostile = Film(
        id="tt0000666",
        title="</script><script>alert(1)</script>",
        outline="<!-- a comment --> and a line\u2028separator\u2029too",
        rating=Rating(value=6.5, votes=None),  # no votes: no aggregateRating
        runtimes=[Runtime(minutes=None, country="UK"), Runtime(minutes=125, country="USA")],
        goofs=[Goof(text="plain"), Goof(category="Continuity", text="<b>bold</b>")],
        quotes=[Quote(lines=[QuoteLine(text="Hello."), QuoteLine(character="B", text="Bye.")])],
    )
    with serve(sqlite_url, [hostile]) as test_client:
        response = test_client.get("/title/tt0000666")
    html = response.text
    assert "<script>alert(1)</script>" not in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    assert "<" not in blocks[0] and "\u2028" not in blocks[0] and "\u2029" not in blocks[0]
    [movie] = jsonld_blocks(read_page(html))
    assert movie["name"] == hostile.title
    assert movie["description"] == hostile.outline
    assert movie["duration"] == "PT2H5M"
    assert "aggregateRating" not in movie
    assert schema_org_errors(movie) == []
    page = read_page(html)
    assert page.section("technical-specs") == "Technical specs Runtime UK, length not given 125 min (USA)"
    assert page.section("goofs") == "Goofs Other goofs plain Continuity <b>bold</b>"


@pytest.mark.postgres
def test_film_page_and_twin_on_postgresql(pg_url: str) -> None:
    with serve(pg_url, [mask_film()]) as test_client:
        page = read_page(test_client.get(f"/title/{MASK}").text)
        twin = test_client.get(f"/title/{MASK}.json").json()
    assert "Kelly Jo Minter Lorrie (as Kelly Minter)" in page.section("cast")
    assert page.section("comments").endswith("Comments are closed.")
    assert twin["title"] == "Mask"
    assert twin["rating"] == {"value": 7.0, "scale": 10, "votes": 12168}


def detailed() -> Film:
    """A film with the details other sources give: countries, languages, scores, awards, external ids."""
    return Film(
        id="tt0089560",
        title="Mask",
        year=1985,
        rating=Rating(value=7.0, votes=12168),
        countries=["United States"],
        languages=["English", "Spanish"],
        scores=[
            ExternalScore(source="Rotten Tomatoes", kind="critics", value=82, scale=100, count=51),
            ExternalScore(source="Metacritic", kind="metascore", value=64, scale=100, count=1),
        ],
        awards=[
            Award(name="Academy Award", category="Best Makeup", year=1986, outcome="won"),
            Award(name="Golden Globe Award", category="Best Actress", year=1986, outcome="nominated"),
        ],
        external_ids={"wikidata": "Q929647", "tmdb": "javascript:alert(1)"},
    )


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_details_scores_and_awards_are_shown_as_what_they_are(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    with serve(url, [detailed()]) as test_client:
        response = test_client.get(f"/title/{MASK}")
        twin = test_client.get(f"/title/{MASK}.json").json()
        api = test_client.get(f"/api/v1/titles/{MASK}")
    page = read_page(response.text)
    assert page.section("details") == "Details Country of origin United States Languages English, Spanish"
    scores = page.section("scores")
    assert "Rotten Tomatoes critics 82% (51 reviews)" in scores
    assert "Metacritic Metascore 64/100 (1 review)" in scores
    assert "not IMDb ratings" in scores
    assert page.section("rating").startswith("IMDb rating ★ 7.0")  # the IMDb box holds IMDb's rating only
    awards = page.section("awards")
    assert "Academy Award for Best Makeup (1986), won" in awards
    assert "Golden Globe Award for Best Actress (1986), nominated" in awards
    assert 'href="https://www.wikidata.org/wiki/Q929647"' in response.text
    assert "javascript:" not in response.text.split("application/ld+json")[0]  # no link from a bad id
    (movie,) = jsonld_blocks(page)
    assert schema_org_errors(movie) == []
    assert movie["countryOfOrigin"] == [{"@type": "Country", "name": "United States"}]
    assert movie["inLanguage"] == ["English", "Spanish"]
    assert movie["award"] == ["Academy Award for Best Makeup (1986)"]
    assert movie["sameAs"] == [
        "https://www.imdb.com/title/tt0089560/",
        "https://www.wikidata.org/wiki/Q929647",
    ]
    assert twin.pop("similar") == []
    assert twin == detailed().model_dump(mode="json")
    assert api.status_code == 200
    body = api.json()
    assert body["scores"][0] == {
        "source": "Rotten Tomatoes",
        "kind": "critics",
        "value": 82.0,
        "scale": 100,
        "count": 51,
    }
    assert body["countries"] == ["United States"]
    assert body["external_ids"] == {"wikidata": "Q929647", "tmdb": "javascript:alert(1)"}


def test_templates_get_data_and_are_given_no_function_that_could_fetch_it(client: TestClient) -> None:
    # The routes gather every page's data before rendering; the templates' globals are Jinja's own
    # helpers and plain values, so no template can reach the store while it renders.
    from jinja2 import Environment

    env = client.app.state.marquee.renderer.env  # type: ignore[attr-defined]
    jinja_own = set(Environment().globals)
    offered = {name for name, value in env.globals.items() if callable(value) and name not in jinja_own}
    assert offered == set()
    assert client.get(f"/title/{MASK}").status_code == 200


def test_alternate_titles_show_region_language_and_attributes_as_one_note(sqlite_url: str) -> None:
    akas = [
        AlternateTitle(title="Máscara", region="BR", language="pt", attributes=["working title", "literal"]),
        AlternateTitle(title="Mask & Co", attributes=["short"]),
        AlternateTitle(title="Mask, the film", region="US"),
        AlternateTitle(title="Maske", language="de"),
        AlternateTitle(title="Mask", is_original=True),
    ]
    with serve(sqlite_url, [Film(id=MASK, title="Mask", year=1985, alternate_titles=akas)]) as test_client:
        html = test_client.get(f"/title/{MASK}").text
    assert '<li>Máscara <span class="muted">(BR, pt; working title, literal)</span></li>' in html
    assert '<li>Mask &amp; Co <span class="muted">(short)</span></li>' in html
    assert '<li>Mask, the film <span class="muted">(US)</span></li>' in html
    assert '<li>Maske <span class="muted">(de)</span></li>' in html
    assert '<li>Mask <span class="tag">original</span></li>' in html


@pytest.mark.parametrize("value", ["tt0089560", "/title/tt0089560#comments", "a b/c?d=é&x=1", "ü/🎬", ""])
def test_the_urlencode_filter_quotes_as_jinjas_own(value: str) -> None:
    from jinja2.filters import do_urlencode

    assert urlencode(value) == do_urlencode(value)
