"""Search (PostgreSQL): the tier's names' word lists, a partial index at the tier index's bound, for
a query of whole words that the popular window holds too few of
(``storage.search_window.create_word_tier_sql``).

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

from alembic import op

from marquee.storage import search_rebuild_pg, search_window
from marquee.storage.search_layout import NAME_KEYS

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the word-list tier of each name index that has a tier (nothing on SQLite)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search_rebuild_pg.create_word_tiers(bind)


def downgrade() -> None:
    """Drop them."""
    if op.get_bind().dialect.name == "postgresql":
        for table in NAME_KEYS:
            op.execute(f"DROP INDEX IF EXISTS {search_window.word_tier_index(table)}")
