"""Set-based rebuild of the SQLite search index (called by ``search_index.rebuild``).

The old chunked rebuild read every row into Python objects and wrote the index back row by row
(~135 s at 100k titles). Here SQLite does the joins, grouping, ordering and inserts itself
(one ``INSERT … SELECT`` per index table); Python only folds text, as SQL functions, so the
rows and their order are exactly those of ``search_index.name_rows`` and friends.

The parts work on a plain ``sqlite3`` connection and name their source tables unqualified, so
the IMDb importer (``storage.imdb_index_ahead``) can build the title index in another process,
in a file of its own with the staged files attached, while the store merges; the store then
copies the finished index tables in.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.engine import Connection

from marquee.formats.query import fold
from marquee.storage.search_layout import (
    BUCKET_SHIFT,
    FTS5_SHADOWS,
    ID_BITS,
    MAX_NAMES,
    NAME_BITS,
    popularity_bucket,
)

__all__ = [
    "COPIED_TABLES",
    "TITLE_TABLES",
    "build_people",
    "build_texts",
    "build_title_tables",
    "build_titles",
    "fill_word_tables",
    "index_words",
    "prepare",
    "rebuild_sqlite",
]


@functools.lru_cache(maxsize=1 << 17)
def _fold_name(name: str) -> str:
    """Cached fold: titles and their alternate titles repeat the same strings many times."""
    return fold(name)


def prepare(raw: sqlite3.Connection) -> None:
    """Make the Python folds and the bucket callable from SQL on this connection."""
    raw.create_function("marquee_fold", 1, fold, deterministic=True)
    raw.create_function("marquee_fold_name", 1, _fold_name, deterministic=True)
    raw.create_function("marquee_bucket", 1, popularity_bucket, deterministic=True)


def _check_ids(raw: sqlite3.Connection, table: str, key: str) -> None:
    """The rowid layout holds ids below 2**28 only; fail like ``title_rowid`` does."""
    top = raw.execute(f"SELECT max({key}) FROM {table}").fetchone()[0]
    if top is not None and not 0 <= int(top) < (1 << ID_BITS):
        raise ValueError(f"title id {top} does not fit the search index")


def _name_rows(raw: sqlite3.Connection) -> Iterator[tuple[int, int, str, str, str]]:
    """``search_index.name_rows`` of every title, in one merge walk over two ordered cursors."""
    titles = raw.execute("SELECT title_key, primary_title, original_title FROM titles ORDER BY title_key")
    akas = raw.cursor().execute(
        "SELECT title_key, title, is_original FROM alternate_titles ORDER BY title_key, ordering"
    )
    aka = akas.fetchone()
    for tid, primary, original in titles:
        candidates = [(primary, "primary")]
        if original:
            candidates.append((original, "original"))
        while aka is not None and aka[0] < tid:  # alternate titles of titles that are gone
            aka = akas.fetchone()
        while aka is not None and aka[0] == tid:
            candidates.append((aka[1], "original" if aka[2] else "aka"))
            aka = akas.fetchone()
        seen: set[str] = set()
        for display, source in candidates:
            folded = _fold_name(display)
            if folded and folded not in seen and len(seen) < MAX_NAMES:
                seen.add(folded)
                yield tid, len(seen) - 1, f" {folded} ", display, source


def build_titles(raw: sqlite3.Connection, words: set[str]) -> None:
    """Fill ``title_search_keys`` and ``title_search`` from titles, alternate titles and ratings.

    Adds the words of every indexed name to ``words`` (for ``search_words``).
    """
    _check_ids(raw, "titles", "title_key")
    raw.execute(
        "INSERT INTO title_search_keys (title_key, bucket)"
        " SELECT t.title_key, marquee_bucket(r.votes) FROM titles t"
        " LEFT JOIN imdb_ratings r ON r.title_key = t.title_key"
        " ORDER BY t.title_key"
    )
    raw.execute("DROP TABLE IF EXISTS temp._ms_names")
    raw.execute(
        "CREATE TEMP TABLE _ms_names (title_key INTEGER NOT NULL, n INTEGER NOT NULL, name TEXT NOT NULL,"
        " display TEXT NOT NULL, source TEXT NOT NULL)"
    )
    try:
        raw.executemany("INSERT INTO _ms_names VALUES (?, ?, ?, ?, ?)", _name_rows(raw))
        # Rowid order: FTS5 appends to its doclists instead of merging them.
        raw.execute(
            "INSERT INTO title_search (rowid, name, display, source)"
            f" SELECT (k.bucket << {BUCKET_SHIFT}) | (n.title_key << {NAME_BITS}) | n.n, n.name, n.display,"
            " n.source FROM _ms_names n JOIN title_search_keys k ON k.title_key = n.title_key ORDER BY 1"
        )
        _add_words(raw, "_ms_names", words)
    finally:
        raw.execute("DROP TABLE IF EXISTS temp._ms_names")
        _fold_name.cache_clear()


_PEOPLE = (
    "CREATE TEMP TABLE _ms_people AS"
    " SELECT p.person_key, ' ' || marquee_fold_name(p.name) || ' ' AS name,"
    "  coalesce(a.credits, 0) AS credits, coalesce(a.votes, 0) AS votes,"
    "  marquee_bucket(coalesce(a.votes, 0) + coalesce(a.credits, 0)) AS bucket"
    " FROM people p LEFT JOIN ("
    "  SELECT d.person_key, count(*) AS credits, coalesce(sum(r.votes), 0) AS votes"
    "  FROM (SELECT DISTINCT person_key, title_key FROM credits) d"  # read from ix_credits_person
    "  LEFT JOIN imdb_ratings r ON r.title_key = d.title_key GROUP BY d.person_key)"
    " a ON a.person_key = p.person_key"
)


def build_people(raw: sqlite3.Connection, words: set[str]) -> None:
    """Fill ``person_search_keys`` and ``person_search`` from people, credits and ratings."""
    _check_ids(raw, "people", "person_key")
    raw.execute("DROP TABLE IF EXISTS temp._ms_people")
    raw.execute(_PEOPLE)
    try:
        raw.execute(
            "INSERT INTO person_search_keys (person_key, bucket)"
            " SELECT person_key, bucket FROM _ms_people ORDER BY person_key"
        )
        raw.execute(
            "INSERT INTO person_search (rowid, name, credits, votes)"
            f" SELECT (bucket << {BUCKET_SHIFT}) | (person_key << {NAME_BITS}), name, credits, votes"
            " FROM _ms_people ORDER BY 1"
        )
        _add_words(raw, "_ms_people", words)
    finally:
        raw.execute("DROP TABLE IF EXISTS temp._ms_people")
        _fold_name.cache_clear()


def _add_words(raw: sqlite3.Connection, table: str, words: set[str]) -> None:
    """Every word (two letters or more) of the names in ``table``, in one streaming pass."""
    for (name,) in raw.execute(f"SELECT DISTINCT name FROM {table}"):
        words.update(w for w in name.split() if len(w) >= 2)


def index_words(raw: sqlite3.Connection, words: set[str]) -> None:
    """Store the dictionary typo corrections are looked up in, sorted."""
    raw.executemany("INSERT INTO search_words (word) VALUES (?)", ((w,) for w in sorted(words)))


# A part's folded texts joined by newlines in page order (the ordered subquery feeds group_concat).
_PART = (
    "SELECT title_key, group_concat(f, char(10)) AS v FROM ("
    " SELECT title_key, marquee_fold({value}) AS f FROM {table}"
    " WHERE {value} IS NOT NULL AND {value} != '' ORDER BY {order}) GROUP BY title_key"
)
_PARTS = {
    "taglines": _PART.format(value="text", table="taglines", order="title_key, ordering"),
    "trivia": _PART.format(value="text", table="trivia", order="title_key, ordering"),
    "goofs": _PART.format(value="text", table="goofs", order="title_key, ordering"),
    # A quote is searched by what is said and by who says it.
    "quotes": _PART.format(
        value="(coalesce(character, '') || ' ' || text)",
        table="quote_lines",
        order="title_key, quote_no, line_no",
    ),
}
_DOC_COLUMNS = ("outline", "plot", "taglines", "trivia", "goofs", "quotes")


def _text_sql() -> str:
    """One INSERT … SELECT of every title with some text, in title id order."""
    joins = "".join(
        f" LEFT JOIN ({sql}) {name} ON {name}.title_key = t.title_key" for name, sql in _PARTS.items()
    )
    fold_col = "CASE WHEN t.{c} IS NOT NULL AND t.{c} != '' THEN marquee_fold(t.{c}) ELSE '' END"
    cols = ", ".join(
        [fold_col.format(c="outline"), fold_col.format(c="plot")]
        + [f"coalesce({name}.v, '')" for name in _PARTS]
    )
    any_text = " OR ".join(f"{c} != ''" for c in _DOC_COLUMNS)
    return (
        f"WITH docs(id, {', '.join(_DOC_COLUMNS)})"
        f" AS MATERIALIZED (SELECT t.title_key, {cols} FROM titles t{joins})"
        f" INSERT INTO text_search (rowid, {', '.join(_DOC_COLUMNS)})"
        f" SELECT id, {', '.join(_DOC_COLUMNS)} FROM docs WHERE {any_text} ORDER BY id"
    )


def build_texts(raw: sqlite3.Connection) -> None:
    """Fill ``text_search`` from plots, outlines, taglines, trivia, goofs and quotes."""
    raw.execute(_text_sql())


# FTS5 merges segments as rows go in ('automerge', 4 by default). A rebuild turns that off and
# leaves the merging to the one 'optimize' at its end: 17 % less CPU for the 1.2M names of the
# person index at 1M titles (insert + optimize 12.9 -> 10.8 s). Then the default is restored, so
# the films saved one by one later keep the index merged.
AUTOMERGE_DEFAULT = 4


def set_automerge(raw: Any, table: str, level: int) -> None:
    """Set an FTS5 table's automerge level (0: no merging while rows go in)."""
    raw.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', {int(level)})")


