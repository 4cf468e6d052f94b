"""The pure parts of search: folding, year extraction, distances, scoring and the SQL builders."""

from __future__ import annotations

import random

import pytest

from marquee.formats.query import align, edit_distance, fold, parse_query, text_terms, trigrams
from marquee.services.search import align as fast_align
from marquee.services.search import kinds_for, word_match
from marquee.services.search_scoring import edits1, text_score, year_bonus
from marquee.storage.search_dictionary import dictionary_sql, words_from_sql
from marquee.storage.search_index import name_rows, popularity_bucket, split_rowid, title_rowid
from marquee.storage.search_lookups import known_for_sql, people_sql, titles_sql, top_credited_sql
from marquee.storage.search_queries import (
    name_candidates_sql,
    start_candidates_sql,
    text_sql,
    trigram_candidates_sql,
)
from marquee.storage.search_window import (
    create_tier_sql,
    popular_window_sql,
    tier_bound,
    tier_bound_sql,
    tier_predicate_sql,
    tier_sql,
    word_bound,
    word_list_sql,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Amélie", "amelie"),
        ("AMÉLIE", "amelie"),
        ("Le fabuleux destin d'Amélie Poulain", "le fabuleux destin d amelie poulain"),
        ("Schindler's List", "schindlers list"),
        ("Fast & Furious", "fast and furious"),
        ("The Godfather: Part II", "the godfather part 2"),
        ("Ødegård, Æon, Straße", "odegard aeon strasse"),
        ("Καρμενσίτα", "καρμενσιτα"),
        ("  ?!  ", ""),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("raw", "text", "year", "full"),
    [
        ("mask 1985", "mask", 1985, "mask 1985"),
        ("Mask (1985)", "mask", 1985, "mask 1985"),
        ("mask, 1958", "mask", 1958, "mask 1958"),
        ("1917", "1917", None, "1917"),  # a year alone is a title
        ("Death Race 2000", "death race", 2000, "death race 2000"),  # both readings kept
        ("Tokyo 1 2 3", "tokyo 1 2 3", None, "tokyo 1 2 3"),
        ("Mission 2525", "mission 2525", None, "mission 2525"),  # not a year
    ],
)
def test_parse_query_splits_off_a_trailing_year(raw: str, text: str, year: int | None, full: str) -> None:
    parsed = parse_query(raw)
    assert (parsed.text, parsed.year, parsed.full) == (text, year, full)


def test_text_terms_drop_stopwords_unless_nothing_is_left() -> None:
    assert text_terms("A ride on a Harley") == ["ride", "harley"]
    assert text_terms("To be or not to be") == ["not"]
    assert text_terms("the and") == ["the", "and"]


def test_trigrams_are_padded_and_distinct() -> None:
    assert trigrams("mask") == [" ma", "mas", "ask", "sk "]
    assert trigrams("aaaa") == [" aa", "aaa", "aa "]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("mask", "mask", 0), ("msak", "mask", 1), ("mak", "mask", 1), ("maskk", "mask", 1), ("abc", "xyz", 2)],
)
def test_edit_distance_counts_a_swap_as_one(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 1) == distance


def test_align_gives_whole_and_prefix_distances_from_chosen_starts() -> None:
    assert align("godfater", "the godfather", [0, 4], 3) == (1, 1)
    assert align("godf", "the godfather", [0, 4], 3) == (4, 0)  # whole: over the cap
    assert align("pacnio", "al pacino", [0], 2) == (3, 3)
    assert align("pacnio", "al pacino", [0, 3], 2) == (1, 1)


@pytest.mark.parametrize(
    ("query", "name", "low", "high"),
    [
        ("the godfather", "the godfather", 1.0, 1.0),
        ("godfather", "the godfather", 1.0, 1.0),  # the article may be left out
        ("the mask of zorro", "mask of zorro", 1.0, 1.0),
        ("godf", "the godfather", 0.9, 0.9),  # the start
        ("pacino", "al pacino", 0.8, 0.8),  # a later word
        ("the godfater", "the godfather", 0.9, 0.99),  # one typo in the whole
        ("the godfater", "the godfather part 2", 0.8, 0.89),  # one typo in the start
        ("xqzvwk", "the godfather", 0.0, 0.0),
    ],
)
def test_text_score(query: str, name: str, low: float, high: float) -> None:
    assert low <= text_score(query, name) <= high


