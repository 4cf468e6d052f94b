"""Browse's query builders (``storage.browse_rows``) checked by the SQL they build (issue 16, step 1)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from marquee.errors import InputError
from marquee.services.browse import BrowseFilters, where_of
from marquee.storage import browse_rows as rows


def sql(query: Any, dialect: Any = None) -> str:
    """The query as one line of SQL, values inlined."""
    compiled = query.compile(dialect=dialect or sqlite.dialect(), compile_kwargs={"literal_binds": True})
    return " ".join(str(compiled).split())


DRAMA_90S = rows.BrowseWhere(genres=["drama"], year_low=1990, year_high=1999, kinds=("movie",), min_votes=10)
WHERE = (
    "WHERE title_browse.genre IN ('drama') AND {p}title_browse.start_year >= 1990"
    " AND {p}title_browse.start_year <= 1999 AND {p}title_browse.kind IN ('movie')"
    " AND title_browse.votes >= 10"
)
ORDER = "ORDER BY {p}title_browse.votes DESC, {p}title_browse.rating DESC, {p}title_browse.title_key DESC"


@pytest.mark.parametrize(
    ("plan", "where", "order"),
    [
        ("auto", WHERE.format(p=""), ORDER.format(p="")),
        # A walk reads the votes index in order: only its first column may bound it.
        ("walk", WHERE.format(p="+"), ORDER.format(p="")),
        # A sort may not take its order from an index: it reads what the filters find, then sorts.
        ("sort", WHERE.format(p=""), ORDER.format(p="+")),
    ],
)
def test_a_browse_page_is_one_select_on_the_browse_index(plan: rows.Plan, where: str, order: str) -> None:
    query = rows.browse_query(DRAMA_90S, sort="votes", page=2, per_page=20, plan=plan)
    assert sql(query) == f"SELECT title_browse.title_key FROM title_browse {where} {order} LIMIT 20 OFFSET 20"


def test_no_filter_counts_every_title_once() -> None:
    assert sql(rows.count_query(rows.BrowseWhere()), postgresql.dialect()) == (
        "SELECT count(*) AS count_1 FROM title_browse WHERE title_browse.genre IN ('')"
    )


def test_the_chart_orders_by_the_weighted_rating() -> None:
    query = rows.chart_query(rows.BrowseWhere(min_votes=5), m=100, c=7.0, limit=10)
    votes = "CAST(title_browse.votes AS FLOAT)"
    assert sql(query) == (
        f"SELECT title_browse.title_key, ({votes} / (({votes} + 100) + 0.0)) * title_browse.rating"
        f" + (100.0 / (({votes} + 100) + 0.0)) * 7.0 AS weighted FROM title_browse"
        " WHERE title_browse.genre IN ('') AND title_browse.votes >= 5 AND title_browse.rating >= 0"
        " ORDER BY weighted DESC, title_browse.votes DESC, title_browse.start_year, title_browse.title_key"
        " LIMIT 10 OFFSET 0"
    )


def test_the_service_resolves_filters_to_what_the_index_stores() -> None:
    where = where_of(BrowseFilters(genre="Sci-Fi", decade=1980, year_from=1985, kind="series"), None)
    assert where.year_low == 1985 and where.year_high == 1989  # the decade bounds the range
    assert where.kinds is not None and "tvSeries" in where.kinds
    assert where.genres and all(key == key.lower() and "-" not in key for key in where.genres)
    assert where.only_genre_and_kind is False
    with pytest.raises(InputError, match="decade"):
        where_of(BrowseFilters(decade=1985), None)
    with pytest.raises(InputError, match="sort"):
        rows.browse_query(rows.BrowseWhere(), sort="loudest", page=1, per_page=10)


def bound(query: Any, dialect: Any) -> tuple[str, dict[str, Any]]:
    """The query as one line of SQL in the driver's own placeholders, and the values bound to them."""
    compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    return " ".join(str(compiled).split()), compiled.params


QUOTED = rows.BrowseWhere(genres=["it's"], year_low=1990, kinds=("movie",), min_votes=10)
BOUND = {"genre_1_1": "it's", "start_year_1": 1990, "kind_1_1": "movie", "votes_1": 10}
ORDERED = "ORDER BY title_browse.votes DESC, title_browse.rating DESC, title_browse.title_key DESC"


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        (
            sqlite.dialect(),
            "SELECT title_browse.title_key FROM title_browse WHERE title_browse.genre IN (?)"
            " AND title_browse.start_year >= ? AND title_browse.kind IN (?) AND title_browse.votes >= ?"
            f" {ORDERED} LIMIT ? OFFSET ?",
        ),
        (
            postgresql.psycopg.dialect(),
            "SELECT title_browse.title_key FROM title_browse"
            " WHERE title_browse.genre IN (%(genre_1_1)s::VARCHAR)"
            " AND title_browse.start_year >= %(start_year_1)s::INTEGER"
            " AND title_browse.kind IN (%(kind_1_1)s::VARCHAR) AND title_browse.votes >= %(votes_1)s::INTEGER"
            f" {ORDERED} LIMIT %(param_1)s::INTEGER OFFSET %(param_2)s::INTEGER",
        ),
    ],
)
def test_a_browse_page_binds_every_value_on_both_dialects(dialect: Any, expected: str) -> None:
    # A genre with a quote goes to the driver as a value: the SQL holds only placeholders.
    text, params = bound(rows.browse_query(QUOTED, sort="votes", page=2, per_page=20), dialect)
    assert text == expected
    assert params == {**BOUND, "param_1": 20, "param_2": 20}
    assert "it's" not in text and "1990" not in text


def test_the_count_and_the_chart_bind_their_values_too() -> None:
    text, params = bound(rows.count_query(QUOTED), sqlite.dialect())
    assert text == (
        "SELECT count(*) AS count_1 FROM title_browse WHERE title_browse.genre IN (?)"
        " AND title_browse.start_year >= ? AND title_browse.kind IN (?) AND title_browse.votes >= ?"
    )
    assert params == BOUND
    text, params = bound(rows.chart_query(QUOTED, m=100, c=7.0, limit=10), postgresql.psycopg.dialect())
    assert "it's" not in text and "7.0" not in text
    chart = {"param_1": 100, "param_2": 100.0, "param_3": 100, "param_4": 7.0, "param_5": 10}
    assert params == {**BOUND, "rating_1": 0, **chart}
