"""Home, person, search, browse and chart pages, their JSON twins, errors and accessibility basics."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from marquee.records import Film
from marquee.settings import Settings
from marquee.web.app import create_app
from support.web import Page, TestClient, read_page, site_on, small_catalogue

MASK = "tt0089560"


def make_client(url: str, films: list[Film], **settings: object) -> TestClient:
    """A test client for the site on a store holding ``films``, charts from 1,000 votes unless told."""
    return site_on(url, films, **({"chart_min_votes": 1000} | settings))


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_at: Callable[[Path], str]
) -> Iterator[TestClient]:
    """One site for the read-only tests of this module."""
    url = migrated_sqlite_at(tmp_path_factory.mktemp("web-pages") / "marquee.db")
    with make_client(url, small_catalogue()) as test_client:
        yield test_client


def get_page(client: TestClient, url: str, status: int = 200) -> Page:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return read_page(response.text)


PAGES = [
    "/",
    f"/title/{MASK}",
    "/person/cher",
    "/search?q=mask",
    "/browse?genre=Drama",
    "/charts",
    "/charts/top-rated",
    "/charts/most-voted?decade=1980s",
    "/charts/genre/Drama",
    "/charts/decade/1990s",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_is_accessible_and_self_contained(client: TestClient, url: str) -> None:
    page = get_page(client, url)
    assert page.lang == "en"
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in page.tags, landmark
    assert page.links[0] == ("#main", "Skip to content")
    assert "main" in page.sections
    assert page.unlabelled_inputs == []
    assert page.images_without_alt == 0
    assert page.tags.count("h1") == 1
    assert page.assets and all(asset.startswith("/static/") for asset in page.assets), page.assets


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_json_twin(client: TestClient, url: str) -> None:
    response = client.get(url)
    link = response.headers["link"]
    assert link.endswith('>; rel="alternate"; type="application/json"')
    twin_url = link[1 : link.index(">")]
    assert ".json" in twin_url
    twin = client.get(twin_url)
    assert twin.status_code == 200
    assert twin.headers["content-type"] == "application/json"
    assert isinstance(twin.json(), dict)


def test_home_page_lists_most_voted_and_top_rated(client: TestClient) -> None:
    page = get_page(client, "/")
    assert "5 titles to explore" in page.text
    assert page.section("most-voted-h") == "Most voted"
    data = client.get("/index.json").json()
    assert data["film_count"] == 5
    assert [hit["title"] for hit in data["most_voted"]][:2] == ["Night Train", "Harbour Lights"]
    assert [hit["title"] for hit in data["newest"]][:2] == ["Quiet Fields", "Harbour Lights"]
    assert page.section("newest-h") == "Newest"
    assert "Drama" in data["genres"]


def test_person_page_shows_known_for_and_filmography_by_year(client: TestClient) -> None:
    page = get_page(client, "/person/cher")
    assert page.title.startswith("Cher")
    filmography = page.section("filmography")
    # newest first: Harbour Lights (1994) before Mask (1985)
    assert filmography.index("1994 Harbour Lights Marie") < filmography.index(
        "1985 Mask Florence 'Rusty' Dennis"
    )
    assert "Mask" in page.section("known-for")
    links = {href for href, _ in page.links}
    assert {f"/title/{MASK}", "/title/tt0000101"} <= links
    twin = client.get("/person/cher.json").json()
    assert twin["name"] == "Cher"
    assert {credit["title_id"] for credit in twin["credits"]} >= {MASK, "tt0000101"}


def test_person_page_of_a_director(client: TestClient) -> None:
    page = get_page(client, "/person/peter-bogdanovich")
    filmography = page.section("filmography")
    assert filmography.startswith("Filmography Director (1)")
    assert filmography.endswith("Year Title Job 1985 Mask")


def test_unknown_person_is_404_in_both_forms(client: TestClient) -> None:
    page = get_page(client, "/person/nobody-at-all", status=404)
    assert "No person with id 'nobody-at-all'" in page.section("main")
    twin = client.get("/person/nobody-at-all.json")
    assert twin.status_code == 404
    assert twin.json()["error"]["message"] == "No person with id 'nobody-at-all'"


def test_search_finds_a_film_despite_a_typo(client: TestClient) -> None:
    page = get_page(client, "/search?q=Msak")
    assert page.title.startswith("“Msak”")
    assert (f"/title/{MASK}", "Mask") in page.links
    data = client.get("/search.json?q=Msak").json()
    assert data["titles"][0]["id"] == MASK


def test_search_finds_people_and_text(client: TestClient) -> None:
    data = client.get("/search.json?q=Tom Reed").json()
    assert data["people"][0]["name"] == "Tom Reed"
    page = get_page(client, "/search?q=Tom+Reed&type=people")
    assert ("/person/tom-reed", "Tom Reed") in page.links
    text = client.get("/search.json?q=monkeys trees&type=text").json()
    assert [hit["id"] for hit in text["text"]] == [MASK]
    assert text["titles"] == [] and text["people"] == []


def test_empty_search_shows_the_form_and_nothing_else(client: TestClient) -> None:
    page = get_page(client, "/search")
    assert page.section("search-h") == "Search"
    assert "search-type" in page.sections  # the form is there
    assert "titles-h" not in page.sections
    assert client.get("/search.json").json() == {
        "query": "",
        "type": "all",
        "titles": [],
        "people": [],
        "text": [],
    }


def test_suggestions_as_one_types(client: TestClient) -> None:
    data = client.get("/search/suggest.json?q=Nigh").json()
    assert data["query"] == "Nigh"
    assert data["suggestions"][0] == {
        "id": "tt0000102",
        "title": "Night Train",
        "year": 1987,
        "kind": "movie",
        "url": "/title/tt0000102",
    }
    assert client.get("/search/suggest.json?q=").json() == {"query": "", "suggestions": []}


def test_browse_filters_by_genre_and_year_and_keeps_the_form(client: TestClient) -> None:
    page = get_page(client, "/browse?genre=Drama&year_from=1990&sort=rating")
    titles = [text for href, text in page.links if href.startswith("/title/")]
    assert titles == ["Harbour Lights", "Quiet Fields"]
    assert page.section("results-h") == "2 titles"
    data = client.get("/browse.json?genre=Drama&year_from=1990&sort=rating").json()
    assert data["filters"] == {"genre": "Drama", "year_from": 1990}
    assert [item["id"] for item in data["items"]] == ["tt0000101", "tt0000103"]


def test_browse_ignores_empty_form_fields(client: TestClient) -> None:
    data = client.get("/browse.json?genre=&year_from=&year_to=&min_rating=&sort=").json()
    assert data["total"] == 5
    assert data["filters"] == {}


def test_browse_pages_link_to_each_other(sqlite_url: str) -> None:
    with make_client(sqlite_url, small_catalogue(), per_page=2) as test_client:
        first = get_page(test_client, "/browse?sort=title")
        assert ("/browse?sort=title&page=2", "Next →") in first.links
        third = get_page(test_client, "/browse?sort=title&page=3")
        assert ("/browse?sort=title&page=2", "← Previous") in third.links
        assert [text for href, text in third.links if href.startswith("/title/")] == ["Unrated Thing"]


def test_bad_browse_input_is_a_400_naming_the_field(client: TestClient) -> None:
    page = get_page(client, "/browse?year_from=abc", status=400)
    assert "year_from: 'abc' is not a whole number" in page.section("main")
    twin = client.get("/browse.json?min_rating=lots")
    assert twin.status_code == 400
    assert twin.json()["error"]["message"] == "min_rating: 'lots' is not a number"
    assert client.get("/browse?sort=shoe-size").status_code == 400
    assert client.get("/browse?page=0").status_code == 400


def test_top_rated_chart_shows_its_formula_and_ranks(client: TestClient) -> None:
    page = get_page(client, "/charts/top-rated")
    assert "WR" in page.text and "m = 1,000" in page.text.replace("m=", "m = ")
    titles = [text for href, text in page.links if href.startswith("/title/")]
    assert titles[0] == "Harbour Lights"
    assert "Unrated Thing" not in titles
    data = client.get("/charts/top-rated.json").json()
    assert data["m"] == 1000
    assert data["formula"]
    assert [entry["rank"] for entry in data["entries"]] == list(range(1, len(data["entries"]) + 1))


def test_most_voted_and_per_genre_and_decade_charts(client: TestClient) -> None:
    most = client.get("/charts/most-voted.json").json()
    assert [entry["hit"]["id"] for entry in most["entries"]][:3] == ["tt0000102", "tt0000101", MASK]
    drama = client.get("/charts/genre/Drama.json").json()
    assert {entry["hit"]["id"] for entry in drama["entries"]} <= {MASK, "tt0000101", "tt0000103"}
    assert drama["genre"] == "Drama"
    eighties = client.get("/charts/decade/1980s.json").json()
    assert {entry["hit"]["id"] for entry in eighties["entries"]} == {MASK, "tt0000102"}
    page = get_page(client, "/charts/decade/1980s")
    assert page.title.startswith("Top rated films of the 1980s")
    index = get_page(client, "/charts")
    assert ("/charts/genre/Drama", "Drama") in index.links
    assert ("/charts/decade/1980s", "1980s") in index.links


def test_bad_chart_addresses(client: TestClient) -> None:
    assert client.get("/charts/decade/1985").status_code == 400
    assert client.get("/charts/worst-ever").status_code == 404
    assert client.get("/charts/worst-ever.json").json()["error"]["status"] == 404


def test_unknown_address_is_a_404_page_or_json(client: TestClient) -> None:
    page = get_page(client, "/no/such/page", status=404)
    assert page.section("error-h") == "Not found"
    response = client.get("/no/such/thing.json")
    assert response.status_code == 404
    assert response.json()["error"]["reason"] == "Not Found"


def test_cached_page_is_rendered_again_after_invalidation(sqlite_url: str) -> None:
    from marquee.web.deps import Site

    with make_client(sqlite_url, small_catalogue()) as test_client:
        assert "Quiet Fields" in get_page(test_client, "/title/tt0000103").title
        site: Site = test_client.app.state.marquee  # type: ignore[attr-defined]
        site.store.save_film(Film(id="tt0000103", title="Loud Fields", year=2003))
        assert "Quiet Fields" in get_page(test_client, "/title/tt0000103").title  # cached
        site.pages.invalidate(("title", "tt0000103"))
        assert "Loud Fields" in get_page(test_client, "/title/tt0000103").title
        assert test_client.get("/title/tt0000103.json").json()["title"] == "Loud Fields"


def test_without_cache_every_request_reads_the_store(sqlite_url: str) -> None:
    with make_client(sqlite_url, small_catalogue(), page_cache_size=0) as test_client:
        assert "Quiet Fields" in get_page(test_client, "/title/tt0000103").title
        test_client.app.state.marquee.store.save_film(Film(id="tt0000103", title="Loud Fields"))  # type: ignore[attr-defined]
        assert "Loud Fields" in get_page(test_client, "/title/tt0000103").title


def test_static_assets_are_served(client: TestClient) -> None:
    css = client.get("/static/site.css")
    assert css.status_code == 200 and "font-family" not in css.text.split("--font")[0]
    js = client.get("/static/suggest.js")
    assert js.status_code == 200 and "/search/suggest.json" not in js.text  # the URL comes from the page
    assert "http" not in css.text and "http" not in js.text  # nothing from another host


def test_a_crash_is_a_clean_500_and_a_store_failure_a_503(sqlite_url: str) -> None:
    from marquee.errors import StoreError

    app = create_app(Settings(database_url=sqlite_url))

    def crash() -> None:
        raise RuntimeError("secret detail")

    def store_down() -> None:
        raise StoreError("cannot open postgresql://user:pw@db/marquee")

    for path, endpoint in (("/crash", crash), ("/crash.json", crash), ("/down", store_down)):
        app.add_api_route(path, endpoint)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        page = test_client.get("/crash")
        assert page.status_code == 500
        assert read_page(page.text).section("error-h") == "Internal Server Error"
        assert "secret detail" not in page.text
        twin = test_client.get("/crash.json")
        assert twin.status_code == 500
        assert twin.json()["error"] == {
            "status": 500,
            "reason": "Internal Server Error",
            "message": "Something went wrong on our side.",
        }
        down = test_client.get("/down")
        assert down.status_code == 503
        assert "pw@db" not in down.text


def test_cached_pages_come_back_identical_from_the_fast_path(sqlite_url: str) -> None:
    from marquee.web.fast_path import cache_key

    assert cache_key("/title/tt1") == ("title", "tt1", "html")
    assert cache_key("/person/cher.json") == ("person", "cher", "json")
    assert cache_key("/title/") is None and cache_key("/charts/top-rated") is None
    assert cache_key("/title/tt1/reviews") is None
    with make_client(sqlite_url, small_catalogue()) as test_client:
        for url in (f"/title/{MASK}", f"/title/{MASK}.json", "/person/cher", "/person/cher.json"):
            first, second = test_client.get(url), test_client.get(url)  # rendered, then from memory
            assert second.status_code == 200
            assert second.content == first.content
            for header in ("content-type", "link", "content-length"):
                assert second.headers[header] == first.headers[header], (url, header)
        site = test_client.app.state.marquee  # type: ignore[attr-defined]
        site.store.save_film(Film(id="tt0000103", title="Loud Fields"))
        test_client.get("/title/tt0000103")
        site.pages.put(("title", "tt0000103", "html"), b"cached copy")
        assert test_client.get("/title/tt0000103").content == b"cached copy"
        # a member gets the page rendered for them, never the shared copy
        test_client.cookies.set("marquee_session", "not-a-real-session")
        assert test_client.get("/title/tt0000103").content != b"cached copy"