def test_year_bonus_prefers_the_year_then_a_near_miss() -> None:
    assert year_bonus(1985, 1985) > year_bonus(1985, 1986) == year_bonus(1958, 1985) > 0
    assert year_bonus(1985, 1999) < 0 and year_bonus(None, 1999) == 0


def test_align_matches_the_reference_dynamic_programme() -> None:
    """services.search.align (rapidfuzz) gives what formats.query.align gives, on random strings."""
    rng = random.Random(7)
    for _ in range(20_000):
        query = "".join(rng.choice("ab c") for _ in range(rng.randint(1, 8)))
        name = "".join(rng.choice("ab c") for _ in range(rng.randint(1, 12)))
        limit = rng.randint(1, 3)
        words = [0, *(i + 1 for i, c in enumerate(name) if c == " ")]
        starts = sorted(rng.sample(words, rng.randint(1, len(words))))
        assert fast_align(query, name, starts, limit) == align(query, name, starts, limit), (query, name)
    assert fast_align("godfater", "the godfather", [0, 4], 3) == (1, 1)
    assert fast_align("pacnio", "al pacino", [0, 3], 2) == (1, 1)


def test_edits1_tries_the_letters_of_the_words_script() -> None:
    assert "сердце" in edits1("сuрдце")  # Cyrillic: a substitution from the Cyrillic letters
    assert "दिलवाले" in edits1("दिवाले")  # Devanagari: an insertion
    assert "amelie" in edits1("amelle")
    assert not any("\u4e00" <= c <= "\u9fff" for v in edits1("戦c") for c in v if c != "戦")


def test_edits1() -> None:
    variants = edits1("mask")
    assert {"msak", "mak", "maskk", "mast"} <= variants and "mask" not in variants
    assert len(edits1("ab")) == 2 + 1 + 2 * 35 + 3 * 36 - 2  # minus the two swaps/inserts equal to "ab"


def test_kinds_for() -> None:
    assert kinds_for(None) is None
    assert kinds_for("series") == ("tvSeries", "tvMiniSeries")
    assert kinds_for(["movie", "episode"]) == ("movie", "tvEpisode")
    assert kinds_for("tvShort") == ("tvShort",)


def test_word_match_leaves_the_last_word_open_when_typing() -> None:
    assert word_match([["the"], ["godf"]], last_is_prefix=True) == [[" the "], [" godf"]]
    assert word_match([["the"], ["godf"]], last_is_prefix=False) == [[" the "], [" godf "]]


def test_name_candidates_sql_per_dialect() -> None:
    clauses = [[" the "], [" godf", " gödf"]]
    sql, params = name_candidates_sql("sqlite", "title_search", clauses, None, 10)
    # SQLite: the word index finds the rowids (whole words; a word start is a prefix token), the
    # names are read from the trigram table's content by rowid.
    assert sql == (
        "SELECT s.id, s.c0, s.c1, s.c2 FROM title_search_words w CROSS JOIN title_search_content s"
        " WHERE w.title_search_words MATCH :match AND s.id = w.rowid ORDER BY w.rowid DESC LIMIT :limit"
    )
    assert params == {"limit": 10, "match": '("the") AND ("godf"* OR "gödf"*)'}
    sql, params = name_candidates_sql("sqlite", "person_search", [[" al pacino ", " al pacini "]], None, 3)
    assert " FROM person_search_words w CROSS JOIN person_search_content s" in sql
    assert params["match"] == '("al pacino" OR "al pacini")'  # runs of words: phrases
    # A word start alone: the trigram index, which walks the names in popularity order.
    sql, params = name_candidates_sql("sqlite", "title_search", [[" godf"]], None, 3)
    assert " FROM title_search s WHERE title_search MATCH :match" in sql and params["match"] == '(" godf")'

    sql, params = name_candidates_sql("postgresql", "title_search", clauses, ["movie"], 10)
    assert "(s.name LIKE :p1_0 OR s.name LIKE :p1_1)" in sql and "t.kind IN (:k0)" in sql
    assert sql.endswith("ORDER BY s.pop DESC, s.title_key DESC LIMIT :limit")
    assert (params["p0_0"], params["k0"]) == ("% the %", "movie")


