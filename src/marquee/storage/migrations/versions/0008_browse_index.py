"""Browse: the browse index (``title_browse`` and its counts per genre and kind), filled from the tables.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from marquee.storage import browse_index

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create and fill the tables (a store upgraded from 0001 may have them already: made again)."""
    browse_index.rebuild(op.get_bind())


def downgrade() -> None:
    """Drop them."""
    op.execute("DROP TABLE IF EXISTS title_browse_counts")
    op.execute("DROP TABLE IF EXISTS title_browse")
