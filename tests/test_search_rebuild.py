"""The set-based index rebuilds give exactly the index that indexing each title and person gives
(``refresh_titles``/``refresh_people``, the path a saved film takes)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import insert, text

from marquee.services.search import search_people, search_text, search_titles
from marquee.storage import SqlStore, open_store, schema, search_fingerprint, search_index, search_rebuild
from marquee.storage.search_rebuild_pg import _bucket_bounds, bucket_sql

LONG_PLOT = "A ride on a Harley through the desert. " * 120  # longer than a b-tree entry may be

TITLES: list[dict[str, Any]] = [
    {"title_key": 1, "title_id": "tt0000001", "primary_title": "Amélie",
     "original_title": "Le Fabuleux Destin d'Amélie Poulain",
     "outline": "A shy waitress (Amélie) helps others.", "plot": LONG_PLOT},
    {"title_key": 2, "title_id": "tt0000002", "primary_title": "Mask", "original_title": "MASK!",
     "outline": "", "plot": None},
    {"title_key": 3, "title_id": "tt0000003", "primary_title": "!!!", "original_title": "", "outline": "...",
     "plot": "Rocky II"},
    {"title_key": 5, "title_id": "tt0000005", "primary_title": "Schindler's List", "original_title": None},
    {"title_key": 8, "title_id": "tt0000008", "primary_title": "Many Names", "original_title": None},
    {"title_key": 9, "title_id": "tt0000009", "primary_title": "Crouching Tiger",
     "original_title": "臥虎藏龍"},
]  # fmt: skip
AKAS: list[dict[str, Any]] = [
    {"title_key": 1, "ordering": 3, "title": "Amelie", "is_original": False},  # folds like the primary
    {"title_key": 1, "ordering": 1, "title": "Die fabelhafte Welt der Amélie", "is_original": False},
    {"title_key": 1, "ordering": 2, "title": "le fabuleux destin d amelie poulain", "is_original": True},
    {"title_key": 2, "ordering": 1, "title": "Máscara", "is_original": False},
    {"title_key": 2, "ordering": 2, "title": "???", "is_original": False},
    {"title_key": 3, "ordering": 1, "title": "Rocky 2", "is_original": True},
    {"title_key": 9, "ordering": 1, "title": "Wo hu cang long", "is_original": False},
    {"title_key": 9, "ordering": 2, "title": "臥虎藏龍", "is_original": True},
    {"title_key": 7, "ordering": 1, "title": "Of a title that is gone", "is_original": False},
    # More distinct names than a title may keep (MAX_NAMES): the last ones are left out.
    *({"title_key": 8, "ordering": 10 + i, "title": f"Name {i}", "is_original": False}
      for i in range(search_index.MAX_NAMES + 5)),
]  # fmt: skip
# Votes on both sides of a popularity bucket's bound, none, and no rating at all (title 9).
RATINGS = [(1, 1000), (2, 1), (3, None), (5, 0), (8, 2**20 - 1)]
PEOPLE = [(1, "nm1", "Audrey Tautou"), (2, "nm2", "Chér"), (3, "nm3", "???"), (4, "nm4", "Nobody Credited")]
CREDITS = [  # (title, category, ordering, person): twice in one title, and in a title that is gone
    (1, "actress", 1, 1),
    (1, "producer", 2, 1),
    (2, "actress", 1, 2),
    (3, "actor", 1, 2),
    (9, "actor", 1, 3),
    (7, "actor", 1, 2),
]


def fill(conn: Any) -> None:
    """Rows straight into the tables, as a bulk import leaves them (the index not yet built)."""
    tables = schema.metadata.tables
    conn.execute(insert(tables["titles"]), [{"outline": None, "plot": None} | t for t in TITLES])
    conn.execute(insert(tables["alternate_titles"]), AKAS)
    conn.execute(
        insert(tables["imdb_ratings"]), [{"title_key": t, "average": 7.0, "votes": v} for t, v in RATINGS]
    )
    conn.execute(
        insert(tables["people"]), [{"person_key": i, "person_id": n, "name": m} for i, n, m in PEOPLE]
    )
    conn.execute(
        insert(tables["credits"]),
        [{"title_key": t, "category": c, "ordering": o, "person_key": p} for t, c, o, p in CREDITS],
    )
    for part, texts in (("taglines", ["Second", "First—bold!"]), ("trivia", ["Fact", ""])):
        conn.execute(
            insert(tables[part]),
            [{"title_key": 1, "ordering": 2 - i, "text": x} for i, x in enumerate(texts)],
        )
    conn.execute(insert(tables["goofs"]), [{"title_key": 2, "ordering": 1, "text": "Boom mic visible"}])
    conn.execute(
        insert(tables["quote_lines"]),
        [
            {"title_key": 2, "quote_no": 2, "line_no": 1, "character": None, "text": "Later quote"},
            {"title_key": 2, "quote_no": 1, "line_no": 2, "character": "Rusty", "text": "Second line"},
            {"title_key": 2, "quote_no": 1, "line_no": 1, "character": "Rocky Dennis", "text": "A ride"},
            {"title_key": 5, "quote_no": 1, "line_no": 1, "character": "???", "text": "!!!"},
        ],
    )


@pytest.fixture
def filled(store: SqlStore) -> SqlStore:
    with store.writing() as conn:
        fill(conn)
    return store


def test_set_based_rebuild_equals_indexing_each_title(filled: SqlStore) -> None:
    with filled.writing() as conn:
        titles = conn.execute(text("SELECT title_key FROM titles")).scalars().all()
        people = conn.execute(text("SELECT person_key FROM people")).scalars().all()
        search_index.refresh_titles(conn, titles)
        search_index.refresh_people(conn, people)  # people of no title too
        one_by_one = search_fingerprint.fingerprint(conn)
        search_index.rebuild(conn)
        set_based = search_fingerprint.fingerprint(conn)
    assert set_based == one_by_one
    # The data reach every table and the cap: a fingerprint of empty tables would prove nothing.
    with filled.reading() as conn:
        names = conn.execute(text("SELECT count(*) FROM title_search")).scalar_one()
        people = conn.execute(text("SELECT count(*) FROM person_search")).scalar_one()
        docs = conn.execute(text("SELECT count(*) FROM text_search")).scalar_one()
    # Names: 3 + 2 + 1 + 1 + 3, and MAX_NAMES of title 8; all four people; texts of titles 1, 2 and 3
    # (title 5's only quote folds to nothing).
    assert (names, people, docs) == (10 + search_index.MAX_NAMES, 4, 3)


def test_a_renamed_title_leaves_no_word_of_its_old_name(filled: SqlStore) -> None:
    """SQLite's word tables are contentless: a row goes by giving FTS5 its old words, read from the
    trigram table before that row is deleted. Indexed, renamed and indexed again = rebuilt."""
    with filled.writing() as conn:
        titles = conn.execute(text("SELECT title_key FROM titles")).scalars().all()
        search_index.refresh_titles(conn, titles)
        conn.execute(
            text("UPDATE titles SET primary_title = 'Zanzibar Nights' WHERE title_key = :i"), {"i": titles[0]}
        )
        conn.execute(text("DELETE FROM alternate_titles WHERE title_key = :i"), {"i": titles[1]})
        search_index.refresh_titles(conn, titles[:2])
        again = search_fingerprint.fingerprint(conn)
        search_index.rebuild(conn)
        rebuilt = search_fingerprint.fingerprint(conn)
        if conn.dialect.name == "sqlite":
            found = conn.execute(
                text("SELECT count(*) FROM title_search_words WHERE title_search_words MATCH 'zanzibar'")
            ).scalar_one()
            assert found == 1 and again["title_search_words"][0] > 10
    # The dictionary keeps words once seen, and people of no title are indexed by refresh_people.
    tables = [t for t in again if t.startswith("title_search")]
    assert tables and {t: again[t] for t in tables} == {t: rebuilt[t] for t in tables}


def test_the_rebuilt_index_finds_what_it_should(filled: SqlStore) -> None:
    with filled.writing() as conn:
        search_index.rebuild(conn)
    assert [(h.id, h.matched) for h in search_titles(filled, "fabelhafte welt")] == [
        ("tt0000001", "Die fabelhafte Welt der Amélie")
    ]
    assert [h.id for h in search_titles(filled, "rocky 2")] == ["tt0000003"]
    assert [h.id for h in search_titles(filled, "臥虎藏龍")] == ["tt0000009"]
    assert [h.id for h in search_text(filled, "boom mic")] == ["tt0000002"]
    assert [h.id for h in search_text(filled, "bold")] == ["tt0000001"]
    assert [p.id for p in search_people(filled, "cher")] == ["nm2"]


def test_rebuilding_twice_gives_the_same_index(filled: SqlStore) -> None:
    with filled.writing() as conn:
        search_index.rebuild(conn)
        first = search_fingerprint.fingerprint(conn)
    with filled.writing() as conn:
        search_index.rebuild(conn)
        assert search_fingerprint.fingerprint(conn) == first


@pytest.mark.postgres
def test_sql_buckets_equal_python_buckets(pg_url: str) -> None:
    """The SQL popularity bucket is the Python one at, below and above every bucket's bound."""
    bounds = _bucket_bounds()
    assert len(bounds) == 127 and list(bounds) == sorted(bounds)
    probe = sorted({0, 1, 2, 3, *range(0, 1 << 31, 7_654_321), *(b + d for b in bounds for d in (-1, 0, 1))})
    store = open_store(pg_url)
    try:
        with store.reading() as conn:
            sql = f"SELECT v, {bucket_sql('v')} FROM unnest(CAST(:votes AS bigint[])) v ORDER BY v"
            got = [tuple(row) for row in conn.execute(text(sql), {"votes": probe})]
    finally:
        store.close()
    assert got == [(v, search_index.popularity_bucket(v)) for v in probe]


