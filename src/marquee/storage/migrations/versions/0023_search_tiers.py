"""Search (PostgreSQL): a trigram index over the most popular names alone (a thirty-second of the
titles' names, a sixty-fourth of the people), the tier a candidate query reads when its popular
window holds too few (``storage.search_window``).

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_rebuild_pg, search_window

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tier index of ``title_search`` and ``person_search`` (nothing on SQLite: its word
    index walks the names in popularity order)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search_rebuild_pg.create_tiers(bind)


def downgrade() -> None:
    """Drop the tier indexes."""
    if op.get_bind().dialect.name == "postgresql":
        for table in ("title_search", "person_search"):
            op.execute(f"DROP INDEX IF EXISTS {search_window.tier_index(table)}")
