"""Transactions: the one way services write (``transaction``) and read (``Store.reading``) the store.

``transaction(store, work)`` runs ``work(conn)`` in one transaction and retries it whole when the
database reports lock contention (SQLite busy, PostgreSQL deadlock or serialization failure); a
write that breaks a unique or reference rule is ``RowConflict``, one that waits too long
``StoreBusy``. Services pass ``conn`` (``Conn``) on to the row functions under ``storage/`` and never
touch SQL themselves. ``SqlStore.writing`` (films saved by imports) opens its write connection here too.

>>> transaction(store, lambda conn: accounts_rows.end_session(conn, digest))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from marquee import limits
from marquee.errors import MarqueeError
from marquee.storage.base import Store
from marquee.storage.engine import SQLITE_BUSY_MS, WRITE, StoreBusy, engine_of

__all__ = [
    "Conn",
    "RowConflict",
    "StoreBusy",
    "aware",
    "configure_writes",
    "now",
    "transaction",
    "write_connection",
]

Conn = Connection  # an open connection, passed by the services to storage's row functions
T = TypeVar("T")


class RowConflict(MarqueeError):
    """A write broke a unique or reference rule (a second review of one film, a taken name); nothing
    of the transaction was kept (HTTP 409). Services turn it into the error their callers see; the
    database's own words (tables and columns) stay in ``detail``, for logs, out of the message."""

    status = 409

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def now() -> dt.datetime:
    """The current time in UTC (all community timestamps are UTC)."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# ---- what a retry resolves -----------------------------------------------------------------------

_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock
_LOCK_TIMEOUT_SQLSTATE = "55P03"  # PostgreSQL: lock_timeout passed


def _retryable(error: DBAPIError) -> bool:
    """Lock contention that a retry resolves: SQLite busy/locked, PostgreSQL deadlock/serialization."""
    code = getattr(error.orig, "sqlstate", None)
    if code in _RETRYABLE_SQLSTATES:
        return True
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


# ---- the write queue -----------------------------------------------------------------------------


class _WriteGate:
    """A few writers at a time per store in this process (one for SQLite), and a short queue behind.

    Why: writers that wait for a lock inside the database (SQLite's ``busy_timeout``, a PostgreSQL
    row or table lock) each hold a pooled connection and a server thread while they wait; fifty
    of them used up both, so reads, which never wait for a writer themselves (WAL, MVCC), stalled
    behind them. Here writers queue without a connection, at most ``MAX_WAITING_WRITERS`` of them
    and each for a bounded time; the rest of the pool and of the threads is left to reads.
    """

    def __init__(self, slots: int) -> None:
        self.slots = threading.BoundedSemaphore(slots)
        self.count_lock = threading.Lock()
        self.waiting = 0
        self.held = threading.local()  # a write inside a write (same thread) takes no second slot


_PG_WRITERS = 4  # of the pool's 5 (+10 overflow) connections; SQLite has one write lock
_gates: weakref.WeakKeyDictionary[Engine, _WriteGate] = weakref.WeakKeyDictionary()
_gates_lock = threading.Lock()


# Per store (engine): the write queue's bounds, when the app's settings give them
# (``write_wait_seconds``, ``waiting_writers``); else ``limits``' defaults.
_write_limits: weakref.WeakKeyDictionary[Engine, tuple[float | None, int | None]] = (
    weakref.WeakKeyDictionary()
)


def configure_writes(store: Store, wait_seconds: float | None, waiting_writers: int | None) -> None:
    """Bound this store's write queue in this process: how long a write waits for the write lock,
    and how many writes may wait (settings ``write_wait_seconds`` and ``waiting_writers``); None
    keeps ``limits``' default."""
    _write_limits[engine_of(store)] = (wait_seconds, waiting_writers)


def _wait_seconds(store: Store) -> float:
    wait = _write_limits.get(engine_of(store), (None, None))[0]
    return limits.MAX_WRITE_WAIT_SECONDS if wait is None else wait


def _waiting_writers(store: Store) -> int:
    waiting = _write_limits.get(engine_of(store), (None, None))[1]
    return limits.MAX_WAITING_WRITERS if waiting is None else waiting


