"""Set-based rebuild of the PostgreSQL search index (called by ``search_index.rebuild``).

Indexing title by title (``search_index.refresh_titles``, the path a saved film takes) reads
titles and people into Python objects and writes the index with one INSERT per row. Here Python
only folds text: every distinct string the index needs (titles, alternate titles, names, texts)
is read once through a server-side cursor, folded, and copied into a temporary table
``_ms_fold (raw, folded)``. Then one ``INSERT … SELECT`` per index table lets PostgreSQL do the
joins, numbering, grouping and aggregates, into tables dropped and created again whose indexes
are built after they are filled (a GIN index built at once is several times faster than one
grown row by row). Names and people are written in popularity order, the order the candidate
queries walk them in.

The rows are exactly those of indexing title by title (``tests/test_search_rebuild.py`` compares
fingerprints of both): names numbered in the order primary, original, alternate titles by
``ordering``, the first spelling of each folded name kept, at most ``MAX_NAMES`` per title, and
popularity buckets computed from bounds that ``popularity_bucket`` itself gives.

The tables are dropped and created again inside the caller's transaction, so readers of the
index wait for the rebuild to commit (the old chunked rebuild let them read the old rows meanwhile).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.formats.query import fold
from marquee.storage.search_layout import NAME_KEYS, popularity_bucket
from marquee.storage.search_window import (
    create_tier_sql,
    create_word_tier_sql,
    tier_bound,
    tier_bound_sql,
    tier_predicate_sql,
)

__all__ = [
    "WORD_COUNTS",
    "bucket_sql",
    "build_people",
    "create_tiers",
    "create_word_tiers",
    "rebuild_postgresql",
]

_BATCH = 20_000  # distinct strings fetched, folded and copied back per round


@functools.cache
def _bucket_bounds() -> tuple[int, ...]:
    """Per bucket 1..127, the fewest votes that reach it, found with ``popularity_bucket`` itself."""
    bounds = []
    for bucket in range(1, 128):
        low, high = 1, 1 << 40
        while low < high:  # the bucket never falls as votes rise: binary search for the first
            mid = (low + high) // 2
            if popularity_bucket(mid) >= bucket:
                high = mid
            else:
                low = mid + 1
        bounds.append(low)
    return tuple(bounds)


def bucket_sql(votes: str) -> str:
    """SQL for ``popularity_bucket(votes)``: how many bucket bounds the votes reach (0 for none)."""
    array = "ARRAY[" + ",".join(str(b) for b in _bucket_bounds()) + "]::bigint[]"
    return f"width_bucket(({votes})::bigint, {array})"


# Every string the index folds; UNION makes them distinct, so each is folded once. People's names
# alone, where the people's index is built on a connection of its own (``build_people``).
_PEOPLE_STRINGS = "SELECT DISTINCT name FROM people"
_OTHER_STRINGS = " UNION ".join(
    (
        "SELECT primary_title FROM titles",
        "SELECT original_title FROM titles WHERE original_title <> ''",
        "SELECT title FROM alternate_titles WHERE title <> ''",
        "SELECT outline FROM titles WHERE outline <> ''",
        "SELECT plot FROM titles WHERE plot <> ''",
        "SELECT text FROM taglines WHERE text <> ''",
        "SELECT text FROM trivia WHERE text <> ''",
        "SELECT text FROM goofs WHERE text <> ''",
        "SELECT coalesce(character, '') || ' ' || text FROM quote_lines WHERE text IS NOT NULL",
    )
)
_RAW_STRINGS = f"{_OTHER_STRINGS} UNION {_PEOPLE_STRINGS}"


def _fill_folds(conn: Connection, strings: str = _RAW_STRINGS) -> None:
    """``_ms_fold``: every distinct string of ``strings`` the index needs, with its fold, for the joins."""
    # Dropped at the end, or by the rollback when the rebuild fails.
    conn.execute(text("CREATE TEMP TABLE _ms_fold (raw TEXT NOT NULL, folded TEXT NOT NULL) ON COMMIT DROP"))
    raw: Any = conn.connection.driver_connection
    with raw.cursor(name="marquee_search_strings") as cursor, raw.cursor() as out:
        cursor.execute(strings)
        while batch := cursor.fetchmany(_BATCH):
            # The server-side cursor waits between fetches, so the connection is free for a COPY.
            with out.copy("COPY _ms_fold (raw, folded) FROM STDIN") as copy:
                for (value,) in batch:
                    copy.write_row((value, fold(value)))
    conn.execute(text("ANALYZE _ms_fold"))  # temporary tables are never analysed automatically


_TITLE_NAMES = f"""
WITH candidates AS (
    SELECT t.title_key, 0 AS o1, 0 AS o2, t.primary_title AS display, 'primary' AS source
    FROM titles t
    UNION ALL
    SELECT t.title_key, 1, 0, t.original_title, 'original' FROM titles t WHERE t.original_title <> ''
    UNION ALL
    SELECT a.title_key, 2, a.ordering, a.title, CASE WHEN a.is_original THEN 'original' ELSE 'aka' END
    FROM alternate_titles a JOIN titles t ON t.title_key = a.title_key
), named AS (
    SELECT DISTINCT ON (c.title_key, f.folded) c.title_key, c.o1, c.o2, f.folded, c.display, c.source
    FROM candidates c JOIN _ms_fold f ON f.raw = c.display
    WHERE f.folded <> ''
    ORDER BY c.title_key, f.folded, c.o1, c.o2
), numbered AS (
    SELECT *, row_number() OVER (PARTITION BY title_key ORDER BY o1, o2) - 1 AS n FROM named
)
INSERT INTO title_search (title_key, n, name, display, source, pop)
SELECT n.title_key, n.n, ' ' || n.folded || ' ', n.display, n.source, {bucket_sql("coalesce(r.votes, 0)")}
FROM numbered n LEFT JOIN imdb_ratings r ON r.title_key = n.title_key
WHERE n.n < :max_names
ORDER BY 6 DESC, n.title_key DESC, n.n
"""

_PEOPLE = f"""
INSERT INTO person_search (person_key, name, credits, votes, pop)
SELECT p.person_key, ' ' || f.folded || ' ', coalesce(a.credits, 0), coalesce(a.votes, 0),
    {bucket_sql("coalesce(a.votes, 0) + coalesce(a.credits, 0)")}
