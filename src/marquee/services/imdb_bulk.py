"""First import into an empty SQLite store: run the two lanes (``imdb_lanes``), then copy their tables in.

The copy is one transaction on the store: every table the lanes built is copied with
``INSERT INTO main.t SELECT * FROM lane.t`` into the store's empty table of the same layout,
which SQLite does record by record without decoding (its transfer optimisation); the search
index's FTS5 tables are copied through their shadow tables the same way. Until COMMIT the
store is as it was; a crash leaves only the lane files, removed by the next import.
"""

from __future__ import annotations

import multiprocessing
import queue
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marquee.errors import InputError, StoreError
from marquee.services.imdb_lanes import CREDIT_TABLES, LANE_DATASETS, TITLE_TABLES, Lane, LaneResult, run_lane
from marquee.services.imdb_stage import StageJob, StageResult, die_with_parent

__all__ = ["copy_lanes", "empty_store", "plan_lanes", "run_lanes"]

# FTS5 keeps a virtual table's data in these shadow tables.
_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
# What each file writes (for the import record: only tables of files that were there).
_WRITES = {
    "name.basics": ("people",),
    "title.basics": ("titles", "title_genres", "runtimes"),
    "title.ratings": ("imdb_ratings",),
    "title.akas": ("alternate_titles",),
    "title.episode": ("episodes",),
    "title.crew": ("credits",),
    "title.principals": ("credits",),
}
_INDEX_TABLES = ("title_search_keys", "person_search_keys", "search_words", "text_search_docsize")


def empty_store(raw: sqlite3.Connection) -> bool:
    """True when the store holds no catalogue at all (nothing to merge with)."""
    for table in (*TITLE_TABLES, *CREDIT_TABLES, *_INDEX_TABLES):
        if raw.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            return False
    return True


