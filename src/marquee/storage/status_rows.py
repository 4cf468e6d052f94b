"""The rows the store's status is read from (``services.status`` gathers them; issue 20).

Counts of the catalogue and of members' data, the row counts of each derived index, the schema
revision, and two records in ``store_meta``:

* ``index_builds`` (``INDEX_BUILDS_KEY``): per build (``"search"``: the title, person, text and word
  indexes with the browse index, which ``search_index.rebuild`` builds together), its state
  (``building`` or ``ready``), when it began or ended, how long it took, and which process builds it
  (``pid``, ``host``), so a reader can tell a build in progress from one whose process is gone.
* ``imdb_import_run`` (``IMPORT_RUN_KEY``): the last IMDb import's dump, start, duration, rows read
  and skipped, where the skipped rows went, and when its titles were readable.

Both hold times, so two runs of the same import differ there and nowhere else: ``VOLATILE_META_KEYS``
names them for comparisons of whole stores.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from marquee.storage.base import Store
from marquee.storage.engine import engine_of, redacted

__all__ = [
    "COUNTED_TABLES",
    "IMPORT_RUN_KEY",
    "INDEX_BUILDS_KEY",
    "INDEX_TABLES",
    "VOLATILE_META_KEYS",
    "DescriptionModel",
    "StatusRows",
    "building_build",
    "index_builds",
    "read_status_rows",
    "ready_build",
    "rebuild_search",
    "search_building",
    "store_location",
    "write_import_run",
    "write_index_build",
]

INDEX_BUILDS_KEY = "index_builds"
IMPORT_RUN_KEY = "imdb_import_run"
VOLATILE_META_KEYS = (INDEX_BUILDS_KEY, IMPORT_RUN_KEY)

# What the status counts: public figures, like IMDb's own.
COUNTED_TABLES = {
    "titles": "titles",
    "people": "people",
    "credits": "credits",
    "members": "users",
    "ratings": "member_ratings",
    "reviews": "member_reviews",
}
# Each derived index and the table whose rows say how much of it there is (a b-tree count: the
# FTS5 tables themselves are counted through their key tables, which hold one row per title/person).
INDEX_TABLES = {
    "title_names": "title_search_keys",
    "person_names": "person_search_keys",
    "full_text": "text_search_docsize",
    "search_words": "search_words",
    "browse": "title_browse",
    "similar": "title_similar",
    "title_prefix": "title_prefix",
}
_POSTGRES_INDEX_TABLES = {
    "title_names": "title_search",
    "person_names": "person_search",
    "full_text": "text_search",
}
# Tables with several rows per thing indexed, counted by that thing: one row per (film, rank) of
# similar films, one per name (primary and alternate titles) in PostgreSQL's title search.
_DISTINCT = {"title_similar": "DISTINCT title_id", "title_search": "DISTINCT title_key"}


@dataclass(frozen=True)
class DescriptionModel:
    """One stored search-by-description model: its name, when it was built, over how many films."""

    name: str
    built_at: str
    documents: int


@dataclass(frozen=True)
class StatusRows:
    """What the store holds, as read in one go (``read_status_rows``)."""

    dialect: str
    revision: str | None
    counts: dict[str, int]
    index_rows: dict[str, int | None]  # None: the table does not exist in this store
    builds: dict[str, dict[str, Any]]
    last_import: dict[str, Any] | None
    import_record: dict[str, Any] | None
    dump: str | None
    descriptions: list[DescriptionModel]


def _meta(conn: Connection, key: str) -> str | None:
    value = conn.execute(text("SELECT value FROM store_meta WHERE key = :k"), {"k": key}).scalar()
    return None if value is None else str(value)


def _json(conn: Connection, key: str) -> Any:
    raw = _meta(conn, key)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _count(conn: Connection, table: str, have: set[str]) -> int | None:
    if table not in have:
        return None
    counted = _DISTINCT.get(table, "*")
    return int(conn.execute(text(f'SELECT count({counted}) FROM "{table}"')).scalar() or 0)


def _descriptions(conn: Connection, have: set[str]) -> list[DescriptionModel]:
    if "description_models" not in have:
        return []
    rows = conn.execute(text("SELECT name, built_at, documents FROM description_models ORDER BY name"))
    return [DescriptionModel(str(name), str(at), int(docs)) for name, at, docs in rows]


def read_status_rows(conn: Connection) -> StatusRows:
    """Counts, index rows, build records and the last import, read on one connection."""
    have = set(inspect(conn).get_table_names())
    tables = dict(INDEX_TABLES)
    if conn.dialect.name == "postgresql":
        tables |= _POSTGRES_INDEX_TABLES
    revision = (
        conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if "alembic_version" in have
        else None
    )
    builds = _json(conn, INDEX_BUILDS_KEY)
    last = _json(conn, IMPORT_RUN_KEY)
    record = _json(conn, "imdb_import")
    return StatusRows(
        dialect=conn.dialect.name,
        revision=None if revision is None else str(revision),
        counts={name: _count(conn, table, have) or 0 for name, table in COUNTED_TABLES.items()},
        index_rows={name: _count(conn, table, have) for name, table in tables.items()},
        builds=builds if isinstance(builds, dict) else {},
        last_import=last if isinstance(last, dict) else None,
        import_record=record if isinstance(record, dict) else None,
        dump=_meta(conn, "imdb_dump"),
        descriptions=_descriptions(conn, have),
    )


def index_builds(conn: Connection) -> dict[str, dict[str, Any]]:
    """The ``index_builds`` record (empty when no build was ever recorded)."""
    builds = _json(conn, INDEX_BUILDS_KEY)
    return builds if isinstance(builds, dict) else {}


def search_building(conn: Connection) -> bool:
    """Is the search index being built (or was its build interrupted)? One primary-key read."""
    build = index_builds(conn).get("search")
    return isinstance(build, dict) and build.get("state") != "ready"


def _put(conn: Connection, key: str, value: Any) -> None:
    conn.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": key})
    conn.execute(
        text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"),
        {"k": key, "v": json.dumps(value, sort_keys=True)},
    )


def write_index_build(conn: Connection, name: str, record: dict[str, Any]) -> None:
    """Record the state of build ``name`` (inside the caller's transaction)."""
    builds = index_builds(conn)
    builds[name] = record
    _put(conn, INDEX_BUILDS_KEY, builds)


def write_import_run(conn: Connection, record: dict[str, Any]) -> None:
    """Record the last IMDb import's run (inside the caller's transaction)."""
    _put(conn, IMPORT_RUN_KEY, record)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def building_build(what: str) -> dict[str, Any]:
    """The record of a build starting now in this process (``what`` says who builds it)."""
    return {
        "state": "building",
        "since": _now(),
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "by": what,
    }


def ready_build(seconds: float) -> dict[str, Any]:
    """The record of a build that ended now after ``seconds``."""
    return {"state": "ready", "at": _now(), "seconds": round(seconds, 1)}


def rebuild_search(store: Store) -> float:
    """Build the search and browse indexes again from the tables (``marquee reindex``), recording the
    build as building (committed first, so the status shows it) and then ready; returns the seconds."""
    from marquee.storage import search_index  # the index imports this module

    began = time.monotonic()
    with engine_of(store).connect() as conn, conn.begin():
        write_index_build(conn, "search", building_build("marquee reindex"))
    with engine_of(store).connect() as conn, conn.begin():
        search_index.rebuild(conn)
        write_index_build(conn, "search", ready_build(time.monotonic() - began))
    return time.monotonic() - began


def store_location(store: Store) -> str:
    """Where the store is (its URL without a password), for administrators."""
    return redacted(engine_of(store).url)
