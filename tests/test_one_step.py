"""``storage.one_step``: a statement's rows folded by SQLite into one read back as the driver gives them."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marquee.storage.one_step import folded_sql, unfolded

COLUMNS = ("n", "x", "s")
REALS = (1,)


@pytest.fixture
def table() -> Iterator[sqlite3.Connection]:
    """An in-memory table with an INTEGER, a REAL and a TEXT column, as the store's tables declare them."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT)")
    yield conn
    conn.close()


def _both(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> tuple[list[Any], list[Any]]:
    plain = [list(row) for row in conn.execute(sql, params).fetchall()]
    (text,) = conn.execute(folded_sql(sql, COLUMNS, REALS), params).fetchone()
    return plain, unfolded(text, REALS)


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types; a float to the bit (-0.0 is not 0.0 here)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.copysign(1.0, a) == math.copysign(1.0, b) and a == b
    return type(a) is type(b) and a == b


awkward_reals = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1 + 0.2, 2 / 3, 7.3, 1e300, 5e-324, -0.0, 2.0**53 + 2, 123456789.123456789]),
)
values = st.tuples(
    st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
    st.one_of(st.none(), awkward_reals),
    st.one_of(st.none(), st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)),
)


@given(rows=st.lists(values, max_size=12))
def test_folded_rows_are_the_drivers_rows_value_for_value(rows: list[tuple[Any, Any, Any]]) -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, s TEXT)")
        conn.executemany("INSERT INTO t (n, x, s) VALUES (?, ?, ?)", rows)
        plain, folded = _both(conn, "SELECT n, x, s FROM t ORDER BY k")
    finally:
        conn.close()
    assert len(plain) == len(folded) == len(rows)
    for want, got in zip(plain, folded, strict=True):
        assert all(_same(a, b) for a, b in zip(want, got, strict=True)), (want, got)


def test_no_rows_is_an_empty_list_and_the_statements_order_is_kept(table: sqlite3.Connection) -> None:
    assert _both(table, "SELECT n, x, s FROM t") == ([], [])
    table.executemany("INSERT INTO t (n, x, s) VALUES (?, ?, ?)", [(i, i / 7, str(i)) for i in range(50)])
    plain, folded = _both(table, "SELECT n, x, s FROM t WHERE n > ? ORDER BY x DESC LIMIT 20", (10,))
    assert folded == plain and [row[0] for row in folded] == list(range(49, 29, -1))


def test_text_sqlite_could_not_make_a_number_stays_text(table: sqlite3.Connection) -> None:
    """A REAL column keeps text that is no number (a damaged row): it comes back as that text, as
    the driver gives it, for the record's checks to find; text that looks like a number is not made one."""
    table.execute("INSERT INTO t (n, x, s) VALUES (1, 'not a number', '2.5')")
    plain, folded = _both(table, "SELECT n, x, s FROM t")
    assert folded == plain == [[1, "not a number", "2.5"]]
