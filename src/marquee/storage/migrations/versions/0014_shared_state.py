"""State shared by every worker and host: rate-limit buckets and per-film page versions.

``rate_buckets`` holds one token bucket per (limit, key), so N workers give one login or write
limit, not N; ``page_versions`` one counter per film, bumped by each write to the film's page
data, so every worker's page cache sees the write at once (``storage/shared_state.py``).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the two tables (empty: a missing row is a full bucket, or version 0)."""
    op.create_table(
        "rate_buckets",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("stamp", sa.Float(), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("full_at", sa.Float(), nullable=False),
    )
    op.create_table(
        "page_versions",
        sa.Column("film_id", sa.String(), primary_key=True),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("page_versions")
    op.drop_table("rate_buckets")