def _ddl(raw: sqlite3.Connection, names: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The store's own CREATE TABLE and CREATE INDEX statements for ``names`` (layouts must match)."""
    marks = ", ".join("?" * len(names))
    rows = raw.execute(
        f"SELECT type, sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL ORDER BY rowid",
        names,
    ).fetchall()
    return tuple(sql for kind, sql in rows if kind == "table"), tuple(
        sql for kind, sql in rows if kind == "index"
    )


def plan_lanes(raw: sqlite3.Connection, jobs: list[StageJob], stage_dir: Path) -> list[Lane]:
    """The two lanes for these files, with the store's DDL of the tables each one builds."""
    by_dataset = {j.dataset: j for j in jobs}
    title_tables, title_indexes = _ddl(raw, TITLE_TABLES)
    credit_tables, credit_indexes = _ddl(raw, CREDIT_TABLES)
    titles_file = stage_dir / "lane-titles.db"
    return [
        Lane(
            "titles",
            tuple(by_dataset[d] for d in LANE_DATASETS["titles"] if d in by_dataset),
            titles_file,
            stage_dir / "lane-title-search.db",
            title_tables,
            title_indexes,
            _ddl(raw, ("title_search", "title_search_keys"))[0],
        ),
        Lane(
            "credits",
            tuple(by_dataset[d] for d in LANE_DATASETS["credits"] if d in by_dataset),
            stage_dir / "lane-credits.db",
            stage_dir / "unused.db",
            credit_tables,
            credit_indexes,
            _ddl(raw, ("person_search", "person_search_keys"))[0],
            other=titles_file,
            id_files=(_path(by_dataset.get("title.basics")), _path(by_dataset.get("name.basics"))),
        ),
    ]


def _path(job: StageJob | None) -> Path | None:
    return job.path if job is not None else None


Progress = Any  # imdb_import.ImportProgress (not imported: that module imports this one)


def run_lanes(lanes: list[Lane], workers: int, progress: Progress) -> dict[str, LaneResult]:
    """Run both lanes: in two processes, or one after the other in this one."""
    sources = {j.dataset: j for lane in lanes for j in lane.jobs}
    handler = _Messages(sources, progress)
    if workers <= 1:
        return {lane.name: run_lane(lane, handler.handle, lambda: None) for lane in lanes}
    return _run_parallel(lanes, handler)


class _Messages:
    """Turns lane messages into progress calls."""

    def __init__(self, jobs: dict[str, StageJob], progress: Progress) -> None:
        self.jobs = jobs
        self.progress = progress

    def handle(self, kind: str, *args: Any) -> None:
        if self.progress is None or kind == "ready":
            return
        job = self.jobs[args[0]]
        if kind == "start":
            self.progress.start_file(job.source, job.path.stat().st_size)
        elif kind == "advance":
            self.progress.advance(job.source, args[1], args[2])
        elif kind == "done":
            self.progress.finish_file(job.source)


def lane_worker(lane: Lane, messages: Any, ready: Any) -> None:
    """Entry point of a lane process: runs the lane, reporting on ``messages``."""
    die_with_parent()

    def say(kind: str, *args: Any) -> None:
        if kind == "ready":
            ready.set()
        messages.put((kind, *args))

    def wait_ready() -> None:
        while not ready.wait(1.0):
            pass

    try:
        result = run_lane(lane, say, wait_ready)
    except InputError as err:
        messages.put(("input_error", str(err)))
        return
    except Exception as err:  # reported to the parent, which raises StoreError
        messages.put(("error", f"{type(err).__name__}: {err}"))
        return
    messages.put(("lane", lane.name, result))


def _run_parallel(lanes: list[Lane], handler: _Messages) -> dict[str, LaneResult]:
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    ready = ctx.Event()
    procs = [ctx.Process(target=lane_worker, args=(lane, messages, ready), daemon=True) for lane in lanes]
    for proc in procs:
        proc.start()
    results: dict[str, LaneResult] = {}
    try:
        while len(results) < len(lanes):
            try:
                msg = messages.get(timeout=0.5)
            except queue.Empty:
                for proc in procs:
                    if not proc.is_alive() and proc.exitcode not in (0, None):
                        raise StoreError(f"an import worker failed (exit code {proc.exitcode})") from None
                continue
            if msg[0] == "lane":
                results[msg[1]] = msg[2]
            elif msg[0] == "input_error":
                raise InputError(msg[1])
            elif msg[0] == "error":
                raise StoreError(f"the import failed: {msg[1]}")
            else:
                handler.handle(*msg)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
            proc.join()
        messages.close()
    return results


def copy_lanes(
    raw: sqlite3.Connection,
    lanes: list[Lane],
    results: dict[str, LaneResult],
    stage: Callable[[str], None],
    run: Callable[..., Any],
) -> tuple[list[StageResult], dict[str, int]]:
    """Inside the caller's transaction: copy the lanes' tables and search index into the store."""
    if not empty_store(raw):
        raise StoreError("the store received films while the import ran: run the import again")
    files = [r for lane in lanes for r in results[lane.name].files]
    present = {r.dataset for r in files}
    stage("merging into the store")
    for table in TITLE_TABLES:
        run(f"INSERT INTO main.{table} SELECT * FROM lane_titles.{table}")
    for table in CREDIT_TABLES:
        run(f"INSERT INTO main.{table} SELECT * FROM lane_credits.{table}")
    stage("building search indexes")
    for base, source in (("title_search", "lane_title_search"), ("person_search", "lane_credits")):
        for table in (*(base + s for s in _SHADOWS), base + "_keys"):
            run(f"DELETE FROM main.{table}")
            run(f"INSERT INTO main.{table} SELECT * FROM {source}.{table}")
    run("DELETE FROM search_words")
    run(
        "INSERT INTO search_words (word) SELECT word FROM lane_title_search.lane_words"
        " UNION SELECT word FROM lane_credits.lane_words"
    )
    written: dict[str, int] = {}
    for lane in lanes:
        for table, rows in results[lane.name].written.items():
            if any(table in _WRITES[d] for d in present):
                written[table] = rows
    return files, written
