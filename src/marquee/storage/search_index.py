"""Keeps the search index in step with the tables (owned by the search work, issue 4).

``refresh_titles`` is called by the store inside the transaction that writes or deletes
a film, so a newly stored film is findable at once; ``rebuild`` is called by bulk imports.

Three indexes, one shape on each backend (the DDL lives here and migration 0002 runs it):

* ``title_search``: one row per distinct folded name of a title (primary, original,
  alternate titles), padded with spaces so word starts can be matched (``" godf"``).
  SQLite: an FTS5 trigram table whose rowid packs a popularity bucket above the title
  id, so ``ORDER BY rowid DESC`` walks the most voted matches first and stops early.
  PostgreSQL: a plain table with a pg_trgm GIN index and the same bucket in ``pop``.
* ``person_search``: one row per person (folded name) with how known they are.
* ``text_search``: plots, outlines, taglines, trivia, goofs and quotes of a title
  (SQLite FTS5 porter/unicode61; PostgreSQL a weighted ``tsvector`` with a GIN index).

Names and texts are folded in Python (``formats.query.fold``) before they are stored, so
accents, case and punctuation behave the same on both backends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.formats.query import fold
from marquee.storage import browse_index, search_prefix
from marquee.storage.search_ddl import (
    DDL,
    DDL_0005,
    DDL_0007,
    DDL_0019,
    DDL_0023,
    DDL_0024,
    DDL_0025,
    DDL_0026,
    DROP_DDL,
    INDEX_TABLES,
    WORD_TABLES,
)
from marquee.storage.search_dictionary import add_words
from marquee.storage.search_layout import FTS5_SHADOWS, MAX_NAMES, popularity_bucket, split_rowid, title_rowid
from marquee.storage.search_names import NameRow, PersonRow, TextDoc, name_rows, padded
from marquee.storage.search_rebuild import AUTOMERGE_DEFAULT, COPIED_TABLES, rebuild_sqlite, set_automerge
from marquee.storage.search_rebuild_pg import build_people, rebuild_postgresql

__all__ = [
    "DDL",
    "DDL_0005",
    "DDL_0007",
    "DDL_0019",
    "DROP_DDL",
    "FTS5_SHADOWS",
    "INDEX_TABLES",
    "MAX_NAMES",
    "WORD_TABLES",
    "NameRow",
    "PersonRow",
    "TextDoc",
    "name_rows",
    "padded",
    "popularity_bucket",
    "rebuild",
    "rebuild_people",
    "refresh_people",
    "refresh_titles",
    "split_rowid",
    "title_rowid",
]


def _joined(parts: Iterable[str | None]) -> str:
    return "\n".join(fold(p) for p in parts if p)


# ---------------------------------------------------------------- reading the tables


def _ids_clause(conn: Connection, ids: Sequence[int], column: str) -> tuple[str, dict[str, Any]]:
    """``column`` in the ids, which travel as one parameter (a JSON array on SQLite, an array on
    PostgreSQL): a statement with hundreds of marks costs more to compile than to run."""
    return browse_index.ids_clause(conn, column, ids)


def _read_titles(conn: Connection, ids: Sequence[int]) -> tuple[list[NameRow], dict[int, int], list[TextDoc]]:
    """Names, popularity buckets and text documents of these titles."""
    where, params = _ids_clause(conn, ids, "t.title_key")
    base = conn.execute(
        text(
            "SELECT t.title_key, t.primary_title, t.original_title, t.outline, t.plot, r.votes FROM titles t"
            f" LEFT JOIN imdb_ratings r ON r.title_key = t.title_key WHERE {where}"
        ),
        params,
    ).all()
    child = where.replace("t.title_key", "title_key")
    akas: dict[int, list[tuple[str, bool]]] = {}
    for tid, title, is_original in conn.execute(
        text(
            f"SELECT title_key, title, is_original FROM alternate_titles WHERE {child}"
            " ORDER BY title_key, ordering"
        ),
        params,
    ):
        akas.setdefault(tid, []).append((title, bool(is_original)))
    parts = {name: _read_parts(conn, sql.format(where=child), params) for name, sql in _PART_SQL.items()}
    names: list[NameRow] = []
    buckets: dict[int, int] = {}
    docs: list[TextDoc] = []
    for tid, primary, original, outline, plot, votes in base:
        names += name_rows(tid, primary, original, akas.get(tid, []))
        buckets[tid] = popularity_bucket(votes)
        doc = TextDoc(
            tid,
            _joined([outline]),
            _joined([plot]),
            *(_joined(parts[p].get(tid, [])) for p in ("taglines", "trivia", "goofs", "quotes")),
        )
        if any((doc.outline, doc.plot, doc.taglines, doc.trivia, doc.goofs, doc.quotes)):
            docs.append(doc)
    return names, buckets, docs


_PART_SQL = {
    "taglines": "SELECT title_key, text FROM taglines WHERE {where} ORDER BY title_key, ordering",
    "trivia": "SELECT title_key, text FROM trivia WHERE {where} ORDER BY title_key, ordering",
    "goofs": "SELECT title_key, text FROM goofs WHERE {where} ORDER BY title_key, ordering",
    # A quote is searched by what is said and by who says it.
    "quotes": "SELECT title_key, coalesce(character, '') || ' ' || text FROM quote_lines WHERE {where}"
    " ORDER BY title_key, quote_no, line_no",
}


def _read_parts(conn: Connection, sql: str, params: dict[str, Any]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for tid, value in conn.execute(text(sql), params):
        out.setdefault(tid, []).append(value)
    return out


def _read_people(conn: Connection, ids: Sequence[int]) -> list[PersonRow]:
    """These people, with their number of titles and the votes of those titles."""
    where, params = _ids_clause(conn, ids, "p.person_key")
    rows = conn.execute(
        text(
            "SELECT p.person_key, p.name, count(f.title_key), coalesce(sum(r.votes), 0) FROM people p"
            " LEFT JOIN (SELECT DISTINCT person_key, title_key FROM credits c"
            f" WHERE {where.replace('p.person_key', 'c.person_key')}) f ON f.person_key = p.person_key"
            " LEFT JOIN imdb_ratings r ON r.title_key = f.title_key"
            f" WHERE {where} GROUP BY p.person_key, p.name"
        ),
        params,
    ).all()
    return [PersonRow(pid, padded(name), int(n), int(votes)) for pid, name, n, votes in rows]


# ---------------------------------------------------------------- writing the index


def _write(
    conn: Connection, names: list[NameRow], buckets: dict[int, int], docs: list[TextDoc], removed: list[str]
) -> None:
    """Insert index rows for titles whose old rows (``removed``: their names) are already gone."""
    sqlite = conn.dialect.name == "sqlite"
    if sqlite and buckets:
        conn.execute(
            text("INSERT INTO title_search_keys (title_key, bucket) VALUES (:t, :b)"),
            [{"t": t, "b": b} for t, b in buckets.items()],
        )
    if names:
        sql = (
            "INSERT INTO title_search (rowid, name, display, source)"
            " VALUES (:rowid, :name, :display, :source)"
            if sqlite
            else "INSERT INTO title_search (title_key, n, name, display, source, pop)"
            " VALUES (:title_key, :n, :name, :display, :source, :pop)"
        )
        params = [_name_params(r, buckets[r.title_key]) for r in names]
        conn.execute(text(sql), params)
        if sqlite:
            conn.execute(text("INSERT INTO title_search_words (rowid, name) VALUES (:rowid, :name)"), params)
    add_words(conn, "title_search", (r.name for r in names), removed)
    if docs:
        conn.execute(text(_TEXT_INSERT[conn.dialect.name]), [d.fields() for d in docs])


def _name_params(row: NameRow, bucket: int) -> dict[str, Any]:
    return {
        "rowid": title_rowid(bucket, row.title_key, row.n),
        "title_key": row.title_key,
        "n": row.n,
        "name": row.name,
        "display": row.display,
        "source": row.source,
        "pop": bucket,
    }


# PostgreSQL's text document from the folded fields. Weights: the outline and plot say what a
# film is about; goofs least. Shared by the per-title insert and the set-based rebuild.
_PG_DOCUMENT = (
    "setweight(to_tsvector('english', {outline}), 'A')"
    " || setweight(to_tsvector('english', {plot}), 'A')"
    " || setweight(to_tsvector('english', {taglines}), 'B')"
    " || setweight(to_tsvector('english', {quotes}), 'C')"
    " || setweight(to_tsvector('english', {trivia}), 'C')"
    " || setweight(to_tsvector('english', {goofs}), 'D')"
)
_DOC_FIELDS = ("outline", "plot", "taglines", "trivia", "goofs", "quotes")
_TEXT_INSERT = {
    "sqlite": "INSERT INTO text_search (rowid, outline, plot, taglines, trivia, goofs, quotes)"
    " VALUES (:title_key, :outline, :plot, :taglines, :trivia, :goofs, :quotes)",
    "postgresql": "INSERT INTO text_search (title_key, doc) VALUES (:title_key, "
    + _PG_DOCUMENT.format(**{f: f":{f}" for f in _DOC_FIELDS})
    + ")",
}


def _write_people(conn: Connection, people: list[PersonRow], removed: list[str]) -> None:
    """Insert index rows for people whose old rows (``removed``: their names) are already gone."""
    if not people:
        add_words(conn, "person_search", (), removed)
        return
    params = [
        {
            "id": p.person_key,
            "rowid": title_rowid(person_bucket(p), p.person_key, 0),
            "name": p.name,
            "credits": p.credits,
            "votes": p.votes,
            "pop": person_bucket(p),
        }
        for p in people
    ]
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO person_search_keys (person_key, bucket) VALUES (:id, :pop)"), params)
        sql = (
            "INSERT INTO person_search (rowid, name, credits, votes) VALUES (:rowid, :name, :credits, :votes)"
        )
        conn.execute(text("INSERT INTO person_search_words (rowid, name) VALUES (:rowid, :name)"), params)
    else:
        sql = "INSERT INTO person_search (person_key, name, credits, votes, pop)"
        sql += " VALUES (:id, :name, :credits, :votes, :pop)"
    conn.execute(text(sql), params)
    add_words(conn, "person_search", (p.name for p in people), removed)


def person_bucket(person: PersonRow) -> int:
    """How known a person is, as a bucket like a title's: votes of their titles, then their credits."""
    return popularity_bucket(person.votes + person.credits)


