"""A member's library: watchlist, diary of viewings, lists and likes; read, and written.

``LibraryWriter`` is how everything writes (a member on the site, an import, an archive): on
an open transaction, it adds or changes rows and, when it works for an import, stamps each
row it inserts with the ``import_id`` and records in ``import_changes`` the previous value of
every row it changes elsewhere (ratings, reviews, a diary entry or a list's items), so that
``member_import.undo_import`` can put everything back. Writing the same thing twice changes
nothing (the counts say ``unchanged``): re-importing an export is harmless.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Table, and_, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from marquee.errors import InputError, NotFound
from marquee.records_library import (
    DiaryEntry,
    ImportReport,
    LikeEntry,
    ListItem,
    MemberList,
    WatchlistEntry,
)
from marquee.services.accounts import aware, name_key, now, write_transaction
from marquee.slugs import slugify
from marquee.storage.base import Store
from marquee.storage.community_schema import member_ratings, member_reviews, users
from marquee.storage.library_schema import (
    diary_entries,
    import_changes,
    likes,
    list_items,
    member_lists,
    watchlist,
)
from marquee.storage.schema import titles

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
    "user_id_for",
    "watchlist_of",
]


def user_id_for(conn: Connection, user_name: str) -> int:
    """The internal id of the member with this name; NotFound if none."""
    found = conn.execute(select(users.c.id).where(users.c.name_key == name_key(user_name))).scalar()
    if found is None:
        raise NotFound(f"no member named {user_name!r}")
    return int(found)


def _tags_text(tags: Sequence[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False) if tags else ""


def _tags_list(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _when(day: dt.date | dt.datetime | None) -> dt.datetime:
    """A date as a UTC datetime (midnight), a datetime as it is; now when unknown."""
    if isinstance(day, dt.datetime):
        return aware(day)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else now()


def _upsert(conn: Connection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


@dataclass
class DiaryIn:
    """A viewing to write: the key a re-import is deduplicated by, and its content."""

    tconst: str
    watched_on: dt.date | None
    rewatch: bool = False
    source_uri: str = ""
    logged_on: dt.date | None = None
    rating: int | None = None
    review: str | None = None
    tags: tuple[str, ...] = ()
    review_id: int | None = None

    def key(self) -> tuple[str, dt.date | None, bool, str]:
        """(film, watched date, rewatch, source URI)."""
        return (self.tconst, self.watched_on, self.rewatch, self.source_uri)


class LibraryWriter:
    """Writes one member's library rows on an open transaction, counting into ``report``."""

    def __init__(self, conn: Connection, user_id: int, report: ImportReport, import_id: int | None = None):
        self.conn = conn
        self.user_id = user_id
        self.report = report
        self.import_id = import_id
        self._ratings: dict[str, int] | None = None
        self._rating_rows: dict[str, Row[Any]] = {}
        self._diary: dict[tuple[str, dt.date | None, bool, str], Any] | None = None
        self._watchlist: set[str] | None = None
        self._likes: set[tuple[str, str]] | None = None
        self._inserts: dict[Table, list[dict[str, Any]]] = {}

    def _pending(self, table: Table) -> list[dict[str, Any]]:
        """Rows waiting to be inserted into ``table`` (many at once: far quicker than one by one)."""
        return self._inserts.setdefault(table, [])

    def flush(self) -> None:
        """Insert the rows still waiting; call before reading them back and at the end of the work."""
        for table, rows in self._inserts.items():
            if rows:
                self.conn.execute(insert(table), rows)
        self._inserts = {}

    def _changed(self, table: str, key: dict[str, Any], previous: Any) -> None:
        """Remember a row's previous value (None: it did not exist) so an undo can restore it."""
        if self.import_id is None:
            return
        self.conn.execute(
            insert(import_changes).values(
                import_id=self.import_id,
                table_name=table,
                row_key=_json(key),
                previous=None if previous is None else _json(previous),
            )
        )

    # ---- ratings (the community's table, written through their key) ----

    def set_ratings(self, scores: Iterable[tuple[str, int, dt.date | dt.datetime | None]]) -> None:
        """Set many ratings (film, 1–10, date rated) at once; unchanged scores are left alone."""
        if self._ratings is None:
            rows = self.conn.execute(
                select(member_ratings).where(member_ratings.c.user_id == self.user_id)
            ).all()
            self._ratings = {r.tconst: int(r.score) for r in rows}
            self._rating_rows = {r.tconst: r for r in rows}
        counts = self.report.change("member_ratings")
        values, changes = [], []
        for tconst, score, day in scores:
            old = self._ratings.get(tconst)
            if old == score:
                counts.unchanged += 1
                continue
            previous = self._rating_rows.get(tconst)
            changes.append(
                {
                    "import_id": self.import_id,
                    "table_name": "member_ratings",
                    "row_key": _json({"user_id": self.user_id, "tconst": tconst}),
                    "previous": None
                    if previous is None
                    else _json(
                        {
                            "score": previous.score,
                            "created_at": aware(previous.created_at).isoformat(),
                            "updated_at": aware(previous.updated_at).isoformat(),
                        }
                    ),
                }
            )
            stamp = _when(day)
            values.append(
                {
                    "user_id": self.user_id,
                    "tconst": tconst,
                    "score": score,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            if old is None:
                counts.added += 1
            else:
                counts.updated += 1
            self._ratings[tconst] = score
        if values:
            statement = _upsert(self.conn)(member_ratings)
            self.conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["user_id", "tconst"],
                    set_={"score": statement.excluded.score, "updated_at": statement.excluded.updated_at},
                ),
                values,
            )
        if changes and self.import_id is not None:
            self.conn.execute(insert(import_changes), changes)

    # ---- reviews (the community's table) ----

    def set_review(
        self,
        tconst: str,
        title: str,
        body: str,
        score: tuple[float, int] | None,
        created: dt.datetime | None,
        *,
        spoiler: bool = False,
    ) -> int:
        """The member's review of a film (score as value and scale), written or rewritten; its id."""
        counts = self.report.change("member_reviews")
        row = self.conn.execute(
            select(member_reviews).where(
                member_reviews.c.user_id == self.user_id, member_reviews.c.tconst == tconst
            )
        ).first()
        content = {
            "title": title,
            "body": body,
            "score_value": None if score is None else float(score[0]),
            "score_scale": None if score is None else score[1],
            "spoiler": spoiler,
        }
        if row is not None:
            previous = {name: getattr(row, name) for name in content}
            previous["spoiler"] = bool(previous["spoiler"])
            if previous == content:
                counts.unchanged += 1
                return int(row.id)
            self._changed("member_reviews", {"user_id": self.user_id, "tconst": tconst}, previous)
            self.conn.execute(
                update(member_reviews)
                .where(member_reviews.c.id == row.id)
                .values(**content, updated_at=now())
            )
            counts.updated += 1
            return int(row.id)
        self._changed("member_reviews", {"user_id": self.user_id, "tconst": tconst}, None)
        counts.added += 1
        statement = insert(member_reviews).values(
            tconst=tconst, user_id=self.user_id, status="visible", created_at=created or now(), **content
        )
        return int(self.conn.execute(statement.returning(member_reviews.c.id)).scalar_one())

    # ---- watchlist ----

    def add_watchlist(self, tconst: str, added_on: dt.date | None, note: str | None = None) -> None:
        """Put a film on the watchlist (a film already there stays as it is)."""
        counts = self.report.change("watchlist")
        if self._watchlist is None:
            self._watchlist = set(
                self.conn.execute(
                    select(watchlist.c.tconst).where(watchlist.c.user_id == self.user_id)
                ).scalars()
            )
        if tconst in self._watchlist:
            counts.unchanged += 1
            return
        self._watchlist.add(tconst)
        self._pending(watchlist).append(
            {
                "user_id": self.user_id,
                "tconst": tconst,
                "added_on": added_on,
                "note": note,
                "import_id": self.import_id,
            }
        )
        counts.added += 1

    # ---- diary ----

    def _diary_rows(self) -> dict[tuple[str, dt.date | None, bool, str], Any]:
        if self._diary is None:
            rows = self.conn.execute(
                select(diary_entries).where(diary_entries.c.user_id == self.user_id)
            ).all()
            self._diary = {
                (r.tconst, r.watched_on, bool(r.rewatch), r.source_uri): dict(r._mapping) for r in rows
            }
        return self._diary

    def has_viewing(self, tconst: str) -> bool:
        """Whether the member's diary holds any viewing of this film."""
        return any(key[0] == tconst for key in self._diary_rows())

    def add_diary(self, entry: DiaryIn) -> None:
        """Log a viewing; the same (film, date, rewatch, URI) again updates it only if it differs."""
        counts = self.report.change("diary_entries")
        rows = self._diary_rows()
        content = {
            "logged_on": entry.logged_on,
            "rating": entry.rating,
            "review": entry.review,
            "review_id": entry.review_id,
            "tags": _tags_text(entry.tags),
        }
        old = rows.get(entry.key())
        if old is not None:
            previous = {name: old[name] for name in content}
            if previous == content:
                counts.unchanged += 1
                return
            if old["id"] is None:  # written earlier in this same run, not yet flushed
                old.update(content)
                return
            self._changed("diary_entries", {"id": old["id"]}, previous)
            self.conn.execute(update(diary_entries).where(diary_entries.c.id == old["id"]).values(**content))
            old.update(content)
            counts.updated += 1
            return
        new = {
            "user_id": self.user_id,
            "tconst": entry.tconst,
            "watched_on": entry.watched_on,
            "rewatch": entry.rewatch,
            "source_uri": entry.source_uri,
            "import_id": self.import_id,
            **content,
        }
        self._pending(diary_entries).append(new)
        rows[entry.key()] = {"id": None, **content}
        counts.added += 1

    # ---- likes ----

    def add_like(self, kind: str, target: str, liked_on: dt.date | None) -> None:
        """Like a film (by id) or a list or review (by URI); liking twice changes nothing."""
        counts = self.report.change("likes")
        if self._likes is None:
            rows = self.conn.execute(
                select(likes.c.kind, likes.c.target).where(likes.c.user_id == self.user_id)
            )
            self._likes = {(r.kind, r.target) for r in rows}
        if (kind, target) in self._likes:
            counts.unchanged += 1
            return
        self._likes.add((kind, target))
        self._pending(likes).append(
            {
                "user_id": self.user_id,
                "kind": kind,
                "target": target,
                "liked_on": liked_on,
                "import_id": self.import_id,
            }
        )
        counts.added += 1

    # ---- lists ----

    def set_list(
        self,
        name: str,
        items: Sequence[tuple[str, str | None]],
        *,
        description: str | None = None,
        tags: Sequence[str] = (),
        created_on: dt.date | None = None,
        source_uri: str = "",
        slug: str | None = None,
    ) -> int:
        """Create a list, or make an existing one (same slug) hold exactly these films in order; its id."""
        counts = self.report.change("member_lists")
        item_counts = self.report.change("list_items")
        slug = slug or slugify(name)
        row = self.conn.execute(
            select(member_lists).where(member_lists.c.user_id == self.user_id, member_lists.c.slug == slug)
        ).first()
        if row is None:
            list_id = int(
                self.conn.execute(
                    insert(member_lists)
                    .values(
                        user_id=self.user_id,
                        name=name,
                        slug=slug,
                        description=description,
                        tags=_tags_text(tags),
                        created_on=created_on,
                        source_uri=source_uri,
                        import_id=self.import_id,
                    )
                    .returning(member_lists.c.id)
                ).scalar_one()
            )
            counts.added += 1
            old_items: list[tuple[str, str | None]] = []
        else:
            list_id = int(row.id)
            counts.unchanged += 1
            old_items = [
                (r.tconst, r.note)
                for r in self.conn.execute(
                    select(list_items.c.tconst, list_items.c.note)
                    .where(list_items.c.list_id == list_id)
                    .order_by(list_items.c.position)
                ).all()
            ]
        if old_items == list(items):
            item_counts.unchanged += len(items)
            return list_id
        if row is not None:
            self._changed("list_items", {"list_id": list_id}, [list(item) for item in old_items])
            self.conn.execute(delete(list_items).where(list_items.c.list_id == list_id))
            item_counts.removed += len(old_items)
        if items:
            self.conn.execute(
                insert(list_items),
                [
                    {
                        "list_id": list_id,
                        "position": n,
                        "tconst": t,
                        "note": note,
                        "import_id": self.import_id,
                    }
                    for n, (t, note) in enumerate(items, 1)
                ],
            )
        item_counts.added += len(items)
        return list_id


