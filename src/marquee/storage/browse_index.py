"""The browse index: one narrow row per title and per (genre, title), kept in step with the tables.

Browse filters (genre, kind, years, runtime, votes, rating) and sorts (votes, rating, year,
title) read this table alone, so a page never joins titles, genres and ratings for tens of
thousands of matches (issue 4: browse p99 at 1M titles). Every title has a row under genre
``''`` (browse without a genre) and one per genre under its key (``genre_key``: "Sci-Fi" and
"sci fi" are one genre).

* Clustered by (genre, kind, start_year, title_key) (SQLite ``WITHOUT ROWID``): counting the
  matches of genre, kind and year filters reads one key range and nothing else.
* One index per sort, in the sort's order, so a page of a large result walks the index and
  stops after the page instead of sorting every match (``services.browse`` chooses).
* ``title_browse_counts`` holds the rows per (genre, kind): totals of genre and kind filters
  without counting, and the group sizes the choice above is made from.

Unknown years are stored as 0 and unrated titles with rating -1 (keys cannot be NULL; both sort
last where NULL did). ``refresh_titles`` runs in the transaction that writes or deletes films
(via ``search_index.refresh_titles``), ``rebuild`` after bulk imports (via ``search_index.rebuild``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Float, Integer, String, Table, text
from sqlalchemy.engine import Connection

from marquee.storage.tables import metadata

__all__ = [
    "ALL",
    "DDL",
    "SORT_INDEXES",
    "RefreshSql",
    "build_sqlite",
    "counts",
    "genre_key_sql",
    "genre_keys",
    "ids_clause",
    "ids_sql",
    "rebuild",
    "refresh_sql",
    "refresh_titles",
    "title_browse",
]

ALL = ""  # the genre key of the rows every title has

# Like the search index, the table is made by raw DDL (migration 0008).
title_browse = Table(
    "title_browse",
    metadata,
    Column("genre", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("start_year", Integer, nullable=False),
    Column("title_key", Integer, nullable=False),
    Column("runtime_minutes", Integer),
    Column("votes", Integer, nullable=False),
    Column("rating", Float, nullable=False),
    Column("sort_title", String, nullable=False),
)
title_browse_counts = Table(
    "title_browse_counts",
    metadata,
    Column("genre", String, nullable=False),
    Column("kind", String, nullable=False),
    Column("n", Integer, nullable=False),
)

# The index each sort walks: its columns are the sort's ORDER BY, title id last (ties).
SORT_INDEXES = {
    "votes": ("ix_title_browse_votes", "votes, rating"),
    "rating": ("ix_title_browse_rating", "rating, votes"),
    "year": ("ix_title_browse_year", "start_year, votes"),
    "title": ("ix_title_browse_title", "sort_title, start_year"),
}

_COLUMNS = "genre, kind, start_year, title_key, runtime_minutes, votes, rating, sort_title"
_TABLE = {
    "sqlite": (
        "CREATE TABLE title_browse (genre TEXT NOT NULL, kind TEXT NOT NULL, start_year INTEGER NOT NULL,"
        " title_key INTEGER NOT NULL, runtime_minutes INTEGER, votes INTEGER NOT NULL, rating REAL NOT NULL,"
        " sort_title TEXT NOT NULL, PRIMARY KEY (genre, kind, start_year, title_key)) WITHOUT ROWID"
    ),
    "postgresql": (
        "CREATE TABLE title_browse (genre text NOT NULL, kind text NOT NULL, start_year integer NOT NULL,"
        " title_key integer NOT NULL, runtime_minutes integer, votes integer NOT NULL,"
        " rating double precision NOT NULL, sort_title text NOT NULL)"
    ),
}
# PostgreSQL: the key is added once the table is full (a rebuild writes the heap alone first).
_PG_KEY = "ALTER TABLE title_browse ADD PRIMARY KEY (genre, kind, start_year, title_key)"
_COUNTS = (
    "CREATE TABLE title_browse_counts (genre VARCHAR NOT NULL, kind VARCHAR NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (genre, kind))"
)


def _index_ddl() -> list[str]:
    out = [
        f"CREATE INDEX {name} ON title_browse (genre, {cols}, title_key)"
        for name, cols in SORT_INDEXES.values()
    ]
    return [*out, "CREATE INDEX ix_title_browse_title_id ON title_browse (title_key)"]


# Table, counts and indexes, per dialect (migration 0008 runs them).
DDL: dict[str, list[str]] = {
    "sqlite": [_TABLE["sqlite"], _COUNTS, *_index_ddl()],
    "postgresql": [_TABLE["postgresql"], _PG_KEY, _COUNTS, *_index_ddl()],
}


def genre_key_sql(column: str) -> str:
    """SQL for a genre's key in the browse index ("Sci-Fi" and "sci fi" -> "sci fi")."""
    return f"lower(replace(trim({column}), '-', ' '))"


