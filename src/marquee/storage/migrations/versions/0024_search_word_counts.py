"""Search (PostgreSQL): the dictionary counts the names of each index holding each word, so a query
whose whole words include a rare one reads the word-list index before the popular window
(``storage.search_window.word_bound``).

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_ddl, search_rebuild_pg

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the two counts to ``search_words`` and fill them from the names indexed (nothing on
    SQLite: its word index walks the names in popularity order whatever the word)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in search_ddl.DDL_0024["postgresql"]:
            op.execute(statement)
        # A word no name holds any more (the dictionary never drops one) counts 0.
        op.execute("UPDATE search_words SET title_names = 0, person_names = 0")
        op.execute(
            "UPDATE search_words s SET title_names = c.title_names, person_names = c.person_names"
            f" FROM ({search_rebuild_pg.WORD_COUNTS}) c WHERE c.w = s.word"
        )


def downgrade() -> None:
    """Drop the counts."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_words DROP COLUMN title_names, DROP COLUMN person_names")
