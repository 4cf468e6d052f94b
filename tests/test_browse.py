"""Browse: filters that combine, sorts, pages and totals, on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from marquee.errors import InputError
from marquee.services.browse import BrowseFilters, browse
from marquee.storage import SqlStore
from support.search_rows import CATALOGUE, module_url, open_loaded

__all__ = ["module_url"]


@pytest.fixture(scope="module")
def catalogue(module_url: str) -> Iterator[SqlStore]:
    yield from open_loaded(module_url, CATALOGUE)


def ids(store: SqlStore, sort: str = "votes", **filters: object) -> list[str]:
    return [h.id for h in browse(store, BrowseFilters.model_validate(filters), sort=sort, per_page=100).items]


def test_no_filter_lists_everything_most_voted_first(catalogue: SqlStore) -> None:
    page = browse(catalogue, BrowseFilters(), per_page=3)
    assert page.total == len(CATALOGUE)
    assert [h.id for h in page.items] == ["tt0903747", "tt0068646", "tt0071562"]
    assert (page.page, page.per_page) == (1, 3)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"genre": "crime"}, ["tt0903747", "tt0068646", "tt0071562", "tt0099674"]),  # any case
        ({"genre": "Drama", "decade": 1980}, ["tt0089560"]),
        ({"year_from": 1950, "year_to": 1953}, ["tt0045152", "tt0046250"]),
        ({"decade": 1970, "kind": "movie"}, ["tt0068646", "tt0071562"]),
        ({"kind": "series"}, ["tt0903747", "tt9000003"]),
        ({"kind": "tvEpisode"}, ["tt9000002", "tt9000001"]),
        ({"min_rating": 8.3, "kind": "movie"}, ["tt0068646", "tt0071562", "tt0211915", "tt0045152"]),
        ({"min_votes": 1_000_000}, ["tt0903747", "tt0068646", "tt0071562"]),
        # Many votes asked: the query starts from the votes index and looks the genre up.
        ({"genre": "drama", "min_votes": 1_000_000, "kind": "movie"}, ["tt0068646", "tt0071562"]),
        ({"genre": "comedy", "min_votes": 400_000}, ["tt0211915", "tt0110475"]),
        ({"runtime_min": 100, "runtime_max": 110}, ["tt0110475", "tt0045152"]),
        ({"person": "nm0000128"}, ["tt0089560", "tt9000003"]),  # Cher by id
        ({"person": "Cher"}, ["tt0089560", "tt9000003"]),  # and by name
        ({"person": "al pacino", "min_rating": 9}, ["tt0068646", "tt0071562"]),
        ({"person": "Jean-Pierre Jeunet"}, ["tt0211915"]),
        ({"person": "Nobody At All"}, []),
        ({"location": "california"}, ["tt0110475", "tt0089560"]),
        ({"location": "Azusa", "genre": "Drama"}, ["tt0089560"]),
    ],
)
def test_filters_combine(catalogue: SqlStore, filters: dict[str, object], expected: list[str]) -> None:
    assert ids(catalogue, **filters) == expected


def test_the_total_counts_every_match_not_just_the_page(catalogue: SqlStore) -> None:
    first = browse(catalogue, BrowseFilters(genre="Drama"), per_page=2)
    second = browse(catalogue, BrowseFilters(genre="Drama"), page=2, per_page=2)
    assert first.total == second.total == 7
    assert len(first.items) == len(second.items) == 2
    assert not {h.id for h in first.items} & {h.id for h in second.items}
    assert browse(catalogue, BrowseFilters(genre="Drama"), page=9, per_page=2).items == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("votes", ["tt0068646", "tt0071562", "tt0099674"]),
        ("rating", ["tt0068646", "tt0071562", "tt0099674"]),
        ("year", ["tt0099674", "tt0071562", "tt0068646"]),  # newest first
        ("title", ["tt0068646", "tt0071562", "tt0099674"]),  # A to Z
    ],
)
def test_sorts(catalogue: SqlStore, sort: str, expected: list[str]) -> None:
    assert ids(catalogue, sort, genre="crime", kind="movie") == expected


def test_sort_by_rating_puts_unrated_titles_last_and_title_sort_ignores_case(catalogue: SqlStore) -> None:
    by_rating = ids(catalogue, "rating", decade=1950)
    assert by_rating == ["tt0045152", "tt0046250"]
    by_title = browse(catalogue, BrowseFilters(kind="movie"), sort="title", per_page=100).items
    titles = [h.title for h in by_title]
    assert titles == sorted(titles, key=str.lower)


def test_hits_are_complete(catalogue: SqlStore) -> None:
    hit = browse(catalogue, BrowseFilters(person="Cher", kind="movie")).items[0]
    assert hit.model_dump() == {
        "id": "tt0089560",
        "title": "Mask",
        "year": 1985,
        "kind": "movie",
        "rating": 7.0,
        "votes": 12168,
        "matched": None,
    }


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ({"sort": "loudness"}, "sort"),
        ({"page": 0}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 100_000}, "per_page"),
        ({"filters": BrowseFilters(decade=1985)}, "decade"),
    ],
)
def test_bad_requests_say_which_field(catalogue: SqlStore, call: dict[str, object], message: str) -> None:
    kwargs = {"filters": BrowseFilters(), **call}
    with pytest.raises(InputError, match=message):
        browse(catalogue, **kwargs)  # type: ignore[arg-type]


def test_a_genre_is_found_by_its_other_spellings(store: SqlStore) -> None:
    from marquee.records import Film

    store.save_film(Film(id="tt0083658", title="Blade Runner", year=1982, genres=["Sci-Fi", "Thriller"]))
    store.save_film(Film(id="tt0094721", title="Beetlejuice", year=1988, genres=["Comedy"]))
    for spelling in ("Sci-Fi", "sci-fi", "sci fi", "SCI FI"):
        page = browse(store, BrowseFilters(genre=spelling))
        assert ([h.id for h in page.items], page.total) == (["tt0083658"], 1), spelling