def _delete_keyed(conn: Connection, table: str, key: str, ids: Sequence[int]) -> None:
    """SQLite: delete the FTS5 rows of these ids, found through the bucket they were stored under."""
    where, params = _ids_clause(conn, ids, key)
    old = conn.execute(text(f"SELECT {key}, bucket FROM {table}_keys WHERE {where}"), params).all()
    ranges = [title_rowid(bucket, ident, 0) for ident, bucket in old]
    if ranges:  # one prepared statement run many times
        words = WORD_TABLES[table]  # contentless: a row is deleted by giving FTS5 its old text
        conn.execute(
            text(
                f"INSERT INTO {words} ({words}, rowid, name) SELECT 'delete', rowid, name FROM {table}"
                " WHERE rowid BETWEEN :lo AND :hi"
            ),
            [{"lo": low, "hi": low + MAX_NAMES - 1} for low in ranges],
        )
        conn.execute(
            text(f"DELETE FROM {table} WHERE rowid BETWEEN :lo AND :hi"),
            [{"lo": low, "hi": low + MAX_NAMES - 1} for low in ranges],
        )
    conn.execute(text(f"DELETE FROM {table}_keys WHERE {where}"), params)


def _delete_titles(conn: Connection, ids: Sequence[int]) -> list[str]:
    """Remove every index row of these titles (ids that no longer exist included); on PostgreSQL
    the names removed (the dictionary's counts), on SQLite none."""
    if conn.dialect.name == "postgresql":
        params = {"ids": list(ids)}
        conn.execute(text("DELETE FROM text_search WHERE title_key = ANY(:ids)"), params)
        return list(conn.execute(text(_DELETED.format("title_search", "title_key")), params).scalars())
    _delete_keyed(conn, "title_search", "title_key", ids)
    where, params = _ids_clause(conn, ids, "rowid")
    conn.execute(text(f"DELETE FROM text_search WHERE {where}"), params)
    return []


