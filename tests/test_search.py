"""Title, people and full-text search on both backends, over a small catalogue with traps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from marquee.errors import InputError
from marquee.services.search import (
    PersonHit,
    TitleHit,
    search_people,
    search_text,
    search_titles,
    suggest_titles,
)
from marquee.storage import SqlStore, open_store
from support.search_rows import CATALOGUE, Row, load, module_url, open_loaded

__all__ = ["module_url"]  # the fixture, imported so pytest finds it here


@pytest.fixture(scope="module")
def catalogue(module_url: str) -> Iterator[SqlStore]:
    """The shared catalogue on each backend (tests here only read it)."""
    yield from open_loaded(module_url, CATALOGUE)


def top(hits: list[TitleHit], n: int = 1) -> list[tuple[str, int | None]]:
    return [(h.title, h.year) for h in hits[:n]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("godf", ("The Godfather", 1972)),  # a prefix, as typed
        ("the godfater", ("The Godfather", 1972)),  # a typo
        ("teh godfather", ("The Godfather", 1972)),  # a swap in the article
        ("godfather", ("The Godfather", 1972)),  # article left out; the film beats its namesake episode
        ("mask 1985", ("Mask", 1985)),
        ("mask (1985)", ("Mask", 1985)),
        ("Mask 1958", ("Mask", 1985)),  # a typo in the year
        ("mask 1929", ("Mask", 1929)),  # the year picks the older, little-voted film
        ("amelie", ("Amélie", 2001)),  # accents ignored one way
        ("AMÉLIE", ("Amélie", 2001)),  # and case
        ("le fabuleux destin d'amelie poulain", ("Amélie", 2001)),  # the original title
        ("il padrino", ("The Godfather", 1972)),  # a title from another country
        ("vacanze romane", ("Roman Holiday", 1953)),
        ("singin in the rain", ("Singin' in the Rain", 1952)),  # punctuation dropped
        ("godfather part 2", ("The Godfather Part II", 1974)),  # Roman numerals
        ("breaking bda", ("Breaking Bad", 2008)),
        ("mask of zoro", ("The Mask of Zorro", 1998)),
    ],
)
def test_search_titles_finds_what_people_type(
    catalogue: SqlStore, query: str, expected: tuple[str, int]
) -> None:
    assert top(search_titles(catalogue, query, limit=5)) == [expected]


def test_ties_are_broken_by_votes(catalogue: SqlStore) -> None:
    hits = search_titles(catalogue, "the godfather part", limit=3)
    assert top(hits, 2) == [("The Godfather Part II", 1974), ("The Godfather Part III", 1990)]


def test_episodes_rank_below_films_unless_asked_for(catalogue: SqlStore) -> None:
    hits = search_titles(catalogue, "mask", limit=10)
    kinds = [h.kind for h in hits]
    assert "tvEpisode" in kinds
    assert kinds.index("tvEpisode") > max(i for i, k in enumerate(kinds) if k == "movie")
    episodes = search_titles(catalogue, "mask", kind="episode")
    assert [(h.id, h.kind) for h in episodes] == [("tt9000001", "tvEpisode")]


def test_kind_filter_takes_imdb_types_and_plain_words(catalogue: SqlStore) -> None:
    assert [h.id for h in search_titles(catalogue, "breaking bad", kind="series")] == ["tt0903747"]
    assert [h.id for h in search_titles(catalogue, "breaking bad", kind="tvSeries")] == ["tt0903747"]
    assert search_titles(catalogue, "breaking bad", kind="movie") == []


def test_an_alternate_title_match_says_which(catalogue: SqlStore) -> None:
    hit = search_titles(catalogue, "die maske", limit=1)[0]
    assert (hit.id, hit.matched) == ("tt0089560", "Die Maske")
    assert search_titles(catalogue, "mask 1985", limit=1)[0].matched is None


def test_hits_carry_rating_votes_and_kind(catalogue: SqlStore) -> None:
    hit = search_titles(catalogue, "mask (1985)", limit=1)[0]
    assert hit == TitleHit(id="tt0089560", title="Mask", year=1985, kind="movie", rating=7.0, votes=12168)


def test_suggestions_complete_a_prefix_most_voted_first(catalogue: SqlStore) -> None:
    assert [h.title for h in suggest_titles(catalogue, "godf", limit=3)] == [
        "The Godfather",
        "The Godfather Part II",
        "The Godfather Part III",
    ]
    assert [h.title for h in suggest_titles(catalogue, "the m", limit=2)] == ["The Mask", "The Mask of Zorro"]
    assert suggest_titles(catalogue, "am", limit=1)[0].title == "Amélie"


def test_one_letter_suggests_the_most_voted_titles_starting_with_it(catalogue: SqlStore) -> None:
    assert [h.title for h in suggest_titles(catalogue, "b", limit=2)] == ["Breaking Bad"]


def test_empty_and_nonsense_queries_find_nothing(catalogue: SqlStore) -> None:
    assert search_titles(catalogue, "   ") == []
    assert search_titles(catalogue, "?!") == []
    assert search_titles(catalogue, "xqzvwk") == []
    assert search_people(catalogue, "") == []
    assert search_text(catalogue, "...") == []


def test_a_limit_below_one_is_refused(catalogue: SqlStore) -> None:
    with pytest.raises(InputError, match="limit"):
        search_titles(catalogue, "mask", limit=0)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cher", "nm0000128"),
        ("CHER", "nm0000128"),
        ("al pacino", "nm0000199"),
        ("al pacnio", "nm0000199"),  # a typo
        ("pacino", "nm0000199"),  # the surname alone
        ("coppola", "nm0000338"),
        ("jean pierre jeunet", "nm0000466"),  # hyphen typed as a space
        ("audrey", "nm0851582"),  # Tautou: her film has more votes than Hepburn's
    ],
)
def test_search_people_by_name(catalogue: SqlStore, query: str, expected: str) -> None:
    hits = search_people(catalogue, query, limit=3)
    assert hits and hits[0].id == expected, [h.name for h in hits]


def test_people_are_ranked_by_how_known_they_are(catalogue: SqlStore) -> None:
    # Al Pacino has three credits worth millions of votes; Audrey Tautou one film.
    names = [h.name for h in search_people(catalogue, "a", limit=10)]
    assert names.index("Al Pacino") < names.index("Audrey Tautou")


def test_a_person_hit_lists_what_they_are_known_for(catalogue: SqlStore) -> None:
    hit = search_people(catalogue, "cher", limit=1)[0]
    assert hit == PersonHit(
        id="nm0000128", name="Cher", professions=["actress"], known_for_titles=["Mask", "Cher"]
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a ride on a harley", "tt0089560"),  # a quote
        ("unlikely heroes", "tt0089560"),  # a tagline (stemmed: heroes ~ hero)
        ("topps baseball card", "tt0089560"),  # a goof, matched by any word when not all are there
        ("heavy makeup security", "tt0089560"),  # trivia
        ("facial deformity biker", "tt0089560"),  # the outline
        ("Stanley Ipkiss", "tt0110475"),  # the plot
        ("naïve girl paris", "tt0211915"),  # accents in the query
    ],
)
def test_search_text_finds_plots_quotes_and_trivia(catalogue: SqlStore, query: str, expected: str) -> None:
    hits = search_text(catalogue, query, limit=3)
    assert hits and hits[0].id == expected, [h.title for h in hits]


def test_search_text_needs_every_word_when_it_can(catalogue: SqlStore) -> None:
    assert [h.id for h in search_text(catalogue, "mask superhero")] == ["tt0110475"]


def test_new_films_are_found_at_once_and_deleted_ones_vanish(db_url: str) -> None:
    from marquee.storage import search_index

    store = open_store(db_url)
    try:
        ids = load(store, CATALOGUE[:3])
        assert search_titles(store, "vertigo") == []
        new = load(store, [Row("tt0052357", "Vertigo", 1958, rating=8.3, votes=430_000)], rebuild=False)
        with store.writing() as conn:
            search_index.refresh_titles(conn, new.values())
        assert top(search_titles(store, "vertgo")) == [("Vertigo", 1958)]
        with store.writing() as conn:
            conn.exec_driver_sql(f"DELETE FROM titles WHERE title_key = {ids['tt0068646']}")
            search_index.refresh_titles(conn, [ids["tt0068646"], 999_999])  # gone, and never was
        assert [h.id for h in search_titles(store, "the godfather")] == ["tt0071562", "tt0099674"]
    finally:
        store.close()
