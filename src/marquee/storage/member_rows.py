"""The SQL of members' imports and exports (``services.member_import``, ``services.member_export``).

The import log (``imports``) and what each import changed (``import_changes``), undoing an import,
and the rows an export reads. Functions take an open connection: the caller's transaction
(``transactions.transaction``) or ``reading(store)``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Row

from marquee.storage import search_index
from marquee.storage.base import Store
from marquee.storage.community_schema import member_ratings, member_reviews, users
from marquee.storage.film_io import CHUNK, batched, delete_parts
from marquee.storage.library_schema import (
    diary_entries,
    import_changes,
    imports,
    likes,
    list_items,
    member_lists,
    watchlist,
)
from marquee.storage.schema import credits, people, titles
from marquee.storage.transactions import Conn

__all__ = [
    "Conn",
    "delete_import_rows",
    "delete_new_ratings",
    "exact_names_sql",
    "existing_films",
    "film_directors",
    "film_names",
    "import_change_rows",
    "import_run",
    "import_runs",
    "log_import",
    "mark_undone",
    "ratings_of",
    "reading",
    "record_added_films",
    "remove_unreferenced_films",
    "restore",
    "reviews_of",
    "set_import_summary",
    "titles_named",
]


@contextmanager
def reading(store: Store) -> Iterator[Conn]:
    """A connection for reads (no transaction of the caller's)."""
    with store.reading() as conn:
        yield conn


# ---- films ---------------------------------------------------------------------------------------


def existing_films(conn: Conn, ids: Iterable[str]) -> set[str]:
    """Those of these film ids the store holds."""
    found: set[str] = set()
    for chunk in batched(sorted(set(ids)), CHUNK):
        found |= set(conn.execute(select(titles.c.title_id).where(titles.c.title_id.in_(chunk))).scalars())
    return found


def film_names(conn: Conn, ids: Iterable[str]) -> dict[str, tuple[str, int | None]]:
    """Title and year of these films."""
    out: dict[str, tuple[str, int | None]] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(titles.c.title_id, titles.c.primary_title, titles.c.start_year).where(
            titles.c.title_id.in_(chunk)
        )
        out |= {r.title_id: (r.primary_title, r.start_year) for r in conn.execute(query)}
    return out


def film_directors(conn: Conn, ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Directors' names of these films, in credit order (films without any are left out)."""
    out: dict[str, list[str]] = {}
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), 500):
        query = (
            select(titles.c.title_id, people.c.name)
            .join(credits, credits.c.title_key == titles.c.title_key)
            .join(people, people.c.person_key == credits.c.person_key)
            .where(titles.c.title_id.in_(wanted[start : start + 500]), credits.c.category == "director")
            .order_by(titles.c.title_id, credits.c.ordering)
        )
        for row in conn.execute(query):
            out.setdefault(row.title_id, []).append(row.name)
    return {k: tuple(v) for k, v in out.items()}


def exact_names_sql(dialect: str, param: str = "name") -> str:
    """Titles having a name (primary, original or alternate) equal to ``:name`` once folded and padded.

    ``LIKE`` without wildcards is an equality the trigram indexes answer (SQLite FTS5 trigram,
    PostgreSQL pg_trgm GIN); folded names hold only letters, digits and spaces, so nothing needs
    escaping. A leading ``%`` (``"% return of the jedi "``) finds names ending with the words.
    """
    key = "((s.rowid >> 12) & 268435455)" if dialect == "sqlite" else "s.title_key"
    return (
        f"SELECT t.title_id, t.start_year, t.kind, COALESCE(r.votes, 0), s.display, s.source"
        f" FROM title_search s JOIN titles t ON t.title_key = {key}"
        f" LEFT JOIN imdb_ratings r ON r.title_key = t.title_key WHERE s.name LIKE :{param}"
    )