@pytest.mark.postgres
def test_the_rebuilt_tables_keep_their_later_migrations(pg_url: str) -> None:
    """The rebuild drops and creates the index tables: every index the migrations made (the
    popularity, tier and word-list indexes) and the samples stay."""
    named = text("SELECT indexname FROM pg_indexes WHERE tablename LIKE '%_search'")
    store = open_store(pg_url)
    try:
        with store.reading() as conn:
            migrated = set(conn.execute(named).scalars())
        with store.writing() as conn:
            fill(conn)
            search_index.rebuild(conn)
        with store.reading() as conn:
            indexes = set(conn.execute(named).scalars())
            samples = dict(
                conn.execute(
                    text(
                        "SELECT c.relname, a.attstattarget FROM pg_attribute a"
                        " JOIN pg_class c ON c.oid = a.attrelid"
                        " WHERE c.relname IN ('title_search', 'person_search') AND a.attname = 'name'"
                    )
                ).all()
            )
    finally:
        store.close()
    assert {"ix_title_search_pop", "ix_person_search_pop", "ix_title_search_name"} <= indexes
    assert (
        indexes == migrated and {"ix_title_search_word_list_voted", "ix_title_search_name_voted"} <= indexes
    )
    assert samples == {"title_search": 1000, "person_search": 1000}