FROM people p JOIN _ms_fold f ON f.raw = p.name
LEFT JOIN (
    SELECT d.person_key, count(*) AS credits, coalesce(sum(r.votes), 0) AS votes
    FROM (SELECT DISTINCT person_key, title_key FROM credits) d
    LEFT JOIN imdb_ratings r ON r.title_key = d.title_key GROUP BY d.person_key
) a ON a.person_key = p.person_key
ORDER BY 5 DESC, p.person_key DESC
"""

# A part's folded texts joined by newlines in page order, per title.
_PART = (
    "SELECT x.title_key, string_agg(f.folded, E'\\n' ORDER BY {order}) AS v FROM {table} x"
    " JOIN _ms_fold f ON f.raw = {value} WHERE {value} <> '' GROUP BY x.title_key"
)
_PARTS = {
    name: _PART.format(table=table, value=value, order=order)
    for name, table, value, order in (
        ("taglines", "taglines", "x.text", "x.ordering"),
        ("trivia", "trivia", "x.text", "x.ordering"),
        ("goofs", "goofs", "x.text", "x.ordering"),
        # A quote is searched by what is said and by who says it.
        ("quotes", "quote_lines", "(coalesce(x.character, '') || ' ' || x.text)", "x.quote_no, x.line_no"),
    )
}


def _text_sql(document: str) -> str:
    """One INSERT … SELECT of every title with some text; ``document`` makes the tsvector."""
    joins = "".join(
        f" LEFT JOIN ({sql}) {name} ON {name}.title_key = t.title_key" for name, sql in _PARTS.items()
    )
    columns = {
        "outline": "coalesce(fo.folded, '')",
        "plot": "coalesce(fp.folded, '')",
        **{name: f"coalesce({name}.v, '')" for name in _PARTS},
    }
    docs = ", ".join(f"{sql} AS {name}" for name, sql in columns.items())
    any_text = " OR ".join(f"{name} <> ''" for name in columns)
    return (
        f"WITH docs AS (SELECT t.title_key, {docs} FROM titles t"
        " LEFT JOIN _ms_fold fo ON fo.raw = t.outline LEFT JOIN _ms_fold fp ON fp.raw = t.plot"
        f"{joins})"
        " INSERT INTO text_search (title_key, doc)"
        f" SELECT title_key, {document.format(**{n: n for n in columns})}"
        f" FROM docs WHERE {any_text} ORDER BY title_key"
    )


# Every word of two letters or more of the names, with how many names of each index hold it.
WORD_COUNTS = (
    "SELECT w, count(*) FILTER (WHERE k = 0) AS title_names, count(*) FILTER (WHERE k = 1) AS person_names"
    " FROM (SELECT unnest(string_to_array(btrim(name), ' ')) AS w, 0 AS k FROM title_search"
    " UNION ALL SELECT unnest(string_to_array(btrim(name), ' ')), 1 FROM person_search"
    ") words WHERE length(w) >= 2 GROUP BY w"
)
_WORDS = f"INSERT INTO search_words (word, title_names, person_names) {WORD_COUNTS}"


def _split_ddl(ddl: Sequence[str], table: str) -> tuple[list[str], list[str]]:
    """The CREATE TABLE (and ALTER TABLE) statements of one index table, and its CREATE INDEX ones."""
    tables = [sql for sql in ddl if sql.startswith((f"CREATE TABLE {table} ", f"ALTER TABLE {table} "))]
    indexes = [sql for sql in ddl if sql.startswith("CREATE INDEX") and f" ON {table} " in sql]
    return tables, indexes


def _bulk(conn: Connection) -> None:
    """More memory for the sorts, hashes and GIN builds, until the caller's transaction ends."""
    conn.execute(text("SET LOCAL work_mem = '256MB'"))
    conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))