# ---- reading -------------------------------------------------------------------------------------


def _film_names(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[str, int | None]]:
    wanted = sorted(set(ids))
    out: dict[str, tuple[str, int | None]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            select(titles.c.tconst, titles.c.primary_title, titles.c.start_year).where(
                titles.c.tconst.in_(chunk)
            )
        ).all()
        out |= {r.tconst: (r.primary_title, r.start_year) for r in rows}
    return out


def watchlist_of(store: Store, user_name: str) -> list[WatchlistEntry]:
    """The member's watchlist, oldest addition first."""
    with store.engine.connect() as conn:
        uid = user_id_for(conn, user_name)
        rows = conn.execute(select(watchlist).where(watchlist.c.user_id == uid)).all()
        names = _film_names(conn, (r.tconst for r in rows))
    entries = [
        WatchlistEntry(
            film_id=r.tconst,
            title=names.get(r.tconst, (None, None))[0],
            year=names.get(r.tconst, (None, None))[1],
            added_on=r.added_on,
            note=r.note,
        )
        for r in rows
    ]
    entries.sort(key=lambda e: (e.added_on or dt.date.max, e.film_id))
    return entries


def diary(store: Store, user_name: str) -> list[DiaryEntry]:
    """The member's viewings, newest first (undated ones last)."""
    with store.engine.connect() as conn:
        uid = user_id_for(conn, user_name)
        rows = conn.execute(select(diary_entries).where(diary_entries.c.user_id == uid)).all()
        names = _film_names(conn, (r.tconst for r in rows))
    entries = [
        DiaryEntry(
            id=r.id,
            film_id=r.tconst,
            title=names.get(r.tconst, (None, None))[0],
            year=names.get(r.tconst, (None, None))[1],
            watched_on=r.watched_on,
            logged_on=r.logged_on,
            rewatch=bool(r.rewatch),
            rating=r.rating,
            review=r.review,
            review_id=r.review_id,
            review_linked=r.review_id is not None,
            tags=_tags_list(r.tags),
            source_uri=r.source_uri,
        )
        for r in rows
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


def _list_record(conn: Connection, row: Row[Any]) -> MemberList:
    items = conn.execute(
        select(list_items).where(list_items.c.list_id == row.id).order_by(list_items.c.position)
    ).all()
    names = _film_names(conn, (i.tconst for i in items))
    return MemberList(
        id=row.id,
        name=row.name,
        slug=row.slug,
        description=row.description,
        tags=_tags_list(row.tags),
        created_on=row.created_on,
        source_uri=row.source_uri,
        items=[
            ListItem(
                position=i.position,
                film_id=i.tconst,
                title=names.get(i.tconst, (None, None))[0],
                year=names.get(i.tconst, (None, None))[1],
                note=i.note,
            )
            for i in items
        ],
    )


def member_lists_of(store: Store, user_name: str) -> list[MemberList]:
    """The member's lists with their films, by name."""
    with store.engine.connect() as conn:
        uid = user_id_for(conn, user_name)
        rows = conn.execute(select(member_lists).where(member_lists.c.user_id == uid)).all()
        found = [_list_record(conn, r) for r in rows]
    return sorted(found, key=lambda m: (m.name.casefold(), m.id or 0))


def get_list(store: Store, list_id: int, user_name: str | None = None) -> MemberList:
    """One list (of this member, if a name is given); NotFound otherwise."""
    with store.engine.connect() as conn:
        query = select(member_lists).where(member_lists.c.id == list_id)
        if user_name is not None:
            query = query.where(member_lists.c.user_id == user_id_for(conn, user_name))
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"no list with id {list_id}")
        return _list_record(conn, row)


