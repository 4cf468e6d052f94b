"""The store's side of an IMDb import: staging space, and the merge transaction on each backend.

``services.imdb_import`` decides what to import and stages the files (``services.imdb_stage``);
here the staging space is prepared and removed (PostgreSQL: a private schema), and the staged
files are merged into the store (``imdb_merge``), with the search index rebuild and the import
record in ``store_meta``. SQLite: one transaction (or two, titles first). PostgreSQL: the catalogue
with a quick title lookup is committed first, then the search and browse indexes are built aside
and swapped in (``search_aside_pg``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.errors import StoreError
from marquee.storage import browse_index, search_aside_pg, search_index
from marquee.storage.base import Store
from marquee.storage.engine import engine_of
from marquee.storage.film_rows import IMDB_DUMP_KEY
from marquee.storage.imdb_index_ahead import IndexAheadJob
from marquee.storage.imdb_merge import MergeCounts, merge_staged
from marquee.storage.imdb_merge_ctx import all_tables
from marquee.storage.imdb_stage import STAGE_NAMES, pg_held_table, pg_stage_ddl
from marquee.storage.status_rows import index_builds, ready_build, write_import_run, write_index_build

__all__ = [
    "META_KEY",
    "PG_STAGE_PREFIX",
    "all_tables",
    "build_indexes_postgresql",
    "holds_titles",
    "merge_postgresql",
    "merge_sqlite",
    "pg_conninfo",
    "pg_create_stage_tables",
    "pg_drop_stage_schema",
    "pg_open_stage_schema",
    "pg_session",
    "record_dump",
    "record_run",
    "reindex_postgresql",
    "sqlite_store_file",
    "timed",
]

META_KEY = "imdb_import"
# The catalogue tables whose indexes a first import into PostgreSQL drops and builds again.
_CATALOGUE = (
    "titles",
    "people",
    "credits",
    "title_genres",
    "runtimes",
    "alternate_titles",
    "episodes",
    "imdb_ratings",
)
# A merge chosen as a deadlock's victim (by a reader's locks) is run again, up to this many times.
_DEADLOCK_TRIES = 3
PG_STAGE_PREFIX = "marquee_imdb_stage_"


def sqlite_store_file(store: Store) -> Path:
    """The SQLite store's database file (the import stages next to it); StoreError if it has none."""
    database = engine_of(store).url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise StoreError("the IMDb import needs a SQLite store in a file")
    return Path(database).expanduser().resolve()


def pg_conninfo(store: Store) -> str:
    """The PostgreSQL store's connection string for the staging workers' own connections."""
    url = engine_of(store).url.set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def pg_open_stage_schema(store: Store, schema: str, stale: Callable[[str], bool]) -> None:
    """Create the private staging schema afresh, dropping other imports' schemas that ``stale`` names."""
    with engine_of(store).connect() as conn, conn.begin():
        for (name,) in conn.execute(
            text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :prefix"),
            {"prefix": PG_STAGE_PREFIX + "%"},
        ).all():
            if name != schema and stale(name):
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))


def pg_drop_stage_schema(store: Store, schema: str) -> None:
    with engine_of(store).connect() as conn, conn.begin():
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))


def pg_create_stage_tables(store: Store, dataset: str, schema: str) -> None:
    """The staging tables of one file (``storage.imdb_stage.pg_stage_ddl``)."""
    with engine_of(store).connect() as conn, conn.begin():
        for ddl in pg_stage_ddl(dataset, schema):
            conn.execute(text(ddl))


def _finish_merge(
    conn: Connection,
    staged: dict[str, int],
    counts: MergeCounts,
    built_in: Callable[[], str | None] | None = None,
) -> None:
    """Inside the merge transaction: the search index, the import record, the index build's record."""
    began = time.monotonic()
    search_index.rebuild(conn, built_in)
    _record(conn, staged, counts)
    write_index_build(conn, "search", ready_build(time.monotonic() - began))


