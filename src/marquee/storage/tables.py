"""The one ``MetaData`` every table of the store registers on, and the columns many tables share.

Each concern keeps its tables in its own module (``schema`` for films and people,
``community_schema``, ``library_schema``, ``shared_state``, ``browse_index``, ``follows``, ``similar``,
``description_vectors``), all on ``metadata``
below, and names its own group of tables (``schema.FILM_TABLES``, ``community_schema.COMMUNITY_TABLES``,
``library_schema.LIBRARY_TABLES``) for code that works on one group. Tables are created by the
Alembic migrations (``migrations/``), never from this metadata.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, Integer, MetaData

__all__ = ["id_column", "member_column", "metadata", "time_column"]

metadata = MetaData()


def id_column(name: str = "id") -> Column[int]:
    """The table's own key (``id``; ``title_key``, ``person_key``), numbered by the database."""
    return Column(name, Integer, primary_key=True, autoincrement=True)


def member_column(name: str = "user_id") -> Column[int]:
    """A member the row belongs to (``users.id``): the row goes when the member's account does."""
    return Column(name, Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def time_column(name: str, nullable: bool = False) -> Column[dt.datetime]:
    """A moment, with its time zone (``created_at``, ``expires_at``…)."""
    return Column(name, DateTime(timezone=True), nullable=nullable)
