"""IMDb re-import: a hash of each key's raw lines of the last imported dump (issue 20).

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """``imdb_line_hashes``: (file, key) -> hash; empty until the next import of a whole dump."""
    op.create_table(
        "imdb_line_hashes",
        sa.Column("dataset", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("dataset", "id"),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("imdb_line_hashes")
