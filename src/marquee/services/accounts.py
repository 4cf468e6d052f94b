"""Members' accounts: sign-up, passwords (argon2), roles, login sessions and API tokens.

Secrets handed out (session cookies, API tokens) are random; only their SHA-256 is stored, so
a copy of the database opens no account. Passwords are hashed with argon2id (argon2-cffi).

>>> user = create_user(store, "ada", "correct horse battery", "admin")  # doctest: +SKIP
>>> token = create_token(store, "ada", label="laptop")                    # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import random
import secrets
import threading
import time
import unicodedata
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypeVar, cast, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ValidationError
from sqlalchemy import Row, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from marquee import limits
from marquee.errors import InputError, MarqueeError, NotFound
from marquee.records_community import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    ApiToken,
    Role,
    User,
    clean_name,
    mixes_scripts,
    name_skeletons,
)
from marquee.storage.base import Store
from marquee.storage.community_schema import api_tokens, sessions, users
from marquee.storage.engine import SQLITE_BUSY_MS, WRITE, StoreBusy
from marquee.storage.secret_key import read_or_create_key

__all__ = [
    "SESSION_LIFETIME",
    "FieldError",
    "Forbidden",
    "authenticate",
    "aware",
    "change_password",
    "configure_writes",
    "create_session",
    "create_token",
    "create_user",
    "edit_needs_review",
    "end_session",
    "get_user",
    "hash_password",
    "list_tokens",
    "name_key",
    "now",
    "revoke_token",
    "set_role",
    "sign_in",
    "site_secret",
    "user_for_session",
    "user_for_token",
    "validation_message",
    "write_transaction",
]

SESSION_LIFETIME = dt.timedelta(days=30)
TOKEN_PREFIX = "mq_"
_hasher = PasswordHasher()
# Verified against when the name is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")

T = TypeVar("T")


class FieldError(InputError):
    """Bad input in one named field (HTTP 422)."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class Forbidden(MarqueeError):
    """The member may not do this (HTTP 403); the message says why."""

    status = 403


# ---- transactions --------------------------------------------------------------------------------

_RETRYABLE_SQLSTATES = {"40001", "40P01"}  # PostgreSQL: serialization failure, deadlock
_LOCK_TIMEOUT_SQLSTATE = "55P03"  # PostgreSQL: lock_timeout passed


def _retryable(error: DBAPIError) -> bool:
    """Lock contention that a retry resolves: SQLite busy/locked, PostgreSQL deadlock/serialization."""
    code = getattr(error.orig, "sqlstate", None)
    if code in _RETRYABLE_SQLSTATES:
        return True
    text = str(error.orig).lower()
    return "database is locked" in text or "database is busy" in text or "database table is locked" in text


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
    _write_limits[store.engine] = (wait_seconds, waiting_writers)


def _wait_seconds(store: Store) -> float:
    wait = _write_limits.get(store.engine, (None, None))[0]
    return limits.MAX_WRITE_WAIT_SECONDS if wait is None else wait


def _waiting_writers(store: Store) -> int:
    waiting = _write_limits.get(store.engine, (None, None))[1]
    return limits.MAX_WAITING_WRITERS if waiting is None else waiting


def _busy(wait_seconds: float) -> StoreBusy:
    wait = max(1, math.ceil(wait_seconds))
    return StoreBusy(f"the store is busy with another write (an import?); try again in {wait} s", wait)


