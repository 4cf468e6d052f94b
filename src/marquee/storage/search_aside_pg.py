"""PostgreSQL: the search and browse indexes built aside while the site reads the catalogue (issue 20).

An IMDb import into PostgreSQL commits the catalogue first (``imdb_load.merge_postgresql``), with
the quick title lookup ``title_prefix`` (``storage.search_prefix``: folded primary titles, a b-tree
a prefix is a range of) and the search build recorded as *building* (``status_rows``). Film pages,
browse-free reads and suggestions answer from then on; searches read titles by their start and say
their results may be incomplete.

Then ``rebuild_aside`` builds the whole search index and the browse index in a schema of their
own (``marquee_index_build_<pid>``) inside one transaction: the tables readers use are not locked
meanwhile (a ``DROP TABLE`` in a transaction would hold every reader until it commits). At the
end, still in that transaction, the old tables are dropped, the new ones moved into the store's
schema, the quick lookup dropped and the build recorded *ready*: readers wait only for that swap.
``marquee reindex`` on PostgreSQL builds the same way (``status_rows.rebuild_search``).

The browse index does not depend on the search index: given ``browse``, a second connection builds
it at the same time in a schema of its own (``marquee_beside_browse_<pid>``), committed there (no
reader's search path names it), and its tables are moved into the build's schema before the swap;
so is ``person_search``, given ``people``, which the dictionary then reads. The search build fills
its tables one statement at a time, one core of the server; the parts beside take the other
(BENCHMARKS.md, "PostgreSQL: the browse index built beside the search index").

If the build fails, nothing of it stays (one transaction; the browse schema is dropped): the
catalogue remains, the quick lookup keeps answering, and ``record_failed`` marks the build
*failed* (the status says *stale*, with ``marquee reindex`` as what to do).
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.formats.query import fold
from marquee.storage.search_prefix import DROP_SQL, without_article
from marquee.storage.search_rebuild_pg import bucket_sql
from marquee.storage.status_rows import building_build, ready_build, write_index_build

__all__ = [
    "ASIDE_TABLES",
    "build_title_prefix_pg",
    "drop_leftovers",
    "rebuild_aside",
    "record_building",
    "record_failed",
]

# What ``search_index.rebuild`` drops and creates on PostgreSQL: the search index and the browse index.
ASIDE_TABLES = (
    "search_words",
    "text_search",
    "person_search",
    "title_search",
    "title_browse",
    "title_browse_counts",
)
BROWSE_TABLES = ("title_browse", "title_browse_counts")
_PREFIX_DDL = (
    'CREATE TABLE title_prefix (name TEXT COLLATE "C" NOT NULL, title_key INTEGER NOT NULL,'
    " bucket INTEGER NOT NULL)"
)
_PREFIX_KEY = "ALTER TABLE title_prefix ADD PRIMARY KEY (name, title_key)"
_BATCH = 20_000


def _copy_text(value: str) -> str:
    """A value for COPY's text format (folded names hold no tab or newline; escaped if one did)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _names(primary_title: str, folds: dict[str, str]) -> tuple[str, str | None]:
    """A title's folded name and the same without its leading article (as ``unarticled``); ``folds``
    remembers each distinct title's fold."""
    folded = folds.get(primary_title)
    if folded is None:
        folded = folds[primary_title] = fold(primary_title)
    return folded, without_article(folded)


def build_title_prefix_pg(conn: Connection) -> int:
    """Create and fill ``title_prefix`` from ``titles`` and ``imdb_ratings`` (Python folds the
    names, as the SQLite lookup does); returns the names written."""
    conn.execute(text(DROP_SQL))
    conn.execute(text(_PREFIX_DDL))
    raw: Any = conn.connection.driver_connection
    written = 0
    folds: dict[str, str] = {}
    with raw.cursor(name="marquee_prefix_titles") as titles, raw.cursor() as out:
        titles.execute(
            f"SELECT t.title_key, t.primary_title, {bucket_sql('coalesce(r.votes, 0)')} FROM titles t"
            " LEFT JOIN imdb_ratings r ON r.title_key = t.title_key"
        )
        while batch := titles.fetchmany(_BATCH):
            lines = []
            for title_key, name, bucket in batch:
                # A title's two names always differ: the second is the first without its article.
                for key in _names(name, folds):
                    if key:
                        lines.append(f"{_copy_text(key)}\t{title_key}\t{bucket}\n")
            written += len(lines)
            with out.copy("COPY title_prefix (name, title_key, bucket) FROM STDIN") as copy:
                copy.write("".join(lines).encode())
    conn.execute(text(_PREFIX_KEY))
    conn.execute(text("ANALYZE title_prefix"))
    return written


def record_building(conn: Connection, by: str) -> None:
    """The search build is starting in this process (inside the caller's transaction)."""
    write_index_build(conn, "search", building_build(by))


def record_failed(conn: Connection, by: str, error: str) -> None:
    """The search build failed: the status calls it stale, and ``marquee reindex`` repairs it."""
    build = building_build(by)
    write_index_build(conn, "search", {**build, "state": "failed", "error": error[:500]})