def test_a_rebuild_merges_once_at_the_end_and_leaves_merging_on(sqlite_url: str) -> None:
    # The rebuild turns FTS5's automerge off while rows go in; afterwards the default is back,
    # and each index is one merged segment structure that later saves keep merging.
    store = open_store(sqlite_url)
    try:
        with store.writing() as conn:
            fill(conn)
            search_index.rebuild(conn)
        with store.reading() as conn:
            for table in ("title_search", "person_search", "text_search"):
                level = conn.execute(text(f"SELECT v FROM {table}_config WHERE k = 'automerge'")).scalar()
                assert level == search_rebuild.AUTOMERGE_DEFAULT, table
    finally:
        store.close()


def test_the_build_with_parts_beside_equals_the_rebuild_in_one(filled: SqlStore) -> None:
    """PostgreSQL's import and ``reindex`` build the people's index and the browse index on
    connections of their own (``search_aside_pg``): the same rows as one connection's rebuild, two
    people sharing a name included (each name is folded once)."""
    if filled.dialect != "postgresql":
        pytest.skip("PostgreSQL only: SQLite builds in one connection")
    from marquee.storage import imdb_load

    with filled.writing() as conn:
        conn.execute(text("UPDATE people SET name = (SELECT min(name) FROM people)"))  # one name for all
        search_index.rebuild(conn)
        in_one = search_fingerprint.fingerprint(conn)
        browse = conn.execute(text("SELECT * FROM title_browse ORDER BY 1, 2, 3, 4")).all()
    imdb_load.reindex_postgresql(filled)
    with filled.reading() as conn:
        assert search_fingerprint.fingerprint(conn) == in_one
        assert conn.execute(text("SELECT * FROM title_browse ORDER BY 1, 2, 3, 4")).all() == browse
        assert conn.execute(text("SELECT count(DISTINCT name) FROM person_search")).scalar_one() == 1
    assert in_one["person_search"][0] == 4