def titles_named(conn: Conn, patterns: Sequence[str]) -> list[list[tuple[Any, ...]]]:
    """For each pattern, ``title_id, start_year, kind, votes, display, source`` of titles named it.

    One statement for all of them (a branch each, numbered, under ``UNION ALL``): a member's import
    asks up to a dozen names a film, and each round trip to PostgreSQL costs about a millisecond.
    """
    found: list[list[tuple[Any, ...]]] = [[] for _ in patterns]
    if not patterns:
        return found
    dialect = conn.dialect.name
    sql = " UNION ALL ".join(
        exact_names_sql(dialect, f"n{i}").replace("SELECT ", f"SELECT {i}, ", 1) for i in range(len(patterns))
    )
    for row in conn.execute(text(sql), {f"n{i}": pattern for i, pattern in enumerate(patterns)}):
        found[row[0]].append(tuple(row[1:]))
    return found


# ---- the import log ------------------------------------------------------------------------------


def log_import(
    conn: Conn, uid: int, kind: str, source: str, dry_run: bool, created_at: dt.datetime, summary: str = "{}"
) -> int:
    """A new row of the import log; its id."""
    return int(
        conn.execute(
            insert(imports)
            .values(
                user_id=uid, kind=kind, source=source, dry_run=dry_run, created_at=created_at, summary=summary
            )
            .returning(imports.c.id)
        ).scalar_one()
    )


def set_import_summary(conn: Conn, import_id: int, summary: str) -> None:
    conn.execute(update(imports).where(imports.c.id == import_id).values(summary=summary))


def record_added_films(conn: Conn, import_id: int, film_ids: Iterable[str]) -> None:
    """Note the films an import added, so that undoing it takes them away again."""
    rows = [
        {
            "import_id": import_id,
            "table_name": "titles",
            "row_key": json.dumps({"title_id": f}),
            "previous": None,
        }
        for f in film_ids
    ]
    if rows:
        conn.execute(insert(import_changes), rows)


def _runs() -> Any:
    return select(imports, users.c.name.label("user_name")).join(users, users.c.id == imports.c.user_id)


def import_run(conn: Conn, import_id: int) -> Row[Any] | None:
    """One import with its member's name (``user_name``)."""
    return conn.execute(_runs().where(imports.c.id == import_id)).first()


def import_runs(conn: Conn, user_id: int | None = None) -> list[Row[Any]]:
    """The import log with members' names, newest first (of one member, if given)."""
    query = _runs()
    if user_id is not None:
        query = query.where(imports.c.user_id == user_id)
    return list(conn.execute(query.order_by(imports.c.id.desc())).all())


def import_change_rows(conn: Conn, import_id: int) -> list[Row[Any]]:
    """What an import changed, the last change first."""
    query = select(import_changes).where(import_changes.c.import_id == import_id)
    return list(conn.execute(query.order_by(import_changes.c.id.desc())).all())


def mark_undone(conn: Conn, import_id: int, at: dt.datetime) -> None:
    conn.execute(update(imports).where(imports.c.id == import_id).values(undone_at=at))


# ---- undo ----------------------------------------------------------------------------------------