def test_dictionary_and_text_sql() -> None:
    assert dictionary_sql("sqlite", ["a", "b"])[1] == {"words": '["a", "b"]'}
    assert dictionary_sql("postgresql", ["a"])[1] == {"words": ["a"]}
    sqlite_match = text_sql("sqlite", ["ride", "harley"], any_term=False, limit=5)[1]["match"]
    assert sqlite_match == '"ride" AND "harley"'
    assert text_sql("postgresql", ["ride", "harley"], any_term=True, limit=5)[1]["q"] == "ride | harley"


def test_name_candidates_sql_with_kinds_and_years_joins_titles_by_the_packed_key() -> None:
    sql, params = name_candidates_sql("sqlite", "title_search", [[" heat "]], ["movie"], 5, [1994, 1995])
    assert sql == (
        "SELECT s.id, s.c0, s.c1, s.c2 FROM title_search_words w CROSS JOIN title_search_content s"
        " JOIN titles t ON t.title_key = ((s.rowid >> 12) & 268435455)"
        " WHERE w.title_search_words MATCH :match AND s.id = w.rowid AND t.kind IN (:k0)"
        " AND t.start_year IN (:y0, :y1) ORDER BY w.rowid DESC LIMIT :limit"
    )
    assert params == {"limit": 5, "match": '("heat")', "k0": "movie", "y0": 1994, "y1": 1995}
    sql, params = name_candidates_sql("postgresql", "person_search", [[" ford "]], None, 7)
    assert sql == (
        "SELECT s.person_key, s.name, s.credits, s.votes FROM person_search s"
        " WHERE (s.name LIKE :p0_0) ORDER BY s.pop DESC, s.person_key DESC LIMIT :limit"
    )
    assert params == {"limit": 7, "p0_0": "% ford %"}


def test_start_and_trigram_candidates_sql() -> None:
    sql, params = start_candidates_sql("sqlite", "title_search", "g", None, 200)
    assert sql == (
        "SELECT s.rowid, s.name, s.display, s.source FROM title_search s"
        " WHERE s.name LIKE :start AND 1 = 1 ORDER BY s.rowid DESC LIMIT :limit"
    )
    assert params == {"limit": 200, "match": "", "start": " g%"}
    sql, params = trigram_candidates_sql("sqlite", "title_search", "heat", 200)
    assert sql == (
        "SELECT s.rowid, s.name, s.display, s.source FROM title_search s"
        " WHERE title_search MATCH :match ORDER BY s.rowid DESC LIMIT :limit"
    )
    assert params == {"match": '" he" OR "at "', "limit": 200}
    sql, params = trigram_candidates_sql("sqlite", "title_search", "the godfater", 200)
    assert params["match"] == '("the") OR ("godfater")'  # one typo leaves one half of the words as typed
    assert " FROM title_search_words w CROSS JOIN title_search_content s" in sql
    sql, params = trigram_candidates_sql("sqlite", "title_search", "godfatherr", 200)
    assert params["match"] == '" godfa" OR "therr "'  # one word: halves of its letters
    sql, params = trigram_candidates_sql("postgresql", "title_search", "godfatherr", 200)
    assert sql == (
        "SELECT s.title_key, s.name, s.display, s.source FROM title_search s"
        " WHERE s.name LIKE :h0 OR s.name LIKE :h1 ORDER BY s.pop DESC, s.title_key DESC LIMIT :limit"
    )
    assert params == {"h0": "% godfa%", "h1": "%therr %", "limit": 200}  # SQLite's halves of the letters


