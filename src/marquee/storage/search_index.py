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

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.formats.query import fold

__all__ = [
    "DDL",
    "DROP_DDL",
    "MAX_NAMES",
    "NameRow",
    "PersonRow",
    "TextDoc",
    "name_rows",
    "popularity_bucket",
    "rebuild",
    "refresh_people",
    "refresh_titles",
    "split_rowid",
    "title_rowid",
]

# SQLite rowid layout of title_search: bucket (7 bits) | title id (28 bits) | name number (12 bits).
MAX_NAMES = 1 << 12
_ID_BITS = 28
_BUCKET_SHIFT = _ID_BITS + 12
_CHUNK = 5000  # titles per batch in rebuild: bounded memory at IMDb scale

# Frozen: migration 0002 runs these. Change them only together with a new migration.
DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE VIRTUAL TABLE title_search USING fts5(name, display UNINDEXED, source UNINDEXED,"
        " tokenize='trigram')",
        # The bucket a title was indexed under, so its rows can be found again to be deleted.
        "CREATE TABLE title_search_keys (title_id INTEGER PRIMARY KEY, bucket INTEGER NOT NULL)",
        "CREATE VIRTUAL TABLE person_search USING fts5(name, credits UNINDEXED, votes UNINDEXED,"
        " tokenize='trigram')",
        "CREATE VIRTUAL TABLE text_search USING fts5(outline, plot, taglines, trivia, goofs, quotes,"
        " tokenize='porter unicode61 remove_diacritics 2')",
    ),
    "postgresql": (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE title_search (title_id INTEGER NOT NULL, n INTEGER NOT NULL, name TEXT NOT NULL,"
        " display TEXT NOT NULL, source TEXT NOT NULL, pop INTEGER NOT NULL, PRIMARY KEY (title_id, n))",
        "CREATE INDEX ix_title_search_name ON title_search USING gin (name gin_trgm_ops)",
        "CREATE TABLE person_search (person_id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " credits INTEGER NOT NULL, votes BIGINT NOT NULL)",
        "CREATE INDEX ix_person_search_name ON person_search USING gin (name gin_trgm_ops)",
        "CREATE TABLE text_search (title_id INTEGER PRIMARY KEY, doc tsvector NOT NULL)",
        "CREATE INDEX ix_text_search_doc ON text_search USING gin (doc)",
    ),
}
DROP_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "DROP TABLE IF EXISTS text_search",
        "DROP TABLE IF EXISTS person_search",
        "DROP TABLE IF EXISTS title_search_keys",
        "DROP TABLE IF EXISTS title_search",
    ),
    "postgresql": (
        "DROP TABLE IF EXISTS text_search",
        "DROP TABLE IF EXISTS person_search",
        "DROP TABLE IF EXISTS title_search",
    ),
}


@dataclass(frozen=True)
class NameRow:
    """One searchable name of a title: ``name`` folded and padded, ``display`` as written."""

    title_id: int
    n: int
    name: str
    display: str
    source: str  # "primary", "original" or "aka"


@dataclass(frozen=True)
class PersonRow:
    """One searchable person and how known they are."""

    person_id: int
    name: str
    credits: int
    votes: int


@dataclass(frozen=True)
class TextDoc:
    """The full-text fields of one title, folded; several parts are joined by newlines."""

    title_id: int
    outline: str
    plot: str
    taglines: str
    trivia: str
    goofs: str
    quotes: str

    def fields(self) -> dict[str, Any]:
        """Bind parameters for the insert statements."""
        return {
            "title_id": self.title_id,
            "outline": self.outline,
            "plot": self.plot,
            "taglines": self.taglines,
            "trivia": self.trivia,
            "goofs": self.goofs,
            "quotes": self.quotes,
        }


# ---------------------------------------------------------------- pure helpers


def popularity_bucket(votes: int | None) -> int:
    """0..127, rising with votes (a quarter of a doubling per step): orders matches by popularity."""
    if not votes or votes <= 0:
        return 0
    return min(127, 1 + int(math.log2(votes + 1) * 4))


def title_rowid(bucket: int, title_id: int, n: int) -> int:
    """The SQLite rowid of a title's ``n``-th name: popularity first, so rowid order is vote order."""
    if not 0 <= title_id < (1 << _ID_BITS):
        raise ValueError(f"title id {title_id} does not fit the search index")
    return (bucket << _BUCKET_SHIFT) | (title_id << 12) | n


def split_rowid(rowid: int) -> tuple[int, int]:
    """``(title_id, n)`` from a title_search rowid."""
    return (rowid >> 12) & ((1 << _ID_BITS) - 1), rowid & (MAX_NAMES - 1)


def padded(name: str) -> str:
    """Folded name with a space each side, so a word start is ``" " + prefix``."""
    return f" {fold(name)} "


