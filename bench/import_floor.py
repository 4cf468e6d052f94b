#!/usr/bin/env python3
"""The floor under ``marquee import imdb`` on SQLite: SQLite's own work to build the store.

Takes a store an import has filled (``--store``) and builds its tables, their indexes, the
search indexes and the browse index again in a fresh file, from the rows as they are (already
parsed, mapped and in key order), with no Python per row: every part is one ``INSERT … SELECT``
or ``CREATE INDEX``. That is the work a SQLite store with these indexes costs whatever loads it
— a compiled parser included — so no importer can go below it on this machine. Prints the CPU
seconds of each part (``time.process_time``: all of it is this process), their sum, and the bound
with every core busy (the sum divided by the cores: the parts could at best run in parallel
files and be moved into the store for free).

    .venv/bin/python bench/import_floor.py --store /tmp/marquee-imdb-bench/out/marquee.db \
        --data /tmp/imdb1m --imdb-sqlite /tmp/imdb-bench-venv/bin/imdb-sqlite

With ``--data`` and ``--imdb-sqlite``, the same run then times ``zcat`` of the files and
imdb-sqlite 2.1.0 on them (as ``bench/import_imdb.py`` does): the issue's target is a fifth of
imdb-sqlite's time, to set against the floor plus the decompression.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

# (part, statements): each statement reads the source store attached as ``s``.
_TABLES = (
    "titles",
    "title_genres",
    "imdb_ratings",
    "alternate_titles",
    "episodes",
    "runtimes",
    "people",
    "credits",
    "imdb_dataset_titles",
    "imdb_dataset_people",
)
_INDEXES = ("ix_episodes_series", "ix_people_name", "ix_credits_person")
_FTS = {
    "title_search": "rowid, name, display, source",
    "person_search": "rowid, name, credits, votes",
}


def _ddl(src: sqlite3.Connection, name: str) -> str:
    row = src.execute("SELECT sql FROM s.sqlite_master WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise SystemExit(f"{name}: not in the store")
    return str(row[0])


def _key_order(src: sqlite3.Connection, table: str) -> str:
    """The table's primary key columns (its b-tree order), or rowid."""
    cols = [r[1] for r in sorted(src.execute(f"PRAGMA s.table_info({table})"), key=lambda r: r[5]) if r[5]]
    return ", ".join(cols) or "rowid"


def parts(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """The parts of the build and their statements (source attached as ``s``)."""
    out: list[tuple[str, list[str]]] = []
    for table in _TABLES:
        copy = f"INSERT INTO {table} SELECT * FROM s.{table} ORDER BY {_key_order(conn, table)}"
        out.append((f"table {table}", [_ddl(conn, table), copy]))
    for index in _INDEXES:
        out.append((f"index {index}", [_ddl(conn, index)]))
    for table, cols in _FTS.items():
        out.append(
            (
                f"search {table} (FTS5 insert + optimize)",
                [
                    _ddl(conn, table),
                    f"INSERT INTO {table}({table}, rank) VALUES ('automerge', 0)",
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM s.{table} ORDER BY rowid",
                    f"INSERT INTO {table}({table}) VALUES ('optimize')",
                ],
            )
        )
    rows = "INSERT INTO title_browse SELECT * FROM s.title_browse ORDER BY 1, 2, 3, 4"
    browse = [_ddl(conn, "title_browse"), rows]
    indexes = "SELECT sql FROM s.sqlite_master WHERE type = 'index' AND tbl_name = 'title_browse'"
    browse += [str(sql) for (sql,) in conn.execute(f"{indexes} AND sql IS NOT NULL")]
    out.append(("browse index (rows + 5 indexes)", browse))
    return out


def main() -> None:
    """Build, time and print."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="a SQLite store an IMDb import filled")
    ap.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--data", type=Path, help="the dataset files the store was imported from")
    ap.add_argument("--imdb-sqlite", help="imdb-sqlite 2.1.0's command, to time it on --data")
    a = ap.parse_args()
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.db", isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            conn.execute(f"PRAGMA {pragma}")
        conn.execute("ATTACH DATABASE ? AS s", (f"file:{a.store}?mode=ro",))
        total = 0.0
        print("| part | CPU s | rows |\n|---|---:|---:|")
        for name, statements in parts(conn):
            conn.execute("BEGIN")
            t0 = time.process_time()
            for sql in statements:
                conn.execute(sql)
            cpu = time.process_time() - t0
            conn.execute("COMMIT")
            total += cpu
            table = statements[0].split()[-1] if name.startswith("index") else name.split()[1]
            table = table.split("(")[0]
            try:
                rows = f"{conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:,}"
            except sqlite3.Error:
                rows = ""
            print(f"| {name} | {cpu:.2f} | {rows} |", flush=True)
        print(f"| **sum** | **{total:.1f}** | |")
        print(f"bound with {a.cores} cores all busy: {total / a.cores:.1f} s")
        if a.data is not None:
            gz = sorted(str(p) for p in a.data.glob("*.tsv.gz"))
            print(f"zcat: {_wall(['sh', '-c', 'gzip -dc ' + ' '.join(gz) + ' > /dev/null']):.1f} s")
            if a.imdb_sqlite:
                cmd = [a.imdb_sqlite, "--db", str(Path(tmp) / "imdb.db"), "--cache-dir", str(a.data)]
                seconds = _wall(cmd)
                print(f"imdb-sqlite: {seconds:.1f} s; the target (5x faster): {seconds / 5:.1f} s")
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