def list_owner(store: Store, list_id: int) -> str:
    """The name of the member a list belongs to."""
    with store.engine.connect() as conn:
        name = conn.execute(
            select(users.c.name)
            .join(member_lists, member_lists.c.user_id == users.c.id)
            .where(member_lists.c.id == list_id)
        ).scalar()
    if name is None:
        raise NotFound(f"no list with id {list_id}")
    return str(name)


def member_likes(store: Store, user_name: str) -> list[LikeEntry]:
    """What the member liked, oldest first."""
    with store.engine.connect() as conn:
        uid = user_id_for(conn, user_name)
        rows = conn.execute(select(likes).where(likes.c.user_id == uid)).all()
    out = [LikeEntry(kind=r.kind, target=r.target, liked_on=r.liked_on) for r in rows]
    return sorted(out, key=lambda e: (e.liked_on or dt.date.max, e.kind, e.target))


# ---- a member's own writes -----------------------------------------------------------------------


def _require_film(conn: Connection, tconst: str) -> None:
    if conn.execute(select(titles.c.id).where(titles.c.tconst == tconst)).first() is None:
        raise NotFound(f"no film with id {tconst!r}")


def _write(store: Store, user_name: str, work: Any) -> ImportReport:
    report = ImportReport(kind="archive", source="site", user=user_name)

    def run(conn: Connection) -> None:
        writer = LibraryWriter(conn, user_id_for(conn, user_name), report)
        work(writer, conn)
        writer.flush()

    write_transaction(store, run)
    return report


