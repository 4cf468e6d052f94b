"""Search by description (issue 21): the models and every film's vectors.

``description_models``: one row per model, by name (``lsa``, the default built from the store's
own text, or a user's model named by its folder): vocabulary, idf and SVD components as float32
bytes, and a build id that tells a process its vectors in memory are stale.
``description_vectors``: each film's vectors under a model: ``vector`` (float32 bytes, normalised)
and ``terms`` (its TF-IDF row: int32 term numbers then float32 weights; the default model only).
Plain BLOB / bytea on both backends (numpy scores them in process; see README).

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables (empty: ``marquee search --rebuild-descriptions`` fills them)."""
    op.create_table(
        "description_models",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("build_id", sa.String(), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dims", sa.Integer(), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("vocabulary", sa.LargeBinary(), nullable=True),
        sa.Column("idf", sa.LargeBinary(), nullable=True),
        sa.Column("components", sa.LargeBinary(), nullable=True),
    )
    op.create_table(
        "description_vectors",
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("tconst", sa.String(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("terms", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("model", "tconst"),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("description_vectors")
    op.drop_table("description_models")