@contextmanager
def _write_turn(store: Store, deadline: float) -> Iterator[None]:
    """Wait (until ``deadline``) for a turn to write this store; ``StoreBusy`` if none comes."""
    engine = store.engine
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
def _lock_wait_until(conn: Connection, deadline: float) -> Iterator[None]:
    """Make SQLite's lock wait (``busy_timeout``) end at ``deadline`` for this connection, then restore it."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout={max(1, int((deadline - time.monotonic()) * 1000))}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")


def write_transaction(
    store: Store, work: Callable[[Connection], T], *, attempts: int = 12, wait: float | None = None
) -> T:
    """Run ``work`` in one transaction; retry it whole when the database reports lock contention.

    Either everything ``work`` wrote is committed or nothing is: a failure halfway loses no
    half-written state, and the caller's input is still in hand to try again. A write waits for
    the store's write lock ``write_wait_seconds`` at most (``limits.MAX_WRITE_WAIT_SECONDS`` unless
    set; an import may hold it for minutes), or ``wait`` seconds if given, then raises
    ``StoreBusy`` (the web answers 503 with ``Retry-After``).
    """
    deadline = time.monotonic() + (_wait_seconds(store) if wait is None else wait)
    with _write_turn(store, deadline):
        for attempt in range(attempts):
            try:
                # WRITE: SQLite takes the write lock at BEGIN, so writers queue on busy_timeout
                # instead of failing when a read lock cannot be upgraded.
                with (
                    store.engine.connect().execution_options(**{WRITE: True}) as conn,
                    _lock_wait_until(conn, deadline),
                    conn.begin(),
                ):
                    if conn.dialect.name == "postgresql":
                        wait_ms = max(1, int((deadline - time.monotonic()) * 1000))
                        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {wait_ms}")
                    return work(conn)
            except DBAPIError as error:
                if getattr(error.orig, "sqlstate", None) == _LOCK_TIMEOUT_SQLSTATE:
                    raise _busy(_wait_seconds(store)) from None
                if isinstance(error, IntegrityError) or not _retryable(error):
                    raise
                if attempt == attempts - 1 or time.monotonic() >= deadline:
                    raise _busy(_wait_seconds(store)) from None
                # Jittered backoff, so fifty writers that collided do not collide again in step.
                pause = min(0.5, 0.01 * 2**attempt) * (0.5 + random.random())
                time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
    raise AssertionError("unreachable")  # pragma: no cover


def now() -> dt.datetime:
    """The current time in UTC (all community timestamps are UTC)."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# ---- users ---------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """The key names are unique by: ``"Ａdmin"`` and ``"admin"`` are one member.

    Names that only look alike (``"аdmin"`` with a Cyrillic а, ``"paypaI"``) are told apart by
    ``name_skeletons``; ``create_user`` refuses a name that looks like a member's.
    """
    return unicodedata.normalize("NFKC", name).casefold()


def _user(row: Row[Any]) -> User:
    return User(id=row.id, name=row.name, role=row.role, created_at=aware(row.created_at))


def _check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise FieldError(field, f"must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise FieldError(field, f"must have at most {MAX_PASSWORD} characters")


def _check_role(role: str) -> Role:
    if role not in get_args(Role):
        raise FieldError("role", f"must be one of {', '.join(get_args(Role))}, not {role!r}")
    return cast(Role, role)


def create_user(store: Store, name: str, password: str, role: str = "member") -> User:
    """Create a member; raises ``FieldError`` for a bad or taken name or a short password."""
    try:
        shown = clean_name(name)
    except ValueError as error:
        raise FieldError("name", str(error)) from None
    if mixes_scripts(shown):
        raise FieldError("name", "must not mix alphabets that look alike (such as Latin and Cyrillic)")
    _check_password(password)
    checked_role = _check_role(role)
    written, folded = name_skeletons(shown)
    values = {
        "name": shown,
        "name_key": name_key(shown),
        "name_skeleton": written,
        "name_skeleton_folded": folded,
        "password_hash": _hasher.hash(password),
        "role": checked_role,
        "created_at": now(),
    }

    def work(conn: Connection) -> User:
        _refuse_look_alike(conn, shown)
        new_id = conn.execute(insert(users).values(**values).returning(users.c.id)).scalar_one()
        return User(id=new_id, name=shown, role=checked_role, created_at=values["created_at"])

    try:
        return write_transaction(store, work)
    except IntegrityError:
        raise FieldError("name", f"{shown!r} is already taken") from None


def _refuse_look_alike(conn: Connection, shown: str) -> None:
    """``FieldError`` if a member's name looks like ``shown`` (any TR39 skeleton in common): a lookup."""
    skeletons = set(name_skeletons(shown))
    other = conn.execute(
        select(users.c.name, users.c.name_key)
        .where(or_(users.c.name_skeleton.in_(skeletons), users.c.name_skeleton_folded.in_(skeletons)))
        .limit(1)
    ).first()
    if other is None:
        return
    if other.name_key == name_key(shown):
        raise FieldError("name", f"{shown!r} is already taken")
    raise FieldError("name", f"{shown!r} looks too much like the name of the member {other.name!r}")