def add_to_watchlist(store: Store, user_name: str, film_id: str, note: str | None = None) -> bool:
    """Put a film on the member's watchlist; False if it was there already."""

    def work(writer: LibraryWriter, conn: Connection) -> None:
        _require_film(conn, film_id)
        writer.add_watchlist(film_id, now().date(), note)

    return _write(store, user_name, work).change("watchlist").added == 1


def remove_from_watchlist(store: Store, user_name: str, film_id: str) -> bool:
    """Take a film off the member's watchlist; False if it was not there."""

    def work(conn: Connection) -> int:
        uid = user_id_for(conn, user_name)
        return int(
            conn.execute(
                delete(watchlist).where(and_(watchlist.c.user_id == uid, watchlist.c.tconst == film_id))
            ).rowcount
        )

    return write_transaction(store, work) > 0


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

    def work(writer: LibraryWriter, conn: Connection) -> None:
        _require_film(conn, film_id)
        writer.add_diary(DiaryIn(film_id, watched_on, rewatch, "", now().date(), rating, None, tuple(tags)))

    _write(store, user_name, work)


def create_list(
    store: Store, user_name: str, name: str, film_ids: Sequence[str], description: str | None = None
) -> int:
    """Create (or replace the films of) the member's list of this name; its id."""
    if not name.strip():
        raise InputError("name: must not be empty")
    out: list[int] = []

    def work(writer: LibraryWriter, conn: Connection) -> None:
        for film_id in film_ids:
            _require_film(conn, film_id)
        out.append(writer.set_list(name.strip(), [(f, None) for f in film_ids], description=description))

    _write(store, user_name, work)
    return out[0]
