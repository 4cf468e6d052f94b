"""Search (SQLite): the title and person names indexed word by word beside the trigram index.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_index, search_rebuild

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``title_search_words`` and ``person_search_words`` and fill them from the names already
    indexed (nothing on PostgreSQL: its pg_trgm index answers word matches well)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in search_index.WORD_TABLES.values():
        op.execute(f"DROP TABLE IF EXISTS {table}")  # a rebuild run by an earlier step made it
    for statement in search_index.DDL_0019["sqlite"]:
        op.execute(statement)
    search_rebuild.fill_word_tables(bind.connection.driver_connection)
    for table in search_index.WORD_TABLES.values():
        op.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def downgrade() -> None:
    """Drop the word tables."""
    if op.get_bind().dialect.name == "sqlite":
        for table in search_index.WORD_TABLES.values():
            op.execute(f"DROP TABLE IF EXISTS {table}")
