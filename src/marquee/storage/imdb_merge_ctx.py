"""What every step of the IMDb merge shares: the counts it returns, its context, index and count helpers.

``storage.imdb_merge`` merges titles, their simple parts and people; ``storage.imdb_merge_credits``
the credits. Both run their statements through a ``MergeCtx`` (the caller's connection, the staging
tables, the ids held by rejected rows) and add to its ``MergeCounts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.storage import schema

__all__ = [
    "HELD_GROUPS",
    "SLUG_ID_BASE",
    "Delta",
    "MergeCounts",
    "MergeCtx",
    "Sql",
    "all_tables",
    "create_indexes",
    "drop_indexes",
    "held_rows",
    "not_placed",
    "staged_count",
    "unplaced",
]

# Internal ids of slug titles/people start here: above every IMDb number for decades
# (tt ids are ~tt36M in 2025) and below 2**28, the search index's id limit.
SLUG_ID_BASE = 200_000_000

Sql = Callable[[str], Any]  # runs one statement, returns a DB-API cursor


@dataclass
class MergeCounts:
    """Rows written per store table, and dataset titles/people removed."""

    written: dict[str, int]
    # Rows left out because they name a title or person the store does not have, by what they are.
    unplaced: dict[str, int] = field(default_factory=dict)
    full: bool = False
    titles_removed: int = 0
    # Titles removed, by IMDb titleType (movie, tvEpisode…).
    removed_kinds: dict[str, int] = field(default_factory=dict)
    # Titles a full dump no longer has, kept because members' data name them.
    titles_kept: int = 0
    people_removed: int = 0
    # Titles and people named by rejected rows, left exactly as stored.
    titles_held: int = 0
    people_held: int = 0
    ids_moved: int = 0


@dataclass(frozen=True)
class Delta:
    """A re-import that staged only changed keys: what each file no longer has, whose credits are rebuilt.

    ``removed``: dataset -> table (``id``) of the keys the newer file lacks (title files: titles;
    name.basics: people). ``credit_scope``: table of the titles whose credits are rebuilt from the
    staged principals and crew, which hold every line of those titles.
    """

    removed: dict[str, str]
    credit_scope: str


@dataclass
class MergeCtx:
    """One merge: how statements run, the staging tables, what it counts, what rejected rows hold."""

    run: Sql
    dialect: str
    stage: dict[str, str]  # dataset -> qualified staging table
    all_tables: Callable[[], dict[str, list[str]]]  # table -> columns, for id moves
    counts: MergeCounts
    full: bool = False

    held: set[str] = field(default_factory=set)  # groups (``HELD_GROUPS``) holding any id
    # A re-import (``Delta``): dataset -> table of the keys the newer file no longer has.
    removed: dict[str, str] = field(default_factory=dict)
    credit_scope: str = ""  # a re-import: table of the titles whose credits are rebuilt

    def scoped(self, column: str) -> str:
        """`` AND column IN (credit scope)`` on a re-import; nothing otherwise."""
        return f" AND {column} IN (SELECT id FROM {self.credit_scope})" if self.credit_scope else ""

    def dataset_titles(self) -> str:
        """SELECT of the dataset titles whose credits the merge rebuilds: all, or a re-import's scope
        (driving the statement: the scope is small)."""
        if self.credit_scope:
            return (
                f"SELECT id FROM {self.credit_scope} WHERE id IN (SELECT title_key FROM imdb_dataset_titles)"
            )
        return "SELECT title_key FROM imdb_dataset_titles"

    def free(self, column: str, group: str) -> str:
        """`` AND column NOT IN (ids held in group)``: nothing when the group holds none."""
        return f" AND {column} NOT IN (SELECT id FROM imdb_held_{group})" if group in self.held else ""

    def q(self, sql: str) -> int:
        cur = self.run(sql)
        return int(cur.rowcount or 0) if cur is not None else 0

    def one(self, sql: str) -> Any:
        return self.run(sql).fetchone()

    def all(self, sql: str) -> list[Any]:
        return list(self.run(sql).fetchall())


# What a rejected row of each file holds: the rows of that group of the id it names.
HELD_GROUPS = {
    "title.basics": "basics",
    "title.ratings": "ratings",
    "title.akas": "akas",
    "title.episode": "episode",
    "title.principals": "credits",
    "title.crew": "credits",
    "name.basics": "people",
}

# ------------------------------------------------------------------ secondary indexes


def _indexes(table: str) -> list[Any]:
    return sorted(schema.metadata.tables[table].indexes, key=lambda ix: str(ix.name))


def drop_indexes(ctx: MergeCtx, table: str, incoming: int) -> list[Any]:
    """Drop a table's secondary indexes when the load outweighs what is there (rebuilt after)."""
    if incoming < 50_000:  # small loads (a re-import's) never: not even the count (0.6 s of credits at 1M)
        return []
    if int(ctx.one(f"SELECT count(*) FROM {table}")[0]) * 2 > incoming:
        return []
    dropped = _indexes(table)
    for ix in dropped:
        ctx.run(f"DROP INDEX IF EXISTS {ix.name}")
    return dropped


def create_indexes(ctx: MergeCtx, indexes: Sequence[Any]) -> None:
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    dialect = sqlite.dialect() if ctx.dialect == "sqlite" else postgresql.dialect()  # type: ignore[no-untyped-call]
    for ix in indexes:
        ctx.run(str(CreateIndex(ix).compile(dialect=dialect)))


def staged_count(ctx: MergeCtx, dataset: str) -> int:
    return int(ctx.one(f"SELECT count(*) FROM {ctx.stage[dataset]}")[0])


def not_placed(ctx: MergeCtx, dataset: str) -> str:
    """How the summary names rows of titles the import cannot place."""
    where = "title.basics" if ctx.full else "the store's IMDb titles"
    return f"{dataset} rows (title not in {where})"


def held_rows(ctx: MergeCtx, staging: str, group: str) -> int:
    """Staged rows of held titles that are dataset titles (not written, and not unplaced either)."""
    if group not in ctx.held:
        return 0
    held = (
        f"SELECT count(*) FROM {staging} s JOIN imdb_dataset_titles d ON d.title_key = s.title_key"
        f" WHERE s.title_key IN (SELECT id FROM imdb_held_{group})"
    )
    return int(ctx.one(held)[0])


def unplaced(ctx: MergeCtx, what: str, rows: int) -> None:
    if rows:
        ctx.counts.unplaced[what] = rows


# Every table of the store's schema with its columns in order, in one query (SQLAlchemy's inspector
# asks once per table: 61 queries, ~76 ms on PostgreSQL and 5-17 ms on SQLite an import, against ~1 ms).
_COLUMNS_SQL = {
    # main's only: a read of the file built ahead (attached) would keep its child from cutting its WAL.
    "sqlite": "SELECT m.name, p.name FROM main.sqlite_schema m JOIN pragma_table_info(m.name, 'main') p"
    " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite~_%' ESCAPE '~' ORDER BY m.name, p.cid",
    "postgresql": "SELECT c.relname, a.attname FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0"
    " AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
}


def all_tables(conn: Connection) -> dict[str, list[str]]:
    """``{table: [column, ...]}`` for every table of the store (columns in their order)."""
    tables: dict[str, list[str]] = {}
    for table, column in conn.execute(text(_COLUMNS_SQL[conn.dialect.name])):
        tables.setdefault(table, []).append(column)
    return tables
