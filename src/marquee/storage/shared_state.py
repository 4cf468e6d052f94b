"""State that every worker process and every host must see alike: rate-limit buckets and film page versions.

``rate_buckets``: one token bucket per (limit, key), e.g. (``login_per_pair``, ``10.0.0.1|ann``).
A take is one atomic upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, on SQLite and on
PostgreSQL): the bucket is refilled for the time since its last use, one token is spent if there is
one, and the row says whether it was. Two workers that take at once are serialised by the row, so N
workers give one limit, not N. Time is the hosts' wall clock (``time.time()``; hosts behind one
proxy keep NTP time), and a clock that steps back refills nothing.

``page_versions``: one counter per film, bumped by every write to a film's page data. A worker's page
cache keeps the version it rendered a page at and serves the page only while the store still holds
that version, so a rating taken by one worker is seen by all at once (``web/cache.py``). On SQLite each
bump also bumps the row ``ANY_FILM`` (``"*"``, no film's id): the version of the views over many films
(the home page, the charts), which change with any film. PostgreSQL's listeners forget those views
on each film's notification instead.

Both are read and written on a few connections of their own (not the store's pool), opened on first
use: a plain DBAPI connection in autocommit mode, so a check is one statement and one round trip,
without SQLAlchemy's per-statement work on the hot path. A SQLite connection waits at most
``BUSY_SECONDS`` for the write lock (an import may hold it for minutes); a take that cannot get it
returns None and the caller falls back to its own in-memory count for that request.
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import BigInteger, Column, Float, Integer, String, Table

from marquee.storage.base import Store
from marquee.storage.engine import engine_of
from marquee.storage.tables import metadata

__all__ = [
    "BUSY_SECONDS",
    "CHANNEL",
    "SharedState",
    "page_versions",
    "rate_buckets",
]

BUSY_SECONDS = 0.05
CHANNEL = "marquee_pages"  # PostgreSQL: LISTEN/NOTIFY channel of page-version bumps
_BACK_OFF_SECONDS = 1.0  # after a take found the store locked, count in memory this long
_POOL_SIZE = 4  # connections per process; a check holds one for one statement
_PRUNE_EVERY = 5_000  # takes between two deletions of full buckets (a full bucket = no row)

rate_buckets = Table(
    "rate_buckets",
    metadata,
    Column("name", String, primary_key=True),
    Column("key", String, primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("stamp", Float, nullable=False),
    Column("ok", Integer, nullable=False),
    Column("full_at", Float, nullable=False),
)
page_versions = Table(
    "page_versions",
    metadata,
    Column("film_id", String, primary_key=True),
    Column("version", BigInteger, nullable=False),
)


def _take_sql(least: str, greatest: str, whole: str) -> str:
    """The upsert that spends up to ``:n`` tokens (as many whole ones as there are, at most n) and
    returns how many it spent: ``:name``-style parameters; ``least``/``greatest``/``whole`` (floor of
    a non-negative number) per dialect."""
    refilled = f"{least}(:burst, rate_buckets.tokens + {greatest}(0.0, :now - rate_buckets.stamp) * :rate)"
    spent = f"(CASE WHEN {refilled} >= :n THEN :n ELSE {whole.format(refilled)} END)"
    first = f"{least}(:n, {whole.format(':burst')})"
    return (
        "INSERT INTO rate_buckets (name, key, tokens, stamp, ok, full_at) "
        f"VALUES (:name, :key, :burst - {first}, :now, {first}, :now + {first} / :rate) "
        "ON CONFLICT (name, key) DO UPDATE SET "
        f"tokens = {refilled} - {spent}, stamp = :now, ok = {spent}, "
        f"full_at = :now + (:burst - ({refilled} - {spent})) / :rate "
        "RETURNING tokens, ok"
    )


ANY_FILM = "*"  # page_versions' row of the views over every film (SQLite; see the module's text)
_BUMP = (
    "INSERT INTO page_versions (film_id, version) VALUES {} "
    "ON CONFLICT (film_id) DO UPDATE SET version = page_versions.version + 1"
)

_SQLITE = {
    "take": _take_sql("min", "max", "CAST({} AS INTEGER)"),
    "peek": "SELECT tokens, stamp FROM rate_buckets WHERE name = :name AND key = :key",
    "prune": "DELETE FROM rate_buckets WHERE full_at < :now",
    "version": "SELECT version FROM page_versions WHERE film_id = :film_id",
    "bump": _BUMP.format(f"(:film_id, 1), ('{ANY_FILM}', 1)"),
    "clear": "DELETE FROM rate_buckets",
}


def _pyformat(sql: str) -> str:
    """``:name`` -> ``%(name)s`` (psycopg's parameter style)."""
    import re

    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql)


