"""What the last IMDb import read, line by line: a 64-bit hash of each key's raw lines, per file (issue 20).

A re-import of a newer dump compares each file's lines with these hashes and stages only the keys
whose lines changed (``services.imdb_reimport``). One row per file: its size and CRC on disk (a file
that did not change is skipped outright), and its keys (the number of each line's first column, a
``tt``/``nm`` id) with their hashes, in the file's order, as two packed arrays of 64-bit integers
(~16 bytes a key), so a full import pays no per-key insert. They are written in blocks through
SQLite's incremental blob I/O from wherever the caller keeps them (``KeyColumns``: at 12M titles a
dump has ~73M keys, 1.2 GB of arrays, which an import must not hold in memory) and read whole, one
file at a time.

The hashes are written by every import of all seven files without skipped rows (both backends), and
cleared by any other import (partial, skipped rows), so a re-import never trusts hashes of a store
that holds something else.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import Any, Protocol

from sqlalchemy import BigInteger, Column, LargeBinary, SmallInteger, Table, text
from sqlalchemy.engine import Connection

from marquee.formats.imdb_tsv import DATASETS
from marquee.storage.tables import metadata

__all__ = [
    "KeyColumns",
    "clear",
    "count",
    "imdb_line_hashes",
    "matches_store",
    "read_hashes",
    "read_marks",
    "write_file",
]

imdb_line_hashes = Table(
    "imdb_line_hashes",
    metadata,
    Column("dataset", SmallInteger, primary_key=True, autoincrement=False),  # index in DATASETS
    Column("size", BigInteger, nullable=False),
    Column("crc", BigInteger, nullable=False),
    Column("ids", LargeBinary, nullable=False),  # array('q') of the keys, in the file's order
    Column("hashes", LargeBinary, nullable=False),  # array('q') of their hashes
)

Keys = tuple["array[int]", "array[int]"]  # (ids, hashes) in the file's order
COLUMNS = ("ids", "hashes")


class KeyColumns(Protocol):
    """One file's keys and hashes as the caller keeps them, given back in blocks of packed bytes."""

    @property
    def count(self) -> int:
        """How many keys."""

    def chunks(self, column: str) -> Iterator[bytes]:
        """The packed 64-bit values of ``column`` (``ids`` or ``hashes``), in order, in blocks."""


def _code(dataset: str) -> int:
    return DATASETS.index(dataset)


def read_marks(conn: Connection) -> dict[str, list[int]]:
    """[size, crc] of each file the last import hashed ({} when there are none)."""
    rows = conn.execute(text("SELECT dataset, size, crc FROM imdb_line_hashes")).all()
    return {DATASETS[code]: [int(size), int(crc)] for code, size, crc in rows}


def read_hashes(conn: Connection, dataset: str) -> Keys:
    """(ids, hashes) of one file's keys, in the file's order."""
    row = conn.execute(
        text("SELECT ids, hashes FROM imdb_line_hashes WHERE dataset = :d"), {"d": _code(dataset)}
    ).first()
    ids, hashes = array("q"), array("q")
    if row is not None:
        ids.frombytes(bytes(row[0]))
        hashes.frombytes(bytes(row[1]))
    return ids, hashes


def count(conn: Connection) -> int:
    """How many keys the hashes hold, all files together."""
    total = conn.execute(text("SELECT coalesce(sum(length(ids)), 0) / 8 FROM imdb_line_hashes"))
    return int(total.scalar_one())


def matches_store(conn: Connection) -> bool:
    """Do the hashes name exactly as many dataset titles and people as the store has (nothing removed
    some since)?"""
    checks = (("title.basics", "imdb_dataset_titles"), ("name.basics", "imdb_dataset_people"))
    for dataset, table in checks:
        hashed = conn.execute(
            text("SELECT length(ids) / 8 FROM imdb_line_hashes WHERE dataset = :d"), {"d": _code(dataset)}
        ).scalar()
        if hashed != conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one():
            return False
    return True


def clear(conn: Connection) -> None:
    """Forget every hash: the next import of a dump reads it whole."""
    conn.execute(text("DELETE FROM imdb_line_hashes"))


def write_file(conn: Connection, dataset: str, mark: list[int], keys: KeyColumns) -> None:
    """Store one file's mark and keys (replacing what it had): on SQLite a block at a time; on
    PostgreSQL as one ``bytea`` value per column (a value holds up to 1 GB: 134M keys a file)."""
    if conn.dialect.name != "sqlite":
        values = {column: b"".join(keys.chunks(column)) for column in COLUMNS}
        if any(len(v) != keys.count * 8 for v in values.values()):
            raise ValueError(f"{dataset}: the keys and hashes given do not match their count")
        conn.execute(text("DELETE FROM imdb_line_hashes WHERE dataset = :d"), {"d": _code(dataset)})
        conn.execute(
            imdb_line_hashes.insert().values(dataset=_code(dataset), size=mark[0], crc=mark[1], **values)
        )
        return
    raw: Any = conn.connection.driver_connection
    size = keys.count * 8
    raw.execute("DELETE FROM imdb_line_hashes WHERE dataset = ?", (_code(dataset),))
    row = raw.execute(
        "INSERT INTO imdb_line_hashes (dataset, size, crc, ids, hashes)"
        " VALUES (?, ?, ?, zeroblob(?), zeroblob(?))",
        (_code(dataset), mark[0], mark[1], size, size),
    ).lastrowid
    for column in COLUMNS:
        written = 0
        with raw.blobopen("imdb_line_hashes", column, row) as blob:
            for chunk in keys.chunks(column):
                blob.write(chunk)
                written += len(chunk)
        if written != size:
            raise ValueError(f"{dataset}: {written} bytes of {column} for {keys.count} keys")
