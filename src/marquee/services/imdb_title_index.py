"""Build the title search index from the staged IMDb files, in its own process, while the store merges.

When the store holds no titles before an import, the titles it holds after the merge are exactly
the staged title.basics rows (with the staged alternate titles and ratings), so their search index
can be built from the staging files at the same time as the merge runs on the other core; the
merge then copies it in (``search_index.rebuild(conn, titles_from=…)``) instead of building it.
Anything that goes wrong here only means the merge builds the index itself.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

from marquee.services.imdb_stage import die_with_parent
from marquee.storage import search_index, search_rebuild

__all__ = ["TitleIndexJob"]

_EMPTY_AKAS = "SELECT 0 AS title_id, 0 AS ordering, '' AS title, 0 AS is_original WHERE 0"
_EMPTY_RATINGS = "SELECT 0 AS title_id, 0 AS votes WHERE 0"


def _views(basics: Path, akas: Path | None, ratings: Path | None) -> Any:
    """Name the staged tables as the index build reads them (temp views over attached files)."""

    def setup(conn: sqlite3.Connection) -> None:
        conn.execute("ATTACH DATABASE ? AS b", (str(basics),))
        conn.execute("CREATE TEMP VIEW titles AS SELECT id, primary_title, original_title FROM b.stage")
        source = {"alternate_titles": _EMPTY_AKAS, "imdb_ratings": _EMPTY_RATINGS}
        if akas is not None:  # alternate titles of titles not in title.basics are skipped by the build
            conn.execute("ATTACH DATABASE ? AS a", (str(akas),))
            source["alternate_titles"] = "SELECT title_id, ordering, title, is_original FROM a.stage"
        if ratings is not None:
            conn.execute("ATTACH DATABASE ? AS r", (str(ratings),))
            source["imdb_ratings"] = "SELECT title_id, votes FROM r.stage"
        for name, select in source.items():
            conn.execute(f"CREATE TEMP VIEW {name} AS {select}")

    return setup


def _build(out: Path, basics: Path, akas: Path | None, ratings: Path | None) -> None:
    """Process entry point: build the index into ``out`` (exit code 0 means it is complete)."""
    die_with_parent()
    search_rebuild.build_title_file(out, search_index.DDL["sqlite"], _views(basics, akas, ratings))


class TitleIndexJob:
    """The title index being built ahead in a child process (started by the SQLite import)."""

    def __init__(self, out: Path, basics: Path, akas: Path | None, ratings: Path | None) -> None:
        self.out = out
        ctx = multiprocessing.get_context("spawn")
        self.proc = ctx.Process(target=_build, args=(out, basics, akas, ratings), daemon=True)
        self.proc.start()

    def wait(self) -> bool:
        """Wait for it; True when the index was built (else the merge builds it)."""
        self.proc.join()
        return self.proc.exitcode == 0

    def stop(self) -> None:
        """Stop it if it still runs (the import failed or finished without it)."""
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
