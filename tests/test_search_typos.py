"""Typos the word stages must correct without the last stage (issue 20): letters of other scripts,
a two-letter word, a space moved, an unfinished word completed from the dictionary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from marquee.services import search
from marquee.services.search import search_people, search_titles, suggest_titles
from marquee.storage import SqlStore
from marquee.storage import search_queries as queries
from marquee.storage.engine import engine_of
from marquee.storage.search_dictionary import dictionary_sql
from marquee.storage.search_window import tier_bound, tier_predicate_sql, tier_sql, voted_sql, word_list_sql
from support.search_rows import Row, module_url, open_loaded

__all__ = ["module_url"]

ROWS = [
    Row("tt9000001", "Сердце ангела", 1990, rating=7.0, votes=5000),
    Row("tt9000002", "Сердце мира", 2001, rating=6.0, votes=100),
    Row("tt9000003", "Blood on the Summer Return", 1999, rating=5.0, votes=300),
    Row("tt9000004", "Night Game", 1989, rating=6.5, votes=50),
    Row("tt9000005", "The Godfather", 1972, rating=9.2, votes=2_000_000,
        people=[("nm9000001", "Marlon Brando", "actor")]),
    Row("tt9000006", "Godfrey", 1950, rating=7.5, votes=20),
    Row("tt9000007", "Night Falls", 2024),  # no vote yet: after every voted name
]  # fmt: skip


@pytest.fixture(scope="module")
def store(module_url: str) -> Iterator[SqlStore]:
    yield from open_loaded(module_url, ROWS)


@pytest.fixture
def no_last_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if the search falls to the last, trigram-sharing stage."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the last stage ran")

    monkeypatch.setattr(search, "trigram_candidates_sql", refuse)


@pytest.mark.usefixtures("no_last_stage")
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("сuрдце ангела", "Сердце ангела"),  # a Latin u typed for a Cyrillic е
        ("сердц ангела", "Сердце ангела"),
        ("blood on te summer return", "Blood on the Summer Return"),  # "te": no neighbour, left out
        ("the godfahter", "The Godfather"),
        ("godfaher", "The Godfather"),
    ],
)
def test_typos_are_corrected_by_the_word_stages(store: SqlStore, query: str, title: str) -> None:
    assert search_titles(store, query, limit=3)[0].title == title


def test_a_moved_space_is_found_by_the_halves_of_the_letters(store: SqlStore) -> None:
    assert search_titles(store, "nightg ame", limit=3)[0].title == "Night Game"


def test_unfinished_words_are_completed_from_the_dictionary(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = queries.SearchReader.candidates

    def spy(self: queries.SearchReader, query: tuple[str, dict[str, object]]) -> list[queries.Candidate]:
        seen.append(str(query[1].get("match")))
        return original(self, query)

    monkeypatch.setattr(queries.SearchReader, "candidates", spy)
    assert [h.title for h in suggest_titles(store, "the godf")][:1] == ["The Godfather"]
    assert {h.title for h in suggest_titles(store, "godf")} == {"The Godfather", "Godfrey"}
    if store.dialect == "sqlite":  # whole words of the word index, not a prefix query
        assert '("the") AND ("godfather" OR "godfrey")' in seen and '("godfather" OR "godfrey")' in seen
    assert suggest_titles(store, "the zqx") == []  # no word starts so: nothing, and no costly stage


def test_people_are_found_with_a_typo(store: SqlStore) -> None:
    assert [p.name for p in search_people(store, "marlon brandp")] == ["Marlon Brando"]


def test_a_larger_limit_reads_on_after_the_last_row(store: SqlStore) -> None:
    """The same statement again with a larger limit (a one-word query: 50 names, then 200) gives
    the rows after those it gave already, on SQLite by a rowid bound; PostgreSQL reads all again."""
    sql = queries.name_candidates_sql(store.dialect, "title_search", [[" the "]], None, 1)
    larger = (sql[0], sql[1] | {"limit": 2})  # both names holding "the"
    with queries.search_reader(store) as db:
        every = db.candidates(larger)
    with queries.search_reader(store) as db:
        first, then = db.candidates(sql), db.candidates(larger)
        again = db.candidates(larger)  # not a larger limit: read whole
    assert len(every) == 2 and first == every[:1] and again == every
    assert then == (every[1:] if store.dialect == "sqlite" else every)


def _kind(sql: str) -> str:
    """Which read of ``SearchReader._popular_first`` a statement is."""
    if ":window" in sql:
        return "window"
    if "pg_index" in sql:
        return "bound"
    if "s.pop >= 1 AND" in sql:
        return "voted"
    return "tier" if "s.pop >= " in sql else "whole"


@pytest.mark.parametrize(
    ("word", "window", "bound", "reads"),
    [
        (" the ", 100, None, ["window"]),  # both names in the window
        (" the ", 2, 0, ["window", "bound", "tier"]),  # one: both are in the tier
        # The tier holds none: the voted names' word lists hold both (every "the" film has votes).
        (" the ", 2, "above", ["window", "bound", "tier", "voted"]),
        (" the ", 2, None, ["window", "bound", "voted"]),  # no tier index: the voted names
        # None in the window: the tier would hold too few too; the voted names one, the index both.
        (" night ", 1, 0, ["window", "voted", "whole"]),
        # Every voted name in the window, one "night" of them: the tier holds none, the voted
        # names one, and Night Falls (no votes) is only in the name index.
        (" night ", "voted", "above", ["window", "bound", "tier", "voted", "whole"]),
        # A word start: the voted names through their trigram index (one), then the name index.
        (" nig", "voted", "above", ["window", "bound", "tier", "voted", "whole"]),
        # A tier from one vote (a small store) is the voted names (its read is theirs): one read.
        (" night ", "voted", 1, ["window", "bound", "voted", "whole"]),
    ],
)
def test_the_popular_window_and_the_tier_give_the_rows_of_the_whole_query(
    store: SqlStore,
    word: str,
    window: object,
    bound: object,
    reads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PostgreSQL reads the ``window`` most popular names first, then the tier (names at least
    ``bound`` popular), for whole words the voted names, and the name index only when they hold
    fewer than the limit; the rows are those of the whole query either way (SQLite: no window)."""
    query = queries.name_candidates_sql(store.dialect, "title_search", [[word]], None, 2)
    with queries.search_reader(store) as db:
        whole = db.rows(query)
        top, voted = (0, 1)
        if store.dialect == "postgresql":
            top, voted = db.rows(("SELECT max(pop), count(*) FILTER (WHERE pop > 0) FROM title_search", {}))[
                0
            ]
    if window == "voted":
        window = voted
    statements: list[str] = []
    original = queries.SearchReader._run

    def spy(self: queries.SearchReader, asked: tuple[str, dict[str, object]], **how: bool) -> object:
        statements.append(asked[0])
        return original(self, asked, **how)

    monkeypatch.setattr(queries.SearchReader, "_run", spy)
    monkeypatch.setattr(queries, "tier_bound", lambda predicate: top + 1 if bound == "above" else bound)
    with queries.search_reader(store) as db:
        db.windows["title_search"] = int(str(window))
        found = db.candidates(query)
        ran = list(statements)
        if store.dialect == "postgresql":  # the planner's settings are back for the search's next query
            settings = [db.column((f"SHOW {name}", {})) for name in ("enable_indexscan", "enable_seqscan")]
            assert settings == [["on"], ["on"]]
    assert whole and [name for _, name, *_ in found] == [row[1] for row in whole]
    if store.dialect == "postgresql":
        assert [_kind(sql) for sql in ran] == reads


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("words", "index", "others"),
    [
        (False, "ix_title_search_name_top", "ix_title_search_word_list_top"),
        (True, "ix_title_search_word_list_top", "ix_title_search_name_top"),
    ],
)
def test_the_planner_can_read_the_tier_index_for_the_tier_query(
    store: SqlStore, words: bool, index: str, others: str
) -> None:
    """``tier_sql`` gives the query the tier index's own bound, as a literal: the planner matches a
    partial index only for a query whose condition implies the index's. Whole words read the tier's
    word lists (built at the same bound), the rest its trigrams."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    query = queries.name_candidates_sql("postgresql", "title_search", [[" the "]], None, 2)
    # A connection of its own, not a search's (those are read-only): the other indexes it could read
    # instead (on so few rows, its choice) are dropped, in a transaction rolled back.
    with engine_of(store).connect() as conn:
        db = queries.SearchReader(conn)
        bound = tier_bound(db.column(tier_predicate_sql("title_search"))[0])
        db.conn.exec_driver_sql(
            f"DROP INDEX ix_title_search_pop, ix_title_search_name, ix_title_search_word_list, {others}"
        )
        db.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        sql, params = tier_sql(word_list_sql(query) if words else query, bound or 0)
        plan = "\n".join(db.column((f"EXPLAIN {sql}", params)))
        db.conn.rollback()
    assert bound is not None and f"Bitmap Index Scan on {index}" in plan


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("clauses", "found"),
    [
        ([[" the "]], 2),
        ([[" the "], [" godfather "]], 1),
        ([[" the godfather "]], 1),
        ([[" godfather the "]], 0),  # the words, not in the phrase's order
        ([[" night game ", " summer return "]], 2),
        ([[" сердце "], [" мира ", " ангела "]], 2),
    ],
)
def test_the_word_list_index_gives_the_rows_of_the_trigram_index(
    store: SqlStore, clauses: list[list[str]], found: int
) -> None:
    """Whole words read through the word-list index (``word_list_sql``) give the same rows as
    through the trigram index, and the planner reads that index for them."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    query = queries.name_candidates_sql("postgresql", "title_search", clauses, None, 10)
    listed = word_list_sql(query)
    with queries.search_reader(store) as db:
        db.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # as ``SearchReader`` reads the index
        db.conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
        plan = "\n".join(db.column((f"EXPLAIN {listed[0]}", listed[1])))
        rows = db.rows(listed)
        assert rows == db.rows(query)
    assert len(rows) == found
    assert listed != query and "Bitmap Index Scan on ix_title_search_word_list" in plan


