"""``SqlStore``: the Store on SQLite or PostgreSQL through SQLAlchemy Core."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, StatementError

from marquee.errors import StoreError
from marquee.records import Film, Person, validate_stored
from marquee.storage import schema, search_index
from marquee.storage.engine import driver_cursor, make_engine, normalize_url, redacted
from marquee.storage.film_io import (
    CHUNK,
    batched,
    delete_parts,
    read_films,
    refresh_index,
    title_id_order,
    write_films,
)
from marquee.storage.film_read_one import read_film, read_film_on
from marquee.storage.film_rows import FILM_PART_TABLES
from marquee.storage.film_rows_read import log
from marquee.storage.migrate import upgrade
from marquee.storage.one_step import folded_sql, unfolded
from marquee.storage.transactions import write_connection

__all__ = ["FILM_PART_TABLES", "SqlStore", "open_store"]


class SqlStore:
    """Films and people in a SQL database (tables in ``schema.py``)."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reads (no write lock asked for; a transaction opens with the first statement).

        PostgreSQL: a read-only transaction (``BEGIN READ ONLY``: a write there is an error), ended
        with COMMIT rather than the ROLLBACK that closing a connection sends: psycopg forgets every
        statement it has prepared on a connection at each ROLLBACK, so no statement read here was
        ever prepared (a search's ~10 statements were planned at every call; BENCHMARKS.md
        "PostgreSQL: prepared statements kept across reads"). An error still rolls back."""
        with self.engine.connect() as conn:
            postgresql = self.dialect == "postgresql"
            if postgresql:
                conn.execution_options(postgresql_readonly=True)
            yield conn
            if postgresql and conn.in_transaction():
                conn.commit()

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in a write transaction: committed at the end, rolled back on any error.

        For saving films (imports may hold it for minutes: no retry, no write queue); members'
        writes go through ``transactions.transaction``, which opens its connection the same way.
        """
        try:
            with write_connection(self.engine) as conn:
                yield conn
        except StatementError as err:
            raise StoreError(f"cannot write to {redacted(self.engine.url)}: {_first_line(err)}") from None
        except OverflowError as err:  # sqlite3 refuses integers beyond 64 bits before SQLAlchemy sees them
            raise StoreError(f"cannot write to {redacted(self.engine.url)}: {err}") from None

    def save_film(self, film: Film) -> Film:
        """Insert or replace a film by id, with all its parts; returns it as stored (person ids filled in)."""
        with self.writing() as conn:
            write_films(conn, [film])
            stored = read_film_on(conn, film.id)  # the page's one-statement read: a tenth of ``read_films``
        assert stored is not None  # written just above, in the same transaction
        return stored

    def save_films(self, films: Iterable[Film]) -> int:
        """Save many films in one transaction (nothing is kept if ``films`` raises); returns how many."""
        count, title_keys = 0, []
        with self.writing() as conn:
            for chunk in batched(films, CHUNK):
                title_keys += write_films(conn, chunk, index=False)
                count += len(chunk)
            refresh_index(conn, title_keys)  # inside the transaction: saved films are findable at once
        return count

    def get_film(self, film_id: str) -> Film | None:
        """The film with this id, or None."""
        # One statement on the pooled driver connection (see ``film_read_one.read_film``): SQLAlchemy's
        # per-statement work cost ten times what the database did for this, the hottest read.
        with driver_cursor(self.engine) as cursor:
            return read_film(cursor, self.engine.dialect.paramstyle, film_id)

    def delete_film(self, film_id: str) -> bool:
        """Delete a film and its parts (its people stay); False if there was none."""
        with self.writing() as conn:
            title_key = conn.execute(
                select(schema.titles.c.title_key).where(schema.titles.c.title_id == film_id)
            ).scalar()
            if title_key is None:
                return False
            delete_parts(conn, [title_key])
            conn.execute(delete(schema.titles).where(schema.titles.c.title_key == title_key))
            search_index.refresh_titles(conn, [title_key])  # drops the deleted title from the index
            return True

    def iter_films(self) -> Iterator[Film]:
        """Every film ordered by id (byte-wise on both backends), read in chunks from one snapshot."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot for the whole export
            query = select(schema.titles).order_by(title_id_order(conn))
            result = conn.execute(query.execution_options(stream_results=True, yield_per=CHUNK)).mappings()
            for titles in result.partitions():
                yield from read_films(conn, titles)

    def count_films(self) -> int:
        """How many films are stored."""
        with self.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.titles)).scalar_one())

    def get_person(self, person_id: str) -> Person | None:
        """A person with their credits, ordered by year (unknown last), then title."""
        if self.dialect == "sqlite":  # one statement, one step of the driver (``one_step``)
            with driver_cursor(self.engine) as cursor:
                found = cursor.execute(_PERSON_SQL, (person_id,)).fetchone()
            if found is None:
                return None
            row = dict(zip(_PERSON_COLUMNS, found[:-1], strict=True))
            credits: Sequence[Sequence[Any]] = unfolded(found[-1])
        else:
            people = schema.people
            with self.reading() as conn:
                mapping = (
                    conn.execute(select(people).where(people.c.person_id == person_id)).mappings().first()
                )
                if mapping is None:
                    return None
                row, credits = dict(mapping), _credit_rows(conn, mapping["person_key"])
        data = {
            "id": row["person_id"],
            "name": row["name"],
            "birth_year": row["birth_year"],
            "death_year": row["death_year"],
            "biography": row["biography"],
            "professions": _split(row["professions"]),
            "known_for": _split(row["known_for"]),
            "credits": _person_credits(credits),
        }
        person, repaired = validate_stored(Person, data)  # never fails on what an older version stored
        if repaired:
            log.warning(
                "person %s: read without stored values the rules refuse: %s", person.id, "; ".join(repaired)
            )
        return person

    def close(self) -> None:
        """Release the store's connections."""
        self.engine.dispose()


