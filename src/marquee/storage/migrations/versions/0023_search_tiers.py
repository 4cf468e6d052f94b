"""Search (PostgreSQL): a trigram index over the most popular names alone (a thirty-second of the
titles' names, a sixty-fourth of the people), the tier a candidate query reads when its popular
window holds too few; and each name's words as an array, for the whole words of a query that
both hold too few of (``storage.search_window``).

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_ddl, search_rebuild_pg, search_window

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tier index and the word-list index of ``title_search`` and ``person_search``
    (nothing on SQLite: its word index walks the names in popularity order)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search_rebuild_pg.create_tiers(bind)
        for statement in search_ddl.DDL_0023["postgresql"]:
            op.execute(statement)


def downgrade() -> None:
    """Drop the tier and word-list indexes."""
    if op.get_bind().dialect.name == "postgresql":
        for table in ("title_search", "person_search"):
            op.execute(f"DROP INDEX IF EXISTS {search_window.tier_index(table)}")
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_word_list")
