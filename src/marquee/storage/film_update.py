"""Read stored films and write them back changed, in one write transaction (a page merge's storage)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.engine import Connection

from marquee.records import Film
from marquee.storage import schema
from marquee.storage.film_io import CHUNK, batched, read_films, refresh_index, write_films
from marquee.storage.revisions import edited_film_ids, films_on
from marquee.storage.sqlstore import SqlStore

__all__ = ["Guard", "save_films_guarded", "update_films"]

# Called on the write connection with the stored films and the films about to replace them; returns
# the films to write instead (``services.editing.keep_member_edits``: members' edits survive imports).
Guard = Callable[[Connection, dict[str, Film], list[Film]], list[Film]]


def update_films(
    store: SqlStore,
    ids: Sequence[str],
    change: Callable[[dict[str, Film]], Sequence[Film]],
    guard: Guard | None = None,
) -> list[Film]:
    """Call ``change`` with the stored films of these ids (``{id: film}``, unknown ids absent) and save
    the films it returns, all in one transaction: a failure anywhere leaves the store as it was.
    Returns the saved films."""
    with store.writing() as conn:
        stored: dict[str, Film] = {}
        for chunk in batched(list(dict.fromkeys(ids)), CHUNK):
            rows = (
                conn.execute(select(schema.titles).where(schema.titles.c.title_id.in_(chunk)))
                .mappings()
                .all()
            )
            stored.update((film.id, film) for film in read_films(conn, rows))
        films = list(change(stored))
        if guard is not None:
            films = guard(conn, stored, films)
        title_keys: list[int] = []
        for chunk_films in batched(films, CHUNK):
            title_keys += write_films(conn, chunk_films, index=False)
        refresh_index(conn, title_keys)
    return films


def save_films_guarded(store: SqlStore, films: Iterable[Film], guard: Guard) -> int:
    """Save many films in one transaction like ``SqlStore.save_films``; those that have revisions pass
    through ``guard`` first (with their stored versions). Returns how many films were read."""
    count, title_keys = 0, []
    with store.writing() as conn:
        edited = set(edited_film_ids(conn))
        for chunk in batched(films, CHUNK):
            count += len(chunk)
            latest = {film.id: film for film in chunk}  # the last one of an id wins, as in write_films
            touched = [film for film in latest.values() if film.id in edited]
            if touched:
                stored = films_on(conn, [film.id for film in touched])
                guarded = {film.id: film for film in guard(conn, stored, touched)}
                latest.update(guarded)
            title_keys += write_films(conn, list(latest.values()), index=False)
        refresh_index(conn, title_keys)
    return count