_POSTGRES = {name: _pyformat(sql) for name, sql in _SQLITE.items()}
_POSTGRES["take"] = _pyformat(_take_sql("LEAST", "GREATEST", "CAST(FLOOR({}) AS INTEGER)"))
# One statement, so one transaction: the notification goes out when the bump commits.
_POSTGRES["bump"] = _pyformat(
    "WITH bumped AS (" + _BUMP.format("(:film_id, 1)") + " RETURNING film_id) "
    f"SELECT pg_notify('{CHANNEL}', film_id) FROM bumped"
)


def _close_idle(idle: queue.LifoQueue[Any]) -> None:
    while True:
        try:
            conn = idle.get_nowait()
        except queue.Empty:
            return
        with contextlib.suppress(Exception):
            conn.close()


def _close_all(conns: list[Any]) -> None:
    while conns:
        with contextlib.suppress(Exception):
            conns.pop().close()


def _set_all(events: list[threading.Event]) -> None:
    for event in events:
        event.set()


def _listen(conninfo: str, changed: Callable[[str | None], None], stop: threading.Event) -> None:
    """LISTEN for page-version bumps until ``stop``; reconnect (after a pause) when the connection drops."""
    import psycopg

    while not stop.is_set():
        try:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                changed(None)
                while not stop.is_set():
                    for notify in conn.notifies(timeout=0.5):
                        changed(notify.payload)
        except Exception as error:  # the server went away (restart, failover): every page may be stale
            changed(None)
            if "does not exist" in str(error):
                return  # the database was dropped: nothing to listen to any more
            stop.wait(1.0)


