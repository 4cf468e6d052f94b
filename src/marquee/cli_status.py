"""CLI commands for the store's status (issue 20), registered by ``marquee.cli``:

marquee status [--json]     # counts, each derived index's state, the last IMDb import
marquee reindex             # build the search and browse indexes again from the tables
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from marquee.cli_common import errors_to_exit, opened_store

__all__ = ["register", "render_status"]

_MARK = {"ready": "ready", "building": "BUILDING", "stale": "STALE", "missing": "MISSING"}


def render_status(data: object) -> str:
    """The status as text lines (``data``: a ``services.status.StoreStatus``)."""
    from marquee.services.status import StoreStatus

    assert isinstance(data, StoreStatus)
    lines = [f"store: {data.backend}, schema revision {data.revision or '?'}"]
    if data.location:
        lines.append(f"at: {data.location}")
    lines.append("holds: " + ", ".join(f"{n:,} {what}" for what, n in data.counts.items()))
    lines.append("indexes:")
    for index in data.indexes:
        rows = "" if index.rows is None else f"{index.rows:,} rows"
        when = (
            f"built {index.built_at}" if index.built_at else (f"since {index.since}" if index.since else "")
        )
        took = f"in {index.seconds:.1f}s" if index.seconds is not None else ""
        detail = ", ".join(p for p in (rows, when, took) if p)
        lines.append(f"  {_MARK[index.state]:<9}{index.name}" + (f": {detail}" if detail else ""))
        if index.builder and index.state != "ready":
            lines.append(f"           by {index.builder}")
        if index.action:
            lines.append(f"           -> {index.action}")
    if data.search_building:
        lines.append("search index building: searches find titles by their start only meanwhile")
    run = data.last_import
    if run is not None:
        lines.append(
            f"last IMDb import: {run.dump or '?'}, started {run.started_at or '?'}"
            + (f", took {run.seconds:.1f}s" if run.seconds is not None else "")
            + (
                f" (titles in after {run.titles_in_seconds:.1f}s)"
                if run.titles_in_seconds is not None
                else ""
            )
        )
        if run.rows_read is not None:
            lines.append(f"  {run.rows_read:,} rows read, {run.rows_skipped or 0:,} skipped")
        if run.rejects:
            lines.append(f"  skipped rows in {run.rejects}")
    return "\n".join(lines)


def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """The store's counts, the state of each derived index (ready, building, stale, missing) and the
    last IMDb import."""
    from marquee.services.status import store_status

    with opened_store() as store, errors_to_exit():
        data = store_status(store)
    if as_json:
        typer.echo(json.dumps(data.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    typer.echo(render_status(data))


def reindex() -> None:
    """Build the search and browse indexes again from the tables (after an interrupted import)."""
    from marquee.services.status import rebuild_indexes

    with opened_store() as store, errors_to_exit():
        seconds = rebuild_indexes(store)
    typer.echo(f"search and browse indexes rebuilt in {seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add ``status`` and ``reindex`` to the ``marquee`` command."""
    app.command()(status)
    app.command()(reindex)
