"""Alembic environment: migrates the connection the store hands over (see ``storage.migrate``)."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import context
from sqlalchemy.engine import Connection

from marquee.storage.engine import make_engine
from marquee.storage.schema import metadata


def run(conn: Connection) -> None:
    """Run the pending migrations on ``conn``."""
    context.configure(
        connection=conn,
        target_metadata=metadata,
        # SQLite alters tables by copying them ("batch" mode).
        render_as_batch=conn.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Use the store's connection, or open ``sqlalchemy.url`` / $MARQUEE_DATABASE_URL (alembic CLI)."""
    conn = context.config.attributes.get("connection")
    if conn is not None:
        run(conn)
        return
    # The alembic command is an edge of its own: it reads the variable itself (storage imports no settings).
    url = (
        context.config.get_main_option("sqlalchemy.url")
        or os.environ.get("MARQUEE_DATABASE_URL")
        or f"sqlite:///{Path.cwd() / 'marquee-data' / 'marquee.db'}"
    )
    engine = make_engine(url)
    with engine.begin() as new_conn:
        run(new_conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")
main()
