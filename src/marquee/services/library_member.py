"""What a member does to their own library by hand: from the film page, the list pages, the API.

Reading the film page's panel (``film_state``), liking, logging and deleting viewings, and making,
editing, reordering and deleting lists. Every write is one transaction
(``transactions.transaction``); SQL lives in ``storage.library_rows`` (and, for writes shared
with imports, in ``library.LibraryWriter``). A list or viewing of another member is NotFound,
never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

from marquee.errors import InputError, NotFound
from marquee.records_library import FilmLibraryState, ImportReport, ListMembership, RatingEntry, ReviewEntry
from marquee.services.library import DiaryIn, LibraryWriter, require_film, user_id_for
from marquee.slugs import slugify
from marquee.storage import library_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn, aware, now, transaction

__all__ = [
    "MAX_LIST_NAME",
    "MAX_NOTE",
    "MAX_REVIEW",
    "add_to_list",
    "create_list",
    "delete_list",
    "delete_viewing",
    "edit_list",
    "film_state",
    "like_film",
    "log_viewing",
    "move_entry",
    "ratings_of",
    "remove_entry",
    "remove_film_from_list",
    "reorder_list",
    "reviews_of",
    "unlike_film",
]

MAX_LIST_NAME = 200
MAX_NOTE = 2000
MAX_REVIEW = 20_000
T = TypeVar("T")


def _write(store: Store, user_name: str, work: Callable[[Conn, int], T]) -> T:
    return transaction(store, lambda conn: work(conn, user_id_for(conn, user_name)))


def film_state(store: Store, user_name: str, film_id: str) -> FilmLibraryState:
    """The member's watchlist flag, like, viewings and lists for one film."""
    with store.reading() as conn:
        found = rows.film_state(conn, user_id_for(conn, user_name), film_id)
    lists = [ListMembership(id=i, name=n, contains=c) for i, n, c in found.pop("lists")]
    return FilmLibraryState(film_id=film_id, lists=lists, **found)


def like_film(store: Store, user_name: str, film_id: str) -> bool:
    """Like a film; False if it was liked already."""
    report = ImportReport(kind="archive", source="site", user=user_name)

    def work(conn: Conn, uid: int) -> None:
        require_film(conn, film_id)
        writer = LibraryWriter(conn, uid, report)
        writer.add_like("film", film_id, now().date())
        writer.flush()

    _write(store, user_name, work)
    return report.change("likes").added == 1


def unlike_film(store: Store, user_name: str, film_id: str) -> bool:
    """Take back the like of a film; False if there was none."""
    return _write(store, user_name, lambda conn, uid: rows.delete_like(conn, uid, "film", film_id))


def _text(field: str, value: str | None, limit: int) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise InputError(f"{field}: at most {limit} characters, not {len(value)}")
    return value or None


def log_viewing(
    store: Store,
    user_name: str,
    film_id: str,
    watched_on: dt.date,
    *,
    rewatch: bool = False,
    rating: int | None = None,
    review: str | None = None,
) -> None:
    """Log a viewing (date, rewatch, rating 1–10, short review); a rating also sets the member's rating."""
    if rating is not None and not 1 <= rating <= 10:
        raise InputError(f"rating: must be 1 to 10, not {rating}")
    if watched_on > now().date() + dt.timedelta(days=1):
        raise InputError(f"watched_on: {watched_on.isoformat()} is in the future")
    text = _text("review", review, MAX_REVIEW)
    report = ImportReport(kind="archive", source="site", user=user_name)

    def work(conn: Conn, uid: int) -> None:
        require_film(conn, film_id)
        writer = LibraryWriter(conn, uid, report)
        writer.add_diary(DiaryIn(film_id, watched_on, rewatch, "", now().date(), rating, text))
        if rating is not None:
            writer.set_ratings([(film_id, rating, None)])
        writer.flush()

    _write(store, user_name, work)


def delete_viewing(store: Store, user_name: str, entry_id: int) -> None:
    """Delete one of the member's viewings; NotFound if they have none with this id."""

    def work(conn: Conn, uid: int) -> None:
        if not rows.delete_diary_entry(conn, uid, entry_id):
            raise NotFound(f"no diary entry with id {entry_id}")

    _write(store, user_name, work)


def ratings_of(store: Store, user_name: str) -> list[RatingEntry]:
    """The member's ratings, latest first."""
    with store.reading() as conn:
        found = rows.ratings_of(conn, user_id_for(conn, user_name))
    return [
        RatingEntry(
            film_id=r.title_id,
            title=r.primary_title,
            year=r.start_year,
            score=int(r.score),
            rated_at=aware(r.updated_at) if r.updated_at else None,
        )
        for r in found
    ]


def reviews_of(store: Store, user_name: str, *, hidden_too: bool = False) -> list[ReviewEntry]:
    """The member's reviews, newest first; hidden ones only when asked (the author, a moderator)."""
    with store.reading() as conn:
        found = rows.reviews_of(conn, user_id_for(conn, user_name), hidden_too=hidden_too)
    return [
        ReviewEntry(
            id=r.id,
            film_id=r.title_id,
            film_title=r.primary_title,
            year=r.start_year,
            title=r.title,
            score=r.score_value,
            scale=r.score_scale,
            spoiler=bool(r.spoiler),
            status=r.status,
            created_at=aware(r.created_at) if r.created_at else None,
        )
        for r in found
    ]


# ---- lists ---------------------------------------------------------------------------------------


