"""Search (PostgreSQL): the trigram index of the titles' names that have votes, read before the
whole trigram index for a query with a word start or a part of a word
(``storage.search_window.voted_sql``).

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_ddl

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the partial trigram index (nothing on SQLite: its indexes walk the names in
    popularity order)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in search_ddl.DDL_0026["postgresql"]:
            op.execute(statement)


def downgrade() -> None:
    """Drop it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_title_search_name_voted")