def _empty(
    raw: sqlite3.Connection, tables: tuple[str, ...], ddl: tuple[str, ...], copied: tuple[str, ...] = ()
) -> None:
    """Empty the index tables: FTS5 ones are dropped and created again (DELETE goes row by row).

    ``copied`` are tables whose shadow tables will be copied in: left untouched after their creation
    (FTS5 keeps the structure it has read in memory for the transaction, and would not see the copy).
    """
    for table in tables:
        create = [sql for sql in ddl if sql.startswith(f"CREATE VIRTUAL TABLE {table} ")]
        if create:
            raw.execute(f"DROP TABLE IF EXISTS {table}")
            raw.execute(create[0])
            if table not in copied:
                set_automerge(raw, table, 0)
        else:
            raw.execute(f"DELETE FROM {table}")


def rebuild_sqlite(
    conn: Connection,
    tables: tuple[str, ...],
    ddl: tuple[str, ...],
    built_in: Callable[[], str | None] | None = None,
) -> str | None:
    """Empty ``tables`` (the index; ``ddl`` creates them) and fill them from the titles and people.

    ``built_in``, called once the other parts are built, names an attached database holding a
    title index built ahead by ``build_title_tables`` from the very titles now stored (or gives
    None): it is copied instead of built. Returns what it gave.
    """
    raw: Any = conn.connection.driver_connection
    _check_ids(raw, "titles", "title_key")
    _check_ids(raw, "people", "person_key")
    prepare(raw)
    _empty(raw, tuple(t for t in tables if t not in TITLE_TABLES), ddl)
    words: set[str] = set()
    # People and texts first: meanwhile the title index built ahead gets done.
    build_people(raw, words)
    fill_word_tables(raw, ("person_search",))
    build_texts(raw)
    source = built_in() if built_in is not None else None
    copied = () if source is None else COPIED_TABLES
    _empty(raw, tuple(t for t in tables if t in TITLE_TABLES), ddl, copied)
    if source is None:
        build_titles(raw, words)
        fill_word_tables(raw, ("title_search",))
    else:
        _copy_titles(raw, source, words)
    index_words(raw, words)
    return source


