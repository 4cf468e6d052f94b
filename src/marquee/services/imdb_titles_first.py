"""Titles first (issue 20): the part of an IMDb import that commits title.basics and title.ratings
into a SQLite store without titles as soon as both are staged, while the other files are staged.

``services.imdb_import`` stages those two files before the others when ``EarlyTitles.wanted_first``
names them, hands each staged file to ``EarlyTitles.staged``, gives ``EarlyTitles.done`` to the merge
of the rest (which then skips them), and calls ``EarlyTitles.undo`` if the import fails before that
merge commits. The commit itself is ``storage.imdb_titles_first``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from marquee.services.imdb_stage import StageJob, StageResult
from marquee.storage import imdb_load
from marquee.storage.base import Store
from marquee.storage.imdb_titles_first import TitlesFirst, merge_titles_first, undo_titles_first

__all__ = ["MIN_TITLES", "EarlyTitles", "paused"]

# Below this many titles, an import into a store without titles does not commit them first (the
# whole import takes a few seconds).
MIN_TITLES = 20_000


class EarlyTitles:
    """Merges title.basics and title.ratings as soon as both are staged, into a SQLite store without
    titles, and commits them (``storage.imdb_titles_first``): film pages and suggestions answer while
    the other files are staged. Big imports only (``min_titles``)."""

    def __init__(
        self,
        store: Store,
        jobs: list[StageJob],
        source: str,
        *,
        trace: bool = False,
        say: Callable[[str], None] | None = None,
        min_titles: int = MIN_TITLES,
        started: float | None = None,
    ) -> None:
        self.store = store
        self.jobs = {j.dataset: j for j in jobs}
        self.source = source  # the dump, as members' edits name it
        self.trace = trace
        self.say = say  # reports a phase (``ImportProgress.stage``)
        self.min_titles = min_titles
        self.wanted = {"title.basics", "title.ratings"} & set(self.jobs)
        self.t0 = time.monotonic() if started is None else started  # the import's start
        self.results: dict[str, StageResult] = {}
        self.done: TitlesFirst | None = None
        self.seconds: float | None = None  # from the import's start to the titles' commit
        self.merged = False  # the rest is committed: no undo any more
        # Called once both files are staged and the titles committed (or found too few to commit first).
        self.after: Callable[[], object] | None = None

    @property
    def wanted_first(self) -> set[str]:
        """The files to stage first (none when the store already holds titles)."""
        return (
            self.wanted if "title.basics" in self.wanted and not imdb_load.holds_titles(self.store) else set()
        )

    def staged(self, result: StageResult, pause: Callable[[], Any] = contextlib.nullcontext) -> None:
        """A file is staged: once both are, merge them (once), within ``pause()`` (which holds all
        staging workers but one, so the commit has a core of its own)."""
        if result.dataset not in self.wanted or self.results.get(result.dataset):
            return
        self.results[result.dataset] = result
        if set(self.results) != self.wanted:
            return
        if self.results["title.basics"].rows_staged >= self.min_titles:
            self._commit(pause)
        if self.after is not None:
            self.after()

    def _commit(self, pause: Callable[[], Any]) -> None:
        self._say("committing the titles first")
        held = [ds for ds, r in self.results.items() if r.rows_skipped]
        files = {ds: path for ds in self.wanted if (path := self.jobs[ds].sqlite_file) is not None}
        with pause():
            self.done = merge_titles_first(self.store, files, held, source=self.source, trace=self.trace)
        if self.done is not None:
            self.seconds = time.monotonic() - self.t0
            self._say("titles are in: film pages and suggestions answer")

    def undo(self) -> None:
        """The import failed before the rest was committed: take the titles out again."""
        if self.done is not None and not self.merged:
            undo_titles_first(self.store, self.done)
            self.done = None

    def _say(self, what: str) -> None:
        if self.say is not None:
            self.say(what)


@contextmanager
def paused(procs: list[Any]) -> Iterator[None]:
    """Stop these worker processes for a while (SIGSTOP), and let them go on after (SIGCONT)."""
    stopped = []
    try:
        for proc in procs:
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGSTOP)  # our own workers, by handle
                stopped.append(proc)
        yield
    finally:
        for proc in stopped:
            os.kill(proc.pid, signal.SIGCONT)
