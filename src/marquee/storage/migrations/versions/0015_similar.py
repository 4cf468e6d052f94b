"""Discovery (issue 21): similar films, follows and notices.

``title_similar``: each film's neighbours best first, by tconst; filled by ``marquee similar
--rebuild`` (and after imports), a member's rating refreshes the film rated. ``follows``,
``follow_known`` and ``notices``: a member follows a person or a list, and titles that come to
them later become notices.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (empty: the next rebuild fills it)."""
    op.create_table(
        "title_similar",
        sa.Column("tconst", sa.String(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("similar_tconst", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("tconst", "rank"),
    )
    op.create_table(
        "follows",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "target"),
    )
    op.create_table(
        "follow_known",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("tconst", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "kind", "target", "tconst"),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("tconst", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_notices_user", "notices", ["user_id", "id"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_notices_user", table_name="notices")
    for table in ("notices", "follow_known", "follows", "title_similar"):
        op.drop_table(table)
