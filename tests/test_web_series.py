"""Series and episodes (issue 18 item 7): a series page lists its seasons and the episodes of one,
an episode links to its series by name with its neighbours, JSON-LD says TVSeries/TVEpisode; the
same in the .json twin and ``GET /api/v1/titles/{id}/episodes``. Both backends, from the IMDb
sample files (``title.episode``) and from the store API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from marquee.records import EpisodeOf, Film, Rating
from marquee.services.imdb_import import import_imdb_datasets
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app
from support.api import TestClient
from support.web import Page, jsonld_blocks, read_page, schema_org_errors

PIMDB = Path(__file__).parent / "data" / "imdb" / "pimdb-test-fixtures"
SERIES = "tt3456370"  # Starting From... Now: 25 episodes in seasons 1-5
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """An app over the IMDb sample files, on each backend."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    store = open_store(url)
    try:
        import_imdb_datasets(store, PIMDB)
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=url))) as test_client:
        yield test_client


def _page(client: TestClient, path: str) -> Page:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return read_page(response.text)


def _text(page: Page, element_id: str) -> str:
    """The element's text, without the space the reader leaves before a comma after a link."""
    return page.section(element_id).replace(" ,", ",")


def _episode_links(page: Page) -> list[tuple[str, str]]:
    return [(href, text) for href, text in page.links if re.fullmatch(r"/title/tt\d+", href)]


def test_a_series_page_lists_its_seasons_and_the_first_seasons_episodes(client: TestClient) -> None:
    page = _page(client, f"/title/{SERIES}")
    guide = page.section("episodes")
    assert "25 episodes in 5 seasons" in guide
    seasons = [(h, t) for h, t in page.links if "?season=" in h]
    assert seasons == [(f"/title/{SERIES}?season={n}#episodes", f"Season {n}") for n in range(1, 6)]
    assert 'aria-current="page">Season 1<' in client.get(f"/title/{SERIES}").text
    assert client.get(f"/title/{SERIES}").text.count('aria-current="page">Season') == 1
    assert page.section("season-h") == "Season 1"
    titles = [text for _, text in _episode_links(page)]
    assert titles == ["Episode #1.2", "Episode #1.3", "Episode #1.4", "Episode #1.5", "Episode #1.6"]
    assert ("/title/tt3479070", "Episode #1.3") in page.links
    assert "Episode #1.3 2014" in guide  # the year beside the title


def test_season_links_page_through_a_long_series(client: TestClient) -> None:
    page = _page(client, f"/title/{SERIES}?season=4")
    assert page.section("season-h") == "Season 4"
    assert [text for _, text in _episode_links(page)] == [f"Episode #4.{n}" for n in range(1, 7)]
    # The season's JSON twin is advertised, and holds the same season.
    response = client.get(f"/title/{SERIES}?season=4")
    assert f'href="/title/{SERIES}.json?season=4"' in response.text
    twin = client.get(f"/title/{SERIES}.json?season=4").json()
    assert twin["episode_guide"]["season"] == 4
    assert [e["episode"] for e in twin["episode_guide"]["episodes"]] == [1, 2, 3, 4, 5, 6]
    for bad in ("9", "x", "-1"):
        assert client.get(f"/title/{SERIES}?season={bad}").status_code == 404
        assert client.get(f"/title/{SERIES}.json?season={bad}").status_code == 404
    assert client.get("/title/tt2535470?season=1").status_code == 404  # a film has no seasons


def test_an_episode_links_to_its_series_by_name_and_to_its_neighbours(client: TestClient) -> None:
    page = _page(client, "/title/tt3479070")
    assert _text(page, "episode-of").startswith("Episode of Starting From... Now, season 1, episode 3")
    assert (f"/title/{SERIES}?season=1#episodes", "Starting From... Now") in page.links
    assert ("/title/tt3471694", "← Previous: Episode #1.2") in page.links
    assert ("/title/tt3810842", "Next: Episode #1.4 →") in page.links
    # The last of a season leads to the first of the next; the first episode has no previous.
    last = _page(client, "/title/tt3816992")
    assert ("/title/tt4293642", "Next: Episode #2.3 →") in last.links
    first = _page(client, "/title/tt3471694").section("episode-of")
    assert "Previous" not in first and "Next: Episode #1.3" in first
    # A series the catalogue lacks is still linked, without a name.
    orphan = _page(client, "/title/tt10976756")
    assert ("/title/tt10972276?season=3#episodes", "The series") in orphan.links
    twin = client.get("/title/tt3479070.json").json()
    assert twin["episode_of_series"]["series_title"] == "Starting From... Now"
    assert twin["episode_of_series"]["previous"]["id"] == "tt3471694"
    assert twin["episode_of_series"]["next"]["id"] == "tt3810842"


