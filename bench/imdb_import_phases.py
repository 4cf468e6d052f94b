#!/usr/bin/env python3
"""Time the IMDb import's own phases (staging, merge) and stop where the search-index rebuild starts.

    .venv/bin/python bench/imdb_import_phases.py DATA_DIR sqlite:////tmp/x.db

Prints the seconds at which each phase starts; exits hard (``os._exit``) when the search-index
rebuild begins, so the run measures the import without the (separately owned) rebuild. The import is
atomic, so the store keeps its previous state. ``MARQUEE_IMPORT_TRACE=1`` adds per-statement merge times.
"""

from __future__ import annotations

import os
import sys
import time

from marquee.services.imdb_import import import_imdb_datasets
from marquee.settings import load_settings
from marquee.storage import open_store


class Phases:
    """An ImportProgress that prints phase starts and stops at the search rebuild."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def start_file(self, name: str, total_bytes: int) -> None:
        """Unused."""

    def advance(self, name: str, bytes_done: int, rows: int) -> None:
        """Unused."""

    def finish_file(self, name: str) -> None:
        print(f"{time.monotonic() - self.t0:6.1f}s staged {name}", flush=True)

    def stage(self, description: str) -> None:
        print(f"{time.monotonic() - self.t0:6.1f}s {description}", flush=True)
        if description.startswith("building search"):
            os._exit(0)


def main() -> None:
    """Run one import into the store at argv[2] from the directory argv[1]."""
    store = open_store(sys.argv[2])
    import_imdb_datasets(store, sys.argv[1], progress=Phases(), trace=load_settings().import_trace)
    store.close()


if __name__ == "__main__":
    main()