# The title index's tables, and those of them a title index built ahead brings whole (FTS5 tables).
TITLE_TABLES = ("title_search", "title_search_keys", "title_search_words")
COPIED_TABLES = ("title_search", "title_search_words")
# A contentless FTS5 table (the word tables) has no ``_content``.
_WORD_SHADOWS = tuple(s for s in FTS5_SHADOWS if s != "_content")


def fill_word_tables(raw: Any, tables: tuple[str, ...] = ("title_search", "person_search")) -> None:
    """Index the names of ``tables`` (name tables) word by word (``*_search_words``, empty), under
    the same rowids, in rowid order."""
    for table in tables:
        raw.execute(f"INSERT INTO {table}_words (rowid, name) SELECT rowid, name FROM {table} ORDER BY rowid")


def _copy_titles(raw: sqlite3.Connection, schema: str, words: set[str]) -> None:
    """Copy a title index built ahead from the attached database ``schema``, table by table: the
    trigram index, its keys and its word index (``build_title_tables``).

    ``INSERT INTO t SELECT * FROM s.t`` into an empty table of the same definition is SQLite's
    transfer optimisation: b-tree records are copied as they are, without decoding or sorting.
    """
    for table in (
        *(f"title_search{s}" for s in FTS5_SHADOWS),
        "title_search_keys",
        *(f"title_search_words{s}" for s in _WORD_SHADOWS),
    ):
        raw.execute(f"DELETE FROM main.{table}")
        raw.execute(f"INSERT INTO main.{table} SELECT * FROM {schema}.{table}")
    words.update(w for (w,) in raw.execute(f"SELECT word FROM {schema}.title_words"))


def build_title_tables(conn: sqlite3.Connection, ddl: tuple[str, ...]) -> None:
    """Build the title index alone, in a database of its own (for ``rebuild_sqlite(built_in=…)``).

    ``conn`` (in a transaction) names as ``titles``, ``alternate_titles`` and ``imdb_ratings``
    what the index is built from (an importer attaches its staged files and names them with temp
    views), so the index can be built in another process while the store is still being written.
    The words of the names go to the table ``title_words``. ``ddl`` holds the word index's
    statement too (``DDL_0019``): the names word by word, built here as well (~5 s of CPU at 1M
    titles taken off the end of the import).
    """
    wanted = (
        "CREATE VIRTUAL TABLE title_search ",
        "CREATE TABLE title_search_keys ",
        "CREATE VIRTUAL TABLE title_search_words ",
    )
    for statement in ddl:
        if statement.startswith(wanted):
            conn.execute(statement)
    for table in COPIED_TABLES:
        set_automerge(conn, table, 0)
    conn.execute("CREATE TABLE title_words (word TEXT PRIMARY KEY) WITHOUT ROWID")
    prepare(conn)
    words: set[str] = set()
    build_titles(conn, words)
    fill_word_tables(conn, ("title_search",))
    for table in COPIED_TABLES:
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        set_automerge(conn, table, AUTOMERGE_DEFAULT)  # its config is copied with it
    conn.executemany("INSERT INTO title_words VALUES (?)", ((w,) for w in sorted(words)))
