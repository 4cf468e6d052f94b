"""The dictionary of indexed words (``search_words``): which words of a query are in some name, the
words a prefix starts, and on PostgreSQL how many names of each index hold each
(``search_queries.SearchReader.words`` keeps the counts; ``search_window.word_bound`` reads them).

A rebuild writes the dictionary whole (``search_rebuild``, ``search_rebuild_pg``); ``add_words``
keeps it as names are indexed one title or person at a time: a word is never removed (a stale one
only costs a lookup), and on PostgreSQL each count changes by what the names written and removed
change it by, as ``browse_index`` keeps its counts, so it is what a rebuild would write.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

__all__ = ["add_words", "dictionary_sql", "word_changes", "words_from_sql"]

Sql = tuple[str, dict[str, Any]]

# PostgreSQL's dictionary also counts the names holding each word, per name index (``SearchReader``).
_WORD_COLUMNS = {"sqlite": "word", "postgresql": "word, title_names, person_names"}


def dictionary_sql(dialect: str, words: Sequence[str]) -> Sql:
    """Which of ``words`` are in the dictionary of indexed words (on PostgreSQL, with their counts)."""
    if dialect == "postgresql":
        return f"SELECT {_WORD_COLUMNS[dialect]} FROM search_words WHERE word = ANY(:words)", {
            "words": list(words)
        }
    # One JSON parameter rather than hundreds of marks: the statement stays the same and cached.
    sql = "SELECT word FROM search_words WHERE word IN (SELECT value FROM json_each(:words))"
    return sql, {"words": json.dumps(list(words))}


def words_from_sql(dialect: str, low: str, high: str, limit: int) -> Sql:
    """Dictionary words in ``[low, high)`` (those starting with a prefix: a b-tree range), in order
    (on PostgreSQL, with their counts)."""
    sql = (
        f"SELECT {_WORD_COLUMNS[dialect]} FROM search_words WHERE word >= :low AND word < :high LIMIT :limit"
    )
    return sql, {"low": low, "high": high, "limit": limit}


def _words(names: Iterable[str]) -> Counter[str]:
    """Each word of two letters or more, as often as the names hold it."""
    return Counter(w for name in names for w in name.split() if len(w) >= 2)


def word_changes(written: Iterable[str], removed: Iterable[str]) -> dict[str, int]:
    """By how much the names written and the names removed change each word's count (none: 0)."""
    changes = _words(written)
    changes.subtract(_words(removed))
    return {w: n for w, n in sorted(changes.items()) if n}


_COUNTED = {"title_search": "title_names", "person_search": "person_names"}


def add_words(conn: Connection, table: str, written: Iterable[str], removed: Iterable[str] = ()) -> None:
    """The words of names just written to ``table`` (and just ``removed`` from it) into the dictionary."""
    written = list(written)
    if conn.dialect.name == "sqlite":
        words = sorted(_words(written))
        if words:
            conn.execute(
                text("INSERT OR IGNORE INTO search_words (word) VALUES (:w)"), [{"w": w} for w in words]
            )
        return
    # In word order, so two writers lock the rows they share in the same order; a count left
    # unchanged is not written (no lock on a common word for a name saved as it was).
    changes = word_changes(written, removed)
    new = sorted(_words(written))
    column, other = _COUNTED[table], "person_names" if table == "title_search" else "title_names"
    if new:  # a new word starts at 0 in the other index (and its count here comes next)
        conn.execute(
            text(
                f"INSERT INTO search_words (word, {column}, {other}) VALUES (:w, 0, 0) ON CONFLICT DO NOTHING"
            ),
            [{"w": w} for w in new],
        )
    if changes:
        conn.execute(
            text(f"UPDATE search_words SET {column} = {column} + :n WHERE word = :w"),
            [{"w": w, "n": n} for w, n in changes.items()],
        )
