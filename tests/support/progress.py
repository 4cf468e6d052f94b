"""An ImportProgress that listens only for phases: tests subclass it and override ``stage``."""

from __future__ import annotations

__all__ = ["PhaseWatcher"]


class PhaseWatcher:
    """Ignores per-file progress; ``stage(description)`` is called as each phase of an import begins."""

    def start_file(self, name: str, total_bytes: int) -> None:
        """Unused."""

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        """Unused."""

    def finish_file(self, name: str) -> None:
        """Unused."""

    def stage(self, description: str) -> None:
        """Override: what to do when a phase begins."""
