"""Whole copies of the store, safe while the site writes: ``marquee backup`` and ``marquee restore``.

SQLite: SQLite's online backup API (``sqlite3.Connection.backup``), never a file copy. A ``cp`` of a
WAL-mode store misses whatever is still in ``marquee.db-wal`` (the issue's test lost 432 diary
entries); the backup API reads pages through SQLite, WAL included. The copy is made in steps inside
one read transaction on the store, so it is one consistent snapshot while the site keeps writing
(WAL readers do not block writers, and the snapshot never restarts). It is written to a temporary
file beside the target, turned into a self-contained file (rollback journal, no ``-wal``), checked
(``PRAGMA integrity_check``, the schema version, every table's row count against the snapshot) and
only then renamed into place. An existing file is replaced only when asked (``force``).

PostgreSQL: ``pg_dump --format=custom`` (it must be on PATH, as new as the server), checked with
``pg_restore --list``; restore with ``pg_restore --clean --if-exists --no-owner --dbname URL FILE``.

Restore (SQLite): the backup is checked (a SQLite file, ``quick_check``, a Marquee schema this
Marquee knows) and written into the store through the same backup API, under an exclusive lock:
a store that another process has open (the running site) is refused unless ``force``, and so is a
store that holds films or members. The signing key is not in the store (``storage.secret_key``): a
backup carries none, and a restore keeps the key file beside the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import URL

from marquee.errors import InputError, StoreError
from marquee.storage.backup_files import (
    BackupReport,
    check_target,
    printable,
    put_in_place,
    same_file,
    temporary_beside,
)
from marquee.storage.backup_postgres import backup_postgres
from marquee.storage.engine import normalize_url, redacted
from marquee.storage.migrate import VERSIONS, head_revision

__all__ = [
    "PAGES_PER_STEP",
    "BackupReport",
    "Progress",
    "backup_store",
    "check_backup_file",
    "restore_store",
    "sqlite_path",
]

# Pages copied per step of the backup API (4096 pages of 4 KiB: 16 MiB between progress reports).
PAGES_PER_STEP = 4096
_BUSY_MS = 10_000
_SQLITE_HEADER = b"SQLite format 3\x00"

Progress = Callable[[int, int], None]
"""Called as ``progress(pages_done, pages_total)`` while a SQLite copy is made."""


# ---- SQLite --------------------------------------------------------------------------------------


def sqlite_path(url: URL) -> Path:
    """The file of a SQLite URL; an in-memory or ``file:`` URL is refused (nothing to copy)."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        raise StoreError(f"cannot back up or restore {redacted(url)}: name a SQLite file (sqlite:///PATH)")
    return Path(database).expanduser()


def _connect(path: Path, shown: str) -> sqlite3.Connection:
    """A plain sqlite3 connection (no transaction handling of its own) to an existing file."""
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
    except sqlite3.Error as err:
        raise StoreError(f"{shown}: cannot open: {err}") from None
    return conn


def _tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    return [str(r[0]) for r in rows]


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table (the FTS shadow tables included: a copy must hold them all)."""
    counts: dict[str, int] = {}
    for table in _tables(conn):
        quoted = '"' + table.replace('"', '""') + '"'
        try:
            counts[table] = int(conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0])
        except sqlite3.OperationalError:  # a virtual table whose module this sqlite3 lacks
            continue
    return counts


def _revision(conn: sqlite3.Connection, shown: str) -> str:
    """The store's schema revision; refuses a file that is not a Marquee store."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as err:
        if "no such table" in str(err):
            raise InputError(f"{shown}: not a Marquee store (it has no schema version)") from None
        if "malformed" in str(err):
            raise InputError(f"{shown}: damaged: {err}") from None
        raise InputError(f"{shown}: not a SQLite database ({err})") from None
    if row is None:
        raise InputError(f"{shown}: not a Marquee store (its schema version is empty)")
    return str(row[0])


def _check(conn: sqlite3.Connection, shown: str, pragma: str) -> None:
    """``PRAGMA integrity_check`` / ``quick_check``: raises unless SQLite answers ``ok``."""
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{shown}: {pragma} failed: {err}") from None
    if rows != ["ok"]:
        raise StoreError(f"{shown}: {pragma} found damage: {rows[0]}")


def _step_reporter(progress: Progress | None) -> Callable[[int, int, int], object] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report


def _backup_sqlite(
    url: URL, target: Path, shown: str, *, force: bool, progress: Progress | None, quick: bool
) -> BackupReport:
    store = sqlite_path(url)
    store_shown = str(store)
    check_target(target, shown, force, store)
    if not store.is_file():
        raise StoreError(f"{store_shown}: no such store")
    source = _connect(store, store_shown)
    try:
        with temporary_beside(target, shown) as temporary:
            # One read transaction for the whole copy: every step reads the same snapshot (WAL
            # included), writers go on, and the backup never restarts.
            try:
                source.execute("BEGIN")
                revision = _revision(source, store_shown)
                expected = _counts(source)
                copy = sqlite3.connect(temporary, isolation_level=None)
                try:
                    source.backup(copy, pages=PAGES_PER_STEP, progress=_step_reporter(progress))
                    source.execute("COMMIT")
                    # A self-contained file: no -wal beside it to lose when it is moved.
                    copy.execute("PRAGMA journal_mode=DELETE")
                    pragma = "quick_check" if quick else "integrity_check"
                    _check(copy, shown, pragma)
                    got_revision = _revision(copy, shown)
                    got = _counts(copy)
                finally:
                    copy.close()
            except sqlite3.Error as err:
                raise StoreError(f"{shown}: cannot back up {store_shown}: {err}") from None
            if got_revision != revision or got != expected:
                missing = sorted(t for t in expected if got.get(t) != expected[t])
                raise StoreError(
                    f"{shown}: the copy differs from the store in {', '.join(missing) or 'schema'}"
                )
            size = temporary.stat().st_size
            put_in_place(temporary, target, shown, force)
    finally:
        source.close()
    return BackupReport(
        "backed up",
        store_shown,
        shown,
        revision,
        len(expected),
        sum(expected.values()),
        size,
        f"{pragma}: ok, every table's rows counted",
    )


def _known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")}


def check_backup_file(source: Path, shown: str) -> tuple[sqlite3.Connection, str]:
    """Open a backup read-only and check it: a SQLite file, sound, a Marquee schema this Marquee knows."""
    if source.is_dir():
        raise InputError(f"{shown}: is a folder: name the backup file to restore")
    try:
        with open(source, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as err:
        raise InputError(f"{shown}: cannot read: {err.strerror}") from None
    if header != _SQLITE_HEADER:
        raise InputError(f"{shown}: not a SQLite database (a PostgreSQL backup restores with pg_restore)")
    try:
        conn = sqlite3.connect(f"{source.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as err:
        raise InputError(f"{shown}: cannot open: {err}") from None
    try:
        revision = _revision(conn, shown)
        if revision not in _known_revisions():
            newer = revision > head_revision()
            raise InputError(
                f"{shown}: schema version {revision} is "
                + (f"newer than this Marquee's ({head_revision()}): upgrade Marquee" if newer else "unknown")
            )
        try:
            _check(conn, shown, "quick_check")
        except StoreError as err:
            raise InputError(str(err)) from None
    except BaseException:
        conn.close()
        raise
    return conn, revision


def _holds_data(conn: sqlite3.Connection) -> bool:
    for table in ("titles", "users"):
        try:
            if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                return True
        except sqlite3.OperationalError:  # no such table: an older or blank store
            continue
    return False


def _restore_sqlite(
    url: URL, source: Path, shown: str, *, force: bool, progress: Progress | None
) -> BackupReport:
    store = sqlite_path(url)
    store_shown = str(store)
    if same_file(source, store):
        raise InputError(f"{shown}: is the store itself")
    backup, revision = check_backup_file(source, shown)
    try:
        expected = _counts(backup)
        if not store.exists():
            # No store yet: write a new one beside where it goes, then rename it into place.
            if not store.parent.is_dir():
                raise StoreError(f"{store_shown}: no such folder: {store.parent}")
            if any(store.with_name(store.name + s).exists() for s in ("-wal", "-journal")):
                raise StoreError(f"{store_shown}: a journal of a missing store is beside it: remove it first")
            with temporary_beside(store, store_shown) as temporary:
                copy = sqlite3.connect(temporary, isolation_level=None)
                try:
                    backup.backup(copy, pages=PAGES_PER_STEP, progress=_step_reporter(progress))
                    got = _counts(copy)
                finally:
                    copy.close()
                put_in_place(temporary, store, store_shown, False)
        else:
            got = _restore_into(store, store_shown, backup, force=force, progress=progress)
    except sqlite3.Error as err:
        raise StoreError(f"{store_shown}: cannot restore {shown}: {err}") from None
    finally:
        backup.close()
    if got != expected:
        raise StoreError(f"{store_shown}: the restored store differs from {shown}")
    return BackupReport(
        "restored",
        shown,
        store_shown,
        revision,
        len(expected),
        sum(expected.values()),
        0,
        "quick_check: ok, every table's rows counted (the store is migrated when next opened)",
    )


def _restore_into(
    store: Path, store_shown: str, backup: sqlite3.Connection, *, force: bool, progress: Progress | None
) -> dict[str, int]:
    """Replace the store's content with the backup's, through SQLite (its WAL and locks honoured)."""
    conn = _connect(store, store_shown)
    try:
        conn.execute("PRAGMA busy_timeout=0")
        # Exclusive locking: granted only when no other connection has the store open (WAL readers
        # included), and kept until this connection closes, so nothing opens it halfway.
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
            in_use = False
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) and "busy" not in str(err):
                raise
            in_use = True
        if in_use and not force:
            raise StoreError(
                f"{store_shown}: the store is in use (is the site running?): stop it first, or use --force"
            )
        if in_use:
            conn.execute("PRAGMA locking_mode=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
        elif _holds_data(conn) and not force:
            raise StoreError(f"{store_shown}: the store holds films or members: use --force to replace them")
        backup.backup(conn, pages=PAGES_PER_STEP, progress=_step_reporter(progress))
        return _counts(conn)
    finally:
        conn.close()


# ---- entry points --------------------------------------------------------------------------------


def backup_store(
    url: str,
    target: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    quick: bool = False,
) -> BackupReport:
    """Copy the store at ``url`` whole to ``target`` (a new file; an existing one only with ``force``).

    SQLite: the online backup API, one consistent snapshot while the site writes, checked with
    ``integrity_check`` (``quick_check`` when ``quick``) before it is renamed into place.
    PostgreSQL: ``pg_dump --format=custom``. Raises InputError for a target it will not write,
    StoreError when the store cannot be read or the copy fails its check.
    """
    parsed = normalize_url(url)
    shown = printable(str(target))
    path = Path(target).expanduser()
    if parsed.get_backend_name() == "postgresql":
        return backup_postgres(parsed, path, shown, force=force)
    return _backup_sqlite(parsed, path, shown, force=force, progress=progress, quick=quick)


def restore_store(
    url: str, source: str | Path, *, force: bool = False, progress: Progress | None = None
) -> BackupReport:
    """Replace the store at ``url`` with a backup made by ``backup_store`` (SQLite).

    Refuses a file that is not a Marquee store at a known schema version, and, unless ``force``,
    a store in use by another process (the running site) or one that holds films or members.
    A PostgreSQL store is restored with ``pg_restore`` (the error says how).
    """
    parsed = normalize_url(url)
    shown = printable(str(source))
    path = Path(source).expanduser()
    if parsed.get_backend_name() == "postgresql":
        raise StoreError(
            f"{shown}: restore a PostgreSQL store with pg_restore --clean --if-exists --no-owner "
            f"--dbname {redacted(parsed.set(drivername='postgresql'))} {shown}"
        )
    if not path.exists():
        raise InputError(f"{shown}: no such file")
    return _restore_sqlite(parsed, path, shown, force=force, progress=progress)
