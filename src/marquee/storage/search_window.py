"""PostgreSQL: which names a candidate query of search reads first (``search_queries.SearchReader``).

A name query ordered by popularity with a limit is answered on PostgreSQL by reading a window of
the most popular names first, a wider one when the matches say so, and the trigram index only
when they hold too few (BENCHMARKS.md, "12 M titles on PostgreSQL, once for real").
"""

from __future__ import annotations

from typing import Any

from marquee.storage.search_layout import NAME_KEYS

__all__ = ["WIDEST_SHARE", "WINDOWS", "name_table", "names_sql", "popular_window_sql"]

Sql = tuple[str, dict[str, Any]]

# PostgreSQL: how many of the most popular names of each index a candidate query reads first, and
# on a second look, when the first window held some matches but too few, at most this share of the
# table's names: beyond it the trigram index costs less than the walk (a window of 300k names
# ~90 ms against the index's 20-35 ms at 3.2M names; 1M names 35-180 ms against 70-530 ms at 38M).
# Titles' matches are often many and deep (common words); people's few (a rare surname): a small
# window wastes less on them. Measured at 1M and 12M titles (BENCHMARKS.md).
WINDOWS = {"title_search": 10_000, "person_search": 2_000}
WIDEST_SHARE = 32


def name_table(sql: str) -> str:
    """The name index (``title_search`` or ``person_search``) a candidate query reads."""
    for table in NAME_KEYS:
        if f" FROM {table} s" in sql:
            return table
    raise ValueError("not a name index query")


def popular_window_sql(query: Sql, window: int | None = None) -> Sql:
    """PostgreSQL: a ``*_candidates_sql`` query over the ``window`` most popular names only.

    Given a name query ordered by popularity, PostgreSQL's planner picks between walking the
    popularity index until the limit (~2 ms when the words are common; the whole index when they
    are rare) and the trigram index (every match, then sorted: 30-350 ms at 12M titles), and judges
    ``LIKE '%…%'`` badly (1-2.5 s at 12M). The window bounds the first walk; ``SearchReader``
    asks the trigram index only when the window holds fewer names than the limit. Both give the
    same first rows: the window is the head of the same order.
    """
    sql, params = query
    table = name_table(sql)
    head = f" FROM (SELECT * FROM {table} ORDER BY pop DESC, {NAME_KEYS[table]} DESC LIMIT :window) s"
    return sql.replace(f" FROM {table} s", head, 1), params | {"window": window or WINDOWS[table]}


def names_sql(table: str) -> Sql:
    """PostgreSQL: about how many names a name index holds (the planner's count, no scan)."""
    if table not in NAME_KEYS:
        raise ValueError(f"not a name index: {table}")
    return "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(:table)", {"table": table}
