"""A portable archive (``marquee backup --portable``) put back into SQLite or PostgreSQL, and a SQLite copy
restored into PostgreSQL: the archive checked first (its format, version and schema), then every table
written in batches under one transaction, sequences reset; a store that holds data refused unless forced.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Date, DateTime, LargeBinary, MetaData, Table, func, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, StatementError

from marquee.errors import InputError, StoreError
from marquee.storage.backup import BackupReport, check_backup_file
from marquee.storage.backup_files import printable
from marquee.storage.engine import WRITE, normalize_url, redacted
from marquee.storage.migrate import VERSIONS, head_revision
from marquee.storage.portable_backup import (
    BATCH,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    Progress,
    backup_portable,
    store_tables,
)

__all__ = ["restore_portable", "restore_sqlite_copy"]


def _converter(column: Any) -> Callable[[Any], Any] | None:
    """How a JSON value goes back into a column of the target (None: as it is)."""
    kind = column.type
    if isinstance(kind, DateTime):
        naive = not getattr(kind, "timezone", False)

        def when(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            parsed = dt.datetime.fromisoformat(value)
            # Timezone-less columns (SQLite's, or ``timestamp`` in PostgreSQL) hold UTC as it is.
            return parsed.astimezone(dt.UTC).replace(tzinfo=None) if naive else parsed

        return when
    if isinstance(kind, Date):
        return lambda value: dt.date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(kind, LargeBinary):
        return lambda value: base64.b64decode(value["$base64"]) if isinstance(value, dict) else value
    return None


@dataclass(frozen=True)
class _Checked:
    manifest: dict[str, Any]
    schema: str


def _known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")}


def _check_archive(archive: zipfile.ZipFile, shown: str) -> _Checked:
    """The manifest, once every member's SHA-256 and row count match it."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, zipfile.BadZipFile) as err:
        raise InputError(f"{shown}: not a Marquee backup (its manifest cannot be read: {err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{shown}: not a Marquee backup (manifest format {manifest.get('format')!r})")
    if manifest.get("version") != FORMAT_VERSION:
        raise InputError(
            f"{shown}: backup format version {manifest.get('version')!r} is not one this Marquee reads"
        )
    schema = str(manifest.get("schema"))
    if schema != head_revision():
        if schema not in _known_revisions():
            newer = schema > head_revision()
            raise InputError(
                f"{shown}: schema version {schema} is "
                + (f"newer than this Marquee's ({head_revision()}): upgrade Marquee" if newer else "unknown")
            )
        # Rows of an older schema would skip what the migrations since do to them.
        raise InputError(
            f"{shown}: made at schema version {schema}, this Marquee is at {head_revision()}: restore it "
            "with the Marquee that made it, open that store once with this one (it migrates), "
            "and back it up again"
        )
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise InputError(f"{shown}: the manifest lists no tables")
    expected = {f"tables/{name}.jsonl" for name in tables} | {MANIFEST}
    unknown = sorted(set(archive.namelist()) - expected)
    if unknown:
        raise InputError(f"{shown}: holds {unknown[0]!r}, which the manifest does not list")
    for name, entry in tables.items():
        digest = hashlib.sha256()
        rows = 0
        try:
            with archive.open(f"tables/{name}.jsonl") as handle:
                for line in handle:
                    digest.update(line)
                    rows += 1
        except KeyError:
            raise InputError(f"{shown}: tables/{name}.jsonl is missing") from None
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise InputError(f"{shown}: tables/{name}.jsonl is damaged: {err}") from None
        if digest.hexdigest() != entry.get("sha256") or rows != entry.get("rows"):
            raise InputError(f"{shown}: tables/{name}.jsonl does not match the manifest (damaged or changed)")
    return _Checked(manifest, schema)


def _holds_data(conn: Connection) -> bool:
    for table in ("titles", "people", "users"):
        if conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:
            return True
    return False