def test_postgresql_reads_a_window_of_the_most_popular_names_first() -> None:
    query = name_candidates_sql("postgresql", "person_search", [[" ford "]], None, 7)
    sql, params = popular_window_sql(query, 500)
    assert sql == (
        "SELECT s.person_key, s.name, s.credits, s.votes"
        " FROM (SELECT * FROM person_search ORDER BY pop DESC, person_key DESC LIMIT :window) s"
        " WHERE (s.name LIKE :p0_0) ORDER BY s.pop DESC, s.person_key DESC LIMIT :limit"
    )
    assert params == {"limit": 7, "p0_0": "% ford %", "window": 500}
    # The window's order is the query's own, so its first rows are the query's first rows.
    kinds = name_candidates_sql("postgresql", "title_search", [[" heat "]], ["movie"], 5)
    windowed = popular_window_sql(kinds)[0]
    assert "ORDER BY pop DESC, title_key DESC LIMIT :window) s JOIN titles t" in windowed
    with pytest.raises(ValueError, match="not a name index query"):
        popular_window_sql(text_sql("postgresql", ["heat"], any_term=False, limit=3))


def test_postgresql_reads_the_tier_of_the_most_popular_names_before_the_whole_index() -> None:
    query = name_candidates_sql("postgresql", "title_search", [[" the "], [" god"]], ["movie"], 40)
    sql, params = tier_sql(query, 24)
    assert params == query[1]
    assert sql == (
        "SELECT s.title_key, s.name, s.display, s.source FROM title_search s"
        " JOIN titles t ON t.title_key = s.title_key"
        " WHERE s.pop >= 24 AND ((s.name LIKE :p0_0) AND (s.name LIKE :p1_0) AND t.kind IN (:k0))"
        " ORDER BY s.pop DESC, s.title_key DESC LIMIT :limit"
    )
    # The query's own condition kept whole: the last stage's is "a OR b".
    halves = trigram_candidates_sql("postgresql", "person_search", "huner", 40)
    assert " WHERE s.pop >= 3 AND (s.name LIKE :h0 OR s.name LIKE :h1) ORDER BY " in tier_sql(halves, 3)[0]
    # The bound is a literal, the same as the index's: the planner matches a partial index by it.
    assert create_tier_sql("person_search", 31) == (
        "CREATE INDEX IF NOT EXISTS ix_person_search_name_top ON person_search"
        " USING gin (name gin_trgm_ops) WHERE pop >= 31"
    )
    assert tier_bound_sql("title_search")[0] == (
        "SELECT greatest(1, coalesce((SELECT pop FROM title_search ORDER BY pop DESC"
        " OFFSET (SELECT count(*) FROM title_search) / 32 LIMIT 1), 1))"
    )
    assert " OFFSET (SELECT count(*) FROM person_search) / 64 LIMIT 1" in tier_bound_sql("person_search")[0]
    assert tier_predicate_sql("title_search")[1] == {"index": "ix_title_search_name_top"}
    assert [tier_bound(p) for p in ("(pop >= 24)", "pop >= 7", None, "(pop > 24)", "(votes >= 3)")] == [
        24,
        7,
        None,
        None,
        None,
    ]
    with pytest.raises(ValueError, match="not a name index"):
        tier_bound_sql("titles; DROP TABLE titles")
    with pytest.raises(ValueError, match="not a name index query"):
        tier_sql(text_sql("postgresql", ["heat"], any_term=False, limit=3), 3)


