"""The moderation queue for edits: a revision's ``status`` and the revision an approval made; a
person's ``biography`` (members edit people too; their revisions name ``person:ID``).

``revisions.status`` is ``live`` (applied to the film: every revision before this one),
``pending`` (a new member's edit waiting for a moderator), ``approved`` (applied as the revision
``applied_as``) or ``rejected`` (kept in the history, never applied).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add both columns; every existing revision is live."""
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("status", sa.String(), nullable=False, server_default="live"))
        batch.add_column(sa.Column("applied_as", sa.Integer()))
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("biography", sa.Text()))


def downgrade() -> None:
    """Drop them (pending and rejected revisions become indistinguishable from live ones)."""
    with op.batch_alter_table("people") as batch:
        batch.drop_column("biography")
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("applied_as")
        batch.drop_column("status")
