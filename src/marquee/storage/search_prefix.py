"""A quick title lookup for the time the search index is being built (issue 20).

A first IMDb import into an empty store commits the titles before it builds the search index
(``storage.imdb_load``), so film pages answer early; until the index is ready, search and
suggestions read this table instead: every title's folded primary title (and the same without a
leading article, so ``godf`` finds *The Godfather*), a plain b-tree a prefix is a range of. It
costs ~4 s of CPU at 1M titles to build and is dropped once the search index is committed.

SQLite builds it here; PostgreSQL fills the same table from Python's folds
(``storage.search_aside_pg``, its ``name`` in byte order so a prefix is a range there too). The SQL
builders return ``(sql, params)`` for ``storage.search_queries.SearchReader``.
"""

from __future__ import annotations

import json
from typing import Any

from marquee.formats.query import LEADING_ARTICLES, fold, prefix_upper_bound

__all__ = [
    "CREATE_SQL",
    "DROP_SQL",
    "build_title_prefix",
    "building",
    "prefix_candidates_sql",
    "state_sql",
    "unarticled",
    "without_article",
]

CREATE_SQL = (
    "CREATE TABLE IF NOT EXISTS title_prefix (name TEXT NOT NULL, title_key INTEGER NOT NULL,"
    " bucket INTEGER NOT NULL, PRIMARY KEY (name, title_key)) WITHOUT ROWID"
)
DROP_SQL = "DROP TABLE IF EXISTS title_prefix"
# At most this many names of a prefix are read (in name order) before the most voted are picked:
# a one-letter prefix holds tens of thousands of titles at 1M.
_SCAN = 3000


def without_article(folded: str) -> str | None:
    """A folded name without its leading article, or None if it has none."""
    for article in LEADING_ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            return folded[len(article) :]
    return None


def unarticled(name: str) -> str | None:
    """The folded name without its leading article, or None if it has none."""
    return without_article(fold(name))


# Each title folded once (a materialised CTE), then its name and its name without the article; one
# fold a title rather than two: 7.8 -> 4.4 s of CPU at 1M titles.
_FILL_SQL = (
    "WITH folded(name, title_key, bucket) AS MATERIALIZED ("
    " SELECT marquee_fold_name(t.primary_title), t.title_key, marquee_bucket(r.votes) FROM titles t"
    " LEFT JOIN imdb_ratings r ON r.title_key = t.title_key)"
    " INSERT OR IGNORE INTO title_prefix (name, title_key, bucket)"
    " SELECT name, title_key, bucket FROM ("
    " SELECT name, title_key, bucket FROM folded WHERE name != ''"
    " UNION ALL SELECT marquee_without_article(name), title_key, bucket FROM folded"
    " WHERE marquee_without_article(name) IS NOT NULL) ORDER BY 1, 2"
)


def build_title_prefix(raw: Any) -> int:
    """Create and fill ``title_prefix`` from ``titles`` and ``imdb_ratings`` on a raw sqlite3
    connection whose ``search_rebuild.prepare`` functions are registered; returns the names written."""
    raw.execute(DROP_SQL)
    raw.execute(CREATE_SQL)
    raw.create_function("marquee_without_article", 1, without_article, deterministic=True)
    before = raw.total_changes  # (no rowcount: sqlite3 does not count a statement that starts WITH)
    raw.execute(_FILL_SQL)
    return int(raw.total_changes - before)


def prefix_candidates_sql(folded: str, limit: int) -> tuple[str, dict[str, Any]]:
    """Ids of titles whose name (or name without its article) starts with ``folded``, most voted first."""
    sql = (
        "SELECT title_key FROM (SELECT title_key, bucket FROM title_prefix"
        " WHERE name >= :low AND name < :high"
        f" LIMIT {_SCAN}) GROUP BY title_key ORDER BY max(bucket) DESC, title_key LIMIT :limit"
    )
    return sql, {"low": folded, "high": prefix_upper_bound(folded), "limit": limit}


def state_sql(dialect: str) -> tuple[str, dict[str, Any]]:
    """The index builds record (``storage.status_rows``) and whether the quick lookup exists, for a
    search to tell whether to fall back (one row)."""
    exists = (
        "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'title_prefix')"
        if dialect == "sqlite"
        else "to_regclass('title_prefix') IS NOT NULL"
    )
    return f"SELECT (SELECT value FROM store_meta WHERE key = 'index_builds'), {exists}", {}


def building(value: str | None, exists: Any) -> bool:
    """From ``state_sql``'s row: is the search index still being built, with the quick lookup there?"""
    if not exists or value is None:
        return False
    try:
        build = json.loads(value).get("search")
    except (ValueError, AttributeError):
        return False
    return isinstance(build, dict) and build.get("state") != "ready"
