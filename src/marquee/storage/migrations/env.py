"""Alembic environment: migrates the connection the store hands over (see ``storage.migrate``)."""

from __future__ import annotations

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
    from marquee.storage.engine import default_url

    url = context.config.get_main_option("sqlalchemy.url") or default_url()
    engine = make_engine(url)
    with engine.begin() as new_conn:
        run(new_conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run them against a database")
main()
