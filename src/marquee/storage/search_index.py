"""Keeps the search index in step with the tables (owned by the search work, issue 4).

``refresh_titles`` is called by the store inside the transaction that writes a film,
so a newly stored film is findable at once; ``rebuild`` is called by bulk imports.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection


def refresh_titles(conn: Connection, title_ids: Iterable[int]) -> None:
    """Re-index these titles (internal ids). Not yet built: the search work fills this in."""


def rebuild(conn: Connection) -> None:
    """Rebuild the whole index after a bulk import. Not yet built: the search work fills this in."""
