"""Search (PostgreSQL): a larger statistics sample for the names of the title and person indexes.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_index

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Raise the sample and analyse again (nothing on SQLite: its FTS5 queries need no estimates)."""
    bind = op.get_bind()
    for statement in search_index.DDL_0007[bind.dialect.name]:
        op.execute(statement)
    if bind.dialect.name == "postgresql":
        op.execute("ANALYZE title_search")
        op.execute("ANALYZE person_search")


def downgrade() -> None:
    """Back to the default sample."""
    for statement in search_index.DDL_0007[op.get_bind().dialect.name]:
        op.execute(statement.replace("SET STATISTICS 1000", "SET STATISTICS -1"))
