"""The browse index: pages equal to a plain Python filter-and-sort, whichever plan reads them;
counts kept exact through saves and deletes; SQLite reads the index each plan names."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from marquee.records import Film, Rating
from marquee.services.browse import BrowseFilters, browse, browse_query, hits, walks
from marquee.services.search import kinds_for
from marquee.storage import SqlStore, open_store, search_index
from support.search_rows import Row, load, module_url, open_loaded

__all__ = ["module_url"]

KINDS = ("movie", "movie", "movie", "tvSeries", "tvEpisode", "tvEpisode", "short", "video")
GENRES = ("Drama", "Comedy", "Sci-Fi", "Horror", "Film-Noir", "Comédie")


def _catalogue(n: int = 1500) -> list[Row]:
    """Seeded titles with every kind of gap: no year, no runtime, no rating, no genre, ties."""
    rng = random.Random(1985)
    rows = []
    for i in range(n):
        rated = rng.random() < 0.4
        rows.append(
            Row(
                tconst=f"tt{9100000 + i}",
                title=rng.choice(("Mask", "Alpha", "beta", "Zulu", "Échos", "Night"))
                + f" {rng.randint(1, 40)}",
                year=rng.choice((None, *range(1950, 2026))),
                kind=rng.choice(KINDS),
                runtime=rng.choice((None, *range(5, 200, 5))),
                rating=round(rng.uniform(1, 10), 1) if rated else None,
                votes=rng.choice((0, 5, 10, 120, 5000, 5000)) if rated else None,
                scale=rng.choice((10, 10, 5)),
                genres=rng.sample(GENRES, rng.randint(0, 3)),
            )
        )
    return rows


CATALOGUE = _catalogue()


@pytest.fixture(scope="module")
def store(module_url: str) -> Iterator[SqlStore]:
    yield from open_loaded(module_url, CATALOGUE)


@pytest.fixture(scope="module")
def sqlite_store(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_at: Callable[[Path], str]
) -> Iterator[SqlStore]:
    """The catalogue on SQLite alone: the walk and sort plans are SQLite's (PostgreSQL's planner chooses)."""
    yield from open_loaded(migrated_sqlite_at(tmp_path_factory.mktemp("browse") / "marquee.db"), CATALOGUE)


def _key(genre: str) -> str:
    return genre.strip().replace("-", " ").lower()


def _matches(row: Row, f: BrowseFilters) -> bool:
    rating = row.rating * 10 / row.scale if row.rating is not None else None
    low, high = f.year_from, f.year_to
    if f.decade is not None:
        low, high = f.decade, f.decade + 9
    kinds = kinds_for(f.kind)
    return all(
        (
            f.genre is None or _key(f.genre) in {_key(g) for g in row.genres},
            low is None or (row.year is not None and row.year >= low),
            high is None or (row.year is not None and row.year <= high),
            kinds is None or row.kind in kinds,
            f.min_rating is None or (rating is not None and rating >= f.min_rating),
            f.min_votes is None or (row.votes or 0) >= f.min_votes,
            f.runtime_min is None or (row.runtime is not None and row.runtime >= f.runtime_min),
            f.runtime_max is None or (row.runtime is not None and row.runtime <= f.runtime_max),
        )
    )


def expected(f: BrowseFilters, sort: str) -> list[str]:
    """Every match in the sort's order, worked out in Python from the rows themselves."""
    ids = {r.tconst: i for i, r in enumerate(CATALOGUE)}  # the load numbers titles in this order

    def key(r: Row) -> tuple[Any, ...]:
        rating = r.rating * 10 / r.scale if r.rating is not None else -1.0
        votes, tid, year = r.votes or 0, ids[r.tconst], r.year or 0
        return {
            "votes": (-votes, -rating, -tid),
            "rating": (-rating, -votes, -tid),
            "year": (-year, -votes, -tid),
            "title": (r.title.lower(), year, tid),
        }[sort]

    return [r.tconst for r in sorted((r for r in CATALOGUE if _matches(r, f)), key=key)]


