"""Genre names in the store (the browse form lists them)."""

from __future__ import annotations

from sqlalchemy import text

from marquee.storage.base import Store
from marquee.storage.browse_index import genre_key_sql

__all__ = ["common_genres"]

# The genres with most titles, from the browse index's counts per (genre key, kind): a few rows, where
# counting title_genres read every title's genres (53 ms at 100k titles, seconds at 12M, each time
# the cached list expired). Each key is shown as one of its titles spells it ("Sci-Fi" for
# "sci fi"): the first title under the key in the browse index, its genre with that key.
_COMMON = (
    "SELECT k.genre, (SELECT g.genre FROM title_genres g"
    " WHERE g.title_key = (SELECT b.title_key FROM title_browse b WHERE b.genre = k.genre LIMIT 1)"
    f" AND {genre_key_sql('g.genre')} = k.genre ORDER BY g.ordering LIMIT 1)"
    " FROM (SELECT c.genre, sum(c.n) AS n FROM title_browse_counts c WHERE c.genre <> ''"
    " GROUP BY c.genre ORDER BY n DESC, c.genre LIMIT :limit) k"
)


def common_genres(store: Store, limit: int = 200) -> list[str]:
    """The ``limit`` genres most titles have, sorted by name (one spelling a genre)."""
    with store.reading() as conn:
        rows = conn.execute(text(_COMMON), {"limit": limit}).all()
    return sorted(str(spelling or key) for key, spelling in rows)
