"""The SQL of search (``services.search``): query builders, and one connection to run them on.

Every builder is pure: it returns ``(sql, params)`` for a dialect, so a test compares the SQL
itself (as sqlite-utils' ``Table.search_sql()`` does). ``SearchReader`` runs them on one
connection for the length of one search; ranking is ``services.search``'s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from marquee.formats.query import trigrams
from marquee.storage.base import Store
from marquee.storage.search_layout import ID_BITS, NAME_BITS, NAME_KEYS
from marquee.storage.search_window import (
    RARE_WORDS,
    WINDOWS,
    name_table,
    popular_window_sql,
    tier_bound,
    tier_predicate_sql,
    tier_sql,
    voted_sql,
    word_bound,
    word_list_sql,
)

__all__ = [
    "Candidate",
    "SearchReader",
    "halves",
    "name_candidates_sql",
    "search_reader",
    "start_candidates_sql",
    "text_sql",
    "trigram_candidates_sql",
]

Candidate = tuple[int, str, Any, Any]  # (id, folded name, display or credits, source or votes)
Sql = tuple[str, dict[str, Any]]
_ID_MASK = (1 << ID_BITS) - 1  # the title or person id in a name index's rowid (``search_layout``)


def _fts_phrase(words: Sequence[str]) -> str:
    """An FTS5 string literal; folded text holds only ``[0-9a-z ]`` so quoting is safe."""
    return '"' + "".join(words) + '"'


def _whole_enough(substring: str) -> bool:
    """Whether the word index answers this substring well: whole words. A word start (``" epis"``)
    is a prefix query there, which merges the postings of every word it starts before the first
    row (~50 ms at 1M titles); the trigram index walks the names in popularity order and stops at
    the limit. (``services.search`` completes unfinished words from the dictionary when it can.)"""
    return substring.endswith(" ")


def _word_phrase(substring: str) -> str:
    """The FTS5 phrase of the word index for a substring the trigram index would look for:
    ``" the godfather "`` (whole words) -> ``"the godfather"``, ``" the godf"`` -> ``"the godf"*``."""
    return '"' + " ".join(substring.split()) + '"' + ("" if substring.endswith(" ") else "*")


_EXTRA = {"title_search": ("display", "source"), "person_search": ("credits", "votes")}
_KEY = NAME_KEYS


def _select(dialect: str, table: str) -> str:
    """``key, name, extra, extra`` of a name index; on SQLite the key is packed in the rowid."""
    key = "s.rowid" if dialect == "sqlite" else f"s.{_KEY[table]}"
    extra = ", ".join(f"s.{c}" for c in _EXTRA[table])
    return f"SELECT {key}, s.name, {extra} FROM {table} s"


def _by_words(table: str) -> str:
    """SQLite: the rows of ``table`` the word index finds, in popularity order (``WHERE`` follows).

    The names are read from the trigram table's content (FTS5's ``%_content`` table: ``id`` and
    the columns in order as ``c0``, ``c1``…), a plain b-tree looked up by rowid, rather than
    through the virtual table, which costs about twice as much a row."""
    extra = ", ".join(f"s.c{i + 1}" for i in range(len(_EXTRA[table])))
    return (
        f"SELECT s.id, s.c0, {extra} FROM {table}_words w CROSS JOIN {table}_content s"
        f" WHERE w.{table}_words MATCH :match AND s.id = w.rowid"
    )


def name_candidates_sql(
    dialect: str,
    table: str,
    clauses: Sequence[Sequence[str]],
    kinds: Sequence[str] | None,
    limit: int,
    years: Sequence[int] = (),
) -> Sql:
    """Names holding one substring of every clause (titles of these kinds and years), most popular first.

    SQLite: read from the word index (``*_search_words``) when a clause holds whole words (a word
    start beside them is a prefix token there); word starts alone, from the trigram index.
    """
    params: dict[str, Any] = {"limit": limit}
    sql = _select(dialect, table)
    if dialect == "sqlite":
        join_key = "((s.rowid >> 12) & 268435455)"
        # A word start joins the word index's query (a prefix token) when whole words come with it.
        if any(all(_whole_enough(sub) for sub in alts) for alts in clauses):
            # The word index finds the rowids in popularity order; the names are read by rowid.
            params["match"] = " AND ".join(
                "(" + " OR ".join(_word_phrase(s) for s in alts) + ")" for alts in clauses
            )
            sql, where = _by_words(table).split(" WHERE ")
            order = "w.rowid DESC"
        else:
            params["match"] = " AND ".join(
                "(" + " OR ".join(_fts_phrase([s]) for s in alts) + ")" for alts in clauses
            )
            where = f"{table} MATCH :match" if clauses else "1 = 1"
            order = "s.rowid DESC"  # the rowid starts with the popularity bucket
    else:
        parts = []
        for i, alts in enumerate(clauses):
            for j, sub in enumerate(alts):
                params[f"p{i}_{j}"] = f"%{sub}%"
            parts.append("(" + " OR ".join(f"s.name LIKE :p{i}_{j}" for j in range(len(alts))) + ")")
        where = " AND ".join(parts) or "1 = 1"
        order = f"s.pop DESC, s.{_KEY[table]} DESC"
        join_key = "s.title_key"
    if kinds or years:
        sql += f" JOIN titles t ON t.title_key = {join_key}"
    if kinds:
        where += " AND t.kind IN (" + ", ".join(f":k{i}" for i in range(len(kinds))) + ")"
        params |= {f"k{i}": k for i, k in enumerate(kinds)}
    if years:
        where += " AND t.start_year IN (" + ", ".join(f":y{i}" for i in range(len(years))) + ")"
        params |= {f"y{i}": y for i, y in enumerate(years)}
    return f"{sql} WHERE {where} ORDER BY {order} LIMIT :limit", params


def start_candidates_sql(
    dialect: str, table: str, folded: str, kinds: Sequence[str] | None, limit: int
) -> Sql:
    """Names starting with ``folded``, most popular first: for one letter, too short for trigrams."""
    sql, params = name_candidates_sql(dialect, table, [], kinds, limit)
    params["start"] = f" {folded}%"
    return sql.replace(" WHERE ", " WHERE s.name LIKE :start AND ", 1), params


def halves(folded: str) -> list[str]:
    """`` folded `` cut in two, each at least three characters long (a trigram index's unit), or its
    trigrams when too short: one typo leaves one of the halves (or most trigrams) as typed."""
    padded = f" {folded} "
    middle = len(padded) // 2
    if middle < 3 or len(padded) - middle < 3:
        return trigrams(folded)
    return [padded[:middle], padded[middle:]]


def trigram_candidates_sql(
    dialect: str, table: str, folded: str, limit: int, *, by_words: bool = True
) -> Sql:
    """Names close to ``folded`` though not word for word (the last candidate stage).

    SQLite: names holding either half of the query's words (``by_words``, two or more words: the
    word index) or of its letters (the trigram index), most popular first, so the walk stops at
    the limit (ranking every name sharing a trigram by ``rank`` read whole posting lists: ~0.7 s
    at 1M titles). PostgreSQL: names holding either half of its letters.
    """
    if dialect == "sqlite":
        words = folded.split()
        if by_words and len(words) >= 2:
            # Each half of the words, all of them (a typo that makes another word: "đê" for "Đêm").
            middle = (len(words) + 1) // 2
            match = " OR ".join(
                "(" + " AND ".join(f'"{w}"' for w in part) + ")" for part in (words[:middle], words[middle:])
            )
            sql = f"{_by_words(table)} ORDER BY w.rowid DESC LIMIT :limit"
            return sql, {"match": match, "limit": limit}
        match = " OR ".join(_fts_phrase([g]) for g in halves(folded))
        sql = f"{_select(dialect, table)} WHERE {table} MATCH :match ORDER BY s.rowid DESC LIMIT :limit"
        return sql, {"match": match, "limit": limit}
    # PostgreSQL: the halves of the letters, through the trigram index, most popular first, as
    # SQLite's letter halves (pg_trgm's ``%`` over every name sharing a trigram: 8-37 s at 12M titles).
    cut = halves(folded)
    where = " OR ".join(f"s.name LIKE :h{i}" for i in range(len(cut)))
    sql = f"{_select(dialect, table)} WHERE {where} ORDER BY s.pop DESC, s.{_KEY[table]} DESC LIMIT :limit"
    return sql, {f"h{i}": f"%{half}%" for i, half in enumerate(cut)} | {"limit": limit}


def text_sql(dialect: str, terms: Sequence[str], *, any_term: bool, limit: int) -> Sql:
    """Titles whose plots, outlines, taglines, trivia, goofs or quotes hold every term (or any)."""
    if dialect == "sqlite":
        joiner = " OR " if any_term else " AND "
        match = joiner.join(_fts_phrase([t]) for t in terms)
        # bm25 weights follow the columns: outline, plot, taglines, trivia, goofs, quotes.
        sql = (
            "SELECT rowid FROM text_search WHERE text_search MATCH :match"
            " ORDER BY bm25(text_search, 4.0, 4.0, 2.0, 1.5, 1.0, 1.5) LIMIT :limit"
        )
        return sql, {"match": match, "limit": limit}
    joiner = " | " if any_term else " & "
    sql = (
        "SELECT title_key FROM text_search, to_tsquery('english', :q) q WHERE doc @@ q"
        " ORDER BY ts_rank_cd(doc, q) DESC, title_key LIMIT :limit"
    )
    return sql, {"q": joiner.join(terms), "limit": limit}


class SearchReader:
    """Runs the builders above on one open connection (one search).

    SQLite: straight through the driver's connection (``sqlite3`` takes the builders' ``:name``
    parameters as they are and keeps its own cache of prepared statements), not SQLAlchemy's
    ``execute``, whose per-call work (a ``text()`` clause, its compiled-cache key, a result
    wrapper) cost more than most of these statements at 1M titles. PostgreSQL: SQLAlchemy.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.windows = dict(WINDOWS)  # a test may narrow them
        self.dialect = conn.dialect.name
        self._raw: Any = None
        if self.dialect == "sqlite":
            self._raw = conn.connection.driver_connection
            _tune(conn)
        self._last: tuple[str, dict[str, Any], int, int | None] | None = None  # see ``candidates``
        self._bounds: dict[str, int | None] = {}  # see ``_tier_bound``
        # PostgreSQL: per name index, how many names hold each dictionary word read so far (``words``).
        self._names: dict[str, dict[str, int]] = {table: {} for table in NAME_KEYS}
        # Candidate queries (less their limit) whose every row has been read (see ``candidates``).
        self._whole: dict[tuple[Any, ...], list[Candidate]] = {}

    def _run(self, query: Sql, *, scans: bool = True, generic: bool = False) -> Iterable[Sequence[Any]]:
        """The rows of ``query``. PostgreSQL: ``scans=False``, with plain index scans and table scans
        off for it alone; ``generic``, with the plan prepared for its shape (``plan_cache_mode``:
        once psycopg has prepared it, at its fifth run on a connection) rather than one planned for
        its values each time, for a query whose plan the values never change (the window's: its
        planning cost about what running it does). The settings, the read and the resets go at once
        (psycopg's pipeline: one round trip, where the settings and the resets each took one of
        ~0.13 ms). ``SET LOCAL`` ends with the transaction, so a statement that fails takes the
        settings with it."""
        if self._raw is not None:
            return self._raw.execute(query[0], query[1])  # type: ignore[no-any-return]
        settings = (() if scans else _NO_SCANS) + (_GENERIC if generic else ())
        if not settings:
            return self.conn.execute(text(query[0]), query[1])
        if not self.conn.in_transaction():
            self.conn.begin()  # so the read's end commits the driver's transaction (``SqlStore.reading``)
        raw: Any = self.conn.connection.driver_connection
        with raw.pipeline():
            for name, value in settings:
                raw.execute(f"SET LOCAL {name} = {value}")
            cursor = raw.execute(_pyformat(query[0]), query[1])
            for name, _ in settings:
                raw.execute(f"RESET {name}")
        return cursor.fetchall()  # type: ignore[no-any-return]

    def candidates(self, query: Sql) -> list[Candidate]:
        """Rows of a name index (``*_candidates_sql``) with the internal id unpacked.

        PostgreSQL: a query asked before in this search with any limit, whose rows then were fewer
        than its limit, is not asked again: those were all its rows (a one-word query reads 50
        names as a phrase, then 200 as words: the same statement, its window, tier and index
        reads). SQLite: when the statement is the previous one with a larger limit and that one
        was cut by its limit, only the rows after its last are read (rowid order is strict): the
        first ones came already, in the same order.
        """
        if self._raw is not None:
            return self._sqlite_candidates(query)
        key = _unlimited_key(query)
        whole = self._whole.get(key)
        if whole is not None:
            return whole[: query[1]["limit"]]
        found: list[Candidate] = [(r[0], r[1], r[2], r[3]) for r in self._popular_first(query)]
        if len(found) < query[1]["limit"]:
            self._whole[key] = found
        return found

    def _sqlite_candidates(self, query: Sql) -> list[Candidate]:
        sql, params = query
        limit, last, asked = params["limit"], self._last, query
        unlimited = {k: v for k, v in params.items() if k != "limit"}
        if last and last[0] == sql and last[1] == unlimited and last[2] < limit and last[3] is not None:
            order = sql.rsplit(" ORDER BY ", 1)[1].split()[0]
            asked = (
                sql.replace(" ORDER BY ", f" AND {order} < :before ORDER BY ", 1),
                params | {"limit": limit - last[2], "before": last[3]},
            )
        rows = self._raw.execute(*asked).fetchall()
        more = len(rows) == asked[1]["limit"]  # cut by the limit: a larger one would read on
        self._last = (sql, unlimited, limit, rows[-1][0] if more else None)
        return [((r[0] >> NAME_BITS) & _ID_MASK, r[1], r[2], r[3]) for r in rows]

    def _popular_first(self, query: Sql) -> list[Sequence[Any]]:
        """PostgreSQL: the most popular names first (``popular_window_sql``); when the window holds
        too few, the tier's (``tier_sql``: the most popular thirty-second of the titles' names,
        sixty-fourth of the people's, through its own trigram index); for titles, then the names
        that have votes (``voted_sql``); when these hold too few as well, every match:
        whole words through the word-list index (``word_list_sql``), the rest through the whole
        trigram index. Plain index scans and table scans are off for all but the window (else the
        planner may walk the popularity index, or the table, to its end). Whichever answers, the
        rows are the query's first rows."""
        limit, table = query[1]["limit"], name_table(query[0])
        most = word_bound(query, self._names[table])
        if most is not None and most <= RARE_WORDS:
            # Whole words, one of them in few names: the word-list index reads about that many rows,
            # which costs less than walking the window (that would then most likely hold too few).
            return list(self._run(word_list_sql(query), scans=False))
        rows = list(self._run(popular_window_sql(query, self.windows[table]), generic=True))
        if len(rows) >= limit:
            return rows
        # None in the window: the tier, 10-25 times its names, would most likely hold too few too.
        bound = self._tier_bound(table) if rows else None
        if bound is not None:
            # Whole words through the tier's word lists (``create_word_tier_sql``), the rest through
            # its trigrams.
            rows = list(self._run(tier_sql(word_list_sql(query), bound), scans=False))
        # The voted names even when the window held none: a phrase of common words that no popular
        # name holds is most often held by enough names with a vote or two (titles only; not when
        # the tier, in a small store, starts at one vote: it held them already).
        voted = voted_sql(query) if bound is None or bound > 1 else None
        if len(rows) < limit and voted is not None:
            rows = list(self._run(voted, scans=False))
        if len(rows) < limit:
            rows = list(self._run(word_list_sql(query), scans=False))
        return rows

    def _tier_bound(self, table: str) -> int | None:
        """The bound of ``table``'s tier index (None: no tier), read once a search."""
        if table not in self._bounds:
            self._bounds[table] = tier_bound(next(iter(self.column(tier_predicate_sql(table))), None))
        return self._bounds[table]

    def words(self, query: Sql) -> list[str]:
        """The words of a dictionary query (``dictionary_sql``, ``words_from_sql``); on PostgreSQL,
        how many names of each index hold each is kept for ``_popular_first`` (none when the
        dictionary has no count: a word added since the index was built)."""
        out = []
        for row in self._run(query):
            out.append(row[0])
            for table, count in zip(NAME_KEYS, row[1:], strict=False):
                if count is not None:
                    self._names[table][row[0]] = count
        return out

    def rows(self, query: Sql) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._run(query)]

    def column(self, query: Sql) -> list[Any]:
        """The first column of every row."""
        return [r[0] for r in self._run(query)]


