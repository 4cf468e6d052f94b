"""``SqlStore``: the Store on SQLite or PostgreSQL through SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from marquee.errors import StoreError
from marquee.records import Film, Person
from marquee.storage import schema
from marquee.storage.engine import default_url, make_engine, normalize_url, redacted
from marquee.storage.migrate import upgrade

__all__ = ["SqlStore", "open_store"]


class SqlStore:
    """Films and people in a SQL database (see ``schema.py``)."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def save_film(self, film: Film) -> Film:
        """Insert or replace a film by id, with all its parts; returns it as stored."""
        raise NotImplementedError

    def save_films(self, films: Iterable[Film]) -> int:
        """Save many films in one transaction; returns how many."""
        raise NotImplementedError

    def get_film(self, film_id: str) -> Film | None:
        """The film with this id, or None."""
        raise NotImplementedError

    def delete_film(self, film_id: str) -> bool:
        """Delete a film and its parts; False if there was none."""
        raise NotImplementedError

    def iter_films(self) -> Iterator[Film]:
        """Every film, ordered by id."""
        raise NotImplementedError

    def count_films(self) -> int:
        """How many films are stored."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.titles)).scalar_one())

    def get_person(self, person_id: str) -> Person | None:
        """A person with their credits, or None."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()


def open_store(url: str | None = None) -> SqlStore:
    """Open (and migrate to the newest schema) the store at ``url``.

    ``sqlite:///PATH`` (folders are created) or ``postgresql://USER:PASS@HOST/DB``; None means
    ``$MARQUEE_DATABASE_URL`` or ``./marquee-data/marquee.db``. Raises StoreError if it cannot.
    """
    url = url or default_url()
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DBAPIError as err:
        engine.dispose()
        raise StoreError(f"cannot open {redacted(normalize_url(url))}: {_first_line(err)}") from None
    return SqlStore(url, engine)


def _first_line(err: DBAPIError) -> str:
    """The driver's own message, first line only (no SQL, no traceback)."""
    return str(err.orig).strip().splitlines()[0] if str(err.orig).strip() else type(err.orig).__name__