_DELETED = "DELETE FROM {0} WHERE {1} = ANY(:ids) RETURNING name"


def refresh_people(conn: Connection, person_keys: Iterable[int]) -> None:
    """Re-index these people (internal ids); ids that no longer exist are removed."""
    ids = sorted(set(person_keys))
    for start in range(0, len(ids), 500):  # SQLite caps bound parameters per statement
        chunk = ids[start : start + 500]
        removed: list[str] = []
        if conn.dialect.name == "postgresql":
            deleted = conn.execute(text(_DELETED.format("person_search", "person_key")), {"ids": chunk})
            removed = list(deleted.scalars())
        else:
            _delete_keyed(conn, "person_search", "person_key", chunk)
        _write_people(conn, _read_people(conn, chunk), removed)


def refresh_titles(conn: Connection, title_keys: Iterable[int], *, people: bool = True) -> None:
    """Re-index these titles (internal ids), their people and their browse rows; ids that no longer
    exist are removed. ``people=False``: not their people (the caller re-indexes those it knows
    changed: a person's row depends on their credits and those titles' votes, not on titles' names)."""
    ids = sorted(set(title_keys))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        removed = _delete_titles(conn, chunk)
        _write(conn, *_read_titles(conn, chunk), removed)
        if not people:
            continue
        where, params = _ids_clause(conn, chunk, "title_key")
        credited = conn.execute(text(f"SELECT DISTINCT person_key FROM credits WHERE {where}"), params)
        refresh_people(conn, list(credited.scalars()))
    browse_index.refresh_titles(conn, ids)


