"""The store's status (``marquee status``, ``/status``; issue 20): what it holds, and each derived
index's state — ready, building, stale, missing — with what to do about it.

``store_status`` gathers the rows ``storage.status_rows`` reads into a ``StoreStatus``; the web page,
its JSON twin, the API and the CLI only render it. ``StoreStatus.public()`` leaves out what only
administrators see (where the store is, the rejects file, which process builds an index).

A build recorded as *building* by a process on this machine that is gone is *stale*: the import or
the rebuild was interrupted. ``marquee reindex`` (``rebuild_indexes``) builds the search and browse
indexes again from the tables, and running the import again finishes an interrupted one.
"""

from __future__ import annotations

import os
import socket
from typing import Any, Literal

from pydantic import BaseModel, Field

from marquee.storage import imdb_load, status_rows
from marquee.storage.base import Store

__all__ = ["ImportRun", "IndexState", "StoreStatus", "rebuild_indexes", "store_status"]

State = Literal["ready", "building", "stale", "missing"]
REINDEX = "run `marquee reindex`"
REIMPORT = "run `marquee import imdb DIR` again (or `marquee reindex`)"

# The indexes the search build makes, with how the page names them and the rows they hold.
_SEARCH_INDEXES = (
    ("title_names", "Title search (names, alternate titles)", "titles"),
    ("person_names", "People search", "people"),
    ("search_words", "Search words (typo dictionary)", None),
    ("full_text", "Full text (plots, trivia, quotes)", None),
    ("browse", "Browse index (genres, years, ratings)", "titles"),
)


class IndexState(BaseModel):
    """One derived index: its state, how many rows it holds, when it was built, what to do."""

    key: str
    name: str
    state: State
    rows: int | None = None
    built_at: str | None = Field(default=None, description="when its last build ended (UTC)")
    seconds: float | None = Field(default=None, description="how long that build took")
    since: str | None = Field(default=None, description="when the build in progress began (UTC)")
    action: str | None = Field(default=None, description="what to run when it is stale or missing")
    builder: str | None = Field(default=None, description="the process building it (administrators)")


class ImportRun(BaseModel):
    """The last IMDb datasets import."""

    dump: str | None = None
    started_at: str | None = None
    seconds: float | None = None
    titles_in_seconds: float | None = Field(
        default=None, description="from its start until film pages and suggestions answered"
    )
    files: int | None = None
    full: bool | None = None
    rows_read: int | None = None
    rows_skipped: int | None = None
    written: dict[str, int] = Field(default_factory=dict)
    rejects: str | None = Field(default=None, description="where skipped rows went (administrators)")


class StoreStatus(BaseModel):
    """What the store holds and the state of what is derived from it."""

    backend: str
    revision: str | None
    counts: dict[str, int]
    indexes: list[IndexState]
    last_import: ImportRun | None = None
    search_building: bool = Field(description="searches read titles by their start only meanwhile")
    location: str | None = Field(default=None, description="the store's URL (administrators)")

    @property
    def ready(self) -> bool:
        """Every index ready."""
        return all(i.state == "ready" for i in self.indexes)

    def public(self) -> StoreStatus:
        """The status without what only administrators see."""
        indexes = [i.model_copy(update={"builder": None}) for i in self.indexes]
        last = None if self.last_import is None else self.last_import.model_copy(update={"rejects": None})
        return self.model_copy(update={"location": None, "indexes": indexes, "last_import": last})


