"""Charts: IMDb's Top 250 weighted rating, most voted, per genre and per decade, on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from marquee.errors import InputError
from marquee.records import ExternalScore, Film, Rating
from marquee.services.accounts import create_user
from marquee.services.browse import chart_genres, most_voted, top_rated
from marquee.services.charts import (
    CRITICS_M,
    MEMBERS_M,
    MIN_TITLES,
    most_voted_chart,
    top_rated_chart,
)
from marquee.services.community import rate
from marquee.services.demo import ensure_demo_store
from marquee.settings import Settings
from marquee.storage import SqlStore, open_store
from marquee.web.app import create_app
from support.search_rows import Row, module_url, open_loaded
from support.web import TestClient, read_page

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


# ---------------------------------------------------------------- the chart's basis (issue 18)
# Members' ratings where members rated enough titles, imported ratings where titles have them,
# else the open critics' score (Rotten Tomatoes' %, from the demo's Wikidata snapshot).


def _films(n: int, *, rated: bool) -> list[Film]:
    """Films with a critics' score each (the store keeps it in ``external_scores``), rated or not."""
    return [
        Film(
            id=f"tt90000{i:02d}",
            title=f"Film {i}",
            year=1990 + i % 10,
            genres=["Drama"] if i % 2 else ["Comedy"],
            rating=Rating(value=5 + i % 5, votes=30_000 + i) if rated else None,
            scores=[ExternalScore(source="Rotten Tomatoes", value=50 + 3 * i, count=5 + 10 * i)],
        )
        for i in range(n)
    ]


@pytest.fixture
def unrated(store: SqlStore) -> SqlStore:
    """Films with critics' scores and no rating of any kind (the demo, on both backends)."""
    store.save_films(_films(12, rated=False))
    return store


def test_charts_without_ratings_rank_by_the_critics_score_and_say_so(unrated: SqlStore) -> None:
    top = top_rated_chart(unrated, m=25_000)
    assert (
        top.basis == "critics" and "Rotten Tomatoes" in top.basis_label and "not a rating" in top.basis_label
    )
    assert len(top.entries) == 12
    # Weighted by reviews (m = CRITICS_M): WS = n/(n+m)·S + m/(n+m)·C, C the pool's mean score.
    scores = {f"tt90000{i:02d}": (50.0 + 3 * i, 5 + 10 * i) for i in range(12)}
    c = sum(s for s, _ in scores.values()) / len(scores)

    def ws(s: float, n: int) -> float:
        return n / (n + CRITICS_M) * s + CRITICS_M / (n + CRITICS_M) * c

    expected = sorted(scores, key=lambda k: -ws(*scores[k]))
    assert [e.hit.id for e in top.entries] == expected
    first = top.entries[0]
    assert (first.score, first.count) == scores[first.hit.id]
    assert first.weighted == pytest.approx(ws(*scores[first.hit.id]), abs=1e-3)
    # The critics' % is never passed off as a rating out of 10.
    assert all(e.hit.rating is None for e in top.entries)
    most = most_voted_chart(unrated)
    assert most.basis == "critics" and [e.count for e in most.entries] == sorted(
        (n for _, n in scores.values()), reverse=True
    )
    comedies = top_rated_chart(unrated, m=25_000, genre="Comedy")
    assert {e.hit.id for e in comedies.entries} == {k for k in scores if int(k[-2:]) % 2 == 0}


def test_imported_ratings_win_over_the_critics_score(store: SqlStore) -> None:
    films = _films(12, rated=True)
    store.save_films(films)
    top = top_rated_chart(store, m=1000)
    assert top.basis == "imported" and "imported ratings" in top.basis_label
    assert [e.hit.id for e in top.entries] == [e.hit.id for e in top_rated(store, m=1000).entries]
    assert most_voted_chart(store).basis == "imported"