_PG_DDL = tuple(
    statement
    for ddl in (DDL, DDL_0005, DDL_0007, DDL_0023, DDL_0024, DDL_0025, DDL_0026)
    for statement in ddl["postgresql"]
)


def rebuild(
    conn: Connection,
    built_in: Callable[[], str | None] | None = None,
    *,
    browse: bool = True,
    people: Callable[[Connection], None] | None = None,
) -> None:
    """Rebuild the whole index after a bulk import, and the browse index (``browse_index``) if
    ``browse``. PostgreSQL's import builds the browse index and ``person_search`` (``rebuild_people``)
    beside, on connections of their own (``search_aside_pg``): ``people`` puts the latter in place.
    SQLite: ``built_in``, called once the person and text indexes are built, names an attached
    database holding the title index and the browse index built ahead from the very titles now
    stored (``search_rebuild.build_title_tables``, ``browse_index.build_sqlite``), or gives None:
    copied, not built."""
    source = None
    if conn.dialect.name == "sqlite":
        # Set-based: SQLite joins, groups and inserts; Python only folds (see search_rebuild).
        source = rebuild_sqlite(conn, INDEX_TABLES["sqlite"], DDL["sqlite"] + DDL_0019["sqlite"], built_in)
        _finish(conn, skip=COPIED_TABLES if source else ())
        conn.execute(text(search_prefix.DROP_SQL))  # the quick lookup of a titles-first import: done
    else:
        # Set-based as well: PostgreSQL joins and aggregates, Python only folds (search_rebuild_pg).
        tables = INDEX_TABLES["postgresql"]
        rebuild_postgresql(conn, tables, _PG_DDL, document=_PG_DOCUMENT, max_names=MAX_NAMES, people=people)
        _finish(conn)
    if browse:
        browse_index.rebuild(conn, source)


def rebuild_people(conn: Connection) -> None:
    """PostgreSQL: ``person_search`` alone, built anew (``rebuild``'s ``people``)."""
    build_people(conn, _PG_DDL)


def _finish(conn: Connection, skip: tuple[str, ...] = ()) -> None:
    """Compact the index and refresh planner statistics after a rebuild."""
    if conn.dialect.name == "sqlite":
        # Merge the many small FTS5 segments an import leaves, so a query reads one b-tree per term.
        for table in ("title_search", "person_search", "text_search", *WORD_TABLES.values()):
            if table not in skip:
                conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
                # The rebuild had turned merging off (search_rebuild): on again for later saves.
                set_automerge(conn.connection.driver_connection, table, AUTOMERGE_DEFAULT)
    else:
        for table in INDEX_TABLES["postgresql"]:
            conn.execute(text(f"ANALYZE {table}"))
