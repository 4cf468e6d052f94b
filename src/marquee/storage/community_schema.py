"""The community's tables (issue 6): members, sessions, tokens, ratings, reviews, comments, moderation.

On the store's one ``MetaData`` (``tables.metadata``), as ``COMMUNITY_TABLES``; migration
``0003_community`` creates them. Rows name their film by ``title_id`` (not ``titles.title_key``) so that
re-importing or replacing a film never orphans what members wrote about it; they name members
by ``users.id``.

Members' reviews get their own table: imported page reviews stay in ``reviews`` with their
author, date and score, untouched by anything members do.
Comments closed on a film reuse ``titles.comments_open``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
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

from marquee.storage.tables import id_column, member_column, metadata, time_column

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


users = Table(
    "users",
    metadata,
    id_column(),
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
    time_column("created_at"),
    # Set when the account was deleted: the row stays as "deleted member N", with no password.
    time_column("deleted_at", nullable=True),
    CheckConstraint("role IN ('member', 'editor', 'moderator', 'admin')", name="ck_users_role"),
)


def _secret_table(name: str, *columns: Column[Any]) -> Table:
    """A member's secrets (``id``, ``user_id``, ``token_hash``, then ``columns``), looked up by member
    through ``ix_<name>_user``. Only a SHA-256 of each secret is kept: a leaked table opens no account."""
    table = Table(
        name,
        metadata,
        id_column(),
        member_column(),
        Column("token_hash", String, nullable=False, unique=True),
        *columns,
    )
    Index(f"ix_{name}_user", table.c.user_id)
    return table


# One-time password-reset links (``marquee user reset-password``): a link is good for an hour and once.
password_resets = _secret_table(
    "password_resets",
    time_column("created_at"),
    time_column("expires_at"),
    time_column("used_at", nullable=True),
)
api_tokens = _secret_table(
    "api_tokens",
    Column("prefix", String, nullable=False),
    Column("label", String),
    time_column("created_at"),
    time_column("last_used_at", nullable=True),
    time_column("revoked_at", nullable=True),
)
sessions = _secret_table("sessions", time_column("created_at"), time_column("expires_at"))

member_ratings = Table(
    "member_ratings",
    metadata,
    member_column(),
    Column("title_id", String, nullable=False),
    Column("score", SmallInteger, nullable=False),
    time_column("created_at"),
    time_column("updated_at"),
    PrimaryKeyConstraint("user_id", "title_id"),
    CheckConstraint("score BETWEEN 1 AND 10", name="ck_member_ratings_score"),
)
Index("ix_member_ratings_title", member_ratings.c.title_id, member_ratings.c.score)

member_reviews = Table(
    "member_reviews",
    metadata,
    id_column(),
    Column("title_id", String, nullable=False),
    member_column(),
    Column("title", String, nullable=False),
    Column("body", Text, nullable=False),
    Column("score_value", Float),
    Column("score_scale", Integer),
    Column("spoiler", Boolean, nullable=False, server_default=false()),
    Column("status", String, nullable=False, server_default="visible"),
    time_column("created_at"),
    time_column("updated_at", nullable=True),
    UniqueConstraint("user_id", "title_id", name="uq_member_reviews_user_title"),
)
Index("ix_member_reviews_title", member_reviews.c.title_id, member_reviews.c.created_at)

review_votes = Table(
    "review_votes",
    metadata,
    Column("review_id", Integer, ForeignKey("member_reviews.id", ondelete="CASCADE"), nullable=False),
    member_column(),
    Column("helpful", Boolean, nullable=False),
    time_column("created_at"),
    PrimaryKeyConstraint("review_id", "user_id"),
)

comments = Table(
    "comments",
    metadata,
    id_column(),
    Column("title_id", String, nullable=False),
    Column("review_id", Integer, ForeignKey("member_reviews.id", ondelete="CASCADE")),
    Column("parent_id", Integer, ForeignKey("comments.id", ondelete="CASCADE")),
    member_column(),
    Column("body", Text, nullable=False),
    Column("status", String, nullable=False, server_default="visible"),
    time_column("created_at"),
    time_column("updated_at", nullable=True),
)
Index("ix_comments_title", comments.c.title_id, comments.c.review_id, comments.c.created_at)

reports = Table(
    "reports",
    metadata,
    id_column(),
    Column("target", String, nullable=False),
    Column("target_id", Integer, nullable=False),
    member_column("reporter_id"),
    Column("reason", Text, nullable=False, server_default=""),
    time_column("created_at"),
    time_column("resolved_at", nullable=True),
    Column("resolved_by", Integer, ForeignKey("users.id", ondelete="SET NULL")),
    UniqueConstraint("target", "target_id", "reporter_id", name="uq_reports_once"),
)
Index("ix_reports_open", reports.c.resolved_at, reports.c.created_at)

# Kept forever: who did what, when. Names are copied so the log survives a deleted account.
moderation_log = Table(
    "moderation_log",
    metadata,
    id_column(),
    Column("moderator_id", Integer),
    Column("moderator_name", String, nullable=False),
    Column("action", String, nullable=False),
    Column("target", String, nullable=False),
    Column("target_id", String, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    time_column("created_at"),
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
