"""Optimistic PostgreSQL staging of one IMDb file: COPY of the raw lines, mapped by one INSERT … SELECT.

The precise path (``services.imdb_read`` + ``storage.imdb_stage.PgStage``) maps every row in
Python and copies the mapped tuples. Here Python only checks each 1 MiB block against the same
regular expression as the SQLite fast path (``imdb_fast_stage.FAST_LINES``: every line has the
file's columns, in plain forms) and streams the block, as it is, into ``COPY`` of a temporary
table of text columns (CSV with a tab delimiter, ``\\N`` for null and a quote byte the block may
not hold: no quoting, no backslash escapes). One ``INSERT … SELECT`` then maps the raw fields to
the very values the precise path stages (``PG_FAST_SQL``), line numbers from the order of the COPY.

It is optimistic, like the SQLite one: whatever it does not map exactly like the precise path
makes it give up (the caller rolls back and stages the file again by the precise path, which
reports ``FILE:LINE: message``): a block the expression does not match, a NUL, a carriage return
or the quote byte,
a damaged file, invalid UTF-8, a bad header, characters that are not a JSON list of strings or
hold a ``\\u`` escape (both JSON parsers read the rest alike), anything PostgreSQL refuses.
Repeated keys are not a reason: the caller finds them after the load by line, as always.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from typing import Any

from marquee.errors import InputError
from marquee.formats.imdb_tsv import HEADERS, STAGE_COLUMNS
from marquee.storage.imdb_fast_stage import FAST_LINES

__all__ = ["PG_FAST_SQL", "stage_pg_fast"]

Report = Callable[[int, int], None]  # (compressed bytes done, rows read)

_QUOTE = "\x01"  # the CSV quote byte: a block holding it is left to the precise path
_GAVE_UP = "\x01gave up"  # what a raw field maps to when only the precise path can say what it is
_RAW = "_marquee_imdb_raw"


def _id(p: str) -> str:
    return f"substr({p}, 3)::integer"


def _array(p: str, value: str | None = None) -> str:
    """``\\N`` (NULL here) or '' -> NULL, else ``value`` (the field itself by default)."""
    return f"CASE WHEN {p} = '' THEN NULL ELSE {value or p} END"


def _id_list(p: str) -> str:
    """``nm0000001,nm0000022`` -> ``1,22`` (leading zeros gone, as ``int()`` drops them).

    Ids listed twice are dropped afterwards (in ``_map_into``), as the precise path does.
    """
    return _array(p, f"regexp_replace({p}, 'nm0*([0-9])', '\\1', 'g')")


def _characters(p: str) -> str:
    """IMDb's JSON list of characters -> `` / ``-joined text (``formats.imdb_tsv.characters_text``).

    One plain name (no ``"`` or backslash inside) is its inner text (``[""]`` gives ''); any other
    list goes through PostgreSQL's JSON, joined like ``" / ".join(...) or None``; a list that is not
    all strings, or holds a ``\\u`` escape, maps to a marker that makes the fast path give up.
    """
    general = (
        f"(SELECT CASE WHEN count(*) = count(*) FILTER (WHERE jsonb_typeof(e.v) = 'string')"
        f" THEN NULLIF(string_agg(e.v #>> '{{}}', ' / ' ORDER BY e.n), '') ELSE '{_GAVE_UP}' END"
        f" FROM jsonb_array_elements({p}::jsonb) WITH ORDINALITY AS e(v, n))"
    )
    return (
        f"CASE WHEN {p} IS NULL THEN NULL"
        f' WHEN {p} ~ \'^\\["[^"\\\\]*"\\]$\' THEN substr({p}, 3, length({p}) - 4)'
        f" WHEN strpos({p}, '\\u') > 0 OR jsonb_typeof({p}::jsonb) <> 'array' THEN '{_GAVE_UP}'"
        f" ELSE {general} END"
    )


def _pg_fast_sql(dataset: str) -> tuple[str, ...]:
    f = [f"f{k}" for k in range(1, 10)]  # the raw fields (NULL for \N)
    return {
        "title.basics": (
            _id(f[0]),
            f[0],
            f"coalesce({f[1]}, 'movie')",
            f[2],
            f[3],
            f"{f[4]} = '1'",
            f"{f[5]}::integer",
            f"{f[6]}::integer",
            f"{f[7]}::integer",
            _array(f[8]),
        ),
        "title.akas": (
            _id(f[0]),
            f"{f[1]}::integer",
            f[2],
            f[3],
            f[4],
            _array(f[5], f"replace({f[5]}, E'\\x02', ',')"),
            _array(f[6], f"replace({f[6]}, E'\\x02', ',')"),
            f"coalesce({f[7]} = '1', false)",
        ),
        "title.crew": (_id(f[0]), _id_list(f[1]), _id_list(f[2])),
        "title.episode": (_id(f[0]), f[1], f"{f[2]}::integer", f"{f[3]}::integer"),
        "title.principals": (
            _id(f[0]),
            f"{f[1]}::integer",
            _id(f[2]),
            f[3],
            f[4],
            _characters(f[5]),
        ),
        "title.ratings": (_id(f[0]), f"{f[1]}::double precision", f"{f[2]}::integer"),
        "name.basics": (
            _id(f[0]),
            f[0],
            f[1],
            f"{f[2]}::integer",
            f"{f[3]}::integer",
            _array(f[4]),
            _array(f[5]),
        ),
    }[dataset]


# The staged columns of each dataset (``STAGE_COLUMNS`` order, without ``line``) from the raw fields
# f1…fN of the temporary table.
PG_FAST_SQL: dict[str, tuple[str, ...]] = {dataset: _pg_fast_sql(dataset) for dataset in HEADERS}
# Staged columns that hold the marker when the fast path must give up.
_MARKED: dict[str, str] = {"title.principals": "character"}
# Id lists that may name someone twice (the precise path keeps the first of each).
_ID_LISTS: dict[str, tuple[str, ...]] = {"title.crew": ("directors", "writers")}


def _raw_table(cur: Any, dataset: str) -> None:
    fields = ", ".join(f"f{k} text" for k in range(1, len(HEADERS[dataset]) + 1))
    cur.execute(f"CREATE TEMP TABLE {_RAW} (n bigint GENERATED ALWAYS AS IDENTITY, {fields}) ON COMMIT DROP")


def _copy_blocks(
    cur: Any, dataset: str, blocks: Iterable[tuple[str, int]], report: Report | None
) -> int | None:
    """Every checked block into the temporary table; the rows copied, None when a block fails its check."""
    lines_re = FAST_LINES[dataset]
    fields = ", ".join(f"f{k}" for k in range(1, len(HEADERS[dataset]) + 1))
    sql = f"COPY {_RAW} ({fields}) FROM STDIN (FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01', NULL '\\N')"
    rows = 0
    with cur.copy(sql) as copy:
        for text, done in blocks:
            # A carriage return is refused by COPY unless quoted: CRLF files go to the precise path.
            if "\0" in text or _QUOTE in text or "\r" in text or lines_re.fullmatch(text) is None:
                return None
            copy.write(text.encode() + b"\n")
            rows += text.count("\n") + 1
            if report is not None:
                report(done, rows)
    return rows


def _map_into(cur: Any, dataset: str, table: str) -> bool:
    """The raw rows mapped into the staging table; False when a marked column says: give up."""
    columns = ", ".join([*STAGE_COLUMNS[dataset], "line"])
    cur.execute(
        f"INSERT INTO {table} ({columns}) SELECT {', '.join(PG_FAST_SQL[dataset])}, n + 1"
        f" FROM {_RAW}"  # a temporary table is read in the order it was written: the file's
    )
    marked = _MARKED.get(dataset)
    if marked is not None:
        cur.execute(f"SELECT 1 FROM {table} WHERE {marked} = %s LIMIT 1", (_GAVE_UP,))
        if cur.fetchone() is not None:
            return False
    for column in _ID_LISTS.get(dataset, ()):
        if not _names_twice(cur, table, column):
            continue
        cur.execute(
            f"UPDATE {table} SET {column} = d.kept FROM (SELECT s.line,"
            f" (SELECT string_agg(v, ',' ORDER BY first) FROM (SELECT v, min(n) AS first"
            f" FROM unnest(string_to_array(s.{column}, ',')) WITH ORDINALITY AS u(v, n)"
            " GROUP BY v) g) AS kept"
            f" FROM {table} s WHERE strpos(s.{column}, ',') > 0) d"
            f" WHERE {table}.line = d.line AND {table}.{column} <> d.kept"
        )
    cur.execute(f"DROP TABLE {_RAW}")
    return True


def _names_twice(cur: Any, table: str, column: str) -> bool:
    """Does some row's id list name someone twice (one set-based look, before fixing row by row)?"""
    cur.execute(
        f"SELECT 1 FROM {table} s, unnest(string_to_array(s.{column}, ',')) AS v"
        f" WHERE strpos(s.{column}, ',') > 0 GROUP BY s.line, v HAVING count(*) > 1 LIMIT 1"
    )
    return cur.fetchone() is not None


_GIVE_UP = (ValueError, EOFError, OSError, zlib.error, InputError)


def stage_pg_fast(
    conn: Any, table: str, dataset: str, blocks: Iterable[tuple[str, int]], report: Report | None
) -> int | None:
    """Stage a file into the empty staging ``table`` on ``conn`` (psycopg, in a transaction, not committed).

    ``blocks``: the text of each block of whole lines after the header, and the compressed bytes
    read so far (``services.imdb_read.text_blocks``). Returns the rows staged, or None when the fast
    path gave up (the caller rolls the transaction back).
    """
    import psycopg  # imported here: SQLite-only imports never load the driver

    try:
        with conn.cursor() as cur:
            _raw_table(cur, dataset)
            rows = _copy_blocks(cur, dataset, blocks, report)
            if rows is None or not _map_into(cur, dataset, table):
                return None
    except (*_GIVE_UP, psycopg.Error):
        return None
    return rows
