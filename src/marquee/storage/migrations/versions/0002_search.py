"""Search: title names (trigram), people (trigram) and full text (FTS5 / tsvector) indexes.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_index

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the index tables (empty: 0022 fills them when the store already holds titles)."""
    bind = op.get_bind()
    for statement in search_index.DDL[bind.dialect.name]:
        op.execute(statement)
    # A store upgraded from 0001 keeps its films findable: 0022 fills the index (its SQL reads the
    # tables under the names they have from 0022 on).


def downgrade() -> None:
    """Drop the index tables (the pg_trgm extension stays: other databases objects may use it)."""
    for statement in search_index.DROP_DDL[op.get_bind().dialect.name]:
        op.execute(statement)
