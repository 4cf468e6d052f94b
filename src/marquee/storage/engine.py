"""Database URLs, engines and connection settings for the two backends.

The engine is storage's own business: the ``Store`` interface is its methods, and storage's
modules that need more (a raw connection, the database file, the write gate) ask ``engine_of``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Dialect, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import LRUCache

from marquee.errors import StoreError
from marquee.storage.base import Store

__all__ = [
    "SQLITE_BUSY_MS",
    "WRITE",
    "StoreBusy",
    "driver_cursor",
    "engine_of",
    "make_engine",
    "normalize_url",
    "redacted",
]

# Execution option that asks SQLite for a write lock at BEGIN (see ``_begin``).
WRITE = "marquee_write"

# How long a connection waits for a lock another one holds (imports; ``transactions.transaction`` waits less).
SQLITE_BUSY_MS = 10_000

_SQLITE_PRAGMAS = (
    # First: the WAL switch below takes a lock another process opening the same new file may hold.
    f"PRAGMA busy_timeout={SQLITE_BUSY_MS}",
    # WAL lets the web app read while an import writes; NORMAL is safe with WAL and much faster.
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
)


class StoreBusy(StoreError):
    """Another writer holds the store's write lock longer than a write may wait (HTTP 503, Retry-After)."""

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def normalize_url(url: str) -> URL:
    """Parse a database URL; ``postgresql://`` uses psycopg 3. Raises StoreError if unusable."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"not a database URL: {url!r} (use sqlite:///PATH or postgresql://…)") from None
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return parsed
    raise StoreError(
        f"unsupported database {parsed.drivername!r} in {redacted(parsed)}: use sqlite or postgresql"
    )


def redacted(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets its parent folder created and its pragmas set."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the folder for {database}: {err.strerror}") from None
    # The pool hands connections between threads (web app), one at a time: safe without the check.
    # No cache of its own: every SQLite engine compiles into the process's one (see ``_share_compiling``).
    engine = create_engine(parsed, connect_args={"check_same_thread": False}, query_cache_size=0)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _begin)
    _share_compiling(engine)
    return engine


def engine_of(store: Store) -> Engine:
    """The SQLAlchemy engine behind ``store``, for storage's own modules only (never services or edges).

    Raises TypeError for a store that is not a ``SqlStore`` (a fake has no engine to give)."""
    engine = getattr(store, "engine", None)
    if not isinstance(engine, Engine):
        raise TypeError(f"{type(store).__name__} is not a SqlStore: storage needs its SQLAlchemy engine")
    return engine


@contextmanager
def driver_cursor(engine: Engine) -> Iterator[Any]:
    """A DBAPI cursor of a pooled connection, for a read of one plain statement or a few (the cold
    film and person reads: SQLAlchemy's per-statement work cost several times what the database did).

    On PostgreSQL in autocommit: each statement is its own snapshot, without the BEGIN and ROLLBACK
    round trips (SQLite's connections are in autocommit already). A driver error is a StoreError, and
    its connection leaves the pool (the server may be gone)."""
    raw = engine.raw_connection()
    driver: Any = raw.driver_connection  # a live pooled connection: never None here
    autocommit = engine.dialect.name == "postgresql" and not driver.autocommit
    try:
        try:
            if autocommit:
                driver.autocommit = True
            cursor = raw.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            if autocommit:  # never hand a pooled connection back in autocommit
                driver.autocommit = False
    except engine.dialect.loaded_dbapi.Error as err:
        raw.invalidate()
        message = str(err).strip()
        first = message.splitlines()[0] if message else type(err).__name__
        raise StoreError(f"cannot read from {redacted(engine.url)}: {first}") from None
    finally:
        raw.close()  # back to the pool (a no-op once invalidated)


# SQLAlchemy keeps compiled statements per engine, keyed by the engine's dialect object, so each new
# engine compiles every statement again (the suite opens a store per test: compiling was 13 % of its
# CPU). Every SQLite engine made here shares one dialect object and one cache instead. That is safe:
# a pysqlite dialect, once connected, holds nothing but what its class, its arguments (none:
# ``make_engine`` creates every SQLite engine alike) and the process's one sqlite3 library decide.
# Size: SQLAlchemy's default is 500 statements per engine; the store's statements are a few hundred.
_SQLITE_COMPILED = LRUCache[Any, Any](1_000)
_SQLITE_DIALECT: dict[type[Dialect], Dialect] = {}


def _share_compiling(engine: Engine) -> None:
    """Compile into the shared cache with the shared dialect; the first engine's dialect becomes it once
    it has connected (SQLAlchemy reads the database's settings then)."""
    engine.update_execution_options(compiled_cache=_SQLITE_COMPILED)
    kind = type(engine.dialect)
    shared = _SQLITE_DIALECT.get(kind)
    if shared is not None:
        engine.dialect = shared  # its own still serves its pool (connect, rollback, close): the same code
        return

    def publish(_dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # SQLAlchemy's own first-connect listener (made in create_engine) ran first: it is initialised.
        _SQLITE_DIALECT.setdefault(kind, engine.dialect)

    event.listen(engine, "connect", publish, once=True)


def _on_sqlite_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    """Set the pragmas, and let SQLAlchemy (not the sqlite3 module) issue BEGIN."""
    # sqlite3's own transaction handling skips BEGIN before SELECT, so reads would not see one snapshot:
    # turn it off and emit BEGIN ourselves (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    for pragma in _SQLITE_PRAGMAS:
        _pragma_when_free(dbapi_connection, pragma)


def _pragma_when_free(dbapi_connection: Any, pragma: str) -> None:
    """Run ``pragma``, trying again for up to ``SQLITE_BUSY_MS`` while the file is locked: switching a new
    file to WAL answers "database is locked" at once, without the busy handler, when another process
    opening it at the same moment holds its lock."""
    deadline = time.monotonic() + SQLITE_BUSY_MS / 1000
    while True:
        try:
            dbapi_connection.execute(pragma)
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for writers, so two writers queue on busy_timeout instead of failing."""
    immediate = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
