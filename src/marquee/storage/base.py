"""The storage interface: what services and edges may ask of a store.

Both backends (SQLite, PostgreSQL) implement it in ``sqlstore.SqlStore`` through
SQLAlchemy Core; bulk paths that need driver-level speed live with the importers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy.engine import Connection

from marquee.records import Film, Person


class Store(Protocol):
    """A place where films and people live.

    The interface is these methods and read-only properties alone (``test_architecture`` checks it):
    services read with ``reading`` and write with ``transactions.transaction``; storage's own modules
    that need the SQLAlchemy engine ask ``engine.engine_of(store)``.
    """

    @property
    def url(self) -> str:
        """The database URL the store was opened with (as given, password included: never show it)."""
        ...

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        ...

    def reading(self) -> AbstractContextManager[Connection]:
        """A connection for reads, for storage's row functions (writes: ``transactions.transaction``)."""
        ...

    def writing(self) -> AbstractContextManager[Connection]:
        """A connection in one write transaction, committed at the end (bulk work: no write queue)."""
        ...

    def save_film(self, film: Film) -> Film:
        """Insert or replace a film by id, with all its parts; returns it as stored (person ids filled in)."""
        ...

    def save_films(self, films: Iterable[Film]) -> int:
        """Save many films in one transaction; returns how many."""
        ...

    def get_film(self, film_id: str) -> Film | None: ...

    def delete_film(self, film_id: str) -> bool: ...

    def iter_films(self) -> Iterator[Film]:
        """Every film, ordered by id (stable across runs and backends)."""
        ...

    def count_films(self) -> int: ...

    def get_person(self, person_id: str) -> Person | None: ...

    def close(self) -> None: ...
