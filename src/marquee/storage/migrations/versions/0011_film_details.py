"""Film details from other sources: countries, languages, external scores, awards and external ids.

Five part tables keyed by ``title_id`` and ordered like the record's lists: ``title_countries``,
``title_languages``, ``external_scores`` (a critics' percentage or a metascore, never mixed with
IMDb's rating), ``awards`` (won or nominated) and ``external_ids`` (the film's id on another site).
Existing films simply have none.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_TABLES = ("title_countries", "title_languages", "external_scores", "awards", "external_ids")


def _keys() -> list[sa.Column[int]]:
    return [
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("ordering", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    """Create the five tables."""
    op.create_table(
        "title_countries",
        *_keys(),
        sa.Column("country", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("title_id", "ordering"),
    )
    op.create_table(
        "title_languages",
        *_keys(),
        sa.Column("language", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("title_id", "ordering"),
    )
    op.create_table(
        "external_scores",
        *_keys(),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("scale", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("title_id", "ordering"),
    )
    op.create_table(
        "awards",
        *_keys(),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("title_id", "ordering"),
    )
    op.create_table(
        "external_ids",
        *_keys(),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("title_id", "ordering"),
    )


def downgrade() -> None:
    """Drop the five tables (the details they held are lost)."""
    for name in reversed(_TABLES):
        op.drop_table(name)
