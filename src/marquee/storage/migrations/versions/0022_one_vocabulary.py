"""One vocabulary (issue 16, step 4): a film is named ``title_id`` (its ``tt…`` id), a person
``person_id`` (``nm…``), everywhere; an integer key is ``title_key`` / ``person_key``.

First the integer keys: ``titles.id`` becomes ``titles.title_key`` and ``people.id``
``people.person_key`` (``imdb_dataset_titles.id`` and ``imdb_dataset_people.id`` likewise); every
integer ``title_id`` / ``person_id`` column that points at them (the film parts, credits, the
search and browse indexes) becomes ``title_key`` / ``person_key``. Then
the public ids: every ``tconst`` column (``titles``, the members' tables, similar films,
description vectors…) becomes ``title_id``, ``people.nconst`` ``person_id`` and
``episodes.series_tconst`` ``series_id``, ``title_similar.similar_tconst`` ``similar_id``; the
member imports' undo log names its rows' keys the same way. IMDb's staging (files, or tables in
a schema of their own) keeps IMDb's names.

``ALTER TABLE … RENAME COLUMN`` on both backends: a change of the schema alone, no table is
copied, so it is instant on a store of any size (SQLite rewrites the indexes' definitions with the
table's; index names stay). The undo log is a small table of JSON texts, rewritten in one UPDATE.

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
_OWN_KEYS = {
    "titles": ("id", "title_key"),
    "people": ("id", "person_key"),
    # Which titles and people the last IMDb dataset import brought: their keys.
    "imdb_dataset_titles": ("id", "title_key"),
    "imdb_dataset_people": ("id", "person_key"),
}
_REFERENCES = {"title_id": "title_key", "person_id": "person_key"}
# The public ids, in every table (after the renames above have freed ``title_id`` and ``person_id``).
# PostgreSQL's names made from the old column names (a fresh table would be named after the new).
_PG_OBJECTS = {
    "titles_tconst_key": "titles_title_id_key",
    "people_nconst_key": "people_person_id_key",
    "titles_id_seq": "titles_title_key_seq",
    "people_id_seq": "people_person_key_seq",
}
_PUBLIC = {
    "tconst": "title_id",
    "nconst": "person_id",
    "series_tconst": "series_id",
    "similar_tconst": "similar_id",
}


def upgrade() -> None:
    """Rename the keys and the ids, then fill the search and browse indexes if the store has titles
    and they are empty."""
    for table, (old, new) in _OWN_KEYS.items():
        _rename(table, old, new)
    _rename_columns(_REFERENCES)
    _rename_columns(_PUBLIC)
    _rename_undo_keys("tconst", "title_id")
    _rename_pg_objects(_PG_OBJECTS)
    bind = op.get_bind()
    if _has_rows(bind, "titles") and not (
        _has_rows(bind, "title_browse") and _has_rows(bind, _name_index(bind))
    ):
        search_index.rebuild(bind)


def downgrade() -> None:
    """Back to the old names."""
    _rename_pg_objects({new: old for old, new in _PG_OBJECTS.items()})
    _rename_undo_keys("title_id", "tconst")
    _rename_columns({new: old for old, new in _PUBLIC.items()})
    for table, (old, new) in _OWN_KEYS.items():
        _rename(table, new, old)
    _rename_columns({new: old for old, new in _REFERENCES.items()})


def _rename(table: str, old: str, new: str) -> None:
    op.execute(f"ALTER TABLE {table} RENAME COLUMN {old} TO {new}")


def _rename_columns(names: dict[str, str]) -> None:
    """Rename every column of these names, in every table of the store (including the raw DDL ones:
    the search and browse indexes, a titles-first import's ``title_prefix``). IMDb's staging tables
    live in a schema of their own while an import runs: not renamed, they keep IMDb's names."""
    inspector = sa.inspect(op.get_bind())
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if column["name"] in names:
                _rename(table, column["name"], names[column["name"]])


def _rename_pg_objects(names: dict[str, str]) -> None:
    """PostgreSQL named the unique ids' constraints and the keys' sequences after the old columns."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for old, new in names.items():
        kind = "SEQUENCE" if old.endswith("_seq") else "INDEX"  # a unique index renames its constraint
        op.execute(f"ALTER {kind} IF EXISTS {old} RENAME TO {new}")


def _rename_undo_keys(old: str, new: str) -> None:
    """The undo log of member imports names each row by its columns (JSON): the film's under its new name."""
    for column in ("row_key", "previous"):
        op.execute(
            f"UPDATE import_changes SET {column} = replace({column}, '\"{old}\":', '\"{new}\":')"
            f" WHERE {column} LIKE '%\"{old}\":%'"
        )


def _name_index(bind: sa.engine.Connection) -> str:
    """The table holding one row per indexed title: its keys (SQLite), its names (PostgreSQL)."""
    return "title_search_keys" if bind.dialect.name == "sqlite" else "title_search"


def _has_rows(bind: sa.engine.Connection, table: str) -> bool:
    return bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None
