"""Genre names in the store (the browse form lists them)."""

from __future__ import annotations

from sqlalchemy import func, select

from marquee.storage import schema
from marquee.storage.base import Store

__all__ = ["common_genres"]


def common_genres(store: Store, limit: int = 200) -> list[str]:
    """The ``limit`` genres most titles have, sorted by name."""
    genre = schema.title_genres.c.genre
    query = select(genre, func.count()).group_by(genre).order_by(func.count().desc()).limit(limit)
    with store.reading() as conn:
        rows = conn.execute(query).all()
    return sorted(str(row[0]) for row in rows)
