"""What the last IMDb import read, line by line: a 64-bit hash of each key's raw lines, per file (issue 20).

A re-import of a newer dump compares each file's lines with these hashes and stages only the keys
whose lines changed (``services.imdb_reimport``). One row per (file, key): the key is the number of
the file's first column (``tt``/``nm`` id); the hash covers every raw line of that key, in the file's
order. Whole files are marked too (size and CRC of the bytes on disk, in ``store_meta``): a file that
did not change is skipped outright.

The hashes are written by every SQLite import of all seven files without skipped rows, and cleared by
any other import (partial, skipped rows, PostgreSQL), so a re-import never trusts hashes of a store
that holds something else.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, SmallInteger, Table, text
from sqlalchemy.engine import Connection

from marquee.formats.imdb_tsv import DATASETS
from marquee.storage.tables import metadata

__all__ = [
    "FILES_KEY",
    "clear",
    "count",
    "dataset_code",
    "imdb_line_hashes",
    "matches_store",
    "read_files",
    "read_hashes",
    "write_changes",
    "write_file_marks",
    "write_hashes",
]

imdb_line_hashes = Table(
    "imdb_line_hashes",
    metadata,
    Column("dataset", SmallInteger, primary_key=True, autoincrement=False),  # index in DATASETS
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("hash", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)

# store_meta: {dataset: [size, crc]} of the files last imported.
FILES_KEY = "imdb_line_hashes_files"


def dataset_code(dataset: str) -> int:
    return DATASETS.index(dataset)


def read_files(conn: Connection) -> dict[str, list[int]]:
    """The file marks of the last import ({} when there are none)."""
    row = conn.execute(text("SELECT value FROM store_meta WHERE key = :k"), {"k": FILES_KEY}).first()
    return {} if row is None else dict(json.loads(row[0]))


def matches_store(conn: Connection) -> bool:
    """Do the hashes name exactly the store's dataset titles and people (nothing removed them since)?"""
    checks = (("title.basics", "imdb_dataset_titles"), ("name.basics", "imdb_dataset_people"))
    for dataset, table in checks:
        hashed = conn.execute(
            text("SELECT count(*) FROM imdb_line_hashes WHERE dataset = :d"), {"d": dataset_code(dataset)}
        ).scalar_one()
        if hashed != conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one():
            return False
    return True


def count(conn: Connection) -> int:
    """How many keys the hashes hold, all files together."""
    return int(conn.execute(text("SELECT count(*) FROM imdb_line_hashes")).scalar_one())


def read_hashes(conn: Connection, dataset: str) -> tuple[array[int], array[int]]:
    """(ids, hashes) of one file's keys, in the order of IMDb's files: keys as text, ids zero-padded
    to seven digits (``tt10070612`` before ``tt1754912``)."""
    ids, hashes = array("q"), array("q")
    raw: Any = conn.connection.driver_connection
    for key, value in raw.execute(
        "SELECT id, hash FROM imdb_line_hashes WHERE dataset = ? ORDER BY printf('%07d', id)",
        (dataset_code(dataset),),
    ):
        ids.append(key)
        hashes.append(value)
    return ids, hashes


def clear(conn: Connection) -> None:
    """Forget every hash: the next import of a dump reads it whole."""
    conn.execute(text("DELETE FROM imdb_line_hashes"))
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": FILES_KEY})


def write_hashes(
    conn: Connection, hashes: dict[str, tuple[array[int], array[int]]], files: dict[str, list[int]]
) -> None:
    """Replace every hash with these (dataset -> ids, hashes) and the file marks."""
    clear(conn)
    raw: Any = conn.connection.driver_connection
    for dataset, (ids, values) in hashes.items():
        code = dataset_code(dataset)
        raw.executemany(
            "INSERT INTO imdb_line_hashes (dataset, id, hash) VALUES (?, ?, ?)",
            ((code, key, value) for key, value in zip(ids, values, strict=True)),
        )
    write_file_marks(conn, files)


def write_changes(
    conn: Connection,
    dataset: str,
    changed: Iterable[tuple[int, int]],
    removed: Iterable[int],
) -> None:
    """Upsert the hashes of changed keys (id, hash) and delete those of removed ones."""
    code = dataset_code(dataset)
    raw: Any = conn.connection.driver_connection
    raw.executemany(
        "INSERT INTO imdb_line_hashes (dataset, id, hash) VALUES (?, ?, ?)"
        " ON CONFLICT (dataset, id) DO UPDATE SET hash = excluded.hash",
        ((code, key, value) for key, value in changed),
    )
    raw.executemany(
        "DELETE FROM imdb_line_hashes WHERE dataset = ? AND id = ?", ((code, key) for key in removed)
    )


def write_file_marks(conn: Connection, files: dict[str, list[int]]) -> None:
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": FILES_KEY})
    conn.execute(
        text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"),
        {"k": FILES_KEY, "v": json.dumps(files, sort_keys=True)},
    )
