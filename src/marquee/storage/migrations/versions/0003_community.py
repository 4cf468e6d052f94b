"""Community: members, sessions, API tokens, ratings, reviews, votes, comments, reports, moderation log.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _user_fk(name: str = "user_id", nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column[object]:
    return sa.Column(name, sa.Integer, sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    """Create the community tables."""
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("name_key", sa.String, nullable=False, unique=True),
        sa.Column("password_hash", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False, server_default="member"),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        _ts("created_at"),
        sa.CheckConstraint("role IN ('member', 'moderator', 'admin')", name="ck_users_role"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column("token_hash", sa.String, nullable=False, unique=True),
        sa.Column("prefix", sa.String, nullable=False),
        sa.Column("label", sa.String),
        _ts("created_at"),
        _ts("last_used_at", nullable=True),
        _ts("revoked_at", nullable=True),
    )
    op.create_index("ix_api_tokens_user", "api_tokens", ["user_id"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _user_fk(),
        sa.Column("token_hash", sa.String, nullable=False, unique=True),
        _ts("created_at"),
        _ts("expires_at"),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.create_table(
        "member_ratings",
        _user_fk(),
        sa.Column("tconst", sa.String, nullable=False),
        sa.Column("score", sa.SmallInteger, nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("user_id", "tconst"),
        sa.CheckConstraint("score BETWEEN 1 AND 10", name="ck_member_ratings_score"),
    )
    op.create_index("ix_member_ratings_title", "member_ratings", ["tconst", "score"])
    op.create_table(
        "member_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tconst", sa.String, nullable=False),
        _user_fk(),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("score_value", sa.Float),
        sa.Column("score_scale", sa.Integer),
        sa.Column("spoiler", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.String, nullable=False, server_default="visible"),
        _ts("created_at"),
        _ts("updated_at", nullable=True),
        sa.UniqueConstraint("user_id", "tconst", name="uq_member_reviews_user_title"),
    )
    op.create_index("ix_member_reviews_title", "member_reviews", ["tconst", "created_at"])
    op.create_table(
        "review_votes",
        sa.Column(
            "review_id", sa.Integer, sa.ForeignKey("member_reviews.id", ondelete="CASCADE"), nullable=False
        ),
        _user_fk(),
        sa.Column("helpful", sa.Boolean, nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("review_id", "user_id"),
    )
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tconst", sa.String, nullable=False),
        sa.Column("review_id", sa.Integer, sa.ForeignKey("member_reviews.id", ondelete="CASCADE")),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("comments.id", ondelete="CASCADE")),
        _user_fk(),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="visible"),
        _ts("created_at"),
        _ts("updated_at", nullable=True),
    )
    op.create_index("ix_comments_title", "comments", ["tconst", "review_id", "created_at"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("target", sa.String, nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        _user_fk("reporter_id"),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        _ts("created_at"),
        _ts("resolved_at", nullable=True),
        _user_fk("resolved_by", nullable=True, ondelete="SET NULL"),
        sa.UniqueConstraint("target", "target_id", "reporter_id", name="uq_reports_once"),
    )
    op.create_index("ix_reports_open", "reports", ["resolved_at", "created_at"])
    op.create_table(
        "moderation_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("moderator_id", sa.Integer),
        sa.Column("moderator_name", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("target", sa.String, nullable=False),
        sa.Column("target_id", sa.String, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        _ts("created_at"),
    )
    op.create_index("ix_moderation_log_created", "moderation_log", ["created_at"])


def downgrade() -> None:
    """Drop the community tables, dependants first."""
    for table in (
        "moderation_log",
        "reports",
        "comments",
        "review_votes",
        "member_reviews",
        "member_ratings",
        "sessions",
        "api_tokens",
        "users",
    ):
        op.drop_table(table)