class _Pool:
    """At most ``_POOL_SIZE`` DBAPI connections, opened on demand, reused last-in first-out."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self.connect = connect
        self.idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self.opened = 0
        self.lock = threading.Lock()
        # An app dropped without its shutdown (tests) still closes its connections, not the GC.
        self._finalizer = weakref.finalize(self, _close_idle, self.idle)

    @contextlib.contextmanager
    def connection(self, timeout: float | None) -> Iterator[Any]:
        try:
            conn = self.idle.get_nowait()
        except queue.Empty:
            with self.lock:
                room = self.opened < _POOL_SIZE
                if room:
                    self.opened += 1
            if room:
                try:
                    conn = self.connect()
                except BaseException:
                    with self.lock:
                        self.opened -= 1
                    raise
            else:
                conn = self.idle.get(timeout=timeout)
        try:
            yield conn
        except sqlite3.OperationalError:
            self.idle.put(conn)  # "database is locked": the connection is fine
            raise
        except BaseException:
            with contextlib.suppress(Exception):
                conn.close()
            with self.lock:
                self.opened -= 1
            raise
        self.idle.put(conn)

    def close(self) -> None:
        _close_idle(self.idle)


class SharedState:
    """Rate buckets and page versions of one store, on a few connections of this process's own."""

    def __init__(self, store: Store) -> None:
        url = engine_of(store).url
        self.dialect = url.get_backend_name()
        if self.dialect == "sqlite":
            database = url.database or ""
            if not database or database == ":memory:" or database.startswith("file:"):
                raise ValueError("an in-memory SQLite store cannot be shared")
            self._connect_args: Any = database
            self._sql = _SQLITE
        else:
            self._connect_args = url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._sql = _POSTGRES
        # Reads (page versions) never wait for a lock (WAL, MVCC); writes (bucket takes, version bumps)
        # may, so each has its own few connections: a queue of writers never holds up a page.
        self._reads = _Pool(self._connect)
        self._writes = _Pool(self._connect)
        self._takes = 0
        self._busy_until = 0.0
        self._local = threading.local()
        self._thread_conns: list[Any] = []  # SQLite's per-thread readers, closed with the rest
        self._version_sql = "SELECT version FROM page_versions WHERE film_id = ?"
        self._finalizer = weakref.finalize(self, _close_all, self._thread_conns)
        self._stops: list[threading.Event] = []
        self._stop_finalizer = weakref.finalize(self, _set_all, self._stops)

    def _connect(self) -> Any:
        if self.dialect == "sqlite":
            conn = sqlite3.connect(
                self._connect_args, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA synchronous=NORMAL")  # as the store's own connections: safe with WAL
            return conn
        import psycopg

        pg = psycopg.connect(self._connect_args, autocommit=True)
        # Counts and version bumps need no wait for the disk: a crash loses at most a moment's counts.
        pg.execute("SET synchronous_commit = off")
        return pg

    def _run(
        self, name: str, params: dict[str, Any], *, write: bool = False, wait: float = BUSY_SECONDS
    ) -> Any:
        """The statement's first row (None if none); errors propagate. A write waits ``wait`` seconds at
        most for a connection and for the lock (then ``queue.Empty``, or SQLite's "database is locked")."""
        pool = self._writes if write else self._reads
        with pool.connection(wait if write else None) as conn:
            if write and wait != BUSY_SECONDS and self.dialect == "sqlite":
                conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
                try:
                    cursor = conn.execute(self._sql[name], params)
                finally:
                    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            else:
                cursor = conn.execute(self._sql[name], params)
            return cursor.fetchone() if cursor.description is not None else None

    def close(self) -> None:
        """Close the idle connections (the app shuts down)."""
        self._reads.close()
        self._writes.close()
        _close_all(self._thread_conns)
        _set_all(self._stops)

    # ---- rate buckets ----------------------------------------------------------------------------

    def take(self, name: str, key: str, rate: float, burst: float) -> float | None:
        """Spend one token of bucket (name, key): 0.0 if allowed, else seconds until one is; None when
        the store cannot answer now (locked by an import, unreachable): count in memory instead, for
        ``_BACK_OFF_SECONDS``, so a long import costs no wait per request."""
        spent, wait = self.take_many(name, key, rate, burst, 1) or (0, None)
        return None if wait is None else (0.0 if spent else wait)

    def take_many(self, name: str, key: str, rate: float, burst: float, n: int) -> tuple[int, float] | None:
        """Spend up to ``n`` tokens at once (a lease, so a busy API key costs one statement per ``n``
        requests): (tokens spent, seconds until one is there when none was); None as for ``take``."""
        now = time.time()
        if now < self._busy_until:
            return None
        try:
            params = {"name": name, "key": key, "rate": rate, "burst": burst, "now": now, "n": n}
            row = self._run("take", params, write=True)
            self._takes += 1
            if self._takes % _PRUNE_EVERY == 0:
                self._run("prune", {"now": now}, write=True)
        except Exception:  # sqlite3's or psycopg's: the caller counts in memory for a while
            self._busy_until = time.time() + _BACK_OFF_SECONDS
            return None
        tokens, spent = float(row[0]), int(row[1])
        return spent, (0.0 if spent else (1.0 - tokens) / rate)

    def peek(self, name: str, key: str, rate: float, burst: float) -> float | None:
        """Like ``take`` but spends nothing."""
        try:
            row = self._run("peek", {"name": name, "key": key})
        except Exception:
            return None
        if row is None:
            return 0.0
        tokens = min(burst, float(row[0]) + max(0.0, time.time() - float(row[1])) * rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate

    def clear_buckets(self) -> None:
        """Forget every count (tests; an operator after a false alarm)."""
        self._run("clear", {}, write=True)

    # ---- page versions ---------------------------------------------------------------------------

    def version(self, film_id: str) -> int:
        """The film's page version (0 if never written); -1 when the store cannot answer (serve no
        cached page then: one that is certainly fresh is rendered instead).

        On the hot path (every cached film page): on SQLite each thread reads on a connection of its
        own, without the pool's queue (a third of the cost); PostgreSQL's connections are pooled."""
        try:
            if self.dialect == "sqlite":
                conn = getattr(self._local, "conn", None)
                if conn is None:
                    conn = self._local.conn = self._connect()
                    self._thread_conns.append(conn)
                row = conn.execute(self._version_sql, (film_id,)).fetchone()
            else:
                row = self._run("version", {"film_id": film_id})
        except Exception:
            return -1
        return 0 if row is None else int(row[0])

    @property
    def checks_versions(self) -> bool:
        """Whether page caches should read ``version`` per hit (SQLite) or ``listen`` (PostgreSQL)."""
        return self.dialect == "sqlite"

    def listen(self, changed: Callable[[str | None], None]) -> None:
        """PostgreSQL: call ``changed(film_id)`` for each bump by any process, from a thread of its own
        with its own connection; ``changed(None)`` when (re)connected, as bumps may have been missed.
        The thread ends when this ``SharedState`` is closed or dropped."""
        stop = threading.Event()
        thread = threading.Thread(
            target=_listen,
            args=(self._connect_args, changed, stop),
            name="marquee-page-versions",
            daemon=True,
        )
        thread.start()
        self._stops.append(stop)

    def bump(self, film_id: str, wait: float = 5.0) -> None:
        """A write changed the film's page data: every worker's cached pages of it are stale now.
        Waits ``wait`` seconds at most for the write lock, then raises."""
        self._run("bump", {"film_id": film_id}, write=True, wait=wait)
