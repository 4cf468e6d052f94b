"""Optimistic SQLite staging of one IMDb file: no Python code runs per row.

The precise path (``services.imdb_read`` + ``storage.imdb_stage.SqliteStage``) maps every row in Python. Here,
per 1 MiB block and all in C: the block is decoded and checked against one regular expression
(every line has the file's columns, in the plain forms below), split into lines and fields
(``str.split`` called from ``map``), and inserted 128 rows per statement by one
``INSERT … SELECT … FROM (VALUES …)`` whose SQL expressions do the mapping (``\\N`` to NULL,
``tt0089560`` to 89560, the characters JSON list to `` / ``-joined text …).

It is optimistic: it only accepts forms it maps to the very values (and types) the precise path
stages; anything else makes it give up, and the caller stages the file again from scratch with
the precise path, which reports ``FILE:LINE: message`` exactly as always and handles
``--skip-bad-rows``. It gives up on:

* a block the expression does not match: a wrong number of columns, a bad id, a non-integer, a
  flag not 0/1, an empty required field, control characters in characters, a NUL anywhere…;
* a repeated key: a plain ``INSERT`` (not ``OR IGNORE``) into the keyed table fails, so every
  duplicate is reported by the precise path, which knows the lines;
* invalid UTF-8 (the block does not decode), a damaged or truncated gzip stream, a bad header;
* characters that are not a JSON list of strings (``give_up()``, a Python function called only
  then, raises inside SQLite), and, found by a query after the load, ids the ``replace`` calls
  cannot map (all zeros, padded beyond seven digits). Ids listed twice are dropped after the
  load, like the precise path does.

Line numbers cost nothing: each VALUES row carries its offset in the statement as a constant,
the statement gets the line of its first row as a parameter.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import chain, repeat

from marquee.errors import InputError
from marquee.formats.imdb_tsv import HEADERS, STAGE_KEYS

__all__ = [
    "FAST_CHECKS",
    "FAST_LINES",
    "FAST_SQL",
    "ID_LISTS",
    "PERSON_YEAR_RE",
    "YEAR_RE",
    "GaveUp",
    "fast_insert_sql",
    "stage_fast",
]

Report = Callable[[int, int], None]  # (compressed bytes done, rows read)


class GaveUp(Exception):
    """The fast path met something it does not map exactly like the precise path."""


# ------------------------------------------------------------------ what a line may look like
#
# Only forms the precise path maps without doubt, in ASCII digits ([0-9], never \d: int() takes
# other scripts' digits too, the precise path decides those). At most 9 digits in an id, so it is
# always within the 32-bit id range.

# Counts of at most 9 digits: always within the 32-bit columns (``MAX_COUNT``); longer ones go to the
# precise path, which checks the bound.
_INT_RE = r"(?:\\N|[0-9]{1,9})"
_REQ_INT_RE = r"[0-9]{1,9}"
# Years within ``limits.YEAR_RANGE`` (1870–2200) and ``PERSON_YEAR_RANGE`` (1–2200), no leading zero:
# anything else is decided (and refused, with its line) by the precise path. A test checks these
# against the limits.
YEAR_RE = r"(?:\\N|18[7-9][0-9]|19[0-9][0-9]|20[0-9][0-9]|21[0-9][0-9]|2200)"
PERSON_YEAR_RE = r"(?:\\N|[1-9][0-9]{0,2}|1[0-9][0-9][0-9]|20[0-9][0-9]|21[0-9][0-9]|2200)"
_TEXT_RE = r"[^\t\n]*"
_REQ_TEXT_RE = r"(?!\\N(?:[\t\n]|\Z))[^\t\n]+"  # not empty, not \N
_ARRAY_RE = r"[^\t\n\x02]*"  # 0x02 only in akas (elsewhere the precise path's mappers disagree on it)
_CHARACTERS_RE = r"(?:\\N|\[[^\x00-\x1f]*\])"  # no control characters: json.loads refuses them


def _id_re(prefix: str) -> str:
    return f"{prefix}[0-9]{{1,9}}"


_ID_LIST_RE = r"(?:\\N|nm[0-9]{1,9}(?:,nm[0-9]{1,9})*)?"

_LINE_RE: dict[str, tuple[str, ...]] = {
    "title.basics": (
        _id_re("tt"),
        r"[^\t\n]+",  # titleType: '' would stay '' in the precise path, let it decide
        _REQ_TEXT_RE,
        _TEXT_RE,
        "[01]",
        YEAR_RE,
        YEAR_RE,
        _INT_RE,
        _ARRAY_RE,
    ),
    "title.akas": (
        _id_re("tt"),
        _REQ_INT_RE,
        _REQ_TEXT_RE,
        _TEXT_RE,
        _TEXT_RE,
        _TEXT_RE,
        _TEXT_RE,
        r"(?:[01]|\\N)",
    ),
    "title.crew": (_id_re("tt"), _ID_LIST_RE, _ID_LIST_RE),
    "title.episode": (_id_re("tt"), _id_re("tt"), _INT_RE, _INT_RE),
    "title.principals": (_id_re("tt"), _REQ_INT_RE, _id_re("nm"), _REQ_TEXT_RE, _TEXT_RE, _CHARACTERS_RE),
    "title.ratings": (_id_re("tt"), r"(?:[0-9]\.[0-9]|10\.0)", _INT_RE),
    "name.basics": (_id_re("nm"), _REQ_TEXT_RE, PERSON_YEAR_RE, PERSON_YEAR_RE, _ARRAY_RE, _ARRAY_RE),
}


def _block_re(dataset: str) -> re.Pattern[str]:
    line = "\t".join(_LINE_RE[dataset])
    return re.compile(f"(?:{line}\n)*{line}")


# A whole block of lines (without the last newline) fullmatches this, or the fast path gives up.
FAST_LINES: dict[str, re.Pattern[str]] = {dataset: _block_re(dataset) for dataset in HEADERS}


# ------------------------------------------------------------------ SQL expressions
#
# ``p`` is a raw field (text) that matched its form above; each expression yields exactly what
# the precise mapper yields for it, with the same type. Cheap on purpose: few function calls.

_NULL = "'\\N'"


def _fail(why: str) -> str:
    return f"give_up('{why}')"


def _id(p: str) -> str:
    return f"CAST(substr({p}, 3) AS INTEGER)"


# The first column of every file is an id whose prefix ``stage_fast`` strips from a whole block at
# once: here it is digits only.
_KEY = "CAST(column1 AS INTEGER)"


def _int(p: str) -> str:
    return f"CASE WHEN {p} = {_NULL} THEN NULL ELSE CAST({p} AS INTEGER) END"


def _text(p: str) -> str:
    return f"CASE WHEN {p} = {_NULL} THEN NULL ELSE {p} END"


def _array(p: str, value: str | None = None) -> str:
    return f"CASE WHEN {p} = {_NULL} OR {p} = '' THEN NULL ELSE {value or p} END"


def _id_list(p: str) -> str:
    """``nm0000001,nm0000022`` -> ``1,22``.

    Three ``replace`` passes strip 4, 2, then 1 leading zeros: up to seven (IMDb pads to seven
    digits). What they get wrong (an all-zero id, more zeros) and repeated ids are found by
    ``FAST_CHECKS`` after the load.
    """
    stripped = f"',' || {p}"
    for zeros in (4, 2, 1):
        stripped = f"replace({stripped}, ',nm{'0' * zeros}', ',nm')"
    plain = f"replace({p}, 'nm', '')"
    return _array(
        p, f"CASE WHEN instr({p}, 'nm0') = 0 THEN {plain} ELSE substr(replace({stripped}, ',nm', ','), 2) END"
    )


def _characters(p: str) -> str:
    """IMDb's JSON list of characters -> `` / ``-joined text.

    A plain list (no backslash, every ``"`` inside part of a ``","`` or ``", "`` separator) is a
    mere replace; a one-name list maps to its inner text, as in the precise path (which keeps
    ``[""]`` as ``''``). Any other list goes through SQLite's JSON, with no escapes but ``\\"`` and
    ``\\\\`` (so both parsers read the same strings), joined like ``" / ".join(...) or None``.
    """
    inner = f"substr({p}, 3, length({p}) - 4)"
    listed = f"replace({inner}, '\", \"', '\",\"')"
    several = (
        f"CASE WHEN instr(replace({listed}, '\",\"', ''), '\"') = 0"
        f" THEN replace({listed}, '\",\"', ' / ') END"
    )
    plain = f"{p} GLOB '[[]\"*\"]' AND length({p}) >= 4 AND instr({p}, '\\') = 0"
    escapes = f"instr(replace(replace({p}, '\\\\', ''), '\\\"', ''), '\\') = 0"
    general = (
        f"CASE WHEN json_valid({p}) AND json_type({p}) = 'array' AND {escapes}"
        f" THEN (SELECT CASE WHEN count(*) = total(type = 'text') THEN NULLIF(group_concat(value, ' / '), '')"
        f" ELSE {_fail('characters')} END FROM json_each({p})) ELSE {_fail('characters')} END"
    )
    # The common case first, in as few function calls as possible: ["name"], no " or \ inside.
    one_name = f'{p} GLOB \'[[]"*"]\' AND {p} NOT GLOB \'[[]"*["\\]*"]\''
    return (
        f"CASE WHEN {p} = {_NULL} THEN NULL WHEN {one_name} THEN {inner} WHEN {plain}"
        f" THEN coalesce({several}, {general}) ELSE {general} END"
    )


def _fast_sql(dataset: str) -> tuple[str, ...]:
    c = [f"column{k}" for k in range(1, 10)]  # VALUES columns (the widest file has 9)
    return {
        "title.basics": (
            _KEY,
            f"'tt' || {c[0]}",
            f"CASE WHEN {c[1]} = {_NULL} THEN 'movie' ELSE {c[1]} END",
            c[2],
            _text(c[3]),
            f"CAST({c[4]} AS INTEGER)",
            _int(c[5]),
            _int(c[6]),
            _int(c[7]),
            _array(c[8]),
        ),
        "title.akas": (
            _KEY,
            f"CAST({c[1]} AS INTEGER)",
            c[2],
            _text(c[3]),
            _text(c[4]),
            _array(c[5], f"replace({c[5]}, char(2), ',')"),
            _array(c[6], f"replace({c[6]}, char(2), ',')"),
            f"CASE WHEN {c[7]} = '1' THEN 1 ELSE 0 END",
        ),
        "title.crew": (_KEY, _id_list(c[1]), _id_list(c[2])),
        "title.episode": (_KEY, c[1], _int(c[2]), _int(c[3])),
        "title.principals": (
            _KEY,
            f"CAST({c[1]} AS INTEGER)",
            _id(c[2]),
            c[3],
            _text(c[4]),
            _characters(c[5]),
        ),
        "title.ratings": (_KEY, f"CAST({c[1]} AS REAL)", _int(c[2])),
        "name.basics": (_KEY, f"'nm' || {c[0]}", c[1], _int(c[2]), _int(c[3]), _array(c[4]), _array(c[5])),
    }[dataset]


# The staged columns of each dataset (``STAGE_COLUMNS`` order, without ``line``) from the raw
# fields of a VALUES row (column1…columnN).
FAST_SQL: dict[str, tuple[str, ...]] = {dataset: _fast_sql(dataset) for dataset in HEADERS}


def _list_problems(column: str) -> str:
    """Rows whose staged id list the replaces got wrong: an empty id (an all-zero one lost its
    digits) or a leading zero left (an id padded beyond seven digits)."""
    listed = f"(',' || {column} || ',')"
    return f"SELECT 1 FROM stage WHERE {listed} GLOB '*,,*' OR {listed} GLOB '*,0[0-9]*' LIMIT 1"


# Queries after the load: any row found means the fast path gives up.
FAST_CHECKS: dict[str, tuple[str, ...]] = {
    "title.crew": (_list_problems("directors"), _list_problems("writers")),
}
# Id lists that may name someone twice: the precise path keeps the first of each (rare; fixed after
# the load, in Python, only for the rows that have a repeat).
ID_LISTS: dict[str, tuple[str, ...]] = {"title.crew": ("directors", "writers")}


def _drop_repeats(conn: sqlite3.Connection, dataset: str) -> None:
    """``1,2,1`` -> ``1,2`` in the id lists of rows with repeats, as the precise path stages them."""
    key = STAGE_KEYS[dataset][0]
    for column in ID_LISTS.get(dataset, ()):
        repeats = f"(SELECT count(*) <> count(DISTINCT value) FROM json_each('[' || {column} || ']'))"
        found = conn.execute(
            f"SELECT {key}, {column} FROM stage WHERE instr({column}, ',') > 0 AND {repeats}"
        ).fetchall()
        fixed = [(",".join(dict.fromkeys(ids.split(","))), row_key) for row_key, ids in found]
        conn.executemany(f"UPDATE stage SET {column} = ? WHERE {key} = ?", fixed)


ROWS_PER_INSERT = 128  # 64–256 measure alike; 1,024 is much slower


@lru_cache(maxsize=32)
def fast_insert_sql(dataset: str, rows: int) -> str:
    """The INSERT of ``rows`` rows of a dataset: their fields, then the line of the first row."""
    ncols = len(HEADERS[dataset])
    values = ",".join(
        f"({','.join(f'?{r * ncols + k}' for k in range(1, ncols + 1))},{r})" for r in range(rows)
    )
    mapped = ", ".join(FAST_SQL[dataset])
    return (
        f"INSERT INTO stage SELECT {mapped}, ?{rows * ncols + 1} + column{ncols + 1} FROM (VALUES {values})"
    )


def _give_up(why: object) -> None:
    raise GaveUp(str(why))


# What makes the fast path give up (GaveUp raised in SQL arrives as an OperationalError; the others
# come from reading the blocks: a damaged file, invalid UTF-8, a bad header).
_GIVE_UP = (sqlite3.Error, ValueError, EOFError, OSError, zlib.error, InputError, GaveUp)


def stage_fast(
    conn: sqlite3.Connection, blocks: Iterable[tuple[str, int]], dataset: str, report: Report | None
) -> int | None:
    """Stage a file into the empty table ``stage`` of ``conn`` (in a transaction).

    ``blocks``: the text of each block of whole lines after the header, and the compressed bytes
    read so far (``services.imdb_read.text_blocks``); what reading them raises makes it give up.
    Returns the rows staged, or None when the fast path gave up (the table then holds a part of
    the file, or nothing: the caller throws the database away).
    """
    conn.create_function("give_up", 1, _give_up)
    lines_re = FAST_LINES[dataset]
    first_prefix = "\n" + _LINE_RE[dataset][0][:2]  # "tt" or "nm": the first column is an id
    ncols = len(HEADERS[dataset])
    per_insert = max(
        1, min(ROWS_PER_INSERT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // ncols - 1)
    )
    step = per_insert * ncols
    statement = fast_insert_sql(dataset, per_insert)
    pending: list[str | int] = []  # fields of rows not inserted yet (less than a statement's worth)
    rows = inserted = 0
    try:
        for text, done in blocks:
            if "\0" in text or lines_re.fullmatch(text) is None:
                return None
            # Every line starts with its id (matched above): drop the prefix of all at once, in C.
            lines = text[2:].replace(first_prefix, "\n").split("\n")
            pending.extend(chain.from_iterable(map(str.split, lines, repeat("\t"))))
            rows += len(lines)
            # Full statements only (one compiled statement); the rest waits for the next block.
            start = 0
            while len(pending) - start >= step:
                part = pending[start : start + step]
                part.append(inserted + 2)  # the line of the statement's first row (after the header)
                conn.execute(statement, part)
                inserted += per_insert
                start += step
            del pending[:start]
            if report is not None:
                report(done, rows)
        if pending:
            pending.append(inserted + 2)
            conn.execute(fast_insert_sql(dataset, len(pending) // ncols), pending)
        for check in FAST_CHECKS.get(dataset, ()):
            if conn.execute(check).fetchone() is not None:
                return None
        _drop_repeats(conn, dataset)
    except _GIVE_UP:
        return None
    return rows
