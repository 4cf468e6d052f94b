"""Rich progress bars for ``marquee import imdb``: one bar per file, rows per second, time left.

The import reports through ``services.imdb_import.ImportProgress``; this adapter draws it.
Use ``import_progress(quiet=…)``: it yields None (no output at all) with ``--quiet`` or when
the console is not a terminal, so logs and pipes stay clean.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from marquee.services.imdb_import import ImportProgress

__all__ = ["RichImportProgress", "import_progress", "pages_progress"]


class _RowsColumn(ProgressColumn):
    """Rows read so far and rows per second."""

    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        elapsed = task.finished_time if task.finished else task.elapsed
        rate = rows / elapsed if elapsed else 0.0
        return Text(f"{rows:>12,} rows {rate:>10,.0f}/s", style="progress.data.speed")


class RichImportProgress:
    """An ImportProgress drawing one Rich bar per file (time left from the bytes read)."""

    def __init__(self, console: Console | None = None) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description:<24}"),
            BarColumn(),
            DownloadColumn(),
            _RowsColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}
        self.phase: TaskID | None = None

    def __enter__(self) -> RichImportProgress:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._end_phase()
        self.progress.stop()

    def start_file(self, name: str, total_bytes: int) -> None:
        """A bar for the file."""
        self.tasks[name] = self.progress.add_task(name, total=max(total_bytes, 1), rows=0)

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        """Move the file's bar."""
        self.progress.update(self.tasks[name], completed=bytes_done, rows=rows)

    def finish_file(self, name: str) -> None:
        """Fill the file's bar."""
        task = self.tasks[name]
        self.progress.update(task, completed=self.progress.tasks[task].total)
        self.progress.stop_task(task)

    def stage(self, description: str) -> None:
        """A phase without per-file progress: a line with a spinner-like elapsed time."""
        self._end_phase()
        self.phase = self.progress.add_task(description, total=None, rows=0)

    def _end_phase(self) -> None:
        if self.phase is not None:
            self.progress.update(self.phase, total=1, completed=1)
            self.progress.stop_task(self.phase)
            self.phase = None


@contextmanager
def import_progress(
    *, quiet: bool = False, console: Console | None = None
) -> Iterator[ImportProgress | None]:
    """Bars on a terminal; None (silence) with ``quiet`` or when output is not a terminal."""
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    with RichImportProgress(console) as bars:
        yield bars


@contextmanager
def pages_progress(
    description: str, *, quiet: bool = False, console: Console | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A bar of pages copied (``marquee backup`` / ``restore``); None with ``quiet`` or off a terminal."""
    console = console or Console(stderr=True)
    if quiet or not console.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]{task.description:<12}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} pages"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    task = bar.add_task(description, total=None)

    def report(done: int, total: int) -> None:
        bar.update(task, completed=done, total=max(total, 1))

    with bar:
        yield report
