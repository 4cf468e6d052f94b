"""Members' names: their Unicode TR39 skeletons, indexed, so a look-alike sign-up is refused by lookup.

``users.name_skeleton`` and ``users.name_skeleton_folded`` hold the skeletons of each name as
written and casefolded ("аdmin" with a Cyrillic а, "adrnin" and "ADMIN" share one); existing
members get theirs here.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from marquee.records_community import name_skeletons

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two columns and their indexes, and fill them for the members there are."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("name_skeleton", sa.String(), nullable=True))
        batch.add_column(sa.Column("name_skeleton_folded", sa.String(), nullable=True))
    op.create_index("ix_users_name_skeleton", "users", ["name_skeleton"])
    op.create_index("ix_users_name_skeleton_folded", "users", ["name_skeleton_folded"])
    conn = op.get_bind()
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_skeleton", sa.String),
        sa.column("name_skeleton_folded", sa.String),
    )
    for row in conn.execute(sa.select(users.c.id, users.c.name)).all():
        written, folded = name_skeletons(row.name)
        conn.execute(
            users.update()
            .where(users.c.id == row.id)
            .values(name_skeleton=written, name_skeleton_folded=folded)
        )


def downgrade() -> None:
    """Drop the indexes and the columns."""
    op.drop_index("ix_users_name_skeleton_folded", table_name="users")
    op.drop_index("ix_users_name_skeleton", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("name_skeleton_folded")
        batch.drop_column("name_skeleton")
