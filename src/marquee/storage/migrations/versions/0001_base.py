"""Base tables: titles and every part of a film's record, people, credits, store_meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written out table by table (generated with ``alembic revision --autogenerate``, then tidied),
so later changes to ``schema.py`` need their own migration; ``tests/test_migrations.py``
checks that the migrated database matches ``schema.metadata``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows are ordered lines of one title: (title_id, ordering) + their columns.
_ORDERED_TEXT = {"taglines": "text", "filming_locations": "place", "trivia": "text"}


def _title_part(name: str, *columns: sa.Column[object]) -> None:
    """A table of a title's ordered parts, keyed by (title_id, ordering)."""
    op.create_table(
        name,
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("ordering", sa.Integer(), nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("title_id", "ordering"),
    )


def upgrade() -> None:
    """Create the base tables."""
    op.create_table(
        "titles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tconst", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), server_default="movie", nullable=False),
        sa.Column("primary_title", sa.String(), nullable=False),
        sa.Column("original_title", sa.String(), nullable=True),
        sa.Column("is_adult", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("runtime_minutes", sa.Integer(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("outline", sa.Text(), nullable=True),
        sa.Column("plot", sa.Text(), nullable=True),
        sa.Column("comments_open", sa.Boolean(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tconst"),
    )
    op.create_index("ix_titles_start_year", "titles", ["start_year"])
    op.create_index("ix_titles_kind", "titles", ["kind"])

    _title_part("title_genres", sa.Column("genre", sa.String(), nullable=False))
    op.create_index("ix_title_genres_genre", "title_genres", ["genre", "title_id"])

    op.create_table(
        "imdb_ratings",
        sa.Column("title_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("average", sa.Float(), nullable=False),
        sa.Column("scale", sa.Integer(), server_default="10", nullable=False),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("title_id"),
    )
    op.create_index("ix_imdb_ratings_votes", "imdb_ratings", ["votes"])

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("nconst", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("death_year", sa.Integer(), nullable=True),
        sa.Column("professions", sa.String(), nullable=True),
        sa.Column("known_for", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("nconst"),
    )
    op.create_index("ix_people_name", "people", ["name"])

    op.create_table(
        "credits",
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("ordering", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(), nullable=True),
        sa.Column("character", sa.String(), nullable=True),
        sa.Column("credited_as", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("title_id", "category", "ordering"),
    )
    op.create_index("ix_credits_person", "credits", ["person_id"])

    _title_part(
        "alternate_titles",
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("region", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("types", sa.String(), nullable=True),
        sa.Column("attributes", sa.String(), nullable=True),
        sa.Column("is_original", sa.Boolean(), server_default="0", nullable=False),
    )

    op.create_table(
        "episodes",
        sa.Column("title_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("series_tconst", sa.String(), nullable=False),
        sa.Column("season", sa.Integer(), nullable=True),
        sa.Column("episode", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("title_id"),
    )
    op.create_index("ix_episodes_series", "episodes", ["series_tconst"])

    for name, column in _ORDERED_TEXT.items():
        _title_part(name, sa.Column(column, sa.Text(), nullable=False))

    _title_part(
        "release_dates",
        sa.Column("date", sa.String(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
    )
    _title_part(
        "box_office",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
    )
    _title_part(
        "runtimes",
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
    )
    _title_part(
        "goofs",
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
    )

    op.create_table(
        "quote_lines",
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("quote_no", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("character", sa.String(), nullable=True),
        sa.Column("direction", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("title_id", "quote_no", "line_no"),
    )

    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("ordering", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("score_value", sa.Float(), nullable=True),
        sa.Column("score_scale", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reviews_title", "reviews", ["title_id", "ordering"])

    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


_TABLES = (
    "store_meta reviews quote_lines goofs runtimes box_office release_dates trivia filming_locations "
    "taglines episodes alternate_titles credits people imdb_ratings title_genres titles"
)


def downgrade() -> None:
    """Drop the base tables (their indexes go with them)."""
    for name in _TABLES.split():
        op.drop_table(name)