@pytest.mark.postgres
def test_the_voted_names_are_read_through_their_own_indexes(store: SqlStore) -> None:
    """``voted_sql``: a titles' query over the names that have votes, whole words through their
    word-list index, a word start through their trigram index; the rows are the whole query's
    voted ones, in its order. The people's queries have none."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    people = queries.name_candidates_sql("postgresql", "person_search", [[" marlon "]], None, 10)
    assert voted_sql(people) is None
    for word, index in (
        (" night ", "ix_title_search_word_list_voted"),
        (" nig", "ix_title_search_name_voted"),
    ):
        query = queries.name_candidates_sql("postgresql", "title_search", [[word]], None, 10)
        voted = voted_sql(query)
        assert voted is not None
        # A connection of its own, not a search's (those are read-only): the indexes it could read
        # instead (on so few rows, its choice) are dropped, in a transaction rolled back.
        with engine_of(store).connect() as conn:
            db = queries.SearchReader(conn)
            rows, whole = db.rows(voted), db.rows(query)
            db.conn.exec_driver_sql(
                "DROP INDEX ix_title_search_pop, ix_title_search_word_list, ix_title_search_name"
            )
            db.conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # as ``SearchReader`` reads it
            db.conn.exec_driver_sql("SET LOCAL enable_indexscan = off")
            plan = "\n".join(db.column((f"EXPLAIN {voted[0]}", voted[1])))
            db.conn.rollback()
        assert f"Bitmap Index Scan on {index}" in plan, word
        assert [r[1] for r in whole] == [" night game ", " night falls "] and rows == whole[:1]


def test_an_unfinished_word_is_read_as_the_few_whole_words_it_starts(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``gam`` starts one word of the dictionary: both backends ask for the whole word (SQLite's word
    index, PostgreSQL's word-list index read it at once), not for names holding the letters."""
    asked: list[dict[str, object]] = []
    original = queries.SearchReader.candidates

    def spy(self: queries.SearchReader, query: tuple[str, dict[str, object]]) -> object:
        asked.append(query[1])
        return original(self, query)

    monkeypatch.setattr(queries.SearchReader, "candidates", spy)
    hits = suggest_titles(store, "night gam")
    assert [hit.id for hit in hits] == ["tt9000004"]
    values = [str(v) for v in asked[0].values()]
    assert any("game" in v for v in values) and not any(v.endswith(("gam%", 'gam"*')) for v in values)


