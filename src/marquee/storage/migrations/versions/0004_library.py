"""Library: watchlist, diary, member lists and their items, likes, the import log and its changes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _user() -> sa.Column[int]:
    return sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def _import() -> sa.Column[int]:
    return sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=True)


def upgrade() -> None:
    """Create the library tables."""
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user(),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_imports_user", "imports", ["user_id", "created_at"])
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("table_name", sa.String, nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("previous", sa.Text, nullable=True),
    )
    op.create_index("ix_import_changes_import", "import_changes", ["import_id"])
    op.create_table(
        "watchlist",
        _user(),
        sa.Column("tconst", sa.String, nullable=False),
        sa.Column("added_on", sa.Date, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        _import(),
        sa.PrimaryKeyConstraint("user_id", "tconst"),
    )
    op.create_table(
        "diary_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user(),
        sa.Column("tconst", sa.String, nullable=False),
        sa.Column("watched_on", sa.Date, nullable=True),
        sa.Column("logged_on", sa.Date, nullable=True),
        sa.Column("rewatch", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("rating", sa.SmallInteger, nullable=True),
        sa.Column("review", sa.Text, nullable=True),
        sa.Column(
            "review_id", sa.Integer, sa.ForeignKey("member_reviews.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("tags", sa.Text, nullable=False, server_default=""),
        sa.Column("source_uri", sa.String, nullable=False, server_default=""),
        _import(),
    )
    op.create_index("ix_diary_user", "diary_entries", ["user_id", "watched_on"])
    op.create_index("ix_diary_import", "diary_entries", ["import_id"])
    op.create_table(
        "member_lists",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user(),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("slug", sa.String, nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("tags", sa.Text, nullable=False, server_default=""),
        sa.Column("created_on", sa.Date, nullable=True),
        sa.Column("source_uri", sa.String, nullable=False, server_default=""),
        _import(),
        sa.UniqueConstraint("user_id", "slug", name="uq_member_lists_slug"),
    )
    op.create_table(
        "list_items",
        sa.Column(
            "list_id", sa.Integer, sa.ForeignKey("member_lists.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("tconst", sa.String, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        _import(),
        sa.PrimaryKeyConstraint("list_id", "position"),
    )
    op.create_table(
        "likes",
        _user(),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("target", sa.String, nullable=False),
        sa.Column("liked_on", sa.Date, nullable=True),
        _import(),
        sa.PrimaryKeyConstraint("user_id", "kind", "target"),
    )


def downgrade() -> None:
    """Drop the library tables, dependants first."""
    for table in (
        "likes",
        "list_items",
        "member_lists",
        "diary_entries",
        "watchlist",
        "import_changes",
        "imports",
    ):
        op.drop_table(table)