def name_rows(
    title_id: int, primary: str, original: str | None, akas: Iterable[tuple[str, bool]]
) -> list[NameRow]:
    """Distinct folded names of a title, primary first, then original, then alternate titles."""
    rows: list[NameRow] = []
    seen: set[str] = set()
    candidates = [(primary, "primary")]
    if original:
        candidates.append((original, "original"))
    candidates += [(aka, "original" if is_original else "aka") for aka, is_original in akas]
    for display, source in candidates:
        name = padded(display)
        if name.strip() and name not in seen and len(rows) < MAX_NAMES:
            seen.add(name)
            rows.append(NameRow(title_id, len(rows), name, display, source))
    return rows


def _joined(parts: Iterable[str | None]) -> str:
    return "\n".join(fold(p) for p in parts if p)


# ---------------------------------------------------------------- reading the tables


def _ids_clause(ids: Sequence[int] | None, column: str) -> tuple[str, dict[str, Any]]:
    """``column BETWEEN lo AND hi`` for a chunk of a rebuild, ``column IN (...)`` for a refresh."""
    if ids is None:
        return f"{column} BETWEEN :lo AND :hi", {}
    marks = ", ".join(f":i{k}" for k in range(len(ids)))
    return f"{column} IN ({marks})", {f"i{k}": v for k, v in enumerate(ids)}