def _busy(wait_seconds: float) -> StoreBusy:
    wait = max(1, math.ceil(wait_seconds))
    return StoreBusy(f"the store is busy with another write (an import?); try again in {wait} s", wait)


@contextmanager
def _write_turn(store: Store, deadline: float) -> Iterator[None]:
    """Wait (until ``deadline``) for a turn to write this store; ``StoreBusy`` if none comes."""
    engine = engine_of(store)
    with _gates_lock:
        gate = _gates.get(engine)
        if gate is None:
            gate = _gates[engine] = _WriteGate(1 if engine.dialect.name == "sqlite" else _PG_WRITERS)
    depth = getattr(gate.held, "depth", 0)
    if depth:
        gate.held.depth = depth + 1
        try:
            yield
        finally:
            gate.held.depth = depth
        return
    with gate.count_lock:
        if gate.waiting >= _waiting_writers(store):
            raise _busy(_wait_seconds(store))
        gate.waiting += 1
    try:
        got = gate.slots.acquire(timeout=max(0.0, deadline - time.monotonic()))
    finally:
        with gate.count_lock:
            gate.waiting -= 1
    if not got:
        raise _busy(_wait_seconds(store))
    gate.held.depth = 1
    try:
        yield
    finally:
        gate.held.depth = 0
        gate.slots.release()


@contextmanager
def _lock_wait_until(conn: Connection, deadline: float | None) -> Iterator[None]:
    """Make SQLite's lock wait (``busy_timeout``) end at ``deadline`` for this connection, then restore it."""
    if deadline is None or conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout={max(1, int((deadline - time.monotonic()) * 1000))}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")


@contextmanager
def write_connection(engine: Engine, deadline: float | None = None) -> Iterator[Connection]:
    """A connection in a write transaction: committed at the end, rolled back on any error.

    WRITE: SQLite takes the write lock at BEGIN, so writers queue on ``busy_timeout`` instead of
    failing when a read lock cannot be upgraded. With a ``deadline``, waiting for a lock ends there.
    """
    with (
        engine.connect().execution_options(**{WRITE: True}) as conn,
        _lock_wait_until(conn, deadline),
        conn.begin(),
    ):
        if deadline is not None and conn.dialect.name == "postgresql":
            wait_ms = max(1, int((deadline - time.monotonic()) * 1000))
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
        yield conn


def transaction(
    store: Store, work: Callable[[Connection], T], *, attempts: int = 12, wait: float | None = None
) -> T:
    """Run ``work`` in one transaction; retry it whole when the database reports lock contention.

    Either everything ``work`` wrote is committed or nothing is: a failure halfway loses no
    half-written state, and the caller's input is still in hand to try again. A write waits for
    the store's write lock ``write_wait_seconds`` at most (``limits.MAX_WRITE_WAIT_SECONDS`` unless
    set; an import may hold it for minutes), or ``wait`` seconds if given, then raises
    ``StoreBusy`` (the web answers 503 with ``Retry-After``). A unique or reference rule broken is
    ``RowConflict``.
    """
    deadline = time.monotonic() + (_wait_seconds(store) if wait is None else wait)
    with _write_turn(store, deadline):
        for attempt in range(attempts):
            try:
                with write_connection(engine_of(store), deadline) as conn:
                    return work(conn)
            except IntegrityError as error:
                raise RowConflict("this clashes with what is already stored", _first_line(error)) from None
            except DBAPIError as error:
                if getattr(error.orig, "sqlstate", None) == _LOCK_TIMEOUT_SQLSTATE:
                    raise _busy(_wait_seconds(store)) from None
                if not _retryable(error):
                    raise
                if attempt == attempts - 1 or time.monotonic() >= deadline:
                    raise _busy(_wait_seconds(store)) from None
                # Jittered backoff, so fifty writers that collided do not collide again in step.
                pause = min(0.5, 0.01 * 2**attempt) * (0.5 + random.random())
                time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
    raise AssertionError("unreachable")  # pragma: no cover


def _first_line(error: DBAPIError) -> str:
    message = str(error.orig).strip()
    return message.splitlines()[0] if message else type(error.orig).__name__