def test_members_ratings_win_once_members_rated_enough_titles(store: SqlStore) -> None:
    films = _films(12, rated=True)
    store.save_films(films)
    ann, bob = create_user(store, "ann", "password123"), create_user(store, "bob", "password123")
    for i, film in enumerate(films[: MIN_TITLES - 1]):
        rate(store, ann, film.id, 1 + i % 10)
    assert top_rated_chart(store, m=1000).basis == "imported"  # nine titles: too few for a members' chart
    rate(store, ann, films[MIN_TITLES - 1].id, 10)
    rate(store, bob, films[MIN_TITLES - 1].id, 10)
    rate(store, bob, films[0].id, 9)
    top = top_rated_chart(store, m=1000)
    assert top.basis == "members" and "members' ratings" in top.basis_label
    assert len(top.entries) == MIN_TITLES
    assert top.entries[0].hit.id == films[MIN_TITLES - 1].id  # two 10s
    assert (top.entries[0].score, top.entries[0].count) == (10.0, 2)
    means = [1 + i % 10 for i in range(MIN_TITLES - 1)] + [10]
    means[0] = (means[0] + 9) / 2
    c = sum(means) / len(means)
    assert top.c == pytest.approx(c, abs=1e-3) and top.m == MEMBERS_M
    most = most_voted_chart(store)
    assert most.basis == "members" and [e.count for e in most.entries][:2] == [2, 2]


def test_a_chart_with_nothing_to_rank_stays_the_imported_one(store: SqlStore) -> None:
    store.save_films([Film(id="tt9100001", title="Nothing Known", year=2000)])
    top = top_rated_chart(store, m=1000)
    assert top.basis == "imported" and top.entries == []


def test_the_demo_charts_show_films_on_the_site(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        ensure_demo_store(store, limit=60)
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=sqlite_url))) as client:
        data = client.get("/charts/top-rated.json").json()
        page = read_page(client.get("/charts/top-rated").text)
        most = client.get("/charts/most-voted.json").json()
        home = client.get("/index.json").json()
    assert data["basis"] == "critics" and len(data["entries"]) >= 40
    # Only the seed (Mask) has an imported rating, with fewer votes than the chart's m: critics' it is.
    assert all(0 <= e["score"] <= 100 and e["count"] >= 0 for e in data["entries"])
    assert {e["hit"]["id"] for e in data["entries"] if e["hit"]["rating"] is not None} <= {"tt0089560"}
    assert "Critics' score" in page.text and "Rotten Tomatoes" in page.text
    assert "Members' rating" not in page.text and ">Rating<" not in page.text
    titles = [text for href, text in page.links if href.startswith("/title/")]
    assert titles and titles[0] == data["entries"][0]["hit"]["title"]
    assert most["basis"] == "critics" and most["entries"]
    assert home["top_rated"] and home["most_voted"]


def test_members_means_are_read_for_the_pool_only(store: SqlStore) -> None:
    from sqlalchemy import text

    from marquee.storage.charts import members_ranked

    films = _films(12, rated=False)
    films[3] = films[3].model_copy(update={"kind": "tvSeries"})
    store.save_films(films)
    ann, bob = create_user(store, "ann", "password123"), create_user(store, "bob", "password123")
    scores: dict[str, list[int]] = {}
    for i, film in enumerate(films[:8]):
        for member, score in ((ann, 1 + i), (bob, 10 - i)) if i % 3 else ((ann, 7),):
            rate(store, member, film.id, score)
            scores.setdefault(film.id, []).append(score)
    with store.reading() as conn:
        keys = {str(i): int(k) for i, k in conn.execute(text("SELECT title_id, title_key FROM titles"))}
    for kinds, genres, years in (
        (["movie"], [""], None),
        (None, [""], None),
        (["movie"], ["drama"], None),
        (["movie"], [""], (1990, 1994)),
        (["movie"], ["comedy"], (1995, 1999)),
    ):
        with store.reading() as conn:
            got = sorted(members_ranked(conn, kinds=kinds, genres=genres, years=years))
        pool = [
            f
            for f in films
            if (kinds is None or (f.kind or "movie") in kinds)
            and (genres == [""] or genres[0] in [g.lower() for g in f.genres])
            and (years is None or years[0] <= (f.year or 0) <= years[1])
        ]
        expected = sorted(
            (keys[f.id], pytest.approx(sum(scores[f.id]) / len(scores[f.id])), len(scores[f.id]))
            for f in pool
            if f.id in scores
        )
        assert got == expected, (kinds, genres, years)
        assert got, (kinds, genres, years)
