"""A member's library: watchlist, diary of viewings, lists and likes; read, and written.

``LibraryWriter`` (``storage.library_writer``, re-exported here) is how everything writes (a member
on the site, an import, an archive); the reads' SQL is in ``storage.library_rows``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from marquee.errors import InputError, NotFound
from marquee.records_library import (
    DiaryEntry,
    ImportReport,
    LikeEntry,
    ListItem,
    MemberList,
    WatchlistEntry,
)
from marquee.services.accounts import name_key
from marquee.storage import library_rows as rows
from marquee.storage.base import Store
from marquee.storage.library_writer import DiaryIn, LibraryWriter, tags_list
from marquee.storage.transactions import Conn, now, transaction

__all__ = [
    "DiaryIn",
    "LibraryWriter",
    "add_to_watchlist",
    "create_list",
    "diary",
    "get_list",
    "list_owner",
    "log_viewing",
    "member_likes",
    "member_lists_of",
    "remove_from_watchlist",
    "require_film",
    "user_id_for",
    "watchlist_of",
]


def user_id_for(conn: Conn, user_name: str) -> int:
    """The internal id of the member with this name; NotFound if none."""
    found = rows.user_id_by_key(conn, name_key(user_name))
    if found is None:
        raise NotFound(f"no member named {user_name!r}")
    return found


# ---- reading -------------------------------------------------------------------------------------

FilmNames = dict[str, tuple[str, int | None]]  # tconst -> (title, year), as ``rows.film_names`` reads them


def _rows_and_names(
    store: Store, user_name: str, read: Callable[[Conn, int], list[Any]]
) -> tuple[list[Any], FilmNames]:
    """The member's rows ``read`` gives, and the title and year of each film they name."""
    with store.reading() as conn:
        found = read(conn, user_id_for(conn, user_name))
        return found, rows.film_names(conn, (r.title_id for r in found))


def _film_fields(names: FilmNames, tconst: str) -> dict[str, Any]:
    """An entry's ``film_id``, ``title`` and ``year`` (title and year None for a film not stored)."""
    title, year = names.get(tconst, (None, None))
    return {"film_id": tconst, "title": title, "year": year}


def watchlist_of(store: Store, user_name: str) -> list[WatchlistEntry]:
    """The member's watchlist, oldest addition first."""
    found, names = _rows_and_names(store, user_name, rows.watchlist_rows)
    entries = [
        WatchlistEntry(**_film_fields(names, r.title_id), added_on=r.added_on, note=r.note) for r in found
    ]
    entries.sort(key=lambda e: (e.added_on or dt.date.max, e.film_id))
    return entries


def diary(store: Store, user_name: str) -> list[DiaryEntry]:
    """The member's viewings, newest first (undated ones last)."""
    found, names = _rows_and_names(store, user_name, rows.diary_rows)
    entries = [
        DiaryEntry(
            id=r.id,
            **_film_fields(names, r.title_id),
            watched_on=r.watched_on,
            logged_on=r.logged_on,
            rewatch=bool(r.rewatch),
            rating=r.rating,
            review=r.review,
            review_id=r.review_id,
            review_linked=r.review_id is not None,
            tags=tags_list(r.tags),
            source_uri=r.source_uri,
        )
        for r in found
    ]
    # Sorted in Python: NULL order differs between the backends.
    entries.sort(
        key=lambda e: (
            e.watched_on is None,
            -(e.watched_on or dt.date.min).toordinal(),
            e.film_id,
            e.rewatch,
            e.source_uri,
        )
    )
    return entries


def _list_record(conn: Conn, row: Any) -> MemberList:
    items = rows.item_rows(conn, row.id)
    names = rows.film_names(conn, (i.title_id for i in items))
    return MemberList(
        id=row.id,
        name=row.name,
        slug=row.slug,
        description=row.description,
        tags=tags_list(row.tags),
        created_on=row.created_on,
        source_uri=row.source_uri,
        items=[ListItem(position=i.position, **_film_fields(names, i.title_id), note=i.note) for i in items],
    )


