"""PostgreSQL: which names a candidate query of search reads first (``search_queries.SearchReader``).

A name query ordered by popularity with a limit is answered on PostgreSQL by reading a window of
the most popular names first, then the tier (a trigram index over the most popular names only:
a thirty-second of the titles' names, a sixty-fourth of the people's; whole words through the
tier's word lists), then for titles the names that have votes (through their own word-list or
trigram index), and the whole index only when these hold too few (BENCHMARKS.md, "12 M titles
on PostgreSQL, once for real"; "PostgreSQL search: a tier of the popular names"; "PostgreSQL
search: the voted names' words first").
"""

from __future__ import annotations

import re
from typing import Any

from marquee.storage.search_layout import NAME_KEYS

__all__ = [
    "RARE_WORDS",
    "TIER_SHARES",
    "WINDOWS",
    "create_tier_sql",
    "create_word_tier_sql",
    "name_table",
    "popular_window_sql",
    "tier_bound",
    "tier_bound_sql",
    "tier_index",
    "tier_predicate_sql",
    "tier_sql",
    "voted_sql",
    "word_bound",
    "word_list_sql",
    "word_tier_index",
]

Sql = tuple[str, dict[str, Any]]

# PostgreSQL: how many of the most popular names of each index a candidate query reads first (a
# walk in popularity order that stops at the limit: cheap when matches are many, a whole walk of
# the window when they are few). Titles' window was 10,000 before the tier: 4,000 since, search's
# p50 at 1M titles is ~18 % lower (12M not measured again). BENCHMARKS.md.
WINDOWS = {"title_search": 4_000, "person_search": 2_000}
# The tier: the most popular 1/share of a name index's names have a trigram index of their own (a
# partial index, ``pop >= bound``). Where the window holds too few matches, the tier holds ~25
# (titles) to ~10 (people) times as many names, found through a small index: at 1M titles the
# two-word prefix "home sun" is answered there in 1.6-4.2 ms (96 rows read) against 21-46 ms
# through the whole index (its trigram lists, then 2,053 rows read to keep the 40 most popular).
# Measured at 1M titles: titles a sixteenth (no better), people a sixteenth and a thirty-second
# (p99 a third and a tenth slower than without a tier). BENCHMARKS.md, "PostgreSQL search: a tier
# of the popular names".
TIER_SHARES = {"title_search": 32, "person_search": 64}
# A query of whole words of which one is in at most this many names of an index (the dictionary's
# count) reads the word-list index first: ~1 ms per 1,000 names at 1M titles, where the window's
# walk costs ~1 ms and, for such words, most often holds too few (BENCHMARKS.md).
RARE_WORDS = 1_000


def name_table(sql: str) -> str:
    """The name index (``title_search`` or ``person_search``) a candidate query reads."""
    for table in NAME_KEYS:
        if f" FROM {table} s" in sql:
            return table
    raise ValueError("not a name index query")


def popular_window_sql(query: Sql, window: int | None = None) -> Sql:
    """PostgreSQL: a ``*_candidates_sql`` query over the ``window`` most popular names only.

    Given a name query ordered by popularity, PostgreSQL's planner picks between walking the
    popularity index until the limit (~2 ms when the words are common; the whole index when they
    are rare) and the trigram index (every match, then sorted: 30-350 ms at 12M titles), and judges
    ``LIKE '%…%'`` badly (1-2.5 s at 12M). The window bounds the first walk; ``SearchReader``
    asks the trigram index only when the window holds fewer names than the limit. Both give the
    same first rows: the window is the head of the same order.
    """
    sql, params = query
    table = name_table(sql)
    head = f" FROM (SELECT * FROM {table} ORDER BY pop DESC, {NAME_KEYS[table]} DESC LIMIT :window) s"
    return sql.replace(f" FROM {table} s", head, 1), params | {"window": window or WINDOWS[table]}


def tier_index(table: str) -> str:
    """The tier's index of a name index."""
    if table not in NAME_KEYS:
        raise ValueError(f"not a name index: {table}")
    return f"ix_{table}_name_top"


def tier_bound_sql(table: str) -> Sql:
    """The popularity the tier starts at: the name's at rank ``names / share``, at least 1
    (names with no votes at all are never in the tier), 1 for an empty index."""
    tier_index(table)  # checks the name
    sql = (
        f"SELECT greatest(1, coalesce((SELECT pop FROM {table} ORDER BY pop DESC"
        f" OFFSET (SELECT count(*) FROM {table}) / {TIER_SHARES[table]} LIMIT 1), 1))"
    )
    return sql, {}


def create_tier_sql(table: str, bound: int) -> str:
    """The tier's partial trigram index: names at least ``bound`` popular (a literal: the planner
    uses a partial index only for a query whose own condition implies the index's)."""
    return (
        f"CREATE INDEX IF NOT EXISTS {tier_index(table)} ON {table} USING gin (name gin_trgm_ops)"
        f" WHERE pop >= {int(bound)}"
    )


def word_tier_index(table: str) -> str:
    """The index of the tier's word lists of a name index."""
    tier_index(table)  # checks the name
    return f"ix_{table}_word_list_top"


