"""Storage's plain-SQL builders checked by the SQL they build (issue 16, step 1; sqlite-utils'
``Table.search_sql()`` is the model): the film page's statements, the exact-name lookup of members'
imports, the quick title lookup and the browse index's refresh of a few titles. Each is a pure
function; values go to the driver, never into the SQL. Browse's query builders are in
``test_browse_rows.py``, search's in ``test_search_query.py``."""

from __future__ import annotations

import re

import pytest

from marquee.storage.browse_index import refresh_sql
from marquee.storage.film_page_rows import activity_similar_sql, neighbours_sql
from marquee.storage.film_read_one import film_sql
from marquee.storage.member_rows import exact_names_sql
from marquee.storage.search_prefix import prefix_candidates_sql, state_sql

MARK = {"qmark": "?", "pyformat": "%s"}  # sqlite3's and psycopg's placeholders
PARAMSTYLES = pytest.mark.parametrize("paramstyle", ["qmark", "pyformat"])


def marks(sql: str, paramstyle: str) -> int:
    """How many placeholders of the driver ``sql`` holds."""
    return len(re.findall(re.escape(MARK[paramstyle]), sql))


@PARAMSTYLES
def test_the_activity_and_similar_films_are_one_union_with_the_films_id_bound(paramstyle: str) -> None:
    sql, params = activity_similar_sql(paramstyle, "tt0089560", 5)
    p = MARK[paramstyle]
    assert sql == (
        "SELECT 0 AS k, 0 AS rank, CAST(NULL AS TEXT) AS title_id, CAST(NULL AS TEXT) AS title,"
        " CAST(NULL AS BIGINT) AS year, CAST(NULL AS TEXT) AS kind,"
        " CAST(NULL AS DOUBLE PRECISION) AS score, CAST(NULL AS TEXT) AS reason,"
        f" EXISTS (SELECT 1 FROM member_ratings WHERE title_id = {p}) AS rated,"
        f" EXISTS (SELECT 1 FROM member_reviews WHERE title_id = {p}) AS reviewed,"
        f" EXISTS (SELECT 1 FROM comments WHERE title_id = {p}) AS commented"
        " UNION ALL SELECT 1, s.rank, t.title_id, t.primary_title, t.start_year, t.kind, s.score, s.reason,"
        " FALSE, FALSE, FALSE FROM title_similar s JOIN titles t ON t.title_id = s.similar_id"
        f" WHERE s.title_id = {p} ORDER BY k, rank LIMIT {p}"
    )
    assert params == ("tt0089560",) * 4 + (6,)  # the activity row comes first: one more than asked


@PARAMSTYLES
def test_an_episodes_neighbours_read_its_season_and_cross_its_ends_only_when_needed(paramstyle: str) -> None:
    p = MARK[paramstyle]
    order = "e.season IS NULL, e.season, e.episode IS NULL, e.episode, t.start_year IS NULL, t.title_id"
    sql, params = neighbours_sql(paramstyle, "tt0098904", 3, "tt0697773")
    assert sql.startswith(f"SELECT (SELECT primary_title FROM titles WHERE title_id = {p}), pt.title_id,")
    # The window covers the episode's own season; a season's first (last) episode falls back to the
    # last (first) episode of the numbered season before (after) it, in the guide's order reversed (kept).
    assert (
        f" WHERE e.series_id = {p} AND e.season = {p} WINDOW w AS (ORDER BY {order})) s WHERE s.this = {p})"
        " x ON 1 = 1"
    ) in sql
    assert (
        "COALESCE(s.before_id, (SELECT t.title_key FROM episodes e JOIN titles t ON t.title_key = e.title_key"
        f" WHERE e.series_id = {p} AND e.season ="
        f" (SELECT MAX(season) FROM episodes WHERE series_id = {p} AND season < {p})"
        " ORDER BY e.season IS NULL DESC, e.season DESC, e.episode IS NULL DESC, e.episode DESC,"
        " t.start_year IS NULL DESC, t.title_id DESC LIMIT 1)) AS before_id"
    ) in sql
    assert (
        f" WHERE e.series_id = {p} AND e.season ="
        f" (SELECT MIN(season) FROM episodes WHERE series_id = {p} AND season > {p})"
        f" ORDER BY {order} LIMIT 1)) AS after_id"
    ) in sql
    assert sql.endswith(" LEFT JOIN imdb_ratings nr ON nr.title_key = x.after_id")
    series, season = "tt0098904", 3
    ends = (series, series, season)
    assert params == (series, *ends, *ends, series, season, "tt0697773")
    assert marks(sql, paramstyle) == len(params)


