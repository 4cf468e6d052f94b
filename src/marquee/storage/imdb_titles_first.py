"""Titles first: a big IMDb import into a store without titles commits them before the rest (issue 20).

The site is usable before everything is built: as soon as title.basics and title.ratings are
staged (the staging workers take them first), this merges them into the store — titles, genres,
basics runtimes, ratings, the dump named as their source — builds the quick title lookup
(``search_prefix``) and records the search index as *building* (``status_rows``), and commits.
Film pages and suggestions answer from then on, while the other files are still being staged.
The rest of the import (``imdb_load.merge_sqlite(titles_first=True)``) merges the other files
and commits, then builds the search indexes and commits again.

Only into a store whose titles and title rows are all empty: what this commits is then exactly
the staged rows, and ``undo_titles_first`` puts the store back as it was if the import fails
later (bad input in another file). A process killed after this commit leaves the titles in and the
build recorded as building by a process that is gone: ``marquee status`` says it is stale, and
running the import again (or ``marquee reindex``) finishes it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from marquee.storage import imdb_load
from marquee.storage.base import Store
from marquee.storage.engine import engine_of
from marquee.storage.film_rows import IMDB_DUMP_KEY
from marquee.storage.imdb_merge import MergeCounts, merge_staged
from marquee.storage.imdb_stage import STAGE_NAMES
from marquee.storage.search_prefix import DROP_SQL, build_title_prefix
from marquee.storage.search_rebuild import prepare
from marquee.storage.status_rows import INDEX_BUILDS_KEY, building_build, write_index_build

__all__ = ["TitlesFirst", "merge_titles_first", "undo_titles_first"]

# The rows the titles-first merge writes: empty before it (or it does not run), emptied by the undo.
_WRITTEN = ("title_genres", "runtimes", "imdb_ratings", "imdb_dataset_titles", "titles")
_RESTORED_META = (IMDB_DUMP_KEY, INDEX_BUILDS_KEY)


@dataclass(frozen=True)
class TitlesFirst:
    """What the titles-first commit wrote, and the ``store_meta`` values it replaced (for the undo)."""

    counts: MergeCounts
    previous_meta: dict[str, str | None]


def _empty(raw: sqlite3.Connection) -> bool:
    return all(raw.execute(f"SELECT 1 FROM main.{t} LIMIT 1").fetchone() is None for t in _WRITTEN)


def _meta(raw: sqlite3.Connection, key: str) -> str | None:
    row = raw.execute("SELECT value FROM main.store_meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def merge_titles_first(
    store: Store, files: dict[str, Path], held: Iterable[str], *, source: str, trace: bool = False
) -> TitlesFirst | None:
    """Merge the staged title.basics (and title.ratings) files into a store without titles and commit;
    None (nothing written) when the store holds titles by now."""
    stage = {ds: f"s_{STAGE_NAMES[ds]}.stage" for ds in files}
    held_tables = {ds: f"s_{STAGE_NAMES[ds]}.held" for ds in held}
    with store.reading() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        attached = []
        old_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        # 128 MiB: the titles b-trees being filled; SQLite sorts in as much again (peak RSS ≤ 1 GB, issue 20).
        raw.execute("PRAGMA cache_size=-131072")
        try:
            for ds, path in files.items():
                raw.execute(f"ATTACH DATABASE ? AS s_{STAGE_NAMES[ds]}", (str(path),))
                attached.append(f"s_{STAGE_NAMES[ds]}")
                raw.execute(f"PRAGMA s_{STAGE_NAMES[ds]}.cache_size=-32768")
            with conn.begin():
                raw.execute("DELETE FROM main.store_meta WHERE 0")  # the write lock, now
                if not _empty(raw):
                    return None
                previous = {key: _meta(raw, key) for key in _RESTORED_META}
                run = imdb_load.timed(raw.execute, trace)
                counts = merge_staged(run, "sqlite", stage, lambda: imdb_load.all_tables(conn), held_tables)
                imdb_load.record_dump(conn, source)
                prepare(raw)
                began = time.monotonic()
                build_title_prefix(raw)
                if trace:
                    print(f"[imdb-import] {time.monotonic() - began:8.2f}s quick title lookup", flush=True)
                write_index_build(conn, "search", building_build("marquee import imdb"))
        finally:
            for name in attached:
                raw.execute(f"DETACH DATABASE {name}")
            raw.execute(f"PRAGMA cache_size={int(old_cache)}")
    return TitlesFirst(counts, previous)


def undo_titles_first(store: Store, done: TitlesFirst) -> None:
    """Put the store back as it was before ``merge_titles_first`` (the import failed after it)."""
    with engine_of(store).connect() as conn, conn.begin():
        for table in _WRITTEN:
            conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text(DROP_SQL))
        for key, value in done.previous_meta.items():
            conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": key})
            if value is not None:
                conn.execute(
                    text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
                )