FILTERS = [
    BrowseFilters(),
    BrowseFilters(genre="drama"),
    BrowseFilters(genre="sci fi", decade=1980),
    BrowseFilters(genre="Film-Noir", min_votes=100),
    BrowseFilters(genre="comédie", kind="movie"),
    BrowseFilters(kind="movie", runtime_min=80, runtime_max=120),
    BrowseFilters(year_to=1960),
    BrowseFilters(year_from=2000, min_rating=6.5),
    BrowseFilters(min_rating=0),
    BrowseFilters(min_votes=0, kind="series"),
    BrowseFilters(genre="Horror", year_from=1990, year_to=2010, runtime_max=90, min_votes=5),
]


@pytest.mark.parametrize("sort", ["votes", "rating", "year", "title"])
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f.model_dump(exclude_none=True)))
def test_every_page_is_the_python_filter_and_sort(store: SqlStore, filters: BrowseFilters, sort: str) -> None:
    want = expected(filters, sort)
    first = browse(store, filters, sort=sort, per_page=20)
    assert first.total == len(want)
    assert [h.id for h in first.items] == want[:20]
    last = max(1, -(-len(want) // 20))
    assert [h.id for h in browse(store, filters, sort=sort, page=last, per_page=20).items] == want[
        (last - 1) * 20 :
    ]


@pytest.mark.parametrize("sort", ["votes", "rating", "year", "title"])
@pytest.mark.parametrize("filters", FILTERS[1:6], ids=lambda f: repr(f.model_dump(exclude_none=True)))
def test_both_sqlite_plans_read_the_same_pages(
    sqlite_store: SqlStore, filters: BrowseFilters, sort: str
) -> None:
    want = expected(filters, sort)
    with sqlite_store.reading() as conn:
        for page in (1, 2, 7):
            pages = {
                plan: [
                    h.id
                    for h in hits(
                        conn,
                        conn.execute(
                            browse_query(filters, None, sort=sort, page=page, per_page=15, plan=plan)
                        )
                        .scalars()
                        .all(),
                    )
                ]
                for plan in ("walk", "sort", "auto")
            }
            assert pages["walk"] == pages["sort"] == pages["auto"] == want[(page - 1) * 15 : page * 15]


def _plan(store: SqlStore, plan: str, sort: str, filters: BrowseFilters) -> str:
    query = browse_query(filters, None, sort=sort, page=1, per_page=50, plan=plan)  # type: ignore[arg-type]
    with store.reading() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        return " | ".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


@pytest.mark.parametrize("sort", ["votes", "rating", "year", "title"])
def test_sqlite_walks_the_sort_index_or_sorts_what_the_filters_find(
    sqlite_store: SqlStore, sort: str
) -> None:
    filters = BrowseFilters(genre="drama", kind="movie", decade=1990, min_votes=10)
    walked = _plan(sqlite_store, "walk", sort, filters)
    assert f"INDEX ix_title_browse_{sort}" in walked and "TEMP B-TREE" not in walked
    sorted_ = _plan(sqlite_store, "sort", sort, filters)
    assert f"ix_title_browse_{sort} (genre=?)" not in sorted_ and "TEMP B-TREE FOR ORDER BY" in sorted_


def test_a_walk_is_chosen_only_when_it_reads_less_than_a_sort() -> None:
    assert walks(matches=30_000, group=1_000_000, offset=0, per_page=50)
    assert not walks(matches=200, group=50_000, offset=0, per_page=50)
    assert not walks(matches=30_000, group=1_000_000, offset=29_950, per_page=50)  # the last page
    assert not walks(matches=0, group=10, offset=0, per_page=50)


def _recount(conn: Any) -> dict[tuple[str, str], int]:
    sql = "SELECT genre, kind, count(*) FROM title_browse GROUP BY genre, kind"
    return {(g, k): n for g, k, n in conn.execute(text(sql))}


def _rows(conn: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text("SELECT * FROM title_browse ORDER BY title_key, genre"))]


def test_saves_and_deletes_keep_rows_and_counts_as_a_rebuild_makes_them(db_url: str) -> None:
    store = open_store(db_url)
    try:
        film = Film(
            id="tt0089560", title="Mask", year=1985, kind="movie", genres=["Drama", "Biography"],
            rating=Rating(value=7.2, votes=60000, scale=10),
        )  # fmt: skip
        store.save_film(film)
        load(store, CATALOGUE[:200])  # numbered after the saved film
        store.save_film(film.model_copy(update={"genres": ["Drama"], "year": 1984, "kind": "tvMovie"}))
        assert store.delete_film(CATALOGUE[3].tconst)
        assert store.delete_film(CATALOGUE[4].tconst)
        with store.reading() as conn:
            counts = {
                (g, k): n for g, k, n in conn.execute(text("SELECT genre, kind, n FROM title_browse_counts"))
            }
            rows = _rows(conn)
            assert counts == _recount(conn)
        assert ("", "tvMovie") in counts and ("biography", "movie") not in counts
        assert len([r for r in rows if r[0] == ""]) == 200 - 2 + 1
        with store.writing() as conn:
            search_index.rebuild(conn)
        with store.reading() as conn:
            assert _rows(conn) == rows
            rebuilt = {
                (g, k): n for g, k, n in conn.execute(text("SELECT genre, kind, n FROM title_browse_counts"))
            }
        assert rebuilt == counts
        mask = browse(store, BrowseFilters(genre="drama", year_to=1984, kind="tvMovie"))
        assert [h.id for h in mask.items] == ["tt0089560"] and mask.total == 1
    finally:
        store.close()


def test_a_blank_genre_is_no_genre(db_url: str) -> None:
    # Its key would be the all-titles key: the film is listed once, under no genre.
    store = open_store(db_url)
    try:
        store.save_film(Film(id="tt0089560", title="Mask", year=1985, genres=["", "  ", "Drama"]))
        assert browse(store, BrowseFilters()).total == 1
        assert [h.id for h in browse(store, BrowseFilters(genre="drama")).items] == ["tt0089560"]
        with store.writing() as conn:
            search_index.rebuild(conn)
        assert browse(store, BrowseFilters()).total == 1
    finally:
        store.close()


@pytest.mark.parametrize(
    ("value", "scale"), [(5e-324, 7), (1e-300, 7), (2.0**31 - 1, 2**31 - 1), (5e-324, 2**31 - 1)]
)
def test_ratings_at_the_ends_of_a_double_are_stored_and_browsed(
    db_url: str, value: float, scale: int
) -> None:
    # Scaling to 10 must neither underflow nor overflow (PostgreSQL raises where SQLite rounds);
    # the record's rules keep a rating within its scale, and scales within 32 bits.
    store = open_store(db_url)
    try:
        store.save_film(Film(id="tt0089560", title="Mask", rating=Rating(value=value, scale=scale, votes=3)))
        page = browse(store, BrowseFilters(min_rating=0), sort="rating")
        assert [h.id for h in page.items] == ["tt0089560"]
    finally:
        store.close()


def test_the_genre_list_ranks_the_index_counts_one_spelling_a_genre(db_url: str) -> None:
    from marquee.storage.genres import common_genres

    store = open_store(db_url)

    films = [Film(id=f"tt91000{i:02d}", title=f"Film {i}", year=2000, genres=["Drama"]) for i in range(4)]
    films += [Film(id="tt9100010", title="Space", year=2001, genres=["Sci-Fi", "Drama"])]
    films += [Film(id=f"tt910001{i}", title=f"Space {i}", year=2002, genres=["sci fi"]) for i in (1, 2)]
    films += [Film(id="tt9100013", title="Laughs", year=2003, genres=["Comedy", " "])]
    store.save_films(films)
    assert common_genres(store) == ["Comedy", "Drama", "Sci-Fi"]
    assert common_genres(store, limit=2) == ["Drama", "Sci-Fi"]  # the two with most titles
    store.delete_film("tt9100010")  # its genres go from the counts in the same write
    assert common_genres(store, limit=2) == ["Drama", "sci fi"]
    store.delete_film("tt9100011")
    store.delete_film("tt9100012")
    assert common_genres(store) == ["Comedy", "Drama"]
    store.close()