@PARAMSTYLES
def test_an_episode_without_a_season_reads_the_unnumbered_episodes(paramstyle: str) -> None:
    p = MARK[paramstyle]
    sql, params = neighbours_sql(paramstyle, "tt0098904", None, "tt0697773")
    assert f" WHERE e.series_id = {p} AND e.season IS NULL WINDOW w AS" in sql
    assert "COALESCE" not in sql  # unnumbered episodes never cross into a season
    assert params == ("tt0098904", "tt0098904", "tt0697773")
    assert marks(sql, paramstyle) == len(params)


@PARAMSTYLES
def test_a_whole_film_is_one_statement_with_its_id_the_only_value(paramstyle: str) -> None:
    sql = film_sql(paramstyle)
    assert sql.startswith(
        f"WITH t AS (SELECT title_key FROM titles WHERE title_id = {MARK[paramstyle]}) SELECT 0 AS k,"
    )
    assert " ORDER BY " not in sql  # ``read_film`` orders the rows (a sorter per branch cost a quarter)
    assert marks(sql, paramstyle) == 1
    # Every part table is one branch of the union, each read by the title's id from ``t``.
    branches = sql.split(" UNION ALL ")
    assert len(branches) > 15
    assert all("(SELECT title_key FROM t)" in branch for branch in branches[1:])
    assert " FROM title_genres p WHERE p.title_key = (SELECT title_key FROM t)" in sql


@pytest.mark.parametrize(
    ("dialect", "key"), [("sqlite", "((s.rowid >> 12) & 268435455)"), ("postgresql", "s.title_key")]
)
def test_exact_names_join_the_name_index_to_titles_by_its_key(dialect: str, key: str) -> None:
    assert exact_names_sql(dialect) == (
        "SELECT t.title_id, t.start_year, t.kind, COALESCE(r.votes, 0), s.display, s.source"
        f" FROM title_search s JOIN titles t ON t.title_key = {key}"
        " LEFT JOIN imdb_ratings r ON r.title_key = t.title_key WHERE s.name LIKE :name"
    )


def test_the_quick_title_lookup_binds_the_typed_start() -> None:
    sql, params = prefix_candidates_sql(" o'b", 10)
    assert sql == (  # 3000: the most names one lookup scans, a constant
        "SELECT title_key FROM (SELECT title_key, bucket FROM title_prefix"
        " WHERE name >= :low AND name < :high"
        " LIMIT 3000) GROUP BY title_key ORDER BY max(bucket) DESC, title_key LIMIT :limit"
    )
    assert params == {"low": " o'b", "high": " o'b\U0010ffff", "limit": 10}  # every name that starts so


def test_the_index_state_asks_whether_the_quick_lookup_exists_on_both_dialects() -> None:
    record = "SELECT (SELECT value FROM store_meta WHERE key = 'index_builds'), "
    assert state_sql("sqlite") == (
        record + "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'title_prefix')",
        {},
    )
    assert state_sql("postgresql") == (record + "to_regclass('title_prefix') IS NOT NULL", {})


ROW = (
    "t.kind, coalesce(t.start_year, 0), t.title_key, t.runtime_minutes, coalesce(r.votes, 0),"
    " CASE WHEN r.average IS NULL THEN -1 WHEN r.average < 1e-290 THEN 0.0"
    " WHEN r.average > 1e290 THEN 1e291 ELSE r.average * 10.0 / coalesce(r.scale, 10) END,"
    " lower(t.primary_title) FROM titles t LEFT JOIN imdb_ratings r ON r.title_key = t.title_key"
)
INTO = "INTO title_browse (genre, kind, start_year, title_key, runtime_minutes, votes, rating, sort_title)"
GENRE = "lower(replace(trim(g.genre), '-', ' '))"


@pytest.mark.parametrize(
    ("dialect", "ids", "bound", "genres"),
    [
        # SQLite: the ids as one JSON array; the title's key refuses a second spelling of a genre.
        ("sqlite", "IN (SELECT value FROM json_each(:ids))", "[3, 1]", f"INSERT OR IGNORE {INTO} SELECT"),
        # PostgreSQL: the ids as one array; DISTINCT drops a second spelling of a genre.
        ("postgresql", "= ANY(:ids)", [3, 1], f"INSERT {INTO} SELECT DISTINCT"),
    ],
)
def test_refreshing_titles_browse_rows_binds_their_ids_as_one_value(
    dialect: str, ids: str, bound: object, genres: str
) -> None:
    refresh = refresh_sql(dialect, [3, 1])
    assert (
        refresh.count
        == f"SELECT genre, kind, count(*) FROM title_browse WHERE title_key {ids} GROUP BY genre, kind"
    )
    assert refresh.rewrite == (
        f"DELETE FROM title_browse WHERE title_key {ids}",
        f"INSERT {INTO} SELECT '', {ROW} WHERE t.title_key {ids}",
        f"{genres} {GENRE}, {ROW} JOIN title_genres g ON g.title_key = t.title_key"
        f" WHERE t.title_key {ids} AND {GENRE} <> ''",
    )
    assert refresh.params == {"ids": bound}
