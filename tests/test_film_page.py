"""``services.film_page``: the film page's shared data from a few plain statements is exactly what the
separate reads give (``get_film``, ``film_activity``, ``similar_titles``, ``episode_place``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from marquee.records import EpisodeOf, Film, Rating
from marquee.services import accounts, community, discover
from marquee.services.episodes import episode_guide, episode_place
from marquee.services.film_page import film_page
from marquee.storage import SqlStore, schema
from marquee.storage.film_page_rows import read_film_page
from support.members import PASSWORD

SERIES = "tt0903747"


def _episode(tconst: str, season: int | None, number: int | None, year: int | None = 2008) -> Film:
    return Film(
        id=tconst,
        title=f"Episode {tconst}",
        kind="tvEpisode",
        year=year,
        rating=Rating(value=8.5, votes=120),
        episode_of=EpisodeOf(series_id=SERIES, season=season, episode=number),
    )


@pytest.fixture
def series_store(store: SqlStore) -> SqlStore:
    """A series with three numbered seasons (one gap: 1, 2, 4), episodes without a number, and
    episodes without a season; a film that is no episode."""
    films = [Film(id=SERIES, title="Breaking Bad", kind="tvSeries", year=2008)]
    films += [_episode(f"tt10000{n:02d}", 1, n) for n in range(1, 4)]
    films += [_episode(f"tt10001{n:02d}", 2, n) for n in range(1, 3)]
    films += [_episode("tt1000200", 2, None), _episode("tt1000201", 2, None, year=None)]
    films += [_episode(f"tt10004{n:02d}", 4, n) for n in range(1, 3)]
    films += [_episode("tt1000900", None, None), _episode("tt1000901", None, 1)]
    films += [Film(id="tt0089560", title="Mask", year=1985)]
    store.save_films(films)
    return store


def test_every_episodes_place_is_the_one_the_guide_gives(series_store: SqlStore) -> None:
    episodes = [f.id for f in series_store.iter_films() if f.kind == "tvEpisode"]
    assert len(episodes) == 11
    for tconst in episodes:
        page = film_page(series_store, tconst, 8)
        assert page is not None
        assert page.film == series_store.get_film(tconst)
        assert page.place == episode_place(series_store, page.film), tconst
    first = film_page(series_store, "tt1000101", 8)
    assert first is not None and first.place is not None and first.place.previous is not None
    assert first.place.previous.id == "tt1000003"  # a season's first episode follows the last season's last


def test_a_series_page_holds_its_first_seasons_guide_and_other_films_none(series_store: SqlStore) -> None:
    page = film_page(series_store, SERIES, 8)
    assert page is not None and page.guide is not None
    assert page.guide == episode_guide(series_store, SERIES)
    assert page.guide.season == 1 and [s.season for s in page.guide.seasons] == [1, 2, 4, None]
    episode = film_page(series_store, "tt1000001", 8)
    assert episode is not None and episode.guide is None


def test_a_series_without_episodes_has_an_empty_guide(store: SqlStore) -> None:
    store.save_films([Film(id=SERIES, title="Breaking Bad", kind="tvMiniSeries", year=2008)])
    page = film_page(store, SERIES, 8)
    assert page is not None and page.guide == episode_guide(store, SERIES)
    assert page.guide is not None and page.guide.seasons == [] and page.guide.season is None


def test_an_episode_of_a_series_not_in_the_catalogue_has_no_series_title(store: SqlStore) -> None:
    store.save_films([_episode("tt1000001", 1, 1)])
    page = film_page(store, "tt1000001", 8)
    assert page is not None and page.place == episode_place(store, page.film)
    assert page.place is not None and page.place.series_title is None


def test_a_film_that_is_no_episode_has_no_place_and_an_unknown_one_is_none(series_store: SqlStore) -> None:
    page = film_page(series_store, "tt0089560", 8)
    assert page is not None and page.place is None
    assert film_page(series_store, "tt9999999", 8) is None


def test_members_activity_and_similar_films_are_those_the_separate_reads_give(series_store: SqlStore) -> None:
    ann = accounts.create_user(series_store, "ann", PASSWORD)
    community.rate(series_store, ann, "tt0089560", 8)
    discover.rebuild_similar(series_store)
    page = film_page(series_store, "tt1000001", 3)
    assert page is not None and len(page.similar) == 3  # the season's other episodes, at least
    assert page.similar == discover.similar_titles(series_store, "tt1000001", 3)
    page = film_page(series_store, "tt0089560", 8)
    assert page is not None
    assert page.activity == community.film_activity(series_store, "tt0089560")
    assert page.activity.rated and not page.activity.reviewed and not page.activity.commented


def test_an_episode_whose_stored_season_the_rules_refuse_has_the_place_its_film_reads_with(
    series_store: SqlStore,
) -> None:
    """Written by an older version: season -2. The film reads without it (an episode without a season),
    and its neighbours are those of that place, not of the stored one (SQLite reads the stored one's in
    the page's statement, and must not use them)."""
    with series_store.writing() as conn:
        titles, episodes = schema.titles, schema.episodes
        key = conn.execute(select(titles.c.title_key).where(titles.c.title_id == "tt1000002")).scalar_one()
        conn.execute(update(episodes).where(episodes.c.title_key == key).values(season=-2))
    page = film_page(series_store, "tt1000002", 8)
    assert page is not None and page.film.episode_of is not None and page.film.episode_of.season is None
    assert page.place == episode_place(series_store, page.film)
    # The rows too (the page drops a neighbour of another season itself): among the episodes without a
    # season it has none; from season -2 the next would be season 1's first.
    rows = read_film_page(series_store, "tt1000002", 8)
    assert rows is not None and rows.neighbours is not None
    assert rows.neighbours.series_title == "Breaking Bad"
    assert rows.neighbours.previous is None and rows.neighbours.next is None
