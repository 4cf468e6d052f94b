"""What every worker and host share through the store: rate-limit counts and film page versions.

The edges (web) hold one ``SharedState`` per app; see ``storage/shared_state.py`` for how it works.
"""

from __future__ import annotations

import logging

from marquee.storage.base import Store
from marquee.storage.shared_state import SharedState

__all__ = ["SharedState", "film_changed", "open_shared_state"]

log = logging.getLogger(__name__)


def open_shared_state(store: Store) -> SharedState | None:
    """The store's shared state, or None for a store no other process can open (in-memory SQLite)."""
    try:
        return SharedState(store)
    except ValueError:
        return None


def film_changed(shared: SharedState | None, film_id: str) -> None:
    """Bump the film's page version after a write to it, so every worker renders its page afresh.

    Runs just after the write's own transaction; should it fail (the store went away between the
    two), the page is stale on other workers for ``page_cache_seconds`` at most, as before.
    """
    if shared is None:
        return
    try:
        shared.bump(film_id)
    except Exception as error:
        log.warning("could not bump the page version of %s: %s", film_id, error)