def test_titles_people_and_word_range_sql() -> None:
    fields = (
        "SELECT t.title_key, t.title_id, t.primary_title, t.start_year, t.kind, r.average, r.votes"
        " FROM titles t"
        " LEFT JOIN imdb_ratings r ON r.title_key = t.title_key"
    )
    assert titles_sql("postgresql", [3, 1]) == (f"{fields} WHERE t.title_key = ANY(:ids)", {"ids": [3, 1]})
    assert titles_sql("sqlite", [3, 1]) == (
        f"{fields} WHERE t.title_key IN (SELECT value FROM json_each(:ids))",
        {"ids": "[3, 1]"},
    )
    assert people_sql([7, 9]) == (
        "SELECT person_key, person_id, name, birth_year, professions, known_for FROM people"
        " WHERE person_key IN (:p0, :p1)",
        {"p0": 7, "p1": 9},
    )
    assert known_for_sql(["tt1", "tt2"]) == (
        "SELECT title_id, primary_title FROM titles WHERE title_id IN (:c0, :c1)",
        {"c0": "tt1", "c1": "tt2"},
    )
    # Every hit's most voted credits in one statement: four a person at most, each person's in order.
    sql, params = top_credited_sql([5, 8], 4)
    assert "(PARTITION BY c.person_key ORDER BY coalesce(r.votes, 0) DESC, t.start_year, t.title_key)" in sql
    assert "WHERE person_key IN (:p0, :p1)" in sql and sql.endswith("WHERE n <= 4 ORDER BY person_key, n")
    assert params == {"p0": 5, "p1": 8}
    assert words_from_sql("sqlite", "go", "gp", 3000) == (
        "SELECT word FROM search_words WHERE word >= :low AND word < :high LIMIT :limit",
        {"low": "go", "high": "gp", "limit": 3000},
    )
    # PostgreSQL reads each word's counts of names too (which index a query reads first).
    assert words_from_sql("postgresql", "go", "gp", 3000)[0] == (
        "SELECT word, title_names, person_names FROM search_words WHERE word >= :low AND word < :high"
        " LIMIT :limit"
    )


def test_text_sql_per_dialect() -> None:
    assert text_sql("sqlite", ["ride"], any_term=True, limit=3) == (
        "SELECT rowid FROM text_search WHERE text_search MATCH :match"
        " ORDER BY bm25(text_search, 4.0, 4.0, 2.0, 1.5, 1.0, 1.5) LIMIT :limit",
        {"match": '"ride"', "limit": 3},
    )
    assert text_sql("postgresql", ["ride", "harley"], any_term=False, limit=3) == (
        "SELECT title_key FROM text_search, to_tsquery('english', :q) q WHERE doc @@ q"
        " ORDER BY ts_rank_cd(doc, q) DESC, title_key LIMIT :limit",
        {"q": "ride & harley", "limit": 3},
    )


def test_index_rows_and_rowids() -> None:
    original = "Le fabuleux destin d'Amélie Poulain"
    rows = name_rows(7, "Amélie", original, [("Amelie", False), ("Amélie", True)])
    assert [(r.n, r.name, r.source) for r in rows] == [
        (0, " amelie ", "primary"),
        (1, " le fabuleux destin d amelie poulain ", "original"),
    ]
    assert popularity_bucket(None) == popularity_bucket(0) == 0
    assert 0 < popularity_bucket(10) < popularity_bucket(10_000) < popularity_bucket(3_000_000) <= 127
    assert split_rowid(title_rowid(90, 12_345_678, 3)) == (12_345_678, 3)
    assert title_rowid(2, 1, 0) > title_rowid(1, 99_999_999, 4095)  # popularity first


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_what_a_searcher_types_is_bound_never_written_into_the_sql(dialect: str) -> None:
    # A quote typed in a query reaches the driver as a value: the SQL text is the same as for any name.
    queries = [
        name_candidates_sql(dialect, "title_search", [[" o'brien "]], ["movie"], 5),
        start_candidates_sql(dialect, "title_search", "o'b", None, 10),
        trigram_candidates_sql(dialect, "title_search", "o'brien", 10),
        text_sql(dialect, ["o'brien"], any_term=True, limit=3),
    ]
    for sql, params in queries:
        assert "o'b" not in sql and "brien" not in sql
        assert any("o'b" in str(value) for value in params.values())
    plain = name_candidates_sql(dialect, "title_search", [[" obrien "]], ["movie"], 5)[0]
    assert queries[0][0] == plain