def get_user(store: Store, name: str) -> User | None:
    """The member with this name (compared as ``name_key``), or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(users).where(users.c.name_key == name_key(name), users.c.disabled.is_(False))
        ).first()
    return _user(row) if row else None


def _require_user(conn: Connection, name: str) -> Row[Any]:
    row = conn.execute(select(users).where(users.c.name_key == name_key(name))).first()
    if row is None:
        raise NotFound(f"no member named {name!r}")
    return row


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The member if name and password match, else None (same cost either way); a disabled member is None."""
    found = sign_in(store, name, password)
    return found if isinstance(found, User) else None


def sign_in(store: Store, name: str, password: str) -> User | Literal["disabled"] | None:
    """Like ``authenticate``, but a disabled member whose password matches is ``"disabled"`` (the site
    says so, 403, to the one who knows the password only)."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(users).where(users.c.name_key == name_key(name), users.c.deleted_at.is_(None))
        ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if row.disabled:
        return "disabled"
    if _hasher.check_needs_rehash(row.password_hash):
        new_hash = _hasher.hash(password)
        write_transaction(
            store,
            lambda c: c.execute(update(users).where(users.c.id == row.id).values(password_hash=new_hash)),
        )
    return _user(row)


def change_password(store: Store, user: User, current: str, new: str) -> None:
    """Replace the member's password and end all their sessions; ``current`` must match."""
    if authenticate(store, user.name, current) is None:
        raise FieldError("current_password", "is not your current password")
    _check_password(new, "new_password")
    new_hash = _hasher.hash(new)

    def work(conn: Connection) -> None:
        conn.execute(update(users).where(users.c.id == user.id).values(password_hash=new_hash))
        # A changed password must shut out whoever held the old one.
        conn.execute(sessions.delete().where(sessions.c.user_id == user.id))

    write_transaction(store, work)


def hash_password(password: str, field: str = "password") -> str:
    """The argon2id hash of a new password; ``FieldError`` if it is too short or too long."""
    _check_password(password, field)
    return _hasher.hash(password)


def edit_needs_review(
    member: User, *, queue_edits: bool, queue_days: int, at: dt.datetime | None = None
) -> bool:
    """Whether a member's edit waits in the moderation queue rather than going live at once.

    Editors and above are trusted; a member's edit waits while their account is younger than
    ``queue_days`` days (settings ``edit_queue`` and ``edit_queue_days``), and never when
    ``queue_edits`` is off.
    """
    if not queue_edits or member.is_editor:
        return False
    return (at or now()) - aware(member.created_at) < dt.timedelta(days=queue_days)


def set_role(store: Store, name: str, role: str) -> User:
    """Make a member a member, editor, moderator or admin."""
    checked = _check_role(role)

    def work(conn: Connection) -> User:
        row = _require_user(conn, name)
        conn.execute(update(users).where(users.c.id == row.id).values(role=checked))
        return User(id=row.id, name=row.name, role=checked, created_at=aware(row.created_at))

    return write_transaction(store, work)


# ---- sessions ------------------------------------------------------------------------------------