def genre_keys(genre: str) -> list[str]:
    """The keys a genre is stored under: trimmed, ``-`` as a space, lower case.

    Two spellings of lower case: SQLite's ``lower()`` folds ASCII letters only, PostgreSQL's (and
    Python's) every letter, so a genre such as "Comédie" is looked up both ways.
    """
    spaced = genre.strip().replace("-", " ")
    ascii_only = "".join(c.lower() if c.isascii() else c for c in spaced)
    return list(dict.fromkeys((spaced.lower(), ascii_only)))


# The rating out of 10; -1 unrated. Kept within what a double holds after the scaling
# (PostgreSQL raises on underflow and overflow where SQLite rounds): no real rating is near either end.
_RATING = (
    "CASE WHEN r.average IS NULL THEN -1 WHEN r.average < 1e-290 THEN 0.0"
    " WHEN r.average > 1e290 THEN 1e291 ELSE r.average * 10.0 / coalesce(r.scale, 10) END"
)


def _insert_rows(dialect: str, where: str) -> list[str]:
    """INSERTs of the browse rows of the titles ``t`` matching ``where``: the all-titles row, then
    one per genre key (a title listing "Sci-Fi" and "sci fi" gets one: SQLite's key refuses the
    second, PostgreSQL's DISTINCT drops it, so its rebuild can fill the table before the key)."""
    values = (
        f"t.kind, coalesce(t.start_year, 0), t.title_key, t.runtime_minutes, coalesce(r.votes, 0), {_RATING},"
        " lower(t.primary_title)"
    )
    rated = "FROM titles t LEFT JOIN imdb_ratings r ON r.title_key = t.title_key"
    genre = genre_key_sql("g.genre")
    # A blank genre has the all-titles key: it is no genre.
    joined = f"{rated} JOIN title_genres g ON g.title_key = t.title_key"
    genres = f"{genre}, {values} {joined} WHERE {where} AND {genre} <> ''"
    insert = f"INSERT INTO title_browse ({_COLUMNS})"
    return [
        f"{insert} SELECT '', {values} {rated} WHERE {where}",
        f"INSERT OR IGNORE {insert[7:]} SELECT {genres}"
        if dialect == "sqlite"
        else f"{insert} SELECT DISTINCT {genres}",
    ]


def _fill(dialect: str) -> list[str]:
    """Statements that make and fill the browse table (not its counts) from the tables."""
    # Secondary indexes are built once the table is full (one sort each, not 2.5M scattered inserts).
    key = [_PG_KEY] if dialect == "postgresql" else []
    return [
        "DROP TABLE IF EXISTS title_browse",
        _TABLE[dialect],
        *_insert_rows(dialect, "true"),
        *key,
        *_index_ddl(),
    ]


def _rebuild(dialect: str) -> list[str]:
    """Statements that empty, fill, index and count the browse index from the tables."""
    group = "SELECT genre, kind, count(*) FROM title_browse GROUP BY genre, kind"
    return [
        *_fill(dialect),
        "DROP TABLE IF EXISTS title_browse_counts",
        _COUNTS,
        f"INSERT INTO title_browse_counts {group}",
    ]


def rebuild(conn: Connection, built_in: str | None = None) -> None:
    """Fill the browse index from the tables (after bulk imports): emptied, filled, indexed, counted.

    SQLite: ``built_in`` names an attached database holding a browse index built ahead from the
    very titles now stored (``build_sqlite``): it is copied instead (SQLite's transfer of whole
    b-trees, indexes included: no sorting again).
    """
    if built_in is None:
        for statement in _rebuild(conn.dialect.name):
            conn.execute(text(statement))
    else:
        for table in ("title_browse", "title_browse_counts"):
            conn.execute(text(f"DELETE FROM main.{table}"))
            conn.execute(text(f"INSERT INTO main.{table} SELECT * FROM {built_in}.{table}"))
    _analyze(conn.dialect.name, lambda sql: conn.execute(text(sql)))