def _record(conn: Connection, staged: dict[str, int], counts: MergeCounts) -> None:
    """The import record in ``store_meta``: rows staged per file, rows written per table."""
    record = json.dumps({"files": staged, "written": counts.written}, sort_keys=True)
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": META_KEY})
    conn.execute(text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": META_KEY, "v": record})


def record_dump(conn: Connection, source: str) -> None:
    """Name the dump being imported (``imdb-datasets:DATE``) in ``store_meta``: the titles it brings
    read it as the source of the sections it fills (``film_rows.IMDB_SECTIONS``)."""
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": IMDB_DUMP_KEY})
    conn.execute(
        text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": IMDB_DUMP_KEY, "v": source}
    )


def record_run(store: Store, run: dict[str, Any]) -> None:
    """Record the last import's run (when, how long, rows; ``status_rows.IMPORT_RUN_KEY``), after it."""
    with engine_of(store).connect() as conn, conn.begin():
        write_import_run(conn, run)


# Called on the merge's connection before the merge; what it returns is called after it, still inside the
# transaction (``services.editing``: members' edits survive a re-import).
MergeHook = Callable[[Connection], Callable[[Connection], object]]


def merge_sqlite(
    store: Store,
    files: dict[str, Path],
    held: Iterable[str],
    staged: dict[str, int],
    *,
    trace: bool = False,
    indexing: Callable[[], None] | None = None,
    ahead: Callable[[], IndexAheadJob] | None = None,
    hook: MergeHook | None = None,
    titles_first: MergeCounts | None = None,
    committed: Callable[[], None] | None = None,
) -> MergeCounts:
    """Merge the staged SQLite files (dataset -> file) into the store, in one transaction.

    ``held``: the datasets whose files hold ids of rejected rows. ``staged``: rows staged per
    dataset (the import record). ``indexing`` is called when the search indexes are next.
    ``ahead`` starts the indexes built ahead in another process; it is called only when the
    store holds no titles (they will be exactly the staged ones). ``hook`` runs around the merge
    (see ``MergeHook``). ``titles_first``: the titles are already in (``imdb_titles_first``, which
    wrote these rows), merged from these staged files into a store that held none; the rest is
    merged and committed, then the search indexes are built and committed in a second transaction
    (readers fall back to the quick title lookup meanwhile, ``storage.search_prefix``).
    ``committed`` is called once the store's tables are committed.
    """
    stage = {ds: f"s_{STAGE_NAMES[ds]}.stage" for ds in files}
    held_tables = {ds: f"s_{STAGE_NAMES[ds]}.held" for ds in held}
    # Not BEGIN IMMEDIATE: that would lock every attached file, the one written ahead too. The
    # first statement below takes the store's write lock instead (queueing on busy_timeout alike).
    with engine_of(store).connect() as conn:
        raw: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        old_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        # 160 MiB: the b-trees being filled (SQLite sorts in as much again); with the staged files' and the
        # child building indexes ahead, the import stays under 1 GB of memory (issue 20).
        raw.execute("PRAGMA cache_size=-163840")
        attached = []
        started = None
        if ahead is not None and (
            titles_first is not None or raw.execute("SELECT 1 FROM titles LIMIT 1").fetchone() is None
        ):
            started = ahead()
        try:
            schemas = [(f"s_{STAGE_NAMES[ds]}", path) for ds, path in files.items()]
            for schema_name, path in [*schemas, *([("ahead", started.out)] if started else [])]:
                raw.execute(f"ATTACH DATABASE ? AS {schema_name}", (str(path),))
                attached.append(schema_name)
                if schema_name != "ahead":  # copied in order: the default cache does
                    # Joins look staged rows up by key: 16 MiB each instead of the 2 MiB default.
                    raw.execute(f"PRAGMA {schema_name}.cache_size=-16384")
            run = timed(raw.execute, trace)
            done = None if started is None else lambda: "ahead" if started.wait() else None
            with conn.begin():
                raw.execute("DELETE FROM main.store_meta WHERE 0")  # the write lock, now
                after = hook(conn) if hook is not None else None
                merged = [frozenset({"title.basics"})] if titles_first is not None else []
                counts = merge_staged(run, "sqlite", stage, lambda: all_tables(conn), held_tables, *merged)
                if titles_first is not None:
                    for table, rows in titles_first.written.items():
                        counts.written.setdefault(table, rows)
                else:
                    if indexing is not None:
                        indexing()
                    _finish_merge(conn, staged, counts, done)
                if after is not None:
                    after(conn)
            if committed is not None:
                committed()
            if titles_first is not None:  # committed: film pages are whole; now the indexes
                _release_staged(raw, attached, files)
                if indexing is not None:
                    indexing()
                with conn.begin():
                    _finish_merge(conn, staged, counts, done)
        finally:
            if started is not None:
                started.stop()
            for schema_name in attached:
                raw.execute(f"DETACH DATABASE {schema_name}")
            raw.execute(f"PRAGMA cache_size={int(old_cache)}")
        # The WAL now holds the whole import: fold it into the database and cut the file.
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def _release_staged(raw: sqlite3.Connection, attached: list[str], files: dict[str, Path]) -> None:
    """Once the tables are committed, give back their disk before the search indexes are built.

    The staged files are detached and deleted (the indexes read only the store and the file built
    ahead), and the merge's WAL, which holds every page the merge wrote, is folded into the store
    and cut: at 12 M titles that is ~17 GB of staging and ~14 GB of WAL no longer held while the
    search indexes are built.
    """
    for dataset, path in files.items():
        schema_name = f"s_{STAGE_NAMES[dataset]}"
        if schema_name in attached:
            raw.execute(f"DETACH DATABASE {schema_name}")
            attached.remove(schema_name)
        path.unlink(missing_ok=True)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def merge_postgresql(
    store: Store,
    schema: str,
    datasets: Iterable[str],
    held: Iterable[str],
    staged: dict[str, int],
    *,
    trace: bool = False,
    indexing: Callable[[], None] | None = None,
    hook: MergeHook | None = None,
    committed: Callable[[], None] | None = None,
) -> MergeCounts:
    """Merge the staging tables of ``schema`` into the store and commit the catalogue, then build the
    search and browse indexes aside and commit them (``storage.search_aside_pg``; one import at a time).

    The first commit holds the search build recorded as *building* and, when the store had no search
    index built (a first import), the quick title lookup: film pages and suggestions answer from then
    on (``committed`` is called), and searches read the previous index or, without one, the lookup.
    If the index build fails, the catalogue stays, the build is recorded *failed* and a
    ``StoreError`` says to run ``marquee reindex``.
    """
    stage = {ds: f"{schema}.{STAGE_NAMES[ds]}" for ds in datasets}
    held_tables = {ds: pg_held_table(ds, schema) for ds in held}
    with engine_of(store).connect() as conn:
        for attempt in range(1, _DEADLOCK_TRIES + 1):
            try:
                with conn.begin():
                    run = pg_session(conn, trace)
                    counts = _merge_catalogue(conn, run, stage, held_tables, staged, hook, trace)
                break
            except Exception as exc:
                if not _deadlocked(exc) or attempt == _DEADLOCK_TRIES:
                    raise
        if committed is not None:
            committed()
        if indexing is not None:
            indexing()
        build_indexes_postgresql(conn, "marquee import imdb", trace=trace)
    return counts


def _deadlocked(exc: BaseException) -> bool:
    """Was this PostgreSQL's "deadlock detected" (raised by psycopg, or wrapped by SQLAlchemy)?"""
    return getattr(getattr(exc, "orig", exc), "sqlstate", None) == "40P01"


def _merge_catalogue(
    conn: Connection,
    run: Any,
    stage: dict[str, str],
    held_tables: dict[str, str],
    staged: dict[str, int],
    hook: MergeHook | None,
    trace: bool,
) -> MergeCounts:
    """Inside the first transaction: the merge, the members' edits hook, the import record, the
    quick title lookup, the search build recorded as building."""
    first = conn.execute(text("SELECT 1 FROM titles LIMIT 1")).first() is None
    # A store whose search index is built keeps searching it while the new one is built aside (a
    # re-import); only a store without one falls back to the quick title lookup meanwhile.
    lookup = first or index_builds(conn).get("search", {}).get("state") != "ready"
    if first:
        # A first import drops and rebuilds the catalogue's indexes: take every lock at once now, so a
        # reader holding one table while it waits for another cannot deadlock the merge halfway.
        conn.execute(text(f"LOCK TABLE {', '.join(_CATALOGUE)} IN ACCESS EXCLUSIVE MODE"))
    after = hook(conn) if hook is not None else None
    counts = merge_staged(run, "postgresql", stage, lambda: all_tables(conn), held_tables)
    if after is not None:
        after(conn)
    _record(conn, staged, counts)
    began = time.monotonic()
    if lookup:
        search_aside_pg.build_title_prefix_pg(conn)
    if trace:
        print(f"[imdb-import] {time.monotonic() - began:8.2f}s quick title lookup", flush=True)
    search_aside_pg.record_building(conn, "marquee import imdb")
    return counts


def build_indexes_postgresql(conn: Connection, by: str, *, trace: bool = False) -> float:
    """The search and browse indexes built aside and swapped in, in a transaction of their own
    (``search_aside_pg``); on failure the build is recorded *failed* and ``StoreError`` raised."""
    try:
        with conn.begin():
            pg_session(conn, trace)
            return search_aside_pg.rebuild_aside(
                conn, search_index.rebuild, browse=browse_index.rebuild, people=search_index.rebuild_people
            )
    except Exception as exc:
        with conn.begin():
            pg_session(conn, trace=False)  # the import lock: no build is running now
            search_aside_pg.drop_leftovers(conn)
            search_aside_pg.record_failed(conn, by, f"{type(exc).__name__}: {exc}")
        raise StoreError(
            f"the catalogue is stored, but building the search indexes failed ({type(exc).__name__}):"
            " searches read the index built before (on a first import: titles by their start only)"
            " until `marquee reindex` builds them"
        ) from exc


def reindex_postgresql(store: Store) -> float:
    """``marquee reindex`` on PostgreSQL: the build recorded *building* (committed, so the status shows
    it), then built aside and swapped in (``build_indexes_postgresql``); the seconds."""
    began = time.monotonic()
    with engine_of(store).connect() as conn:
        with conn.begin():
            search_aside_pg.record_building(conn, "marquee reindex")
        build_indexes_postgresql(conn, "marquee reindex")
    return time.monotonic() - began


def pg_session(conn: Connection, trace: bool) -> Any:
    """One import at a time (a second one waits for the first's transaction), settings for bulk
    work in this transaction; the raw connection's ``execute`` (timed when ``trace``)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("SELECT pg_advisory_xact_lock(7251986)")
    # Joins of whole staging tables and index rebuilds: in memory, not in spilled batches.
    raw.execute("SET LOCAL work_mem = '64MB'")
    raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
    return timed(raw.execute, trace)


def timed(run: Any, trace: bool) -> Any:
    """``run``, printing each statement's duration when ``trace`` (setting ``import_trace``, for tuning)."""
    if not trace:
        return run

    def traced(sql: str, *args: Any) -> Any:
        started = time.monotonic()
        result = run(sql, *args)
        print(f"[imdb-import] {time.monotonic() - started:8.2f}s {' '.join(sql.split())[:150]}", flush=True)
        return result

    return traced


def holds_titles(store: Store) -> bool:
    """Does the store hold any title?"""
    with engine_of(store).connect() as conn:
        return conn.execute(text("SELECT 1 FROM titles LIMIT 1")).first() is not None
