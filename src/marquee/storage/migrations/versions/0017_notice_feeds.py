"""A member's secret notices feed (issue 21): ``notice_feeds`` holds one unguessable token per member.

Feed readers send no cookies, so ``/user/{name}/notices.atom?token=…`` is read with this token
instead; the member sees it on their notices page and may replace it there (the old address then
answers 404). The token is 256 random bits (``secrets.token_urlsafe(32)``); it is stored as is, so
the page can show the address again, and compared in constant time.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (empty: a member's token is made when they first open their notices)."""
    op.create_table(
        "notice_feeds",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    """Drop it (every feed address stops working)."""
    op.drop_table("notice_feeds")
