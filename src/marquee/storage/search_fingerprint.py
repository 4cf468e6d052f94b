"""Every search index table's rows, counted and hashed: equal fingerprints, equal indexes (the tests
compare an index built title by title with one rebuilt set-based, ``tests/test_search_rebuild.py``)."""

from __future__ import annotations

import hashlib

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.storage.search_ddl import WORD_TABLES

__all__ = ["FINGERPRINT_SQL", "fingerprint"]

# Every index table's rows in a fixed order, to compare two ways of building the index.
FINGERPRINT_SQL: dict[str, dict[str, str]] = {
    "sqlite": {
        "title_search": "SELECT rowid, name, display, source FROM title_search ORDER BY rowid",
        "title_search_keys": "SELECT * FROM title_search_keys ORDER BY title_key",
        "person_search": "SELECT rowid, name, credits, votes FROM person_search ORDER BY rowid",
        "person_search_keys": "SELECT * FROM person_search_keys ORDER BY person_key",
        "text_search": "SELECT rowid, outline, plot, taglines, trivia, goofs, quotes FROM text_search"
        " ORDER BY rowid",
        "search_words": "SELECT word FROM search_words ORDER BY word",
        # Contentless: every word of every row, read from the index itself (fts5vocab, see below).
        "title_search_words": "SELECT term, doc, offset FROM temp.title_search_words_vocab ORDER BY 1, 2, 3",
        "person_search_words": "SELECT term, doc, offset FROM temp.person_search_words_vocab"
        " ORDER BY 1, 2, 3",
    },
    "postgresql": {
        "title_search": "SELECT title_key, n, name, display, source, pop FROM title_search"
        " ORDER BY title_key, n",
        "person_search": "SELECT person_key, name, credits, votes, pop FROM person_search ORDER BY 1",
        "text_search": "SELECT title_key, doc::text FROM text_search ORDER BY title_key",
        "search_words": "SELECT word, title_names, person_names FROM search_words ORDER BY word",
    },
}


def fingerprint(conn: Connection) -> dict[str, tuple[int, str]]:
    """Row count and SHA-1 of the rows of every index table (equal fingerprints: equal indexes)."""
    out = {}
    if conn.dialect.name == "sqlite":
        for table in WORD_TABLES.values():
            vocab = f"temp.{table}_vocab USING fts5vocab(main, {table}, instance)"
            conn.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {vocab}"))
    for table, sql in FINGERPRINT_SQL[conn.dialect.name].items():
        digest, n = hashlib.sha1(usedforsecurity=False), 0
        for row in conn.execute(text(sql)):
            digest.update(repr(tuple(row)).encode())
            n += 1
        out[table] = (n, digest.hexdigest())
    return out
