"""Read stored films and write them back changed, in one write transaction (a page merge's storage)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select

from marquee.records import Film
from marquee.storage import schema
from marquee.storage.film_io import CHUNK, batched, read_films, refresh_index, write_films
from marquee.storage.sqlstore import SqlStore

__all__ = ["update_films"]


def update_films(
    store: SqlStore, ids: Sequence[str], change: Callable[[dict[str, Film]], Sequence[Film]]
) -> list[Film]:
    """Call ``change`` with the stored films of these ids (``{id: film}``, unknown ids absent) and save
    the films it returns, all in one transaction: a failure anywhere leaves the store as it was.
    Returns the saved films."""
    with store.writing() as conn:
        stored: dict[str, Film] = {}
        for chunk in batched(list(dict.fromkeys(ids)), CHUNK):
            rows = (
                conn.execute(select(schema.titles).where(schema.titles.c.tconst.in_(chunk))).mappings().all()
            )
            stored.update((film.id, film) for film in read_films(conn, rows))
        films = list(change(stored))
        title_ids: list[int] = []
        for chunk_films in batched(films, CHUNK):
            title_ids += write_films(conn, chunk_films, index=False)
        refresh_index(conn, title_ids)
    return films
