"""Members edit films: the revisions table (history per film) and each section's source.

``revisions`` keeps every change to a film (sections, JSON before and after, who, when, source,
note, hidden flag, base revision); ``title_sources`` holds ``Film.sources`` (section -> source).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create both tables and the history index."""
    op.create_table(
        "title_sources",
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("title_id", "section"),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("tconst", sa.String(), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("user_name", sa.String()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fields", sa.String(), nullable=False),
        sa.Column("old_values", sa.Text(), nullable=False),
        sa.Column("new_values", sa.Text(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("hidden", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("base_revision", sa.Integer()),
        sa.Column("reverts", sa.Integer()),
    )
    op.create_index("ix_revisions_title", "revisions", ["tconst", "id"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_revisions_title", table_name="revisions")
    op.drop_table("revisions")
    op.drop_table("title_sources")
