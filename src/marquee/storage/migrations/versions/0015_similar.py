"""Similar films (issue 21): ``title_similar``, each film's neighbours best first, by tconst.

Filled by ``marquee similar --rebuild`` (and after an IMDb import); a member's rating refreshes
the film rated.

Revision ID: 0015
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0010"
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


def downgrade() -> None:
    """Drop it."""
    op.drop_table("title_similar")