def test_jsonld_is_a_tv_series_with_its_seasons_and_a_tv_episode_part_of_it(client: TestClient) -> None:
    (series,) = jsonld_blocks(_page(client, f"/title/{SERIES}"))
    assert schema_org_errors(series) == []
    assert series["@type"] == "TVSeries"
    assert (series["numberOfSeasons"], series["numberOfEpisodes"]) == (5, 25)
    assert [s["seasonNumber"] for s in series["containsSeason"]] == [1, 2, 3, 4, 5]
    assert [s["numberOfEpisodes"] for s in series["containsSeason"]] == [5, 4, 4, 6, 6]
    assert [e["episodeNumber"] for e in series["containsSeason"][0]["episode"]] == [2, 3, 4, 5, 6]
    assert "duration" not in series
    (episode,) = jsonld_blocks(_page(client, "/title/tt3479070"))
    assert schema_org_errors(episode) == []
    assert episode["@type"] == "TVEpisode"
    assert episode["partOfSeries"] == {
        "@type": "TVSeries",
        "url": f"/title/{SERIES}",
        "name": "Starting From... Now",
    }
    assert episode["partOfSeason"]["seasonNumber"] == 1
    assert episode["episodeNumber"] == 3
    (film,) = jsonld_blocks(_page(client, "/title/tt2535470"))
    assert film["@type"] == "Movie"


def test_the_api_lists_a_seasons_episodes(client: TestClient) -> None:
    response = client.get(f"/api/v1/titles/{SERIES}/episodes", params={"season": 2})
    assert response.status_code == 200
    body = response.json()
    assert [s["season"] for s in body["seasons"]] == [1, 2, 3, 4, 5]
    assert [(e["id"], e["episode"]) for e in body["episodes"]] == [
        ("tt4293642", 3), ("tt4293672", 4), ("tt4295370", 5), ("tt4295392", 6),
    ]  # fmt: skip
    first = client.get(f"/api/v1/titles/{SERIES}/episodes").json()
    assert first["season"] == 1 and len(first["episodes"]) == 5
    assert client.get(f"/api/v1/titles/{SERIES}/episodes", params={"season": 7}).status_code == 404
    assert client.get("/api/v1/titles/tt2535470/episodes").status_code == 404  # a film
    assert client.get("/api/v1/titles/tt0000001/episodes").status_code == 404  # not stored
    ld = client.get(f"/api/v1/titles/{SERIES}", headers={"Accept": "application/ld+json"}).json()
    assert (ld["@type"], ld["numberOfEpisodes"], schema_org_errors(ld)) == ("TVSeries", 25, [])
    ld = client.get("/api/v1/titles/tt3479070", headers={"Accept": "application/ld+json"}).json()
    assert (ld["@type"], ld["partOfSeries"]["name"], schema_org_errors(ld)) == (
        "TVEpisode",
        "Starting From... Now",
        [],
    )
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/titles/{id}/episodes" in doc["paths"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_series_saved_through_the_store_shows_ratings_and_unnumbered_episodes(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    store = open_store(url)
    try:
        store.save_film(Film(id="tt0903747", title="Breaking Bad", kind="tvSeries", year=2008, end_year=2013))
        for number, title in ((3, "...And the Bag's in the River"), (1, "Pilot"), (2, "Cat's in the Bag...")):
            store.save_film(
                Film(
                    id=f"tt09000{number:02d}",
                    title=title,
                    kind="tvEpisode",
                    year=2008,
                    rating=Rating(value=8.0 + number / 10, votes=1000 * number),
                    episode_of=EpisodeOf(series_id="tt0903747", season=1, episode=number),
                )
            )
        store.save_film(
            Film(
                id="tt0900099", title="Special", kind="tvEpisode", episode_of=EpisodeOf(series_id="tt0903747")
            )
        )
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=url))) as client:
        page = _page(client, "/title/tt0903747")
        assert [text for _, text in _episode_links(page)] == [
            "Pilot", "Cat's in the Bag...", "...And the Bag's in the River",
        ]  # fmt: skip
        assert "8.3 (3,000)" in page.section("episodes")
        assert "4 episodes in 1 season" in page.section("episodes")
        guide = client.get("/api/v1/titles/tt0903747/episodes").json()
        assert guide["seasons"] == [{"season": 1, "episodes": 3}, {"season": None, "episodes": 1}]
        assert guide["episodes"][2]["rating"] == 8.3 and guide["episodes"][2]["votes"] == 3000
        episode = _page(client, "/title/tt0900003")
        assert _text(episode, "episode-of").startswith("Episode of Breaking Bad, season 1, episode 3")
        assert ("/title/tt0900002", "← Previous: Cat's in the Bag...") in episode.links
        assert not any(text.startswith("Next") for _, text in episode.links)