def create_session(store: Store, user: User, lifetime: dt.timedelta = SESSION_LIFETIME) -> str:
    """Start a login session; returns the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    started = now()
    write_transaction(
        store,
        lambda c: c.execute(
            insert(sessions).values(
                user_id=user.id, token_hash=_digest(secret), created_at=started, expires_at=started + lifetime
            )
        ),
    )
    return secret


def user_for_session(store: Store, secret: str) -> User | None:
    """The member whose unexpired session this is, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(users)
            .join(sessions, sessions.c.user_id == users.c.id)
            .where(
                sessions.c.token_hash == _digest(secret),
                sessions.c.expires_at > now(),
                users.c.disabled.is_(False),
            )
        ).first()
    return _user(row) if row else None


def end_session(store: Store, secret: str) -> None:
    """Log out: the session's secret opens nothing any more."""
    write_transaction(
        store, lambda c: c.execute(sessions.delete().where(sessions.c.token_hash == _digest(secret)))
    )


# ---- API tokens ----------------------------------------------------------------------------------


def create_token(store: Store, user_name: str, label: str | None = None) -> str:
    """Create an API token for a member; returns the secret (shown once, stored only hashed)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def work(conn: Connection) -> None:
        row = _require_user(conn, user_name)
        conn.execute(
            insert(api_tokens).values(
                user_id=row.id,
                token_hash=_digest(secret),
                prefix=secret[: len(TOKEN_PREFIX) + 6],
                label=(label or "").strip()[:100] or None,
                created_at=now(),
            )
        )

    write_transaction(store, work)
    return secret


def list_tokens(store: Store, user: User) -> list[ApiToken]:
    """The member's live tokens, newest first."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(api_tokens)
            .where(api_tokens.c.user_id == user.id, api_tokens.c.revoked_at.is_(None))
            .order_by(api_tokens.c.id.desc())
        ).all()
    return [
        ApiToken(
            id=r.id,
            label=r.label,
            prefix=r.prefix,
            created_at=aware(r.created_at),
            last_used_at=aware(r.last_used_at) if r.last_used_at else None,
        )
        for r in rows
    ]


def revoke_token(store: Store, user: User, token_id: int) -> bool:
    """Revoke one of the member's own tokens; False if they have no such live token."""
    result = write_transaction(
        store,
        lambda c: c.execute(
            update(api_tokens)
            .where(
                api_tokens.c.id == token_id,
                api_tokens.c.user_id == user.id,
                api_tokens.c.revoked_at.is_(None),
            )
            .values(revoked_at=now())
        ),
    )
    return bool(result.rowcount)


def user_for_token(store: Store, secret: str) -> User | None:
    """The member an API token (``Authorization: Bearer …``) belongs to, or None if unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(secret)
    with store.engine.connect() as conn:
        row = conn.execute(
            select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used_at)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(
                api_tokens.c.token_hash == digest,
                api_tokens.c.revoked_at.is_(None),
                users.c.disabled.is_(False),
            )
        ).first()
    if row is None:
        return None
    used = now()
    # Note use at most once a minute: a busy client must not turn every read into a write.
    if row.last_used_at is None or used - aware(row.last_used_at) > dt.timedelta(minutes=1):
        # Bookkeeping: while an import holds the store, a read must neither wait for it nor fail.
        with contextlib.suppress(StoreBusy):
            write_transaction(
                store,
                lambda c: c.execute(
                    update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used_at=used)
                ),
                wait=0.05,
            )
    return _user(row)


# ---- the site's secret ---------------------------------------------------------------------------


def site_secret(store: Store, configured: str = "") -> bytes:
    """The key that signs CSRF tokens: ``configured`` (``MARQUEE_SECRET_KEY``), else the one kept in a
    file beside the store, made on first use (never in a table: see ``storage.secret_key``)."""
    if configured:
        return configured.encode("utf-8")
    return read_or_create_key(store.engine.url).encode("utf-8")


def validation_message(error: ValidationError) -> FieldError:
    """The first problem of a pydantic ``ValidationError`` as a ``FieldError`` naming its field."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return FieldError(field, first["msg"])