def _read_titles(
    conn: Connection, ids: Sequence[int] | None, bounds: dict[str, int]
) -> tuple[list[NameRow], dict[int, int], list[TextDoc]]:
    """Names, popularity buckets and text documents of the titles chosen by ids or bounds."""
    where, params = _ids_clause(ids, "t.id")
    params |= bounds
    base = conn.execute(
        text(
            "SELECT t.id, t.primary_title, t.original_title, t.outline, t.plot, r.votes FROM titles t"
            f" LEFT JOIN imdb_ratings r ON r.title_id = t.id WHERE {where}"
        ),
        params,
    ).all()
    child = where.replace("t.id", "title_id")
    akas: dict[int, list[tuple[str, bool]]] = {}
    for tid, title, is_original in conn.execute(
        text(
            f"SELECT title_id, title, is_original FROM alternate_titles WHERE {child}"
            " ORDER BY title_id, ordering"
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
    "taglines": "SELECT title_id, text FROM taglines WHERE {where} ORDER BY title_id, ordering",
    "trivia": "SELECT title_id, text FROM trivia WHERE {where} ORDER BY title_id, ordering",
    "goofs": "SELECT title_id, text FROM goofs WHERE {where} ORDER BY title_id, ordering",
    # A quote is searched by what is said and by who says it.
    "quotes": "SELECT title_id, coalesce(character, '') || ' ' || text FROM quote_lines WHERE {where}"
    " ORDER BY title_id, quote_no, line_no",
}


def _read_parts(conn: Connection, sql: str, params: dict[str, Any]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for tid, value in conn.execute(text(sql), params):
        out.setdefault(tid, []).append(value)
    return out


def _read_people(conn: Connection, ids: Sequence[int] | None, bounds: dict[str, int]) -> list[PersonRow]:
    """People chosen by ids or bounds, with their number of titles and the votes of those titles."""
    where, params = _ids_clause(ids, "p.id")
    params |= bounds
    rows = conn.execute(
        text(
            "SELECT p.id, p.name, count(f.title_id), coalesce(sum(r.votes), 0) FROM people p"
            " LEFT JOIN (SELECT DISTINCT person_id, title_id FROM credits c"
            f" WHERE {where.replace('p.id', 'c.person_id')}) f ON f.person_id = p.id"
            f" LEFT JOIN imdb_ratings r ON r.title_id = f.title_id WHERE {where} GROUP BY p.id, p.name"
        ),
        params,
    ).all()
    return [PersonRow(pid, padded(name), int(n), int(votes)) for pid, name, n, votes in rows]


# ---------------------------------------------------------------- writing the index


def _write(conn: Connection, names: list[NameRow], buckets: dict[int, int], docs: list[TextDoc]) -> None:
    """Insert index rows for titles whose old rows are already gone."""
    if conn.dialect.name == "postgresql":
        _write_pg(conn, names, buckets, docs)
    else:
        _write_sqlite(conn, names, buckets, docs)


def _write_sqlite(
    conn: Connection, names: list[NameRow], buckets: dict[int, int], docs: list[TextDoc]
) -> None:
    if buckets:
        conn.execute(
            text("INSERT INTO title_search_keys (title_id, bucket) VALUES (:t, :b)"),
            [{"t": t, "b": b} for t, b in buckets.items()],
        )
    if names:
        conn.execute(
            text(
                "INSERT INTO title_search (rowid, name, display, source)"
                " VALUES (:rowid, :name, :display, :source)"
            ),
            [
                {
                    "rowid": title_rowid(buckets[r.title_id], r.title_id, r.n),
                    "name": r.name,
                    "display": r.display,
                    "source": r.source,
                }
                for r in names
            ],
        )
    if docs:
        conn.execute(
            text(
                "INSERT INTO text_search (rowid, outline, plot, taglines, trivia, goofs, quotes)"
                " VALUES (:title_id, :outline, :plot, :taglines, :trivia, :goofs, :quotes)"
            ),
            [d.fields() for d in docs],
        )


def _write_pg(conn: Connection, names: list[NameRow], buckets: dict[int, int], docs: list[TextDoc]) -> None:
    if names:
        conn.execute(
            text(
                "INSERT INTO title_search (title_id, n, name, display, source, pop)"
                " VALUES (:title_id, :n, :name, :display, :source, :pop)"
            ),
            [
                {
                    "title_id": r.title_id,
                    "n": r.n,
                    "name": r.name,
                    "display": r.display,
                    "source": r.source,
                    "pop": buckets[r.title_id],
                }
                for r in names
            ],
        )
    if docs:
        # Weights: the outline and plot say what a film is about; goofs least.
        conn.execute(
            text(
                "INSERT INTO text_search (title_id, doc) VALUES (:title_id,"
                " setweight(to_tsvector('english', :outline), 'A')"
                " || setweight(to_tsvector('english', :plot), 'A')"
                " || setweight(to_tsvector('english', :taglines), 'B')"
                " || setweight(to_tsvector('english', :quotes), 'C')"
                " || setweight(to_tsvector('english', :trivia), 'C')"
                " || setweight(to_tsvector('english', :goofs), 'D'))"
            ),
            [d.fields() for d in docs],
        )


def _write_people(conn: Connection, people: list[PersonRow]) -> None:
    if not people:
        return
    if conn.dialect.name == "postgresql":
        sql = "INSERT INTO person_search (person_id, name, credits, votes)"
    else:
        sql = "INSERT INTO person_search (rowid, name, credits, votes)"
    sql += " VALUES (:id, :name, :credits, :votes)"
    conn.execute(
        text(sql),
        [{"id": p.person_id, "name": p.name, "credits": p.credits, "votes": p.votes} for p in people],
    )


def _delete_titles(conn: Connection, ids: Sequence[int]) -> None:
    """Remove every index row of these titles (ids that no longer exist included)."""
    if conn.dialect.name == "postgresql":
        for table in ("title_search", "text_search"):
            conn.execute(text(f"DELETE FROM {table} WHERE title_id = ANY(:ids)"), {"ids": list(ids)})
        return
    where, params = _ids_clause(ids, "title_id")
    old = conn.execute(text(f"SELECT title_id, bucket FROM title_search_keys WHERE {where}"), params).all()
    for tid, bucket in old:
        low = title_rowid(bucket, tid, 0)
        conn.execute(
            text("DELETE FROM title_search WHERE rowid BETWEEN :lo AND :hi"),
            {"lo": low, "hi": low + MAX_NAMES - 1},
        )
    conn.execute(text(f"DELETE FROM title_search_keys WHERE {where}"), params)
    conn.execute(text(f"DELETE FROM text_search WHERE {where.replace('title_id', 'rowid')}"), params)


def refresh_people(conn: Connection, person_ids: Iterable[int]) -> None:
    """Re-index these people (internal ids); ids that no longer exist are removed."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        column = "person_id" if conn.dialect.name == "postgresql" else "rowid"
        where, params = _ids_clause(chunk, column)
        conn.execute(text(f"DELETE FROM person_search WHERE {where}"), params)
        _write_people(conn, _read_people(conn, chunk, {}))


def refresh_titles(conn: Connection, title_ids: Iterable[int]) -> None:
    """Re-index these titles (internal ids) and their people; ids that no longer exist are removed."""
    ids = sorted(set(title_ids))
    for start in range(0, len(ids), 500):  # SQLite caps bound parameters per statement
        chunk = ids[start : start + 500]
        _delete_titles(conn, chunk)
        _write(conn, *_read_titles(conn, chunk, {}))
        where, params = _ids_clause(chunk, "title_id")
        people = conn.execute(text(f"SELECT DISTINCT person_id FROM credits WHERE {where}"), params).scalars()
        refresh_people(conn, list(people))


def _id_ranges(conn: Connection, table: str) -> Iterator[dict[str, int]]:
    """Bounds ``lo``/``hi`` covering the table's ids in chunks of about ``_CHUNK`` rows."""
    low, high = conn.execute(text(f"SELECT min(id), max(id) FROM {table}")).one()
    if low is None:
        return
    for lo in range(low, high + 1, _CHUNK):
        yield {"lo": lo, "hi": min(lo + _CHUNK - 1, high)}


def rebuild(conn: Connection) -> None:
    """Rebuild the whole index after a bulk import."""
    for table in DDL_TABLES[conn.dialect.name]:
        conn.execute(text(f"DELETE FROM {table}"))
    for bounds in _id_ranges(conn, "titles"):
        _write(conn, *_read_titles(conn, None, bounds))
    for bounds in _id_ranges(conn, "people"):
        _write_people(conn, _read_people(conn, None, bounds))
    if conn.dialect.name == "sqlite":
        # Merge the many small FTS5 segments an import leaves, so queries read one b-tree per term.
        for table in ("title_search", "person_search", "text_search"):
            conn.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
    else:
        conn.execute(text("ANALYZE title_search"))
        conn.execute(text("ANALYZE person_search"))
        conn.execute(text("ANALYZE text_search"))


DDL_TABLES = {
    "sqlite": ("title_search", "title_search_keys", "person_search", "text_search"),
    "postgresql": ("title_search", "person_search", "text_search"),
}
