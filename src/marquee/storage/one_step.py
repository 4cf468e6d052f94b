"""A statement's rows in one step of SQLite: SQLite folds them into one JSON array (issue 20).

Why: Python's ``sqlite3`` gives up the GIL for every step of a statement (one step a row) and must take
it back after each. A server renders film pages on several threads at once, so taking it back means
waiting for whichever thread holds it: the ~17 rows of a film cost ~17 waits, and the handovers cost
CPU of their own. Folded by ``json_group_array``, a statement's rows are one step and one wait; a film
page reads its film, activity, similar films and neighbours in one such statement (``film_page_rows``).
Served under load (one worker, 64 connections, page cache off) a cold film page went from ~780 to
~1,000 pages a second and from ~1.5 to ~1.3 ms of CPU (BENCHMARKS.md, "Cold film pages: one
statement, one step of sqlite3"); one request at a time (no other thread to wait for) it costs the
same either way.

The rows read back as the driver gives them: integers, text and NULL as JSON keeps them. A REAL would
lose digits in JSON (SQLite writes 15), so each column named in ``reals`` is written as a one-item
array holding its 21 significant digits (``printf('%!.20e')``, which reads back as the same double;
``%!.17g`` and ``quote`` do not, for some doubles) and read back with ``float``; that column's other
values (NULL, or text SQLite could not make a number) come back as they are. A BLOB cannot be put
in JSON: the statements folded here read none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

__all__ = ["folded_sql", "json_row", "unfolded", "unfolded_row"]


def _item(column: str, real: bool) -> str:
    if not real:
        return column
    return f"CASE typeof({column}) WHEN 'real' THEN json_array(printf('%!.20e', {column})) ELSE {column} END"


def json_row(columns: Sequence[str], reals: Sequence[int] = ()) -> str:
    """SQLite: one row's ``columns`` (SQL expressions) as a JSON array; ``reals``: the indexes of the
    REAL ones."""
    return f"json_array({', '.join(_item(column, index in reals) for index, column in enumerate(columns))})"


def folded_sql(sql: str, columns: Sequence[str], reals: Sequence[int] = ()) -> str:
    """SQLite: the rows of ``sql`` (whose result columns are ``columns``, in order) as one row of one
    JSON array of arrays, in the order ``sql`` gives them; ``reals``: the indexes of the REAL columns."""
    return f"SELECT json_group_array({json_row(columns, reals)}) FROM ({sql})"


def unfolded(text: str | bytes | None, reals: Sequence[int] = ()) -> list[list[Any]]:
    """The rows of a ``folded_sql`` answer, each a list of its values (REALs as ``float`` again)."""
    rows: list[list[Any]] = orjson.loads(text) if text else []
    if reals:
        for row in rows:
            _floats(row, reals)
    return rows


def unfolded_row(text: str | bytes | None, reals: Sequence[int] = ()) -> list[Any] | None:
    """The values of a ``json_row`` (REALs as ``float`` again); None for NULL."""
    if text is None:
        return None
    row: list[Any] = orjson.loads(text)
    return _floats(row, reals)


def _floats(row: list[Any], reals: Sequence[int]) -> list[Any]:
    for index in reals:
        value = row[index]
        if type(value) is list:
            row[index] = float(value[0])
    return row
