"""One film read with one statement on the driver's own cursor (the film page's cold path).

A film page not in the web cache costs one ``get_film``. Through SQLAlchemy Core that was a query per
part table (~16), and building, caching and running each statement cost far more CPU than SQLite
itself. Here every part table is one branch of a single UNION ALL, each row tagged with its branch,
run as a plain SQL string on the DBAPI cursor: one round trip, one snapshot, no per-query overhead.
Each branch fills typed slots (NULL elsewhere) so the union has one type per column on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

from marquee.records import Film
from marquee.storage import schema
from marquee.storage.film_rows import IMDB_DUMP_KEY, Row
from marquee.storage.film_rows_read import film_from_rows
from marquee.storage.one_step import folded_sql, unfolded

__all__ = ["FOLDED_FILM_SQL", "film_of_folded", "film_sql", "read_film", "read_film_on"]

# The slots of every row: tag, two orderings, then typed values.
_SLOTS: tuple[tuple[str, str], ...] = (
    ("k", "INTEGER"),
    ("o1", "BIGINT"),
    ("o2", "BIGINT"),
    ("i1", "BIGINT"),
    ("i2", "BIGINT"),
    ("i3", "BIGINT"),
    ("f1", "DOUBLE PRECISION"),
    ("b1", "BOOLEAN"),
    ("b2", "BOOLEAN"),
    ("d1", "DATE"),
    ("s1", "TEXT"),
    ("s2", "TEXT"),
    ("s3", "TEXT"),
    ("s4", "TEXT"),
    ("s5", "TEXT"),
    ("s6", "TEXT"),
)
_SLOT_INDEX = {name: i for i, (name, _type) in enumerate(_SLOTS)}

# Per branch: its table (None: the titles row), the FROM clause (alias ``p``), and {slot: column}.
# The column names are the ``Row`` keys ``film_from_rows`` reads.
_ORDERED = {"o1": "ordering"}
_BRANCHES: tuple[tuple[Table | None, str, dict[str, str]], ...] = (
    (
        None,
        "titles p WHERE p.title_key = (SELECT title_key FROM t)",
        {
            "i1": "start_year",
            "i2": "end_year",
            "b1": "is_adult",
            "b2": "comments_open",
            "d1": "published",
            "s1": "title_id",
            "s2": "kind",
            "s3": "primary_title",
            "s4": "original_title",
            "s5": "outline",
            "s6": "plot",
        },
    ),
    (schema.title_genres, "title_genres p", {**_ORDERED, "s1": "genre"}),
    (schema.imdb_ratings, "imdb_ratings p", {"f1": "average", "i1": "scale", "i2": "votes"}),
    (
        schema.credits,
        "credits p JOIN people q ON q.person_key = p.person_key",
        {
            **_ORDERED,
            "s1": "category",
            "s2": "job",
            "s3": "character",
            "s4": "credited_as",
            "s5": "q.person_id",
            "s6": "q.name",
        },
    ),
    (
        schema.alternate_titles,
        "alternate_titles p",
        {
            **_ORDERED,
            "s1": "title",
            "s2": "region",
            "s3": "language",
            "s4": "types",
            "s5": "attributes",
            "b1": "is_original",
        },
    ),
    (schema.episodes, "episodes p", {"s1": "series_id", "i1": "season", "i2": "episode"}),
    (schema.taglines, "taglines p", {**_ORDERED, "s1": "text"}),
    (schema.filming_locations, "filming_locations p", {**_ORDERED, "s1": "place"}),
    (schema.trivia, "trivia p", {**_ORDERED, "s1": "text"}),
    (schema.release_dates, "release_dates p", {**_ORDERED, "s1": "date", "s2": "country", "s3": "note"}),
    (
        schema.box_office,
        "box_office p",
        {**_ORDERED, "s1": "kind", "i1": "amount", "s2": "currency", "s3": "country"},
    ),
    (schema.runtimes, "runtimes p", {**_ORDERED, "i1": "minutes", "s1": "country", "s2": "note"}),
    (schema.goofs, "goofs p", {**_ORDERED, "s1": "category", "s2": "text"}),
    (
        schema.quote_lines,
        "quote_lines p",
        {"o1": "quote_no", "o2": "line_no", "s1": "character", "s2": "direction", "s3": "text"},
    ),
    (
        schema.reviews,
        "reviews p",
        {
            **_ORDERED,
            "s1": "title",
            "s2": "body",
            "f1": "score_value",
            "i1": "score_scale",
            "s3": "author",
            "d1": "date",
        },
    ),
    (schema.title_countries, "title_countries p", {**_ORDERED, "s1": "country"}),
    (schema.title_languages, "title_languages p", {**_ORDERED, "s1": "language"}),
    (
        schema.external_scores,
        "external_scores p",
        {**_ORDERED, "s1": "source", "s2": "kind", "f1": "value", "i1": "scale", "i2": "count"},
    ),
    (
        schema.awards,
        "awards p",
        {**_ORDERED, "s1": "name", "s2": "category", "i1": "year", "s3": "outcome"},
    ),
    (schema.external_ids, "external_ids p", {**_ORDERED, "s1": "site", "s2": "value"}),
    (schema.title_sources, "title_sources p", {"s1": "section", "s2": "source"}),
    (  # the last IMDb dataset import brought this title: its dump's source (see ``IMDB_SECTIONS``)
        schema.imdb_dataset_titles,
        f"imdb_dataset_titles d JOIN store_meta m ON m.key = '{IMDB_DUMP_KEY}'"
        " WHERE d.title_key = (SELECT title_key FROM t)",
        {"s1": "m.value"},
    ),
)
# Per tag: the table and [(row key, slot index)] to rebuild the row ``film_from_rows`` expects.
_READERS: tuple[tuple[Table | None, tuple[tuple[str, int], ...]], ...] = tuple(
    (table, tuple((column.rsplit(".", 1)[-1], _SLOT_INDEX[slot]) for slot, column in slots.items()))
    for table, _from, slots in _BRANCHES
)


def _film_sql(placeholder: str) -> str:
    """The one statement that reads a whole film by ``title_id`` (the driver's placeholder given)."""
    branches = []
    for tag, (_table, from_clause, slots) in enumerate(_BRANCHES):
        values = [str(tag)]
        for name, sql_type in _SLOTS[1:]:
            column = slots.get(name)
            if column is None:
                values.append(f"CAST(NULL AS {sql_type})")
            else:
                values.append(column if "." in column else f'p."{column}"')
        if tag == 0:  # the first SELECT names the union's columns (SQLite has no derived column lists)
            values = [f"{value} AS {name}" for value, (name, _type) in zip(values, _SLOTS, strict=True)]
        where = "" if " WHERE " in from_clause else " WHERE p.title_key = (SELECT title_key FROM t)"
        branches.append(f"SELECT {', '.join(values)} FROM {from_clause}{where}")
    return (
        f"WITH t AS (SELECT title_key FROM titles WHERE title_id = {placeholder}) "
        f"{' UNION ALL '.join(branches)}"
    )


# Built once: plain strings for the two drivers (sqlite3 ``?``, psycopg ``%s``).
_FILM_SQL = {"qmark": _film_sql("?"), "pyformat": _film_sql("%s"), "format": _film_sql("%s")}
# SQLite's rows folded into one (``one_step``): one step of the driver, not one a row.
_REALS = tuple(i for i, (_name, sql_type) in enumerate(_SLOTS) if sql_type == "DOUBLE PRECISION")
FOLDED_FILM_SQL = folded_sql(_FILM_SQL["qmark"], [name for name, _type in _SLOTS], _REALS)


def film_sql(paramstyle: str) -> str:
    """The one statement ``read_film`` runs, in the driver's paramstyle; its one value is the title_id."""
    return _FILM_SQL[paramstyle]


def _row_order(values: Sequence[Any]) -> tuple[int, int, int]:
    """A row's place: its branch, then its part's order (a branch's order columns are all NULL or none)."""
    return values[0], values[1] or 0, values[2] or 0


def read_film(cursor: Any, paramstyle: str, title_id: str) -> Film | None:
    """The film with this ``title_id`` read with one statement on a DBAPI cursor, or None.

    The rows are put in order here, not by the statement: an ``ORDER BY`` over the union gave each
    branch a sorter of its own, a quarter of the statement's time on SQLite (0.11 -> 0.08 ms a film).
    On SQLite the rows come folded into one (``one_step``)."""
    if paramstyle == "qmark":  # sqlite3
        cursor.execute(FOLDED_FILM_SQL, (title_id,))
        return film_of_folded(cursor.fetchone()[0])
    cursor.execute(film_sql(paramstyle), (title_id,))
    return _film_of(cursor.fetchall())


def read_film_on(conn: Connection, title_id: str) -> Film | None:
    """``read_film`` on a SQLAlchemy connection, inside its transaction (a film just written, read back)."""
    return _film_of(conn.exec_driver_sql(film_sql(conn.dialect.paramstyle), (title_id,)).fetchall())


def film_of_folded(text: str | None) -> Film | None:
    """The film in ``FOLDED_FILM_SQL``'s one value (SQLite: the rows of ``film_sql`` folded into one)."""
    return _film_of(unfolded(text, _REALS))


def _film_of(rows: Sequence[Sequence[Any]]) -> Film | None:
    """The film in the rows of ``film_sql`` (in any order), or None if they hold no titles row."""
    found = sorted(rows, key=_row_order)
    if not found or found[0][0] != 0:
        return None
    title: Row = {}
    parts: dict[Table, list[Row]] = defaultdict(list)
    for values in found:
        table, keys = _READERS[values[0]]
        row = {key: values[index] for key, index in keys}
        if table is None:
            title = row
        else:
            parts[table].append(row)
    return film_from_rows(title, parts)
