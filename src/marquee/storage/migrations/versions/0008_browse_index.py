"""Browse: the browse index (``title_browse`` and its counts per genre and kind), filled from the tables.

The indexes browse and charts read before (titles by year and by kind, genres by genre, ratings
by votes) are dropped: nothing else reads them, and bulk imports no longer build them.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from marquee.storage import browse_index

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


_OLD_INDEXES = {
    "ix_titles_start_year": ("titles", ["start_year"]),
    "ix_titles_kind": ("titles", ["kind"]),
    "ix_title_genres_genre": ("title_genres", ["genre", "title_id"]),
    "ix_imdb_ratings_votes": ("imdb_ratings", ["votes"]),
}


def upgrade() -> None:
    """Create the tables (a store upgraded from 0001 may have them already: made again). 0022 fills
    them: the fill reads the tables under the names they have from 0022 on."""
    op.execute("DROP TABLE IF EXISTS title_browse_counts")
    op.execute("DROP TABLE IF EXISTS title_browse")
    for statement in browse_index.DDL[op.get_bind().dialect.name]:
        op.execute(statement)
    for name, (table, _) in _OLD_INDEXES.items():
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    """Drop them, and make the old indexes again."""
    op.execute("DROP TABLE IF EXISTS title_browse_counts")
    op.execute("DROP TABLE IF EXISTS title_browse")
    for name, (table, columns) in _OLD_INDEXES.items():
        op.create_index(name, table, columns)
