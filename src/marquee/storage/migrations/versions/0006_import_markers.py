"""IMDb import: its marker tables in the schema, and the credits index by person, then title.

``imdb_dataset_titles`` / ``imdb_dataset_people`` (which titles and people the last dataset import
brought) were created by the importer itself; now the schema has them. ``ix_credits_person``
gains ``title_id``: a person's titles are read from the index alone (person pages, and the
search index's "how known" aggregate, which no longer sorts every credit).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the marker tables (if an import made them already, keep them) and widen the index."""
    for name in ("imdb_dataset_titles", "imdb_dataset_people"):
        op.execute(f"CREATE TABLE IF NOT EXISTS {name} (id INTEGER NOT NULL, PRIMARY KEY (id))")
    op.drop_index("ix_credits_person", table_name="credits")
    op.create_index("ix_credits_person", "credits", ["person_id", "title_id"])


def downgrade() -> None:
    """Back to the person-only index (the marker tables stay: the importer used to make them)."""
    op.drop_index("ix_credits_person", table_name="credits")
    op.create_index("ix_credits_person", "credits", ["person_id"])