def restore(conn: Conn, table: str, key: dict[str, Any], previous: Any) -> tuple[int, int]:
    """Put one changed row back as it was before the import (delete it if it did not exist).

    Returns the rows removed and updated.
    """
    if table == "member_ratings":
        where = (member_ratings.c.user_id == key["user_id"], member_ratings.c.title_id == key["title_id"])
        if previous is None:
            return conn.execute(delete(member_ratings).where(*where)).rowcount, 0
        conn.execute(
            update(member_ratings)
            .where(*where)
            .values(score=previous["score"], updated_at=dt.datetime.fromisoformat(previous["updated_at"]))
        )
        return 0, 1
    if table == "member_reviews":
        where = (member_reviews.c.user_id == key["user_id"], member_reviews.c.title_id == key["title_id"])
        if previous is None:
            ids = list(conn.execute(select(member_reviews.c.id).where(*where)).scalars())
            conn.execute(
                update(diary_entries).where(diary_entries.c.review_id.in_(ids)).values(review_id=None)
            )
            return conn.execute(delete(member_reviews).where(*where)).rowcount, 0
        conn.execute(update(member_reviews).where(*where).values(**previous))
        return 0, 1
    if table == "diary_entries":
        conn.execute(
            update(diary_entries).where(diary_entries.c.id == key["id"]).values(**_diary_values(previous))
        )
        return 0, 1
    if table == "list_items":
        conn.execute(delete(list_items).where(list_items.c.list_id == key["list_id"]))
        if previous:
            conn.execute(
                insert(list_items),
                [
                    {"list_id": key["list_id"], "position": n, "title_id": t, "note": note, "import_id": None}
                    for n, (t, note) in enumerate(previous, 1)
                ],
            )
        return 0, 1
    return 0, 0


def _diary_values(previous: dict[str, Any]) -> dict[str, Any]:
    values = dict(previous)
    if values.get("logged_on"):
        values["logged_on"] = dt.date.fromisoformat(values["logged_on"])
    return values


def delete_new_ratings(conn: Conn, user_id: int, film_ids: list[str]) -> int:
    """Delete a member's ratings of these films (one statement per chunk); the rows deleted."""
    removed = 0
    for chunk in batched(film_ids, CHUNK):
        removed += conn.execute(
            delete(member_ratings).where(
                member_ratings.c.user_id == user_id, member_ratings.c.title_id.in_(chunk)
            )
        ).rowcount
    return removed


def delete_import_rows(conn: Conn, import_id: int) -> dict[str, int]:
    """Delete the rows an import added to the member's library tables; rows deleted per table."""
    removed: dict[str, int] = {}
    for table in (list_items, diary_entries, watchlist, likes, member_lists):
        removed[table.name] = conn.execute(delete(table).where(table.c.import_id == import_id)).rowcount
    return removed


def _unreferenced(conn: Conn, film_ids: list[str]) -> list[str]:
    """Those of these films no member's data names any more."""
    named: set[str] = set()
    for chunk in batched(sorted(set(film_ids)), CHUNK):
        for column in (
            member_ratings.c.title_id,
            member_reviews.c.title_id,
            diary_entries.c.title_id,
            watchlist.c.title_id,
            list_items.c.title_id,
        ):
            named |= set(conn.execute(select(column).where(column.in_(chunk)).distinct()).scalars())
        liked = select(likes.c.target).where(likes.c.kind == "film", likes.c.target.in_(chunk))
        named |= set(conn.execute(liked).scalars())
    return [f for f in film_ids if f not in named]


def remove_unreferenced_films(conn: Conn, film_ids: list[str]) -> tuple[int, int]:
    """Delete these films unless some member's data names them now; (films kept, films removed)."""
    free = _unreferenced(conn, film_ids)
    title_keys: list[int] = []
    for chunk in batched(free, CHUNK):
        title_keys += conn.execute(select(titles.c.title_key).where(titles.c.title_id.in_(chunk))).scalars()
    for chunk_ids in batched(title_keys, CHUNK):
        delete_parts(conn, chunk_ids)
        conn.execute(delete(titles).where(titles.c.title_key.in_(chunk_ids)))
        search_index.refresh_titles(conn, chunk_ids)  # drops the deleted titles from the index
    return len(film_ids) - len(free), len(title_keys)


# ---- export --------------------------------------------------------------------------------------


def ratings_of(conn: Conn, user_id: int) -> list[Row[Any]]:
    """A member's rating rows."""
    return list(conn.execute(select(member_ratings).where(member_ratings.c.user_id == user_id)).all())


def reviews_of(conn: Conn, user_id: int) -> list[Row[Any]]:
    """A member's review rows."""
    return list(conn.execute(select(member_reviews).where(member_reviews.c.user_id == user_id)).all())