def _name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise InputError("name: must not be empty")
    if len(clean) > MAX_LIST_NAME:
        raise InputError(f"name: at most {MAX_LIST_NAME} characters, not {len(clean)}")
    return clean


def _free_slug(conn: Conn, uid: int, name: str, other_than: int | None = None) -> str:
    base = slugify(name) or "list"
    slug, n = base, 1
    while rows.slug_taken(conn, uid, slug, other_than=other_than):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _own_list(conn: Conn, uid: int, list_id: int) -> None:
    if rows.list_row(conn, uid, list_id) is None:
        raise NotFound(f"no list with id {list_id}")


def create_list(
    store: Store,
    user_name: str,
    name: str,
    description: str | None = None,
    film_ids: Sequence[str] = (),
) -> int:
    """A new list (a name already used gets its own slug: ``name-2``); its id."""
    clean = _name(name)
    about = _text("description", description, MAX_NOTE)
    report = ImportReport(kind="archive", source="site", user=user_name)

    def work(conn: Conn, uid: int) -> int:
        for film_id in film_ids:
            require_film(conn, film_id)
        writer = LibraryWriter(conn, uid, report)
        slug = _free_slug(conn, uid, clean)
        items = [(f, None) for f in film_ids]
        return writer.set_list(clean, items, description=about, created_on=now().date(), slug=slug)

    return _write(store, user_name, work)


def edit_list(
    store: Store,
    user_name: str,
    list_id: int,
    *,
    name: str,
    description: str | None,
    notes: dict[int, str] | None = None,
) -> None:
    """Rename a list, set its description and (by position, 1-based) its entries' notes."""
    clean = _name(name)
    about = _text("description", description, MAX_NOTE)
    cleaned = {pos: _text(f"note {pos}", note, MAX_NOTE) for pos, note in (notes or {}).items()}

    def work(conn: Conn, uid: int) -> None:
        _own_list(conn, uid, list_id)
        slug = _free_slug(conn, uid, clean, other_than=list_id)
        rows.update_list(conn, list_id, name=clean, slug=slug, description=about)
        if cleaned:
            items = rows.list_items_of(conn, list_id)
            new = [(t, cleaned.get(n, note)) for n, (t, note) in enumerate(items, 1)]
            if new != items:
                rows.replace_list_items(conn, list_id, new)

    _write(store, user_name, work)


def delete_list(store: Store, user_name: str, list_id: int) -> None:
    """Delete one of the member's lists."""

    def work(conn: Conn, uid: int) -> None:
        _own_list(conn, uid, list_id)
        rows.delete_list(conn, list_id)

    _write(store, user_name, work)


def _edit_items(
    store: Store,
    user_name: str,
    list_id: int,
    change: Callable[[list[tuple[str, str | None]]], list[tuple[str, str | None]]],
    *,
    film_id: str | None = None,
) -> None:
    def work(conn: Conn, uid: int) -> None:
        _own_list(conn, uid, list_id)
        if film_id is not None:
            require_film(conn, film_id)
        items = rows.list_items_of(conn, list_id)
        new = change(list(items))
        if new != items:
            rows.replace_list_items(conn, list_id, new)

    _write(store, user_name, work)


def add_to_list(store: Store, user_name: str, list_id: int, film_id: str, note: str | None = None) -> bool:
    """Put a film at the end of a list; False (nothing changes) if it is on it already."""
    clean = _text("note", note, MAX_NOTE)
    added: list[bool] = []

    def change(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        added[:] = [all(t != film_id for t, _ in items)]
        return [*items, (film_id, clean)] if added[0] else items

    _edit_items(store, user_name, list_id, change, film_id=film_id)
    return added[0]


def _position(items: Sequence[object], position: int) -> int:
    if not 1 <= position <= len(items):
        raise NotFound(f"no entry at position {position}")
    return position - 1


def remove_entry(store: Store, user_name: str, list_id: int, position: int) -> None:
    """Take the entry at this position (1-based) off a list."""

    def change(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        del items[_position(items, position)]
        return items

    _edit_items(store, user_name, list_id, change)


def remove_film_from_list(store: Store, user_name: str, list_id: int, film_id: str) -> None:
    """Take a film off a list (every time it is on it); NotFound if it is not on it."""

    def change(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        kept = [item for item in items if item[0] != film_id]
        if len(kept) == len(items):
            raise NotFound(f"{film_id} is not on list {list_id}")
        return kept

    _edit_items(store, user_name, list_id, change)


def move_entry(
    store: Store, user_name: str, list_id: int, position: int, to: Literal["up", "down"] | int
) -> None:
    """Move an entry one place up or down, or to a position (1-based, clamped to the list)."""

    def change(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        index = _position(items, position)
        target = index - 1 if to == "up" else index + 1 if to == "down" else int(to) - 1
        target = max(0, min(len(items) - 1, target))
        items.insert(target, items.pop(index))
        return items

    _edit_items(store, user_name, list_id, change)


def reorder_list(store: Store, user_name: str, list_id: int, film_ids: Sequence[str]) -> None:
    """Put a list's entries in this order: the same films, each once as on the list (InputError otherwise)."""

    def change(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        if sorted(film_ids) != sorted(t for t, _ in items):
            raise InputError("order: must name every film on the list, each as often as it is on it")
        pool: dict[str, list[str | None]] = {}
        for t, note in items:
            pool.setdefault(t, []).append(note)
        return [(t, pool[t].pop(0)) for t in film_ids]

    _edit_items(store, user_name, list_id, change)
