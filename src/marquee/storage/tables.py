"""The one ``MetaData`` every table of the store registers on.

Each concern keeps its tables in its own module (``schema`` for films and people,
``community_schema``, ``library_schema``, ``shared_state``, ``browse_index``, ``follows``, ``similar``,
``description_vectors``), all on ``metadata``
below, and names its own group of tables (``schema.FILM_TABLES``, ``community_schema.COMMUNITY_TABLES``,
``library_schema.LIBRARY_TABLES``) for code that works on one group. Tables are created by the
Alembic migrations (``migrations/``), never from this metadata.
"""

from __future__ import annotations

from sqlalchemy import MetaData

__all__ = ["metadata"]

metadata = MetaData()