def _rows(archive: zipfile.ZipFile, name: str, shown: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with archive.open(f"tables/{name}.jsonl") as handle:
        for number, line in enumerate(io.TextIOWrapper(handle, encoding="utf-8"), start=1):
            try:
                row = json.loads(line)
            except ValueError as err:
                raise InputError(f"{shown}: tables/{name}.jsonl:{number}: not JSON: {err}") from None
            if not isinstance(row, dict):
                raise InputError(f"{shown}: tables/{name}.jsonl:{number}: not a JSON object")
            yield number, row


def _restore_table(
    conn: Connection, archive: zipfile.ZipFile, table: Table, shown: str, progress: Progress | None
) -> int:
    converters = {c.name: _converter(c) for c in table.columns}
    known = set(converters)
    insert = table.insert()
    batch: list[dict[str, Any]] = []
    count = 0
    for number, row in _rows(archive, table.name, shown):
        extra = set(row) - known
        if extra:
            raise InputError(
                f"{shown}: tables/{table.name}.jsonl:{number}: column {sorted(extra)[0]!r} is not in this "
                "Marquee's schema"
            )
        for column, value in row.items():
            convert = converters[column]
            if convert is not None and value is not None:
                row[column] = convert(value)
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            conn.execute(insert, batch)
            batch = []
            if progress:
                progress(table.name, count)
    if batch:
        conn.execute(insert, batch)
    return count


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: each serial id's sequence continues after the largest id restored."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                top = conn.execute(select(func.max(column))).scalar()
                conn.execute(
                    text("SELECT setval(:s, :v, :called)"),
                    {"s": sequence, "v": top if top is not None else 1, "called": top is not None},
                )


def restore_sqlite_copy(url: str, source: str | Path, *, force: bool = False) -> BackupReport:
    """Restore a SQLite copy (``marquee backup FILE.db``) into the store at ``url`` (PostgreSQL, say).

    The copy is checked (a Marquee store at a schema this Marquee knows), copied to a private
    temporary folder (the file itself is never opened for writing), brought to this Marquee's
    schema there, turned into a portable archive, and restored from that (``restore_portable``).
    """
    from marquee.storage.sqlstore import open_store

    shown = printable(str(source))
    path = Path(source).expanduser()
    checked, _revision = check_backup_file(path, shown)
    checked.close()
    with tempfile.TemporaryDirectory(prefix="marquee-restore-") as folder:
        copy = Path(folder) / "store.db"
        try:
            shutil.copyfile(path, copy)
        except OSError as err:
            raise InputError(f"{shown}: cannot read: {err.strerror or err}") from None
        copy_url = f"sqlite:///{copy}"
        open_store(copy_url).close()  # migrates the copy to this Marquee's schema
        archive = Path(folder) / "store.marquee"
        backup_portable(copy_url, archive)
        return restore_portable(url, archive, force=force, shown_as=shown)


def restore_portable(
    url: str,
    source: str | Path,
    *,
    force: bool = False,
    progress: Progress | None = None,
    shown_as: str | None = None,
) -> BackupReport:
    """Restore a portable archive into the store at ``url`` (SQLite or PostgreSQL), in one transaction.

    The store is created and migrated if need be. Refuses (InputError) an archive that is damaged,
    of an unknown format or schema, or holds columns this Marquee lacks; refuses (StoreError) a store
    that holds films, people or members unless ``force``.
    """
    from marquee.storage import search_index
    from marquee.storage.sqlstore import open_store

    shown = shown_as or printable(str(source))
    path = Path(source).expanduser()
    if not path.is_file():
        raise InputError(f"{shown}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        raise InputError(f"{shown}: not a Marquee backup ({err})") from None
    with archive:
        checked = _check_archive(archive, shown)
        store = open_store(url)  # made and migrated to this Marquee's schema if it is new
        target_shown = redacted(normalize_url(url))
        try:
            tables_in = checked.manifest["tables"]
            with store.engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
                if _holds_data(conn) and not force:
                    raise StoreError(
                        f"{target_shown}: the store holds films or members: restore into an empty store, "
                        "or use --force to replace them"
                    )
                metadata = MetaData()
                names = store_tables(conn)
                missing = sorted(set(tables_in) - set(names))
                if missing:
                    raise InputError(f"{shown}: table {missing[0]!r} is not in this Marquee's schema")
                metadata.reflect(conn, only=names)
                for table in metadata.tables.values():
                    for column in table.columns:
                        if isinstance(column.type, JSON):
                            column.type = JSON(none_as_null=True)
                ordered = [t for t in metadata.sorted_tables if t.name in names]
                for table in reversed(ordered):
                    conn.execute(table.delete())
                counts: dict[str, int] = {}
                for table in ordered:
                    if table.name in tables_in:
                        counts[table.name] = _restore_table(conn, archive, table, shown, progress)
                for table in ordered:
                    if table.name in tables_in:
                        stored = conn.execute(select(func.count()).select_from(table)).scalar_one()
                        if stored != tables_in[table.name]["rows"] or counts[table.name] != stored:
                            raise StoreError(
                                f"{target_shown}: {table.name}: the restored rows differ from {shown}"
                            )
                if conn.dialect.name == "postgresql":
                    _reset_sequences(conn, ordered)
                search_index.rebuild(conn)
        except (DBAPIError, StatementError) as err:
            raise StoreError(f"{target_shown}: cannot restore {shown}: {_first_line(err)}") from None
        finally:
            store.close()
    return BackupReport(
        "restored",
        shown,
        target_shown,
        checked.schema,
        len(counts),
        sum(counts.values()),
        0,
        "every member's SHA-256 and row count checked before, every table's rows counted before the commit; "
        "search and browse indexes rebuilt",
    )


def _first_line(err: DBAPIError | StatementError) -> str:
    return str(err.orig or err).strip().splitlines()[0]