def create_word_tier_sql(table: str, bound: int) -> str:
    """The tier's names' word lists, a partial index at the tier index's own bound: a tier query of
    whole words (``tier_sql`` of ``word_list_sql``) reads it, ~0.6x the trigram tier's time at 1M
    titles (one posting list a word, where the trigrams are one per three letters)."""
    return (
        f"CREATE INDEX IF NOT EXISTS {word_tier_index(table)} ON {table}"
        f" USING gin (string_to_array(btrim(name), ' ')) WHERE pop >= {int(bound)}"
    )


def tier_predicate_sql(table: str) -> Sql:
    """The tier index's condition as PostgreSQL prints it (``(pop >= 24)``), no row if none."""
    sql = "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i WHERE i.indexrelid = to_regclass(:index)"
    return sql, {"index": tier_index(table)}


def tier_bound(predicate: str | None) -> int | None:
    """The bound of a tier index's condition (``tier_predicate_sql``), None for none or another shape."""
    found = re.fullmatch(r"\(?pop >= (\d+)\)?", (predicate or "").strip())
    return int(found.group(1)) if found else None


def tier_sql(query: Sql, bound: int) -> Sql:
    """A ``*_candidates_sql`` query over the names at least ``bound`` popular: the tier index's.
    When it gives the limit's number of rows, they are the whole query's first rows (every name
    left out is less popular than each of them)."""
    sql, params = query
    name_table(sql)  # checks it is a name query
    head, rest = sql.split(" WHERE ", 1)
    where, order = rest.rsplit(" ORDER BY ", 1)
    return f"{head} WHERE s.pop >= {int(bound)} AND ({where}) ORDER BY {order}", params


def voted_sql(query: Sql) -> Sql | None:
    """A titles' query over the names that have votes alone (``pop >= 1``), through their own
    partial indexes: whole words (``word_list_sql``) through the word lists' (``search_ddl.DDL_0025``),
    any other through the trigrams' (``DDL_0026``). None for the people's.

    A phrase of common words matches thousands of names, most of them without a vote: the whole
    index reads every match, then sorts them. When the voted names give the limit's number of
    rows, they are the whole query's first rows (a name without votes comes after each).
    """
    if name_table(query[0]) != "title_search":
        return None
    return tier_sql(word_list_sql(query), 1)


def _whole_words(pattern: Any) -> list[str] | None:
    """The words of a ``LIKE`` pattern that holds whole words only (``"% the godfather %"``)."""
    if (
        isinstance(pattern, str)
        and pattern.startswith("% ")
        and pattern.endswith(" %")
        and pattern.strip("% ")
    ):
        return pattern[2:-2].split()
    return None


def word_list_sql(query: Sql) -> Sql:
    """A ``*_candidates_sql`` query of whole words only, through the word-list index.

    When every clause (``(s.name LIKE :pI_0 OR s.name LIKE :pI_1 …)``) holds whole words, each
    becomes "the name's words hold these" (the index) and the same ``LIKE`` on a form of the name
    no index has (it only checks the order of a phrase's words). A query with an unfinished word or
    a part of a word is left to the trigram index: PostgreSQL would build both indexes' bitmaps
    whole and intersect them, which costs more than the trigram index alone. The rows are the
    query's own.
    """
    sql, params = query
    name_table(sql)  # checks it is a name query
    clauses = _clauses(params)
    found = {key: _whole_words(params[key]) for keys in clauses.values() for key in keys}
    if not clauses or not all(found.values()):
        return query
    words: dict[str, Any] = {}
    for keys in clauses.values():
        like = "(" + " OR ".join(f"s.name LIKE :{k}" for k in keys) + ")"
        has = " OR ".join(f"string_to_array(btrim(s.name), ' ') @> :w{k[1:]}" for k in keys)
        unindexed = like.replace("s.name LIKE", "(s.name || '') LIKE")
        if like not in sql:
            return query
        sql = sql.replace(like, f"(({has}) AND {unindexed})", 1)
        words |= {f"w{k[1:]}": found[k] for k in keys}
    return sql, params | words


def _clauses(params: dict[str, Any]) -> dict[str, list[str]]:
    """The ``LIKE`` parameters of a candidate query, per clause (``p0_0``, ``p0_1`` -> ``p0``)."""
    clauses: dict[str, list[str]] = {}
    for key in params:
        if key.startswith("p") and "_" in key:
            clauses.setdefault(key.split("_", 1)[0], []).append(key)
    return clauses


def word_bound(query: Sql, names: dict[str, int]) -> int | None:
    """At most how many names a query of whole words only can give, by ``names`` (how many names
    hold each word): per clause the sum over its alternatives of their rarest word's count, the
    smallest of the clauses. None when a clause is not whole words or a word's count is unknown."""
    clauses = _clauses(query[1])
    if not clauses:
        return None
    most = None
    for keys in clauses.values():
        total = 0
        for key in keys:
            words = _whole_words(query[1][key])
            if not words or any(w not in names for w in words):
                return None
            total += min(names[w] for w in words)
        most = total if most is None else min(most, total)
    return most
