"""The search index's tables on each backend, as the migrations create them (``search_index`` keeps
them filled).

The statements are frozen with the migration that runs them (0002, 0005, 0007, 0019, 0023, 0024): change one
only together with a new migration. ``INDEX_TABLES``/``DROP_DDL``: every table of the index, in the
order they are dropped.
"""

from __future__ import annotations

__all__ = [
    "DDL",
    "DDL_0005",
    "DDL_0007",
    "DDL_0019",
    "DDL_0023",
    "DDL_0024",
    "DROP_DDL",
    "INDEX_TABLES",
    "WORD_TABLES",
]

# Frozen: migration 0002 runs these. Change them only together with a new migration.
DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE VIRTUAL TABLE title_search USING fts5(name, display UNINDEXED, source UNINDEXED,"
        " tokenize='trigram')",
        # The bucket a title or person was indexed under, so its rows can be found again to be deleted.
        "CREATE TABLE title_search_keys (title_key INTEGER PRIMARY KEY, bucket INTEGER NOT NULL)",
        "CREATE VIRTUAL TABLE person_search USING fts5(name, credits UNINDEXED, votes UNINDEXED,"
        " tokenize='trigram')",
        "CREATE TABLE person_search_keys (person_key INTEGER PRIMARY KEY, bucket INTEGER NOT NULL)",
        "CREATE VIRTUAL TABLE text_search USING fts5(outline, plot, taglines, trivia, goofs, quotes,"
        " tokenize='porter unicode61 remove_diacritics 2')",
        # Every word of every indexed name: the dictionary typo corrections are looked up in.
        "CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID",
    ),
    "postgresql": (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE title_search (title_key INTEGER NOT NULL, n INTEGER NOT NULL, name TEXT NOT NULL,"
        " display TEXT NOT NULL, source TEXT NOT NULL, pop INTEGER NOT NULL, PRIMARY KEY (title_key, n))",
        "CREATE INDEX ix_title_search_name ON title_search USING gin (name gin_trgm_ops)",
        "CREATE TABLE person_search (person_key INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " credits INTEGER NOT NULL, votes BIGINT NOT NULL, pop INTEGER NOT NULL)",
        "CREATE INDEX ix_person_search_name ON person_search USING gin (name gin_trgm_ops)",
        "CREATE TABLE text_search (title_key INTEGER PRIMARY KEY, doc tsvector NOT NULL)",
        "CREATE INDEX ix_text_search_doc ON text_search USING gin (doc)",
        'CREATE TABLE search_words (word TEXT COLLATE "C" PRIMARY KEY)',  # byte order: prefix ranges
    ),
}
# Added by migration 0005. PostgreSQL: popularity order, so a short or common word start reads
# the most voted names first and stops at the LIMIT (the trigram GIN index gives every match in
# heap order; sorting tens of thousands of them cost ~15 ms at 100k titles). The rebuild writes
# the rows in this order too, so the walk reads few heap pages.
DDL_0005: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "CREATE INDEX ix_title_search_pop ON title_search (pop DESC, title_key DESC)",
        "CREATE INDEX ix_person_search_pop ON person_search (pop DESC, person_key DESC)",
    ),
}
# Added by migration 0007. PostgreSQL estimates ``name LIKE '% word%'`` from a sample of names;
# with the default 100 it took words held by 25,000 of 3.2M names for rare ones (230 rows) and
# read them all through the trigram index (160-190 ms at 1M titles instead of ~1 ms).
DDL_0007: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "ALTER TABLE title_search ALTER COLUMN name SET STATISTICS 1000",
        "ALTER TABLE person_search ALTER COLUMN name SET STATISTICS 1000",
    ),
}
# Added by migration 0019. SQLite: the names again, word by word (the ``ascii`` tokenizer splits
# folded names at their spaces exactly: fold leaves only a-z, 0-9, spaces and other scripts'
# letters, which it treats as word letters), for the whole-word and word-start stages of a search:
# a word is one posting list here where the trigram index intersects one per three letters
# (3-10x the work, more for a run of words). Contentless: the names are read from the trigram
# tables by rowid, which they share. PostgreSQL keeps pg_trgm.
DDL_0019: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE VIRTUAL TABLE title_search_words USING fts5(name, content='', tokenize='ascii')",
        "CREATE VIRTUAL TABLE person_search_words USING fts5(name, content='', tokenize='ascii')",
    ),
    "postgresql": (),
}
# Added by migration 0023. PostgreSQL: each name's words as an array, for the whole words of a
# query that its popular names cannot answer (``search_window.word_list_sql``): one posting list a
# word where the trigram index intersects one per three letters (a five-word phrase at 1M titles:
# 99 ms through the trigrams, 9.6 ms through the words). The tier indexes, also 0023's, depend on
# the names stored: ``search_rebuild_pg.create_tiers``.
DDL_0023: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "CREATE INDEX IF NOT EXISTS ix_title_search_word_list ON title_search"
        " USING gin (string_to_array(btrim(name), ' '))",
        "CREATE INDEX IF NOT EXISTS ix_person_search_word_list ON person_search"
        " USING gin (string_to_array(btrim(name), ' '))",
    ),
}
# Added by migration 0024. PostgreSQL: how many names of each index hold each dictionary word (a
# word twice in a name counts twice), filled when the index is built; a word added since has none.
# A query whose whole words include a rare one reads the word-list index before the popular window
# (``search_window.word_bound``). The counts only choose the order of the reads, never the rows.
DDL_0024: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "ALTER TABLE search_words ADD COLUMN IF NOT EXISTS title_names INTEGER,"
        " ADD COLUMN IF NOT EXISTS person_names INTEGER",
    ),
}
# Added by migration 0025. PostgreSQL: the word lists of the titles' names that have votes (``pop``
# 1 or more: a quarter of the names at 1M synthetic titles, fewer in IMDb's own dump), read before
# the whole word-list index when the window and the tier hold too few (``search_window.voted_sql``).
# A phrase of common words matches thousands of names; when enough of them have votes they are the
# query's first rows, found among a quarter of the postings and rows (BENCHMARKS.md, "PostgreSQL
# search: the voted names' words first"). People nearly all have votes: they have no such index.
DDL_0025: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "CREATE INDEX IF NOT EXISTS ix_title_search_word_list_voted ON title_search"
        " USING gin (string_to_array(btrim(name), ' ')) WHERE pop >= 1",
    ),
}
# Added by migration 0026. PostgreSQL: the trigram index of the titles' names that have votes, the
# same level as 0025's for a query with a word start or a part of a word (``episode 11…``: 14,332
# names at 1M titles, 1,135 with votes; 4-8 ms here against 40-65 ms through the whole index).
DDL_0026: dict[str, tuple[str, ...]] = {
    "sqlite": (),
    "postgresql": (
        "CREATE INDEX IF NOT EXISTS ix_title_search_name_voted ON title_search"
        " USING gin (name gin_trgm_ops) WHERE pop >= 1",
    ),
}
# Each trigram name table of SQLite and its word table.
WORD_TABLES = {"title_search": "title_search_words", "person_search": "person_search_words"}
INDEX_TABLES: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "title_search_words",
        "person_search_words",
        "search_words",
        "text_search",
        "person_search_keys",
        "person_search",
        "title_search_keys",
        "title_search",
    ),
    "postgresql": ("search_words", "text_search", "person_search", "title_search"),
}
DROP_DDL = {
    dialect: tuple(f"DROP TABLE IF EXISTS {t}" for t in tables) for dialect, tables in INDEX_TABLES.items()
}
