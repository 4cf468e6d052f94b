"""Build the title search index and the browse index from the staged IMDb files, in their own
process, while the store merges.

When the store holds no titles before an import, the titles it holds after the merge are exactly
the staged title.basics rows (with the staged alternate titles, genres and ratings), so both
indexes can be built from the staging files at the same time as the merge runs on the other core.
The merge then copies them in (``search_index.rebuild(conn, built_in=…)``: SQLite's transfer of
whole b-trees) instead of building them. Anything that goes wrong here only means the merge
builds the indexes itself.

The file is in WAL mode and is attached to the store's connection before the merge transaction
begins (SQLite refuses ATTACH inside one): a WAL reader never waits for the writer, so the merge
is not held up while the file is written, and once this process has committed it sees it all.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

from marquee.storage import browse_index, search_index, search_rebuild
from marquee.storage.imdb_merge import genre_rows
from marquee.storage.imdb_stage import die_with_parent

__all__ = ["IndexAheadJob"]

_EMPTY_AKAS = "SELECT 0 AS title_key, 0 AS ordering, '' AS title, 0 AS is_original WHERE 0"
_EMPTY_RATINGS = "SELECT 0 AS title_key, 0.0 AS average, 10 AS scale, 0 AS votes WHERE 0"


def _views(conn: sqlite3.Connection, basics: Path, akas: Path | None, ratings: Path | None) -> None:
    """Name the staged rows as the index builds read the store's tables (temp views over attached files)."""
    conn.execute("ATTACH DATABASE ? AS b", (str(basics),))
    conn.execute(
        "CREATE TEMP VIEW titles AS SELECT id AS title_key, kind, primary_title, original_title, start_year,"
        " runtime_minutes FROM b.stage"
    )
    # A table, not a view: the browse build looks genres up by title.
    conn.execute("CREATE TEMP TABLE title_genres (title_key INTEGER, ordering INTEGER, genre TEXT)")
    conn.execute(f"INSERT INTO title_genres {genre_rows('sqlite', 'b.stage')}")
    conn.execute("CREATE INDEX temp.ix_title_genres ON title_genres (title_key)")
    source = {
        "alternate_titles": _EMPTY_AKAS,
        "imdb_ratings": _EMPTY_RATINGS,
    }
    if akas is not None:  # alternate titles of titles not in title.basics are skipped by the build
        conn.execute("ATTACH DATABASE ? AS a", (str(akas),))
        source["alternate_titles"] = "SELECT title_key, ordering, title, is_original FROM a.stage"
    if ratings is not None:
        conn.execute("ATTACH DATABASE ? AS r", (str(ratings),))
        source["imdb_ratings"] = "SELECT title_key, average, 10 AS scale, votes FROM r.stage"
    for name, select in source.items():
        conn.execute(f"CREATE TEMP VIEW {name} AS {select}")


def _build(out: Path, basics: Path, akas: Path | None, ratings: Path | None) -> None:
    """Process entry point: build both indexes into ``out`` (exit code 0 means they are complete)."""
    die_with_parent()
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        for pragma in ("synchronous=OFF", "cache_size=-65536"):
            conn.execute(f"PRAGMA {pragma}")
        _views(conn, basics, akas, ratings)
        conn.execute("BEGIN")
        search_rebuild.build_title_tables(conn, search_index.DDL["sqlite"] + search_index.DDL_0019["sqlite"])
        browse_index.build_sqlite(conn)
        conn.execute("COMMIT")
        # The build was one transaction: its WAL holds every page again (11.7 GB beside an 11.6 GB
        # file at 12M titles). Folded in and cut now, not when the import ends: the store has the
        # file attached but reads it only once this process has exited.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


class IndexAheadJob:
    """The indexes being built ahead in a child process (started by the SQLite import)."""

    def __init__(self, out: Path, basics: Path, akas: Path | None, ratings: Path | None) -> None:
        self.out = out
        out.unlink(missing_ok=True)
        # WAL before the store attaches it: the store reads while this process writes.
        sqlite3.connect(out, isolation_level=None).execute("PRAGMA journal_mode=WAL").connection.close()
        ctx = multiprocessing.get_context("spawn")
        self.proc: Any = ctx.Process(target=_build, args=(out, basics, akas, ratings), daemon=True)
        self.proc.start()

    def wait(self) -> bool:
        """Wait for it; True when the indexes were built (else the merge builds them)."""
        self.proc.join()
        return bool(self.proc.exitcode == 0)

    def stop(self) -> None:
        """Stop it if it still runs (the import failed or finished without it)."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
