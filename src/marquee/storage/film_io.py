"""Reading and writing whole films on an open connection, many at a time (few queries per chunk)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar, cast

from sqlalchemy import Delete, Select, Table, bindparam, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.util import LRUCache

from marquee.records import Film
from marquee.storage import schema, search_index
from marquee.storage.film_rows import (
    CAST_CATEGORIES,
    FILM_PART_TABLES,
    IMDB_DUMP_KEY,
    Row,
    part_rows,
    people_of,
    title_row,
)
from marquee.storage.film_rows_read import film_from_rows

if TYPE_CHECKING:
    import psycopg  # only for PostgreSQL URLs, so imported only for type checking here

__all__ = [
    "CHUNK",
    "batched",
    "delete_parts",
    "executemany",
    "insert_rows",
    "read_films",
    "refresh_index",
    "title_id_order",
    "write_films",
]

# Films per round of queries: big enough to amortise each query, small enough for SQLite's
# bound-parameter limit and for memory.
CHUNK = 500
_T = TypeVar("_T")


def batched(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """Lists of up to ``size`` items (itertools.batched arrives in Python 3.12)."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def title_id_order(conn: Connection) -> ColumnElement[str]:
    """``titles.title_id`` compared byte-wise on both backends, so film order is the same everywhere."""
    if conn.dialect.name == "postgresql":
        return schema.titles.c.title_id.collate("C")
    return schema.titles.c.title_id  # SQLite compares text byte-wise already


# --- writing ---------------------------------------------------------------------------------------


def write_films(conn: Connection, films: Sequence[Film], *, index: bool = True) -> list[int]:
    """Insert or replace these films (by id, the last one wins) with all their parts; their title ids.

    ``index=False`` leaves the search index to the caller (``refresh_index`` once after many chunks).
    """
    latest = {film.id: film for film in films}
    # Parts to replace exist only for films already stored: a first import deletes nothing.
    stored = list(_ids_by(conn, _title_keys_query(), list(latest)).values())
    person_keys = _upsert_people(conn, latest.values())
    title_keys = _upsert_titles(conn, latest.values())
    ids = list(title_keys.values())
    cast_categories = _cast_categories(conn, stored)
    delete_parts(conn, stored)
    rows: dict[Table, list[dict[str, Any]]] = defaultdict(list)
    for film_id, film in latest.items():
        title_key = title_keys[film_id]
        for table, table_rows in part_rows(film, title_key, person_keys, cast_categories[title_key]).items():
            rows[table].extend(table_rows)
    for table, table_rows in rows.items():
        insert_rows(conn, table, table_rows)
    if index:
        search_index.refresh_titles(conn, ids)
    return ids


def refresh_index(conn: Connection, title_keys: Sequence[int]) -> None:
    """Re-index these titles; rebuild the whole index instead when they are most of the store."""
    # Measured on 4,000 films: a rebuild takes a fifth of the time of refreshing them one chunk at a time.
    many = len(title_keys) >= CHUNK
    if (
        many
        and 2 * len(set(title_keys))
        >= conn.execute(select(func.count()).select_from(schema.titles)).scalar_one()
    ):
        search_index.rebuild(conn)
    else:
        search_index.refresh_titles(conn, title_keys)


def delete_parts(conn: Connection, title_keys: Sequence[int]) -> None:
    """Delete every part row of these titles (not the titles rows)."""
    for chunk in batched(title_keys, CHUNK):
        for table in FILM_PART_TABLES:
            conn.execute(_delete_parts_query(table), {"keys": chunk})


# The statements below are built once and take their keys as an expanding parameter: building a
# statement cost as much as running it from SQLAlchemy's cache, and a built one's cache key is kept.
@cache
def _delete_parts_query(table: Table) -> Delete:
    """Delete one part table's rows of the titles in ``keys``."""
    return delete(table).where(table.c.title_key.in_(bindparam("keys", expanding=True)))


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys; with COPY on PostgreSQL (executemany is far slower)."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        executemany(conn, table.insert(), rows)
        return
    names = list(rows[0])
    columns = ", ".join(f'"{name}"' for name in names)
    # psycopg's own connection, inside the same transaction.
    dbapi = cast("psycopg.Connection[Any]", conn.connection.dbapi_connection)
    with dbapi.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] for name in names])