def build_sqlite(raw: Any) -> None:
    """Build the browse index with a plain ``sqlite3`` connection from the ``titles``,
    ``title_genres`` and ``imdb_ratings`` it names (an importer's views over staged files), in
    exactly the tables and indexes of the store, for ``rebuild(conn, built_in=…)``."""
    for statement in _rebuild("sqlite"):
        raw.execute(statement)


def _analyze(dialect: str, run: Any) -> None:
    """Planner statistics for the browse table (SQLite: from a sample, a few ms at any size)."""
    if dialect == "sqlite":
        run("PRAGMA analysis_limit = 1000")
        run("ANALYZE title_browse")
        run("PRAGMA analysis_limit = 0")
    else:
        run("ANALYZE title_browse")


def ids_sql(dialect: str, column: str, ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """``column`` in the ids, as one parameter (a JSON array on SQLite, an array on PostgreSQL):
    a statement with hundreds of marks costs more to compile than to run."""
    if dialect == "postgresql":
        return f"{column} = ANY(:ids)", {"ids": list(ids)}
    return f"{column} IN (SELECT value FROM json_each(:ids))", {"ids": json.dumps(list(ids))}


def ids_clause(conn: Connection, column: str, ids: Sequence[int]) -> tuple[str, dict[str, Any]]:
    """``ids_sql`` in the dialect of ``conn``."""
    return ids_sql(conn.dialect.name, column, ids)


@dataclass(frozen=True)
class RefreshSql:
    """The statements that rewrite some titles' browse rows, every one bound to ``params`` (the ids)."""

    count: str  # their rows per (genre, kind), read before and after to keep the counts exact
    rewrite: tuple[str, ...]  # their rows deleted, then inserted again from the tables
    params: dict[str, Any]


def refresh_sql(dialect: str, ids: Sequence[int]) -> RefreshSql:
    """What ``refresh_titles`` runs for these title ids (a pure builder: tests compare the SQL)."""
    where, params = ids_sql(dialect, "title_key", ids)
    titles, _ = ids_sql(dialect, "t.title_key", ids)
    return RefreshSql(
        f"SELECT genre, kind, count(*) FROM title_browse WHERE {where} GROUP BY genre, kind",
        (f"DELETE FROM title_browse WHERE {where}", *_insert_rows(dialect, titles)),
        params,
    )


def _group_counts(conn: Connection, refresh: RefreshSql) -> dict[tuple[str, str], int]:
    return {(g, k): n for g, k, n in conn.execute(text(refresh.count), refresh.params)}


def refresh_titles(conn: Connection, title_keys: Iterable[int]) -> None:
    """Rewrite the browse rows of these titles (ids no longer stored lose theirs), counts kept exact."""
    ids = sorted(set(title_keys))
    for start in range(0, len(ids), 500):
        refresh = refresh_sql(conn.dialect.name, ids[start : start + 500])
        before = _group_counts(conn, refresh)
        for statement in refresh.rewrite:
            conn.execute(text(statement), refresh.params)
        after = _group_counts(conn, refresh)
        changes = [
            {"g": g, "k": k, "n": after.get((g, k), 0) - before.get((g, k), 0)}
            for g, k in set(before) | set(after)
        ]
        changes = [c for c in changes if c["n"]]
        if changes:
            conn.execute(
                text(
                    "INSERT INTO title_browse_counts (genre, kind, n) VALUES (:g, :k, :n)"
                    " ON CONFLICT (genre, kind) DO UPDATE SET n = title_browse_counts.n + excluded.n"
                ),
                changes,
            )
            conn.execute(text("DELETE FROM title_browse_counts WHERE n = 0"))


def counts(conn: Connection, genres: Sequence[str], kinds: Sequence[str] | None) -> int:
    """Browse rows under these genre keys (and kinds, None: any), from the counts table."""
    c = title_browse_counts
    query = c.select().with_only_columns(c.c.n).where(c.c.genre.in_(genres))
    if kinds is not None:
        query = query.where(c.c.kind.in_(kinds))
    return sum(int(n) for n in conn.execute(query).scalars())