def test_dictionary_and_word_start_sql_per_dialect() -> None:
    assert dictionary_sql("sqlite", ["a", "b"]) == (
        "SELECT word FROM search_words WHERE word IN (SELECT value FROM json_each(:words))",
        {"words": '["a", "b"]'},
    )
    assert dictionary_sql("postgresql", ["a"]) == (
        "SELECT word, title_names, person_names FROM search_words WHERE word = ANY(:words)",
        {"words": ["a"]},
    )
    assert start_candidates_sql("postgresql", "title_search", "g", ["movie"], 200) == (
        "SELECT s.title_key, s.name, s.display, s.source FROM title_search s"
        " JOIN titles t ON t.title_key = s.title_key WHERE s.name LIKE :start AND 1 = 1 AND t.kind IN (:k0)"
        " ORDER BY s.pop DESC, s.title_key DESC LIMIT :limit",
        {"limit": 200, "k0": "movie", "start": " g%"},
    )


def test_postgresql_reads_whole_words_through_the_word_list_index() -> None:
    phrase = name_candidates_sql(
        "postgresql", "title_search", [[" the godfahter ", " the godfather "]], None, 9
    )
    sql, params = word_list_sql(phrase)
    assert sql == (
        "SELECT s.title_key, s.name, s.display, s.source FROM title_search s WHERE"
        " ((string_to_array(btrim(s.name), ' ') @> :w0_0 OR string_to_array(btrim(s.name), ' ') @> :w0_1)"
        " AND ((s.name || '') LIKE :p0_0 OR (s.name || '') LIKE :p0_1))"
        " ORDER BY s.pop DESC, s.title_key DESC LIMIT :limit"
    )
    assert params == phrase[1] | {"w0_0": ["the", "godfahter"], "w0_1": ["the", "godfather"]}
    words = name_candidates_sql("postgresql", "person_search", [[" al "], [" pacino "]], None, 5)
    assert word_list_sql(words)[0] == (
        "SELECT s.person_key, s.name, s.credits, s.votes FROM person_search s WHERE"
        " ((string_to_array(btrim(s.name), ' ') @> :w0_0) AND ((s.name || '') LIKE :p0_0))"
        " AND ((string_to_array(btrim(s.name), ' ') @> :w1_0) AND ((s.name || '') LIKE :p1_0))"
        " ORDER BY s.pop DESC, s.person_key DESC LIMIT :limit"
    )
    # An unfinished word, a part of a word, the halves of the letters: the trigram index's.
    for query in (
        name_candidates_sql("postgresql", "title_search", [[" the "], [" godf"]], None, 9),
        name_candidates_sql("postgresql", "title_search", [["odfat"]], None, 9),
        trigram_candidates_sql("postgresql", "title_search", "godfatherr", 9),
        start_candidates_sql("postgresql", "title_search", "g", None, 9),
    ):
        assert word_list_sql(query) == query


def test_word_bound_is_the_rarest_clause_by_the_dictionary_counts() -> None:
    names = {"the": 90_000, "godfather": 40, "godfahter": 0, "part": 5_000, "ii": 7_000}
    # One clause of two phrases: each phrase is at most its rarest word's names; the clause, their sum.
    phrase = name_candidates_sql(
        "postgresql", "title_search", [[" the godfather ", " the godfahter "]], None, 9
    )
    assert word_bound(phrase, names) == 40
    # Words ANDed: the rarest clause bounds the query.
    words = name_candidates_sql("postgresql", "title_search", [[" part "], [" ii ", " the "]], None, 9)
    assert word_bound(words, names) == 5_000
    # A word without a count (added since the index was built), an unfinished word, the trigram
    # stages, no clause at all: no bound, so the popular window is read first.
    for query in (
        name_candidates_sql("postgresql", "title_search", [[" part "], [" iii "]], None, 9),
        name_candidates_sql("postgresql", "title_search", [[" part "], [" godf"]], None, 9),
        trigram_candidates_sql("postgresql", "title_search", "godfatherr", 9),
        start_candidates_sql("postgresql", "title_search", "g", None, 9),
    ):
        assert word_bound(query, names) is None