def executemany(conn: Connection, stmt: Any, rows: list[dict[str, Any]]) -> None:
    """``conn.execute(stmt, rows)`` for rows that all have the same keys, compiled once per process.

    On SQLite the rows go to the driver as tuples (each value through its column type's bind
    processor, as SQLAlchemy would): SQLAlchemy's per-row parameter building was a third of the demo's
    load time. Other backends take the plain path.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(stmt, rows)
        return
    names = list(rows[0])
    driver_form = _driver_form(conn.dialect, stmt, names)
    if driver_form is None:  # a statement with binds of its own: the general path
        conn.execute(stmt, rows)
        return
    sql, order, processors = driver_form
    if len(order) > 1:  # itemgetter of several keys gives tuples; of one, the bare value
        values_of = itemgetter(*order)
        params = [values_of(row) for row in rows]
    else:
        params = [(row[order[0]],) for row in rows]
    # Only the few columns with a bind processor (booleans, dates, floats) are converted.
    converted = [(i, p) for i, p in enumerate(processors) if p]
    if converted:
        params = [_processed(values, converted) for values in params]
    conn.exec_driver_sql(sql, params)


def _processed(values: tuple[Any, ...], converted: list[tuple[int, Any]]) -> tuple[Any, ...]:
    """``values`` with each of the ``converted`` positions through its bind processor."""
    out = list(values)
    for i, process in converted:
        out[i] = process(out[i])
    return tuple(out)


# What ``executemany`` sends the driver, by dialect object, statement and column keys. Compiling was
# most of a one-film save (~50 compiles); SQLite engines share one dialect (``engine.make_engine``),
# so each statement is compiled once per process. Bind processors come from the column types and the
# dialect object, both in the key.
_DriverForm = tuple[str, list[str], list[Any]]
_DRIVER_FORMS = LRUCache[Any, _DriverForm](500)


def _driver_form(dialect: Dialect, stmt: Any, names: list[str]) -> _DriverForm | None:
    """The SQL, bind names in order and their bind processors; None if the statement binds more than
    the row keys (then it goes the general way, compiled each time as before)."""
    cache_key = stmt._generate_cache_key()  # None for a statement SQLAlchemy would not cache either
    key = None if cache_key is None else (dialect, cache_key.key, tuple(names))
    if key is not None and (found := _DRIVER_FORMS.get(key)) is not None:
        return found
    compiled = stmt.compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup or ())
    if set(order) != set(names):
        return None
    binds = compiled.binds
    processors = [binds[name].type._cached_bind_processor(dialect) for name in order]
    form = (str(compiled), order, processors)
    if key is not None:
        _DRIVER_FORMS[key] = form
    return form


def _insert(dialect: str, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT."""
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)


def _upsert_people(conn: Connection, films: Iterable[Film]) -> dict[str, int]:
    """Add the films' people not yet stored (a stored person keeps their name); ``{person_id: id}``."""
    people: dict[str, str] = {}
    for film in films:
        for person_id, name in people_of(film).items():
            people.setdefault(person_id, name)
    if not people:
        return {}
    stmt = _upsert_people_query(conn.dialect.name)
    executemany(conn, stmt, [{"person_id": person_id, "name": name} for person_id, name in people.items()])
    return _ids_by(conn, _person_keys_query(), list(people))


@cache
def _upsert_people_query(dialect: str) -> Any:
    """Insert people, skipping those stored."""
    return _insert(dialect, schema.people).on_conflict_do_nothing(index_elements=["person_id"])


def _upsert_titles(conn: Connection, films: Iterable[Film]) -> dict[str, int]:
    """Insert or update the films' ``titles`` rows (replaced films keep their ids); ``{title_id: id}``."""
    rows = [title_row(film) for film in films]
    executemany(conn, _upsert_titles_query(conn.dialect.name, tuple(rows[0])), rows)
    return _ids_by(conn, _title_keys_query(), [row["title_id"] for row in rows])


@cache
def _upsert_titles_query(dialect: str, names: tuple[str, ...]) -> Any:
    """Insert titles rows of these columns, updating a stored title's (by ``title_id``)."""
    stmt = _insert(dialect, schema.titles)
    return stmt.on_conflict_do_update(
        index_elements=["title_id"], set_={name: stmt.excluded[name] for name in names if name != "title_id"}
    )


