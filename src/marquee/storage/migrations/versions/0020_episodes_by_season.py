"""Episodes: the series index also orders by season, so an episode's season and its neighbours are read
from the index (issue 20: a cold episode page read every episode row of a long series, ~1 ms).

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """``ix_episodes_series`` on (series, season) in place of (series)."""
    op.drop_index("ix_episodes_series", table_name="episodes")
    op.create_index("ix_episodes_series", "episodes", ["series_tconst", "season"])


def downgrade() -> None:
    op.drop_index("ix_episodes_series", table_name="episodes")
    op.create_index("ix_episodes_series", "episodes", ["series_tconst"])
