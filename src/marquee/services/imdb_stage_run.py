"""Staging the IMDb dataset files: each one inline, or in a pool of worker processes, reporting progress.

``run_jobs`` stages every file of an import (largest first, the titles first when they are merged
early) and returns their results; a worker that dies or a file that is refused fails the import.
"""

from __future__ import annotations

import multiprocessing
import queue
import shutil
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from marquee.errors import InputError, StoreError
from marquee.services.imdb_stage import StageJob, StageResult, stage_file, stage_worker
from marquee.services.imdb_titles_first import EarlyTitles, paused

__all__ = ["ImportProgress", "collect_rejects", "run_jobs"]


class ImportProgress(Protocol):
    """What an import reports while it works (the CLI draws a Rich bar per file from it)."""

    def start_file(self, name: str, total_bytes: int) -> None:
        """A file starts: ``total_bytes`` is its size on disk (compressed, for ``.gz``)."""

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        """So far ``bytes_done`` of the file on disk are read, ``rows`` rows."""

    def finish_file(self, name: str) -> None:
        """The file is staged."""

    def stage(self, description: str) -> None:
        """A phase without per-file progress begins (e.g. merging into the store)."""


def run_jobs(
    jobs: list[StageJob], workers: int, progress: ImportProgress | None, first: EarlyTitles | None = None
) -> list[StageResult]:
    """Stage every file: inline, or in up to ``workers`` processes (largest file first; the titles
    first when ``first`` will merge them early)."""
    early = first.wanted_first if first is not None else set()
    if workers <= 1:
        results = {}
        for job in sorted(jobs, key=lambda j: j.dataset not in early):
            if progress is not None:
                progress.start_file(job.source, job.path.stat().st_size)
            results[job.dataset] = stage_file(job, _inline_report(job, progress))
            if progress is not None:
                progress.finish_file(job.source)
            if first is not None and early:
                first.staged(results[job.dataset])
        return [results[j.dataset] for j in jobs]
    return _run_parallel(jobs, workers, progress, first if early else None, early)


def _inline_report(job: StageJob, progress: ImportProgress | None) -> Any:
    if progress is None:
        return None
    return lambda _ds, done, rows: progress.advance(job.source, done, rows)


def _run_parallel(
    jobs: list[StageJob],
    workers: int,
    progress: ImportProgress | None,
    first: EarlyTitles | None = None,
    early: set[str] | frozenset[str] = frozenset(),
) -> list[StageResult]:
    """A pool of ``workers`` processes stages the files, largest first (one start-up per worker);
    the ``early`` ones before all others, handed to ``first`` as soon as they are staged."""
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    todo = ctx.Queue()
    for job in sorted(jobs, key=lambda j: (j.dataset not in early, -j.path.stat().st_size)):
        todo.put(job)
    procs = [
        ctx.Process(target=stage_worker, args=(todo, messages, i), daemon=True)
        for i in range(min(workers, len(jobs)))
    ]
    for proc in procs:
        todo.put(None)  # one "no more files" per worker
        proc.start()
    by_dataset = {j.dataset: j for j in jobs}
    results: dict[str, StageResult] = {}
    staging = _Staging(by_dataset, results)
    try:
        while len(results) < len(jobs):
            try:
                msg = messages.get(timeout=0.5)
            except queue.Empty:
                _check_alive(procs)
                continue
            kind, ds = msg[0], msg[1]
            if kind == "start":
                staging.current[msg[2]] = ds
                if progress is not None:
                    progress.start_file(by_dataset[ds].source, by_dataset[ds].path.stat().st_size)
            elif kind == "advance":
                staging.done[ds] = msg[2]
                if progress is not None:
                    progress.advance(by_dataset[ds].source, msg[2], msg[3])
            elif kind == "done":
                results[ds] = msg[2]
                if progress is not None:
                    progress.finish_file(by_dataset[ds].source)
                if first is not None:  # one worker goes on staging: the one with the most left to read
                    keep = staging.busiest(len(procs))
                    first.staged(msg[2], partial(paused, [p for i, p in enumerate(procs) if i != keep]))
            elif kind == "input_error":
                raise InputError(msg[2])
            else:
                raise StoreError(f"staging {by_dataset[ds].source} failed: {msg[2]}")
    finally:
        for proc in procs:  # only our own workers, by handle
            if proc.is_alive():
                proc.kill()
            proc.join()
        messages.close()
        todo.close()
    return [results[j.dataset] for j in jobs]


class _Staging:
    """What each worker is staging (its last file started) and how far each file is read."""

    def __init__(self, jobs: dict[str, StageJob], results: dict[str, StageResult]) -> None:
        self.jobs, self.results = jobs, results
        self.current: dict[int, str] = {}  # worker number -> dataset
        self.done: dict[str, int] = {}  # dataset -> bytes read (on disk)

    def busiest(self, workers: int) -> int:
        """The worker with the most of its file left to read (a file finished counts nothing).

        While the titles are committed first all workers but one are stopped: the one kept on is the
        one on the largest file (title.principals), else the import waits for that file at its end.
        """

        def left(worker: int) -> int:
            ds = self.current.get(worker)
            if ds is None or ds in self.results:
                return 0
            return self.jobs[ds].path.stat().st_size - self.done.get(ds, 0)

        return max(range(workers), key=left)


def _check_alive(procs: list[Any]) -> None:
    """A worker that died without a word (killed, out of memory) fails the import."""
    for proc in procs:
        if not proc.is_alive() and proc.exitcode not in (0, None):
            raise StoreError(f"a staging worker failed (exit code {proc.exitcode})")


def collect_rejects(jobs: list[StageJob], rejects: Path) -> None:
    """Concatenate the workers' rejects parts, in dataset order."""
    parts = [j.rejects_part for j in jobs if j.rejects_part is not None and j.rejects_part.exists()]
    if not parts:
        return
    rejects.parent.mkdir(parents=True, exist_ok=True)
    with open(rejects, "wb") as out:
        for part in parts:
            with open(part, "rb") as src:
                shutil.copyfileobj(src, out)
