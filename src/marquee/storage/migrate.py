"""Bring a database to the newest schema with Alembic, cheaply when it is already there."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from marquee.errors import StoreError
from marquee.storage.engine import WRITE

__all__ = ["HEAD_FALLBACK", "current_revision", "head_revision", "upgrade"]

SCRIPT_LOCATION = "marquee.storage:migrations"  # a package resource: works when installed
VERSIONS = Path(__file__).parent / "migrations" / "versions"
HEAD_FALLBACK = "head"
# Any lock number works, as long as every Marquee process uses the same one.
_PG_MIGRATION_LOCK = 7_251_985


@cache  # the files do not change while the process runs; ``upgrade`` asks on every store opened
def head_revision() -> str:
    """The newest revision id, read from the file names (``0002_search.py`` -> ``"0002"``).

    Revision ids are zero-padded numbers that prefix their file names, so the head is the
    largest prefix; this avoids importing Alembic on every start (CLI start-up time).
    """
    ids = [p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")]
    return max(ids, default=HEAD_FALLBACK)


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at, or None if it has never been migrated."""
    # A catalogue lookup, not SQLAlchemy's inspector: this runs on every store opened, and reflection
    # cost more than the rest of the check. ``to_regclass`` resolves the name on the search path, as
    # the SELECT below does.
    exists = (
        "SELECT to_regclass('alembic_version') IS NOT NULL"
        if conn.dialect.name == "postgresql"
        else "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    )
    if not conn.exec_driver_sql(exists).scalar():
        return None
    revision: str | None = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    return revision


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate to ``revision`` (default: head) unless the database is already at head."""
    if revision == "head":
        with engine.connect() as conn:
            if current_revision(conn) == head_revision():
                return
    from alembic import command  # imported lazily: only needed when there is work to do
    from alembic.config import Config
    from alembic.util import CommandError

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    with engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            # Two processes opening a fresh database at once: the second waits, then finds it migrated.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, revision)
        except CommandError as err:
            raise StoreError(f"cannot migrate the database: {err}") from None