# The person's row and (folded into one JSON value) their credits, as ``_credit_rows`` gives them.
_PERSON_COLUMNS = ("person_id", "name", "birth_year", "death_year", "biography", "professions", "known_for")
_CREDIT_COLUMNS = (
    *("t.title_id", "t.primary_title", "t.start_year", "t.kind", "c.category"),
    *('c."character"', "c.job", "c.ordering"),
)
_PERSON_SQL = (
    f"SELECT {', '.join('p.' + name for name in _PERSON_COLUMNS)}, ("
    + folded_sql(
        "SELECT " + ", ".join(_CREDIT_COLUMNS) + " FROM credits c JOIN titles t ON t.title_key = c.title_key"
        " WHERE c.person_key = p.person_key",
        [column.rsplit(".", 1)[-1] for column in _CREDIT_COLUMNS],
    )
    + ") FROM people p WHERE p.person_id = ?"
)


def _credit_rows(conn: Connection, person_key: int) -> Sequence[Sequence[Any]]:
    """A person's credit rows: title_id, primary title, start year, kind, category, character, job,
    ordering."""
    c, t = schema.credits.c, schema.titles.c
    query = (
        select(t.title_id, t.primary_title, t.start_year, t.kind, c.category, c.character, c.job, c.ordering)
        .join(schema.titles, t.title_key == c.title_key)
        .where(c.person_key == person_key)
    )
    return conn.execute(query).all()


def _person_credits(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """A person's credits; a "star" credit only where the person has no other credit on that title."""
    credited = {r[0] for r in rows if r[4] != "star"}
    kept = [r for r in rows if r[4] != "star" or r[0] not in credited]
    # Sorted here rather than in SQL: NULL order and text collation differ between the backends.
    kept.sort(key=lambda r: (r[2] is None, r[2] or 0, r[1], r[0], r[7]))
    return [
        {
            "title_id": r[0],
            "title": r[1],
            "year": r[2],
            "kind": r[3],
            "category": r[4],
            "character": r[5],
            "job": r[6],
        }
        for r in kept
    ]


def _split(value: str | None) -> list[str]:
    """A comma-separated column as a list."""
    return value.split(",") if value else []


def open_store(url: str) -> SqlStore:
    """Open the store at ``url``, migrating it to the newest schema first.

    ``sqlite:///PATH`` (folders are created) or ``postgresql://USER:PASS@HOST/DB`` (the edges take it
    from the setting ``database_url``: ``Settings.store_url``). Raises StoreError if it cannot::

        store = open_store("sqlite:///marquee-data/marquee.db")
    """
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DBAPIError as err:
        engine.dispose()
        raise StoreError(f"cannot open {redacted(normalize_url(url))}: {_first_line(err)}") from None
    return SqlStore(url, engine)


def _first_line(err: StatementError) -> str:
    """The driver's own message, first line only (no SQL, no traceback)."""
    return _driver_message(err.orig)


def _driver_message(err: BaseException | None) -> str:
    """A driver error's message, first line only."""
    message = str(err).strip()
    return message.splitlines()[0] if message else type(err).__name__
