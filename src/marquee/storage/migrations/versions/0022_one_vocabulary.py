"""One vocabulary (issue 16, step 4): an integer key is ``title_key`` / ``person_key``, everywhere.

``titles.id`` becomes ``titles.title_key`` and ``people.id`` ``people.person_key``; every integer
``title_id`` / ``person_id`` column that points at them (the film parts, credits, the search and
browse indexes) becomes ``title_key`` / ``person_key``. ``ALTER TABLE … RENAME COLUMN`` on both
backends: a change of the schema alone, no table is copied, so it is instant on a store of any
size (SQLite rewrites the indexes' definitions with the table's; index names stay).

A store upgraded from before 0002/0008 gets its search and browse indexes filled here, after the
renames (those migrations' fill runs today's SQL, which names the columns as they are from here on).

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from marquee.storage import search_index

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# The tables' own keys, and the name every column pointing at them had before.
_OWN_KEYS = {"titles": ("id", "title_key"), "people": ("id", "person_key")}
_REFERENCES = {"title_id": "title_key", "person_id": "person_key"}


def upgrade() -> None:
    """Rename the keys, then fill the search and browse indexes if the store has titles and they are empty."""
    for table, (old, new) in _OWN_KEYS.items():
        _rename(table, old, new)
    _rename_references(_REFERENCES)
    bind = op.get_bind()
    if _has_rows(bind, "titles") and not (
        _has_rows(bind, "title_browse") and _has_rows(bind, _name_index(bind))
    ):
        search_index.rebuild(bind)


def downgrade() -> None:
    """Back to the old names."""
    for table, (old, new) in _OWN_KEYS.items():
        _rename(table, new, old)
    _rename_references({new: old for old, new in _REFERENCES.items()})


def _rename(table: str, old: str, new: str) -> None:
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")


def _rename_references(names: dict[str, str]) -> None:
    """Rename every column of these names, in every table of the store (including the raw DDL ones:
    the search and browse indexes, a titles-first import's ``title_prefix``)."""
    inspector = sa.inspect(op.get_bind())
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if column["name"] in names:
                _rename(table, column["name"], names[column["name"]])


def _name_index(bind: sa.engine.Connection) -> str:
    """The table holding one row per indexed title: its keys (SQLite), its names (PostgreSQL)."""
    return "title_search_keys" if bind.dialect.name == "sqlite" else "title_search"


def _has_rows(bind: sa.engine.Connection, table: str) -> bool:
    return bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None