def _alive(build: dict[str, Any]) -> bool:
    """Is the process that recorded this build still running? (Another machine's: assumed so.)"""
    if build.get("host") != socket.gethostname():
        return True
    try:
        os.kill(int(build.get("pid") or 0), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def _build_state(build: dict[str, Any] | None) -> tuple[State | None, dict[str, Any]]:
    """The state a build record gives (None: no record, or ready), and its fields for ``IndexState``."""
    if not build:
        return None, {}
    if build.get("state") == "ready":
        return None, {"built_at": build.get("at"), "seconds": build.get("seconds")}
    builder = f"{build.get('by', '?')} (pid {build.get('pid')} on {build.get('host')})"
    fields = {"since": build.get("since"), "builder": builder}
    if build.get("state") != "failed" and _alive(build):
        return "building", fields
    # A failed build (its catalogue is in) or a rebuild: reindex. An interrupted import: run it again.
    again = "import" in str(build.get("by")) and build.get("state") != "failed"
    return "stale", {**fields, "action": REIMPORT if again else REINDEX}


def _search_indexes(rows: status_rows.StatusRows) -> list[IndexState]:
    recorded, fields = _build_state(rows.builds.get("search"))
    out = []
    for key, name, source in _SEARCH_INDEXES:
        count = rows.index_rows.get(key)
        state: State = recorded or "ready"
        extra = dict(fields)
        if recorded is None and source is not None and rows.counts.get(source) and not count:
            state, extra = "missing", {**extra, "action": REINDEX}
        if key == "search_words" and recorded is None and rows.index_rows.get("title_names") and not count:
            state, extra = "missing", {**extra, "action": REINDEX}
        out.append(IndexState(key=key, name=name, state=state, rows=count, **extra))
    if rows.index_rows.get("title_prefix") is not None:
        out.append(
            IndexState(
                key="title_prefix",
                name="Quick title lookup (used while the search index builds)",
                state="ready",
                rows=rows.index_rows["title_prefix"],
            )
        )
    return out


def _similar(rows: status_rows.StatusRows) -> IndexState:
    count = rows.index_rows.get("similar")
    missing = bool(rows.counts.get("titles")) and not count
    return IndexState(
        key="similar",
        name="Similar films (films with a list)",
        state="missing" if missing else "ready",
        rows=count,
        action="run `marquee similar --rebuild`" if missing else None,
    )


def _descriptions(rows: status_rows.StatusRows) -> list[IndexState]:
    if not rows.descriptions:
        return [
            IndexState(
                key="description",
                name="Search by description",
                state="missing",
                rows=0,
                action="run `marquee search --rebuild-descriptions`",
            )
        ]
    return [
        IndexState(
            key=f"description:{m.name}",
            name=f"Search by description ({m.name})",
            state="ready",
            rows=m.documents,
            built_at=m.built_at,
        )
        for m in rows.descriptions
    ]


def _last_import(rows: status_rows.StatusRows) -> ImportRun | None:
    run = dict(rows.last_import or {})
    written = (rows.import_record or {}).get("written")
    if not run and not written:
        return None
    known = {k: v for k, v in run.items() if k in ImportRun.model_fields}
    known.setdefault("dump", rows.dump)
    return ImportRun(**known, written=written if isinstance(written, dict) else {})


def store_status(store: Store) -> StoreStatus:
    """The whole status, administrators' details included (``.public()`` leaves them out).

    >>> store_status(store).indexes[0].state  # doctest: +SKIP
    'ready'
    """
    with store.reading() as conn:
        rows = status_rows.read_status_rows(conn)
    indexes = [*_search_indexes(rows), _similar(rows), *_descriptions(rows)]
    search = rows.builds.get("search") or {}
    return StoreStatus(
        backend=rows.dialect,
        revision=rows.revision,
        counts=rows.counts,
        indexes=indexes,
        last_import=_last_import(rows),
        search_building=bool(search)
        and search.get("state") != "ready"
        and rows.index_rows.get("title_prefix") is not None,
        location=status_rows.store_location(store),
    )


def rebuild_indexes(store: Store) -> float:
    """Build the search and browse indexes again from the tables (``marquee reindex``); the seconds.
    PostgreSQL builds them aside, so searches keep answering meanwhile (``storage.search_aside_pg``)."""
    if store.dialect == "postgresql":
        return imdb_load.reindex_postgresql(store)
    return status_rows.rebuild_search(store)
