"""A portable backup of the whole site, restorable on either backend: ``marquee backup FILE.marquee``.

The archive is a zip: ``tables/NAME.jsonl`` (one JSON object per row, in primary-key order) for
every table that holds what cannot be rebuilt (catalogue, members, ratings, reviews, comments,
diary, lists, imports, the moderation log, ``store_meta``…), and ``manifest.json`` last: the
format, the schema revision, and per table its columns, row count and the SHA-256 of its member.
Search and browse indexes are left out: they are rebuilt from the rows at restore.

Consistency: every table is read inside ONE read transaction: SQLite's (a WAL snapshot: writers
go on, the backup sees none of their later commits) or PostgreSQL's ``REPEATABLE READ, READ
ONLY`` snapshot. So rows written during the backup are either all in it or all not, and no row
is half there. The archive is written beside the target and renamed into place when complete.

Restore (``portable_restore``): the archive is checked whole first (format, known schema, every
member's SHA-256 and row
count), then written into the target store (either backend, migrated to this Marquee's schema) in
one transaction: the rows, PostgreSQL's id sequences, the search and browse indexes rebuilt; the
row counts are compared with the manifest before the commit, so a failed restore leaves the store
as it was. A store that holds films or members is refused unless ``force`` (its rows are replaced).

Values: datetimes as ISO 8601 in UTC (SQLite's naive ones are UTC, as everything Marquee stores),
dates as ISO dates, bytes as ``{"$base64": …}``; the target's column types turn them back.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import MetaData, Table, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, StatementError

from marquee.errors import InputError, StoreError
from marquee.storage.backup import BackupReport, sqlite_path
from marquee.storage.backup_files import check_target, printable, put_in_place, temporary_beside
from marquee.storage.engine import make_engine, normalize_url, redacted
from marquee.storage.migrate import current_revision

__all__ = [
    "BATCH",
    "FORMAT",
    "SUFFIX",
    "backup_portable",
    "is_portable",
    "is_sqlite_file",
    "native_copy",
    "store_tables",
]

FORMAT = "marquee-portable-backup"
FORMAT_VERSION = 1
SUFFIX = ".marquee"
MANIFEST = "manifest.json"
BATCH = 2000
# Tables rebuilt from the others (search and browse indexes, their FTS shadow tables), and the
# databases' own bookkeeping: never in the archive.
_DERIVED_PREFIXES = (
    "title_search",
    "person_search",
    "text_search",
    "search_words",
    "title_words",
    "title_browse",
    "sqlite_",
    "alembic_version",
)

Progress = Callable[[str, int], None]
"""Called as ``progress(table, rows_so_far)`` while tables are written or read."""


def store_tables(conn: Connection) -> list[str]:
    """The tables a portable backup holds: every table of the store but the derived ones."""
    names = inspect(conn).get_table_names()
    return sorted(n for n in names if not n.startswith(_DERIVED_PREFIXES))


NATIVE_SUFFIXES = {"sqlite": (".db", ".sqlite", ".sqlite3"), "postgresql": (".dump", ".pgdump")}
"""File names that ask ``marquee backup`` for the backend's own copy (SQLite's file, pg_dump's dump)."""


def native_copy(url: str, name: str | Path) -> bool:
    """Whether a backup named ``name`` of the store at ``url`` is the backend's own copy, not portable."""
    backend = normalize_url(url).get_backend_name()
    return str(name).lower().endswith(NATIVE_SUFFIXES.get(backend, ()))


def is_sqlite_file(path: Path) -> bool:
    """Whether ``path`` starts like a SQLite database (a ``marquee backup FILE.db`` copy)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def is_portable(path: Path) -> bool:
    """Whether ``path`` is a zip with a Marquee manifest (a portable backup), not a SQLite file."""
    try:
        with zipfile.ZipFile(path) as archive:
            return MANIFEST in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


# ---- values --------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A stored value as JSON can hold it."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return {"$base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


# ---- backup --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection inside one read-only snapshot of the whole store."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn, conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            yield conn
        return
    with engine.connect() as conn, conn.begin():
        # SQLite: the first read fixes the snapshot (WAL) for the rest of the transaction.
        conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
        yield conn


def _order(table: Table) -> list[Any]:
    keys = list(table.primary_key.columns)
    return keys or list(table.columns)


def _write_table(
    conn: Connection, table: Table, handle: IO[bytes], progress: Progress | None
) -> tuple[int, str]:
    """Write a table's rows as JSON lines; its row count and the SHA-256 of what was written."""
    digest = hashlib.sha256()
    rows = 0
    names = [c.name for c in table.columns]
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*_order(table))
    )
    for row in result:
        line = (
            json.dumps(
                {name: _plain(value) for name, value in zip(names, row, strict=True)},
                ensure_ascii=False,
                separators=(",", ":"),
                allow_nan=False,
            ).encode("utf-8")
            + b"\n"
        )
        digest.update(line)
        handle.write(line)
        rows += 1
        if progress and rows % 10_000 == 0:
            progress(table.name, rows)
    return rows, digest.hexdigest()


def backup_portable(
    url: str, target: str | Path, *, force: bool = False, progress: Progress | None = None
) -> BackupReport:
    """Write the whole site at ``url`` (either backend) to ``target``, a portable archive.

    One consistent snapshot while the site keeps writing; written beside the target and renamed
    into place (an existing file only with ``force``). InputError for a target it will not write,
    StoreError when the store cannot be read.
    """
    shown = printable(str(target))
    path = Path(target).expanduser()
    parsed = normalize_url(url)
    store_file = sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    check_target(path, shown, force, store_file)  # never the store itself, even with force
    engine = make_engine(url)
    try:
        with temporary_beside(path, shown) as temporary:
            manifest: dict[str, Any] = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "source": engine.dialect.name,
            }
            tables: dict[str, Any] = {}
            try:
                with (
                    _snapshot(engine) as conn,
                    zipfile.ZipFile(
                        temporary, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
                    ) as archive,
                ):
                    revision = current_revision(conn)
                    if revision is None:
                        raise StoreError(
                            f"{redacted(normalize_url(url))}: not a Marquee store (no schema version)"
                        )
                    manifest["schema"] = revision
                    metadata = MetaData()
                    names = store_tables(conn)
                    metadata.reflect(conn, only=names)
                    for name in names:
                        table = metadata.tables[name]
                        with archive.open(f"tables/{name}.jsonl", "w", force_zip64=True) as handle:
                            rows, sha = _write_table(conn, table, handle, progress)
                        tables[name] = {
                            "rows": rows,
                            "sha256": sha,
                            "columns": [c.name for c in table.columns],
                        }
                    manifest["tables"] = tables
                    archive.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True))
            except (DBAPIError, StatementError) as err:
                raise StoreError(f"{shown}: cannot read the store: {err.orig or err}") from None
            except ValueError as err:  # a stored value JSON cannot hold (NaN): the rules refuse those
                raise StoreError(f"{shown}: cannot write a stored value: {err}") from None
            except OSError as err:
                raise InputError(f"{shown}: cannot write: {err.strerror or err}") from None
            size = temporary.stat().st_size
            put_in_place(temporary, path, shown, force)
    finally:
        engine.dispose()
    return BackupReport(
        "backed up",
        redacted(normalize_url(url)),
        shown,
        str(manifest["schema"]),
        len(tables),
        sum(t["rows"] for t in tables.values()),
        size,
        "one snapshot; every table's rows counted and hashed (portable: restores on SQLite or PostgreSQL)",
    )