def _schema(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_schema()")).scalar())


def rebuild_aside(
    conn: Connection,
    rebuild: Callable[..., None],
    *,
    browse: Callable[[Connection], None] | None = None,
    people: Callable[[Connection], None] | None = None,
) -> float:
    """Run ``rebuild`` (``search_index.rebuild``) in a schema of its own, with ``browse``
    (``browse_index.rebuild``) and ``people`` (``search_index.rebuild_people``) beside it on
    connections of their own, then swap every table in, drop the quick lookup and record the build
    ready; inside the caller's transaction (which holds the import lock: no other build runs). Those
    not given, ``rebuild`` builds itself. The seconds."""
    began = time.monotonic()
    home = _schema(conn)
    aside = f"marquee_index_build_{os.getpid()}"
    besides = {}
    if browse is not None:
        besides["browse"] = _Beside(conn, home, "browse", BROWSE_TABLES, browse)
    if people is not None:
        besides["people"] = _Beside(conn, home, "people", ("person_search",), people)
    try:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {aside} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {aside}"))
        elsewhere = {t for b in besides.values() for t in b.tables}
        for table in ASIDE_TABLES:
            if table not in elsewhere:
                # Placeholders: the rebuild's ``DROP TABLE IF EXISTS`` finds these, never the store's own.
                conn.execute(text(f'CREATE TABLE {aside}.{table} (LIKE "{home}".{table})'))
        conn.execute(text(f'SET LOCAL search_path = {aside}, "{home}"'))
        kwargs: dict[str, Any] = {}
        if "browse" in besides:
            kwargs["browse"] = False
        if "people" in besides:
            kwargs["people"] = functools.partial(besides["people"].move_into, aside=aside)
        rebuild(conn, **kwargs)
        for beside in besides.values():
            beside.move_into(conn, aside)
        conn.execute(text(f'SET LOCAL search_path = "{home}"'))
    except BaseException:
        for beside in besides.values():
            beside.discard()
        raise
    for table in ASIDE_TABLES:
        conn.execute(text(f'DROP TABLE IF EXISTS "{home}".{table}'))
        conn.execute(text(f'ALTER TABLE {aside}.{table} SET SCHEMA "{home}"'))
    conn.execute(text(f"DROP SCHEMA {aside}"))
    for beside in besides.values():
        conn.execute(text(f"DROP SCHEMA {beside.schema}"))
    conn.execute(text(DROP_SQL))
    seconds = time.monotonic() - began
    write_index_build(conn, "search", ready_build(seconds))
    return seconds


_STALE = "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :p)"
_BESIDE = "marquee_beside_"


def drop_leftovers(conn: Connection) -> None:
    """Drop what parts built beside left committed (a failed build's; run under the import lock)."""
    for schema in list(conn.execute(text(_STALE), {"p": _BESIDE}).scalars()):
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


class _Beside:
    """Some of the build's tables built on a connection of their own, in a schema of their own
    (``marquee_beside_<part>_<pid>``), committed there, then moved into the build's schema."""

    def __init__(
        self,
        conn: Connection,
        home: str,
        part: str,
        tables: tuple[str, ...],
        build: Callable[[Connection], None],
    ) -> None:
        self.engine, self.home, self.tables, self.build = conn.engine, home, tables, build
        self.prefix = f"{_BESIDE}{part}_"
        self.schema = f"{self.prefix}{os.getpid()}"
        self.error: BaseException | None = None
        self.moved = False
        self.thread = threading.Thread(target=self._run, name=f"marquee-{part}-build", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with self.engine.begin() as conn:
                # Left by a build that was killed (builds run one at a time: the caller holds the lock).
                for schema in list(conn.execute(text(_STALE), {"p": self.prefix}).scalars()):
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            with self.engine.begin() as conn:
                conn.execute(text("SET LOCAL work_mem = '64MB'"))
                conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
                conn.execute(text(f"CREATE SCHEMA {self.schema}"))
                for table in self.tables:
                    conn.execute(text(f'CREATE TABLE {self.schema}.{table} (LIKE "{self.home}".{table})'))
                conn.execute(text(f'SET LOCAL search_path = {self.schema}, "{self.home}"'))
                self.build(conn)
        except BaseException as exc:  # raised in the build's own thread by ``move_into``
            self.error = exc

    def move_into(self, conn: Connection, aside: str) -> None:
        """Wait for this part (raising its error), then move its tables into the build's schema (once)."""
        if self.moved:
            return
        self.thread.join()
        if self.error is not None:
            raise self.error
        self.moved = True  # from here the build's transaction holds them: a failure rolls the move back
        for table in self.tables:
            conn.execute(text(f"ALTER TABLE {self.schema}.{table} SET SCHEMA {aside}"))

    def discard(self) -> None:
        """The build failed: wait for this part, then drop what it committed (unless the build's
        transaction holds it: ``drop_leftovers`` drops it once that is rolled back)."""
        self.thread.join()
        if not self.moved:
            with self.engine.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE"))
