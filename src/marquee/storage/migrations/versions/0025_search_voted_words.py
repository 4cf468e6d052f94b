"""Search (PostgreSQL): the word lists of the titles' names that have votes, an index of their own,
read before the whole word-list index (``storage.search_window.voted_sql``).

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_ddl

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the partial word-list index (nothing on SQLite: its word index walks the names in
    popularity order)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in search_ddl.DDL_0025["postgresql"]:
            op.execute(statement)


def downgrade() -> None:
    """Drop it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_title_search_word_list_voted")
