"""Charts: IMDb's Top 250 weighted rating, most voted, per genre and per decade, on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from marquee.errors import InputError
from marquee.services.browse import chart_genres, most_voted, top_rated
from marquee.storage import SqlStore
from support.search_rows import Row, module_url, open_loaded

__all__ = ["module_url"]

# Chosen so the weighted rating reorders the plain one: a 9.6 from few votes falls below an 8.8 from many.
CHART = [
    Row("tt1", "Many Votes", 1994, rating=8.8, votes=100_000, genres=["Drama"]),
    Row("tt2", "Few Votes High", 1995, rating=9.6, votes=1_000, genres=["Drama"]),
    Row("tt3", "Middling", 1984, rating=7.0, votes=50_000, genres=["Comedy"]),
    Row("tt4", "Good Eighties", 1986, rating=8.0, votes=20_000, genres=["Drama", "Comedy"]),
    Row("tt5", "Series", 2008, kind="tvSeries", rating=9.5, votes=200_000, genres=["Drama"]),
    Row("tt6", "Unrated", 1990, genres=["Drama"]),
    Row("tt7", "Five Stars", 1999, rating=4.0, scale=5, votes=30_000, genres=["Drama"]),  # 8.0 of 10
]


@pytest.fixture(scope="module")
def charts(module_url: str) -> Iterator[SqlStore]:
    yield from open_loaded(module_url, CHART)


RATED_MOVIES = {"tt1": (100_000, 8.8), "tt2": (1_000, 9.6), "tt3": (50_000, 7.0), "tt4": (20_000, 8.0),
                "tt7": (30_000, 8.0)}  # fmt: skip


def test_top_rated_uses_the_weighted_formula(charts: SqlStore) -> None:
    m = 10_000
    chart = top_rated(charts, m=m, min_votes=0)
    c = sum(r for _, r in RATED_MOVIES.values()) / len(RATED_MOVIES)  # the eligible titles: rated movies
    expected = sorted(RATED_MOVIES, key=lambda t: -wr(*RATED_MOVIES[t], m, c))
    assert expected[:2] == ["tt1", "tt2"] and expected[-1] == "tt3"
    assert (chart.m, chart.c) == (m, pytest.approx(c, abs=1e-4))
    assert [e.hit.id for e in chart.entries] == expected
    assert [e.rank for e in chart.entries] == [1, 2, 3, 4, 5]
    for entry in chart.entries:
        assert entry.weighted == pytest.approx(wr(*RATED_MOVIES[entry.hit.id], m, c), abs=1e-3)
    assert "m = 10,000" in chart.formula and f"C = {c:.2f}" in chart.formula
    assert chart.formula.startswith("WR = (v ÷ (v + m)) × R + (m ÷ (v + m)) × C")


def test_a_large_m_pulls_titles_with_few_votes_down(charts: SqlStore) -> None:
    # The plain mean puts the 9.6 from 1,000 votes first; with m = 100,000 it is pulled down to C.
    assert next(e.hit.id for e in top_rated(charts, m=0, min_votes=0).entries) == "tt2"
    chart = top_rated(charts, m=100_000, min_votes=0)
    assert next(e.hit.id for e in chart.entries) == "tt1"
    pulled = next(e.weighted for e in chart.entries if e.hit.id == "tt2")
    assert pulled == pytest.approx(chart.c or 0, abs=0.02)


def test_top_rated_lists_only_titles_with_m_votes_by_default(charts: SqlStore) -> None:
    chart = top_rated(charts, m=25_000)
    assert [e.hit.id for e in chart.entries] == ["tt1", "tt7", "tt3"]
    assert chart.c == pytest.approx((8.8 + 7.0 + 8.0) / 3, abs=1e-4)


def test_ratings_on_other_scales_count_out_of_ten(charts: SqlStore) -> None:
    entry = next(e for e in top_rated(charts, m=0, min_votes=0).entries if e.hit.id == "tt7")
    assert (entry.hit.rating, entry.weighted) == (8.0, 8.0)


def wr(v: int, r: float, m: int, c: float) -> float:
    return v / (v + m) * r + m / (v + m) * c


def test_kind_genre_and_decade_make_their_own_charts(charts: SqlStore) -> None:
    assert [e.hit.id for e in top_rated(charts, m=1000, kind="tvSeries").entries] == ["tt5"]
    assert [e.hit.id for e in top_rated(charts, m=1000, kind=None).entries][:1] == ["tt5"]
    comedies = top_rated(charts, m=1000, genre="Comedy")
    assert [e.hit.id for e in comedies.entries] == ["tt4", "tt3"]
    assert comedies.c == pytest.approx(7.5, abs=1e-4)  # C is the comedies' own mean
    eighties = top_rated(charts, m=1000, decade=1980, limit=1)
    assert [e.hit.id for e in eighties.entries] == ["tt4"]


def test_most_voted(charts: SqlStore) -> None:
    chart = most_voted(charts)
    assert [(e.hit.id, e.weighted) for e in chart.entries] == [
        ("tt1", 100_000),
        ("tt3", 50_000),
        ("tt7", 30_000),
        ("tt4", 20_000),
        ("tt2", 1_000),
    ]
    assert [e.hit.id for e in most_voted(charts, kind=None, genre="drama", limit=2).entries] == ["tt5", "tt1"]
    assert [e.hit.id for e in most_voted(charts, decade=1990).entries] == ["tt1", "tt7", "tt2"]


def test_chart_genres(charts: SqlStore) -> None:
    assert chart_genres(charts) == ["Comedy", "Drama"]
    assert chart_genres(charts, min_titles=3) == ["Drama"]


@pytest.mark.parametrize(("kwargs", "message"), [({"m": -1}, "m"), ({"limit": 0}, "limit")])
def test_bad_chart_requests(charts: SqlStore, kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(InputError, match=message):
        top_rated(charts, **kwargs)  # type: ignore[arg-type]
