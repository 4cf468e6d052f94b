"""``LibraryWriter``: how everything writes a member's library (a member on the site, an import, an archive).
One concept: one writer whose every method stamps the rows it inserts and records what it changes
the same way (its pending batches, its ``import_id``); split by table, that bookkeeping would be
shared state across modules.

On an open transaction, it adds or changes rows and, when it works for an import, stamps each
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

from sqlalchemy import Row, Table, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from marquee.records_library import ImportReport
from marquee.slugs import slugify
from marquee.storage.community_schema import member_ratings, member_reviews
from marquee.storage.library_schema import (
    diary_entries,
    import_changes,
    likes,
    list_items,
    member_lists,
    watchlist,
)
from marquee.storage.transactions import aware, now

__all__ = ["DiaryIn", "LibraryWriter", "tags_list"]


def _tags_text(tags: Sequence[str]) -> str:
    return json.dumps(list(tags), ensure_ascii=False) if tags else ""


def tags_list(text: str | None) -> list[str]:
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

    title_id: str
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
        return (self.title_id, self.watched_on, self.rewatch, self.source_uri)


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
            self._ratings = {r.title_id: int(r.score) for r in rows}
            self._rating_rows = {r.title_id: r for r in rows}
        counts = self.report.change("member_ratings")
        values, changes = [], []
        for title_id, score, day in scores:
            old = self._ratings.get(title_id)
            if old == score:
                counts.unchanged += 1
                continue
            previous = self._rating_rows.get(title_id)
            changes.append(
                {
                    "import_id": self.import_id,
                    "table_name": "member_ratings",
                    "row_key": _json({"user_id": self.user_id, "title_id": title_id}),
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
                    "title_id": title_id,
                    "score": score,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            if old is None:
                counts.added += 1
            else:
                counts.updated += 1
            self._ratings[title_id] = score
        if values:
            statement = _upsert(self.conn)(member_ratings)
            self.conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["user_id", "title_id"],
                    set_={"score": statement.excluded.score, "updated_at": statement.excluded.updated_at},
                ),
                values,
            )
        if changes and self.import_id is not None:
            self.conn.execute(insert(import_changes), changes)

    # ---- reviews (the community's table) ----

    def set_review(
        self,
        title_id: str,
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
                member_reviews.c.user_id == self.user_id, member_reviews.c.title_id == title_id
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
            self._changed("member_reviews", {"user_id": self.user_id, "title_id": title_id}, previous)
            self.conn.execute(
                update(member_reviews)
                .where(member_reviews.c.id == row.id)
                .values(**content, updated_at=now())
            )
            counts.updated += 1
            return int(row.id)
        self._changed("member_reviews", {"user_id": self.user_id, "title_id": title_id}, None)
        counts.added += 1
        statement = insert(member_reviews).values(
            title_id=title_id, user_id=self.user_id, status="visible", created_at=created or now(), **content
        )
        return int(self.conn.execute(statement.returning(member_reviews.c.id)).scalar_one())

    # ---- watchlist ----

    def add_watchlist(self, title_id: str, added_on: dt.date | None, note: str | None = None) -> None:
        """Put a film on the watchlist (a film already there stays as it is)."""
        counts = self.report.change("watchlist")
        if self._watchlist is None:
            self._watchlist = set(
                self.conn.execute(
                    select(watchlist.c.title_id).where(watchlist.c.user_id == self.user_id)
                ).scalars()
            )
        if title_id in self._watchlist:
            counts.unchanged += 1
            return
        self._watchlist.add(title_id)
        self._pending(watchlist).append(
            {
                "user_id": self.user_id,
                "title_id": title_id,
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
                (r.title_id, r.watched_on, bool(r.rewatch), r.source_uri): dict(r._mapping) for r in rows
            }
        return self._diary

    def has_viewing(self, title_id: str) -> bool:
        """Whether the member's diary holds any viewing of this film."""
        return any(key[0] == title_id for key in self._diary_rows())

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
            "title_id": entry.title_id,
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
                (r.title_id, r.note)
                for r in self.conn.execute(
                    select(list_items.c.title_id, list_items.c.note)
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
                        "title_id": t,
                        "note": note,
                        "import_id": self.import_id,
                    }
                    for n, (t, note) in enumerate(items, 1)
                ],
            )
        item_counts.added += len(items)
        return list_id
