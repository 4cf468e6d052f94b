"""Search (PostgreSQL): b-tree indexes in popularity order on the title and person name indexes.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_index

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the indexes (nothing on SQLite: its FTS5 rowids already lead with popularity)."""
    for statement in search_index.DDL_0005[op.get_bind().dialect.name]:
        op.execute(statement)


def downgrade() -> None:
    """Drop them."""
    for statement in search_index.DDL_0005[op.get_bind().dialect.name]:
        op.execute("DROP INDEX IF EXISTS " + statement.split()[2])