def test_a_finished_word_no_name_holds_skips_the_words_as_typed(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``nigth`` is in no name (the dictionary lacks it), so no name holds the words as typed: the
    search asks for its corrections straight away, and finds the film."""
    asked: list[str] = []
    original = queries.SearchReader.candidates

    def spy(self: queries.SearchReader, query: tuple[str, dict[str, object]]) -> object:
        asked.append(" ".join(str(v) for k, v in query[1].items() if k != "limit"))
        return original(self, query)

    monkeypatch.setattr(queries.SearchReader, "candidates", spy)
    assert search_titles(store, "nigth game", limit=3)[0].title == "Night Game"
    assert asked and not any("nigth" in a for a in asked) and "night" in asked[0]


@pytest.mark.postgres
def test_the_dictionary_counts_the_names_holding_each_word(store: SqlStore) -> None:
    """PostgreSQL's dictionary counts each word's names in each name index, as the index holds them."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    with queries.search_reader(store) as db:
        counted = {
            w: (t, p) for w, t, p in db.rows(("SELECT word, title_names, person_names FROM search_words", {}))
        }
        names = {
            table: db.column((f"SELECT name FROM {table}", {})) for table in ("title_search", "person_search")
        }
    expected: dict[str, list[int]] = {}
    for i, table in enumerate(("title_search", "person_search")):
        for name in names[table]:
            for word in name.split():
                if len(word) >= 2:
                    expected.setdefault(word, [0, 0])[i] += 1
    assert counted == {w: tuple(c) for w, c in expected.items()}
    assert counted["godfather"] == (1, 0) and counted["brando"] == (0, 1)


@pytest.mark.postgres
@pytest.mark.parametrize(("rare", "reads"), [(1_000, ["whole"]), (0, ["window", "voted", "whole"])])
def test_a_query_of_rare_words_reads_the_word_list_index_first(
    store: SqlStore, rare: int, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the dictionary has given its counts, a query of whole words of which one is in fewer
    names than ``RARE_WORDS`` reads the word-list index without the popular window first; the rows
    are the whole query's either way."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only")
    query = queries.name_candidates_sql("postgresql", "title_search", [[" night "], [" game "]], None, 2)
    statements: list[str] = []
    original = queries.SearchReader._run

    def spy(self: queries.SearchReader, asked: tuple[str, dict[str, object]], **how: bool) -> object:
        statements.append(asked[0])
        return original(self, asked, **how)

    monkeypatch.setattr(queries, "RARE_WORDS", rare)
    with queries.search_reader(store) as db:
        whole = db.rows(query)
        db.words(dictionary_sql("postgresql", ["night", "game"]))
        db.windows["title_search"] = 1  # the window alone would hold too few
        monkeypatch.setattr(queries.SearchReader, "_run", spy)
        found = db.candidates(query)
    assert whole and [name for _, name, *_ in found] == [row[1] for row in whole]
    assert [_kind(sql) for sql in statements] == reads


@pytest.mark.postgres
def test_a_query_whose_rows_were_all_read_is_not_asked_again(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: within one search, a candidate query asked again with another limit is answered
    from the rows read before when those were fewer than their limit (all of them); one cut by its
    limit is asked again. The rows are the query's own either way."""
    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads on after the last row (see above)")
    asked: list[object] = []
    original = queries.SearchReader._popular_first

    def spy(self: queries.SearchReader, query: tuple[str, dict[str, object]]) -> list[object]:
        asked.append(query[1]["limit"])
        return original(self, query)

    night = queries.name_candidates_sql("postgresql", "title_search", [[" night "]], None, 50)
    the = queries.name_candidates_sql("postgresql", "title_search", [[" the "]], None, 1)
    monkeypatch.setattr(queries.SearchReader, "_popular_first", spy)
    with queries.search_reader(store) as db:
        first = db.candidates(night)
        again = db.candidates((night[0], night[1] | {"limit": 200}))
        fewer = db.candidates((night[0], night[1] | {"limit": 1}))
        cut = db.candidates(the)
        more = db.candidates((the[0], the[1] | {"limit": 200}))
        whole_night = db.rows((night[0], night[1] | {"limit": 200}))
    assert asked == [50, 1, 200]  # the second and third night reads came from the first
    assert [r[1] for r in first] == [r[1] for r in whole_night] == [" night game ", " night falls "]
    assert again == first and fewer == first[:1]
    assert [r[1] for r in cut] == [" the godfather "] and len(more) == 2 and more[:1] == cut


@pytest.mark.postgres
def test_the_window_is_read_with_the_plan_of_its_shape(pg_url: str) -> None:
    """PostgreSQL: the popular window's statement is prepared once on a connection and then run with
    its generic plan (its values never change the plan; planning it cost about what running it
    does), where it used to be planned at every search. (A store of its own: one pooled connection.)"""
    query = queries.name_candidates_sql("postgresql", "title_search", [[" night "]], None, 2)
    for store in open_loaded(pg_url, ROWS):
        for _ in range(7):  # psycopg prepares a statement at its fifth run on a connection
            with queries.search_reader(store) as db:
                assert [name for _, name, *_ in db.candidates(query)] == [" night game ", " night falls "]
        with store.reading() as conn:
            plans = conn.execute(
                text(
                    "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                    " WHERE strpos(statement, :head) > 0"
                ),
                {"head": "FROM (SELECT * FROM title_search ORDER BY pop DESC"},
            ).all()
        assert plans and all(generic >= 1 and custom == 0 for generic, custom in plans), plans