def member_lists_of(store: Store, user_name: str) -> list[MemberList]:
    """The member's lists with their films, by name."""
    with store.reading() as conn:
        uid = user_id_for(conn, user_name)
        found = [_list_record(conn, r) for r in rows.list_rows(conn, uid)]
    return sorted(found, key=lambda m: (m.name.casefold(), m.id or 0))


def get_list(store: Store, list_id: int, user_name: str | None = None) -> MemberList:
    """One list (of this member, if a name is given); NotFound otherwise."""
    with store.reading() as conn:
        owner = user_id_for(conn, user_name) if user_name is not None else None
        row = rows.list_by_id(conn, list_id, owner)
        if row is None:
            raise NotFound(f"no list with id {list_id}")
        return _list_record(conn, row)


def list_owner(store: Store, list_id: int) -> str:
    """The name of the member a list belongs to."""
    with store.reading() as conn:
        name = rows.list_owner_name(conn, list_id)
    if name is None:
        raise NotFound(f"no list with id {list_id}")
    return name


def member_likes(store: Store, user_name: str) -> list[LikeEntry]:
    """What the member liked, oldest first."""
    with store.reading() as conn:
        uid = user_id_for(conn, user_name)
        found = rows.like_rows(conn, uid)
    out = [LikeEntry(kind=r.kind, target=r.target, liked_on=r.liked_on) for r in found]
    return sorted(out, key=lambda e: (e.liked_on or dt.date.max, e.kind, e.target))


# ---- a member's own writes -----------------------------------------------------------------------


def require_film(conn: Conn, tconst: str) -> None:
    """Refuse (``NotFound``) a film id the store does not hold."""
    if not rows.film_exists(conn, tconst):
        raise NotFound(f"no film with id {tconst!r}")


def _write(store: Store, user_name: str, work: Any) -> ImportReport:
    report = ImportReport(kind="archive", source="site", user=user_name)

    def run(conn: Conn) -> None:
        writer = LibraryWriter(conn, user_id_for(conn, user_name), report)
        work(writer, conn)
        writer.flush()

    transaction(store, run)
    return report


def add_to_watchlist(store: Store, user_name: str, film_id: str, note: str | None = None) -> bool:
    """Put a film on the member's watchlist; False if it was there already."""

    def work(writer: LibraryWriter, conn: Conn) -> None:
        require_film(conn, film_id)
        writer.add_watchlist(film_id, now().date(), note)

    return _write(store, user_name, work).change("watchlist").added == 1


def remove_from_watchlist(store: Store, user_name: str, film_id: str) -> bool:
    """Take a film off the member's watchlist; False if it was not there."""

    def work(conn: Conn) -> int:
        return rows.delete_from_watchlist(conn, user_id_for(conn, user_name), film_id)

    return transaction(store, work) > 0


def log_viewing(
    store: Store,
    user_name: str,
    film_id: str,
    watched_on: dt.date,
    *,
    rewatch: bool = False,
    rating: int | None = None,
    tags: Sequence[str] = (),
) -> None:
    """Add a dated viewing to the member's diary."""
    if rating is not None and not 1 <= rating <= 10:
        raise InputError(f"rating: must be 1 to 10, not {rating}")

    def work(writer: LibraryWriter, conn: Conn) -> None:
        require_film(conn, film_id)
        writer.add_diary(DiaryIn(film_id, watched_on, rewatch, "", now().date(), rating, None, tuple(tags)))

    _write(store, user_name, work)


def create_list(
    store: Store, user_name: str, name: str, film_ids: Sequence[str], description: str | None = None
) -> int:
    """Create (or replace the films of) the member's list of this name; its id."""
    if not name.strip():
        raise InputError("name: must not be empty")
    out: list[int] = []

    def work(writer: LibraryWriter, conn: Conn) -> None:
        for film_id in film_ids:
            require_film(conn, film_id)
        out.append(writer.set_list(name.strip(), [(f, None) for f in film_ids], description=description))

    _write(store, user_name, work)
    return out[0]
