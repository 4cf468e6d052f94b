"""User administration: the ``editor`` role, deleted members, one-time password-reset links.

``users.role`` may now be ``editor`` (member < editor < moderator < admin); ``users.deleted_at``
marks a member whose account was deleted (the row stays, nameless, so what they wrote can stay
anonymised); ``password_resets`` keeps the SHA-256 of each one-time reset link's secret.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_OLD_ROLES = "role IN ('member', 'moderator', 'admin')"
_NEW_ROLES = "role IN ('member', 'editor', 'moderator', 'admin')"


def _roles(check: str) -> None:
    with op.batch_alter_table("users", recreate="auto") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", sa.text(check))


def upgrade() -> None:
    """Allow the editor role; add ``users.deleted_at`` and the ``password_resets`` table."""
    _roles(_NEW_ROLES)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String, nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_password_resets_user", "password_resets", ["user_id"])


def downgrade() -> None:
    """Drop the table and the column; editors become members again."""
    op.drop_index("ix_password_resets_user", table_name="password_resets")
    op.drop_table("password_resets")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("deleted_at")
    op.execute("UPDATE users SET role = 'member' WHERE role = 'editor'")
    _roles(_OLD_ROLES)