def _ids_by(conn: Connection, query: Select[str, int], keys: list[str]) -> dict[str, int]:
    """``{key: internal id}`` for those of these keys that are stored, in their order (``query``:
    ``_title_keys_query`` or ``_person_keys_query``)."""
    found: dict[str, int] = {}
    for chunk in batched(keys, CHUNK):
        found.update((k, i) for k, i in conn.execute(query, {"keys": chunk}))
    return {k: found[k] for k in keys if k in found}


@cache
def _title_keys_query() -> Select[str, int]:
    """``title_id, title_key`` of the titles whose ids are in ``keys``."""
    t = schema.titles.c
    return select(t.title_id, t.title_key).where(t.title_id.in_(bindparam("keys", expanding=True)))


@cache
def _person_keys_query() -> Select[str, int]:
    """``person_id, person_key`` of the people whose ids are in ``keys``."""
    p = schema.people.c
    return select(p.person_id, p.person_key).where(p.person_id.in_(bindparam("keys", expanding=True)))


def _cast_categories(conn: Connection, title_keys: Sequence[int]) -> dict[int, dict[int, str]]:
    """``{title_key: {person_key: category}}`` for stored cast credited as actress or self.

    A record's cast has no category, so re-saving a film must not turn IMDb's actresses into actors.
    """
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for chunk in batched(title_keys, CHUNK):
        for title_key, person_key, category in conn.execute(_cast_categories_query(), {"keys": chunk}):
            found[title_key].setdefault(person_key, category)
    return found


@cache
def _cast_categories_query() -> Select[int, int, str]:
    """The cast credited as actress or self of the titles in ``keys``, in stored order."""
    c = schema.credits.c
    return (
        select(c.title_key, c.person_key, c.category)
        .where(
            c.title_key.in_(bindparam("keys", expanding=True)),
            c.category.in_([k for k in CAST_CATEGORIES if k != "actor"]),
        )
        .order_by(c.title_key, c.ordering)
    )


# --- reading ---------------------------------------------------------------------------------------


def read_films(conn: Connection, titles: Sequence[Row]) -> list[Film]:
    """The films of these ``titles`` rows, in their order, with a handful of queries in all."""
    ids = [t["title_key"] for t in titles]
    parts = {table: _grouped(conn, _part_query(table), ids) for table in FILM_PART_TABLES}
    parts[schema.imdb_dataset_titles] = _grouped(conn, _dump_query(), ids)
    return [
        film_from_rows(t, {table: parts[table].get(t["title_key"], []) for table in parts}) for t in titles
    ]


@cache
def _dump_query() -> Select[Any]:
    """Which of the titles in ``keys`` the last IMDb dataset import brought, with that dump's source."""
    marks, meta = schema.imdb_dataset_titles, schema.store_meta
    return (
        select(marks.c.title_key, meta.c.value)
        .join(meta, meta.c.key == IMDB_DUMP_KEY)
        .where(marks.c.title_key.in_(bindparam("keys", expanding=True)))
    )


def _grouped(conn: Connection, query: Select[Any], ids: Sequence[int]) -> dict[int, list[Row]]:
    """The rows of ``query`` for the titles ``ids``, grouped by ``title_key``, keeping their order."""
    groups: dict[int, list[Row]] = defaultdict(list)
    result = conn.execute(query, {"keys": list(ids)})
    keys = list(result.keys())
    for values in result:
        row = dict(zip(keys, values, strict=True))  # plain dicts: far cheaper to read than RowMapping
        groups[row["title_key"]].append(row)
    return groups


@cache
def _part_query(table: Table) -> Select[Any]:
    """The rows of one part table for the titles in ``keys``, in stored order; credits carry the person."""
    order = [table.c[name] for name in ("ordering", "quote_no", "line_no") if name in table.c]
    if table is schema.credits:
        people = schema.people
        query = select(table, people.c.person_id, people.c.name).join(
            people, people.c.person_key == table.c.person_key
        )
    else:
        query = select(table)
    keys = table.c.title_key.in_(bindparam("keys", expanding=True))
    return query.where(keys).order_by(table.c.title_key, *order)