# PostgreSQL settings for one statement (``SearchReader._run``).
_NO_SCANS = (("enable_indexscan", "off"), ("enable_seqscan", "off"))
_GENERIC = (("plan_cache_mode", "force_generic_plan"),)
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


@functools.lru_cache(maxsize=512)
def _pyformat(sql: str) -> str:
    """A builder's ``:name`` parameters as psycopg's ``%(name)s`` (a literal ``%`` doubled)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


def _unlimited_key(query: Sql) -> tuple[Any, ...]:
    """A candidate query without its limit, hashable (list parameters as tuples)."""
    sql, params = query
    values = tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in sorted(params.items())
        if name != "limit"
    )
    return sql, values


_MMAP_BYTES = 1 << 31


def _tune(conn: Connection) -> None:
    """Map the database file into memory on a connection's first search (SQLite reads its pages
    there, not through a system call each): 10 % of a search's CPU at 1M titles. Once per pooled
    connection (its ``info`` lasts as long as the driver's connection)."""
    info = conn.connection.info
    if not info.get("search_mmap"):
        conn.connection.driver_connection.execute(f"PRAGMA mmap_size={_MMAP_BYTES}")  # type: ignore[union-attr]
        info["search_mmap"] = True


@contextmanager
def search_reader(store: Store) -> Iterator[SearchReader]:
    """One connection for one search."""
    with store.reading() as conn:
        yield SearchReader(conn)
