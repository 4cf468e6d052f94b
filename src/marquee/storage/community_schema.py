"""The community's tables (issue 6): members, sessions, tokens, ratings, reviews, comments, moderation.

On the store's one ``MetaData`` (``tables.metadata``), as ``COMMUNITY_TABLES``; migration
``0003_community`` creates them. Rows name their film by ``tconst`` (not ``titles.id``) so that
re-importing or replacing a film never orphans what members wrote about it; they name members
by ``users.id``.

Members' reviews get their own table: imported page reviews stay in ``reviews`` with their
author, date and score, untouched by anything members do.
Comments closed on a film reuse ``titles.comments_open``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from marquee.storage.tables import metadata

__all__ = [
    "COMMUNITY_TABLES",
    "api_tokens",
    "comments",
    "member_ratings",
    "member_reviews",
    "moderation_log",
    "password_resets",
    "reports",
    "review_votes",
    "sessions",
    "users",
]


def _now_column(name: str, nullable: bool = False) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String, nullable=False),
    # NFKC + casefold of the name: "Admin" and "ａｄｍｉｎ" are the same member.
    Column("name_key", String, nullable=False, unique=True),
    # Unicode TR39 skeletons of the name as written (NFKC) and casefolded: "аdmin" (Cyrillic а),
    # "adrnin" and "ADMIN" share one, so a sign-up that looks like a member is a lookup away.
    Column("name_skeleton", String, nullable=True, index=True),
    Column("name_skeleton_folded", String, nullable=True, index=True),
    Column("password_hash", String, nullable=False),
    Column("role", String, nullable=False, server_default="member"),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    _now_column("created_at"),
    # Set when the account was deleted: the row stays as "deleted member N", with no password.
    _now_column("deleted_at", nullable=True),
    CheckConstraint("role IN ('member', 'editor', 'moderator', 'admin')", name="ck_users_role"),
)

# One-time password-reset links (``marquee user reset-password``): only the secret's SHA-256 is
# kept; a link is good for an hour and once.
password_resets = Table(
    "password_resets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String, nullable=False, unique=True),
    _now_column("created_at"),
    _now_column("expires_at"),
    _now_column("used_at", nullable=True),
)
Index("ix_password_resets_user", password_resets.c.user_id)

# Only a SHA-256 of each secret is kept: a leaked table opens no account.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String, nullable=False, unique=True),
    Column("prefix", String, nullable=False),
    Column("label", String),
    _now_column("created_at"),
    _now_column("last_used_at", nullable=True),
    _now_column("revoked_at", nullable=True),
)
Index("ix_api_tokens_user", api_tokens.c.user_id)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String, nullable=False, unique=True),
    _now_column("created_at"),
    _now_column("expires_at"),
)
Index("ix_sessions_user", sessions.c.user_id)

member_ratings = Table(
    "member_ratings",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("tconst", String, nullable=False),
    Column("score", SmallInteger, nullable=False),
    _now_column("created_at"),
    _now_column("updated_at"),
    PrimaryKeyConstraint("user_id", "tconst"),
    CheckConstraint("score BETWEEN 1 AND 10", name="ck_member_ratings_score"),
)
Index("ix_member_ratings_title", member_ratings.c.tconst, member_ratings.c.score)

member_reviews = Table(
    "member_reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tconst", String, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String, nullable=False),
    Column("body", Text, nullable=False),
    Column("score_value", Float),
    Column("score_scale", Integer),
    Column("spoiler", Boolean, nullable=False, server_default=false()),
    Column("status", String, nullable=False, server_default="visible"),
    _now_column("created_at"),
    _now_column("updated_at", nullable=True),
    UniqueConstraint("user_id", "tconst", name="uq_member_reviews_user_title"),
)
Index("ix_member_reviews_title", member_reviews.c.tconst, member_reviews.c.created_at)

review_votes = Table(
    "review_votes",
    metadata,
    Column("review_id", Integer, ForeignKey("member_reviews.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("helpful", Boolean, nullable=False),
    _now_column("created_at"),
    PrimaryKeyConstraint("review_id", "user_id"),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tconst", String, nullable=False),
    Column("review_id", Integer, ForeignKey("member_reviews.id", ondelete="CASCADE")),
    Column("parent_id", Integer, ForeignKey("comments.id", ondelete="CASCADE")),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String, nullable=False, server_default="visible"),
    _now_column("created_at"),
    _now_column("updated_at", nullable=True),
)
Index("ix_comments_title", comments.c.tconst, comments.c.review_id, comments.c.created_at)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target", String, nullable=False),
    Column("target_id", Integer, nullable=False),
    Column("reporter_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    _now_column("created_at"),
    _now_column("resolved_at", nullable=True),
    Column("resolved_by", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    UniqueConstraint("target", "target_id", "reporter_id", name="uq_reports_once"),
)
Index("ix_reports_open", reports.c.resolved_at, reports.c.created_at)

# Kept forever: who did what, when. Names are copied so the log survives a deleted account.
moderation_log = Table(
    "moderation_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("moderator_id", Integer),
    Column("moderator_name", String, nullable=False),
    Column("action", String, nullable=False),
    Column("target", String, nullable=False),
    Column("target_id", String, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    _now_column("created_at"),
)
Index("ix_moderation_log_created", moderation_log.c.created_at)

# This module's tables (the community's; other modules' tables share ``metadata``).
COMMUNITY_TABLES: tuple[Table, ...] = (
    users,
    password_resets,
    api_tokens,
    sessions,
    member_ratings,
    member_reviews,
    review_votes,
    comments,
    reports,
    moderation_log,
)
