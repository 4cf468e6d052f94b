"""A member's library (issue 8): watchlist, diary, lists, likes, and the log of imports.

On the store's one ``MetaData`` (``tables.metadata``); migration ``0004_library`` creates the tables. Rows
name films by ``title_id`` and members by ``users.id``, as the community's do.

Every row an import writes carries that import's ``import_id``, so undoing it deletes exactly
those rows. Rows of other tables an import changes (``member_ratings``, ``member_reviews``,
films added to ``titles``) are not altered to carry the id: instead ``import_changes`` keeps,
per changed row, its key and its previous value as JSON (NULL: the row did not exist), and
undo puts those back.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from marquee.storage import community_schema  # noqa: F401  (users, member_reviews: foreign keys resolve)
from marquee.storage.tables import id_column, member_column, metadata, time_column

__all__ = [
    "LIBRARY_TABLES",
    "diary_entries",
    "import_changes",
    "imports",
    "likes",
    "list_items",
    "member_lists",
    "watchlist",
]


def _import() -> Column[int]:
    return Column("import_id", Integer, ForeignKey("imports.id"), nullable=True)


imports = Table(
    "imports",
    metadata,
    id_column(),
    member_column(),
    Column("kind", String, nullable=False),
    Column("source", String, nullable=False),
    Column("dry_run", Boolean, nullable=False, server_default=false()),
    time_column("created_at"),
    time_column("undone_at", nullable=True),
    Column("summary", Text, nullable=False, server_default="{}"),
)
Index("ix_imports_user", imports.c.user_id, imports.c.created_at)

import_changes = Table(
    "import_changes",
    metadata,
    id_column(),
    Column("import_id", Integer, ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    Column("table_name", String, nullable=False),
    Column("row_key", Text, nullable=False),
    Column("previous", Text, nullable=True),
)
Index("ix_import_changes_import", import_changes.c.import_id)

watchlist = Table(
    "watchlist",
    metadata,
    member_column(),
    Column("title_id", String, nullable=False),
    Column("added_on", Date, nullable=True),
    Column("note", Text, nullable=True),
    _import(),
    PrimaryKeyConstraint("user_id", "title_id"),
)

diary_entries = Table(
    "diary_entries",
    metadata,
    id_column(),
    member_column(),
    Column("title_id", String, nullable=False),
    Column("watched_on", Date, nullable=True),
    Column("logged_on", Date, nullable=True),
    Column("rewatch", Boolean, nullable=False, server_default=false()),
    Column("rating", SmallInteger, nullable=True),
    Column("review", Text, nullable=True),
    Column("review_id", Integer, ForeignKey("member_reviews.id", ondelete="SET NULL"), nullable=True),
    Column("tags", Text, nullable=False, server_default=""),
    # Letterboxd's URI of the entry ("" when none): part of the key a re-import is deduplicated by.
    Column("source_uri", String, nullable=False, server_default=""),
    _import(),
)
Index("ix_diary_user", diary_entries.c.user_id, diary_entries.c.watched_on)
Index("ix_diary_import", diary_entries.c.import_id)

member_lists = Table(
    "member_lists",
    metadata,
    id_column(),
    member_column(),
    Column("name", String, nullable=False),
    Column("slug", String, nullable=False),
    Column("description", Text, nullable=True),
    Column("tags", Text, nullable=False, server_default=""),
    Column("created_on", Date, nullable=True),
    Column("source_uri", String, nullable=False, server_default=""),
    _import(),
    UniqueConstraint("user_id", "slug", name="uq_member_lists_slug"),
)

list_items = Table(
    "list_items",
    metadata,
    Column("list_id", Integer, ForeignKey("member_lists.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title_id", String, nullable=False),
    Column("note", Text, nullable=True),
    _import(),
    PrimaryKeyConstraint("list_id", "position"),
)

likes = Table(
    "likes",
    metadata,
    member_column(),
    Column("kind", String, nullable=False),
    Column("target", String, nullable=False),
    Column("liked_on", Date, nullable=True),
    _import(),
    PrimaryKeyConstraint("user_id", "kind", "target"),
)

# This module's tables (members' libraries'; other modules' tables share ``metadata``).
LIBRARY_TABLES: tuple[Table, ...] = (
    imports,
    import_changes,
    watchlist,
    diary_entries,
    member_lists,
    list_items,
    likes,
)