def _create(conn: Connection, ddl: Sequence[str], table: str) -> list[str]:
    """Drop and create ``table`` as ``ddl`` says; its CREATE INDEX statements, for once it is full."""
    creates, indexes = _split_ddl(ddl, table)
    conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
    for sql in creates:
        conn.execute(text(sql))
    return indexes


def rebuild_postgresql(
    conn: Connection,
    tables: Sequence[str],
    ddl: Sequence[str],
    *,
    document: str,
    max_names: int,
    people: Callable[[Connection], None] | None = None,
) -> None:
    """Drop and create ``tables`` (the index; ``ddl`` creates them) and fill them set-based.

    ``document`` is the tsvector expression of the text index with ``{outline}``, ``{plot}``…
    placeholders; ``max_names`` caps the names of one title. ``people``: ``person_search`` is built
    elsewhere (``build_people`` on another connection); called before the dictionary, which reads
    it, it puts the finished table where this connection's search path finds it.
    """
    _bulk(conn)
    indexes: list[str] = []
    for table in tables:
        if people is None or table != "person_search":
            indexes += _create(conn, ddl, table)
    _fill_folds(conn, _RAW_STRINGS if people is None else _OTHER_STRINGS)
    conn.execute(text(_TITLE_NAMES), {"max_names": max_names})
    if people is None:
        conn.execute(text(_PEOPLE))
    conn.execute(text(_text_sql(document)))
    if people is not None:
        people(conn)
    conn.execute(text(_WORDS))
    for sql in indexes:
        conn.execute(text(sql))
    create_tiers(conn)
    create_word_tiers(conn)
    conn.execute(text("DROP TABLE _ms_fold"))


def build_people(conn: Connection, ddl: Sequence[str]) -> None:
    """``person_search`` alone, filled and indexed (its tier comes with the dictionary's rebuild)."""
    _bulk(conn)
    indexes = _create(conn, ddl, "person_search")
    _fill_folds(conn, _PEOPLE_STRINGS)
    conn.execute(text(_PEOPLE))
    for sql in indexes:
        conn.execute(text(sql))
    conn.execute(text("DROP TABLE _ms_fold"))


def create_tiers(conn: Connection) -> None:
    """The tier index of each name index (``search_window``), its bound read off the names stored
    (kept if there already: a rebuild makes its tables anew, migration 0022 may have rebuilt them)."""
    for table in NAME_KEYS:
        bound = conn.execute(text(tier_bound_sql(table)[0])).scalar()
        conn.execute(text(create_tier_sql(table, int(bound or 1))))


def create_word_tiers(conn: Connection) -> None:
    """The tier's word lists (``search_window.create_word_tier_sql``) for each name index with a
    tier index, at that index's own bound (read back from it: the two must agree)."""
    for table in NAME_KEYS:
        sql, params = tier_predicate_sql(table)
        bound = tier_bound(conn.execute(text(sql), params).scalar())
        if bound is not None:
            conn.execute(text(create_word_tier_sql(table, bound)))
