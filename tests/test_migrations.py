"""Migrations: the database Alembic builds is the one ``schema.py`` describes, on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from marquee.storage import open_store, schema
from marquee.storage.engine import make_engine
from marquee.storage.migrate import SCRIPT_LOCATION, head_revision, upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def blank_url(request: pytest.FixtureRequest) -> str:
    """An empty database that has never been migrated, on each backend."""
    url: str = request.getfixturevalue("blank_sqlite_url" if request.param == "sqlite" else "blank_pg_url")
    return url


@pytest.fixture
def engine(blank_url: str) -> Iterator[Any]:
    engine = make_engine(blank_url)
    yield engine
    engine.dispose()


# Made by raw DDL in their migration (0008), like the search index: the models only name their columns.
RAW_DDL_TABLES = {"title_browse", "title_browse_counts"}


def _differences(engine: Any, only_known: bool) -> list[Any]:
    """What autogenerate would change to make the database match ``schema.metadata`` (every table
    of ``storage/``: one MetaData, ``storage.tables.metadata``)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        if type_ == "table" and name in RAW_DDL_TABLES:
            return False
        # Tables without a model (the search index, made by raw DDL) are left out when only_known.
        return not (only_known and reflected and compare_to is None) and name != "alembic_version"

    _import_every_table()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include, "compare_type": True})
        return list(compare_metadata(context, schema.metadata))


def _import_every_table() -> None:
    """Import every module of ``storage/``, so each table is on the one MetaData (a table registers
    when its module is imported: run alone, this test would see only the ones imported so far)."""
    import importlib
    import pkgutil

    import marquee.storage

    for module in pkgutil.iter_modules(marquee.storage.__path__, "marquee.storage."):
        if not module.name.endswith(".migrations"):
            importlib.import_module(module.name)


def test_the_migrations_build_exactly_the_schema(engine: Any) -> None:
    upgrade(engine)
    assert _differences(engine, only_known=True) == []


_FILM_DETAILS = ("title_countries", "title_languages", "external_scores", "awards", "external_ids")


def test_revision_0001_builds_the_base_schema_of_its_day(engine: Any) -> None:
    # What changed since (0006: the IMDb marker tables, the credits index by person and title;
    # 0008: the indexes browse read before its own index; 0011: the film details tables; 0012: revisions
    # and sources; 0014: people.biography, a column added to a table of 0001's; 0020: the episodes' series
    # index by season too; 0022: the keys renamed).
    upgrade(engine, "0001")
    films = {t.name for t in schema.FILM_TABLES}  # the later migrations' own tables are theirs to check
    changes = {
        (d[0], getattr(d[1], "name", None))
        for d in _differences(engine, only_known=False)
        if _table_name(d) in films
    }
    assert changes == {
        ("add_table", "imdb_dataset_titles"),
        ("add_table", "imdb_dataset_people"),
        ("remove_index", "ix_credits_person"),
        ("add_index", "ix_credits_person"),
        ("remove_index", "ix_titles_start_year"),
        ("remove_index", "ix_titles_kind"),
        ("remove_index", "ix_title_genres_genre"),
        ("remove_index", "ix_imdb_ratings_votes"),
        *(("add_table", name) for name in _FILM_DETAILS),
        ("add_table", "revisions"),
        ("add_table", "title_sources"),
        ("add_index", "ix_revisions_title"),
        ("remove_index", "ix_episodes_series"),
        ("add_index", "ix_episodes_series"),
        ("add_column", None),  # people.biography (compare_metadata names no object for a column)
        # 0022: the keys and ids renamed (titles.id -> title_key, tconst -> title_id…): seen as
        # columns removed and added, and the indexes on them made again.
        ("remove_column", None),
        ("add_constraint", None),  # the unique ids: titles.title_id, people.person_id (unnamed)
        ("remove_index", "ix_reviews_title"),
        ("add_index", "ix_reviews_title"),
        # PostgreSQL names them: those of 0001's day, named after the old columns.
        *(
            (("remove_constraint", "titles_tconst_key"), ("remove_constraint", "people_nconst_key"))
            if engine.dialect.name == "postgresql"
            else ()
        ),
    }


def _table_name(diff: Any) -> str:
    """The table an autogenerate difference is about (a table, an index, or a column's table)."""
    obj = diff[1]
    if hasattr(obj, "table") and obj.table is not None:  # an index
        return str(obj.table.name)
    return str(obj.name) if obj is not None else str(diff[2])  # a table; a column: (op, schema, table, …)


def test_a_difference_would_be_found(engine: Any) -> None:
    # Guards the two tests above: a missing table must show up as a difference.
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE trivia"))
    assert _differences(engine, only_known=False) != []


def test_alembic_sees_one_chain_from_0001_to_the_head() -> None:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [head_revision()]
    chain = [s.revision for s in scripts.walk_revisions("base", "heads")]
    assert chain[-1] == "0001"
    assert sorted(chain) == [f"{n:04d}" for n in range(1, len(chain) + 1)]


def test_opening_twice_migrates_once_and_records_the_head(blank_url: str) -> None:
    open_store(blank_url).close()
    store = open_store(blank_url)
    with store.reading() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    store.close()
    assert versions == [head_revision()]


def test_an_old_database_is_upgraded_on_open(engine: Any, blank_url: str) -> None:
    upgrade(engine, "0001")
    store = open_store(blank_url)
    with store.reading() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    store.close()


def test_0008_fills_the_browse_index_of_a_store_that_has_films(engine: Any, blank_url: str) -> None:
    from marquee.services.browse import BrowseFilters, browse
    from support.search_rows import Row, load

    upgrade(engine)
    rows = [
        Row("tt0089560", "Mask", 1985, genres=["Drama"], rating=7.2, votes=60000),
        Row("tt1", "Other", 1999),
    ]
    load(engine, rows, rebuild=False)  # the loader writes today's tables: written at the head, then
    _downgrade(engine, "0007")  # taken back to a store of 0007's day with films and no browse index
    store = open_store(blank_url)  # upgraded on open
    try:
        page = browse(store, BrowseFilters(genre="drama", decade=1980))
        assert [h.id for h in page.items] == ["tt0089560"] and page.total == 1
        assert browse(store, BrowseFilters()).total == 2
    finally:
        store.close()


def _downgrade(engine: Any, revision: str) -> None:
    from alembic import command

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _columns(engine: Any, table: str) -> set[str]:
    with engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def test_0022_renames_the_keys_in_place_and_back(engine: Any, blank_url: str) -> None:
    from marquee.services.browse import BrowseFilters, browse
    from marquee.services.search import search_titles
    from support.search_rows import Row, load

    upgrade(engine)
    load(engine, [Row("tt0089560", "Mask", 1985, genres=["Drama"], rating=7.2, votes=60000)])
    _downgrade(engine, "0021")
    assert {"id", "tconst"} <= _columns(engine, "titles") and "title_key" not in _columns(engine, "titles")
    assert {"title_id", "person_id"} <= _columns(engine, "credits")
    assert "title_id" in _columns(engine, "title_browse") and "tconst" in _columns(engine, "member_ratings")
    with engine.begin() as conn:  # a member's rating and an import's undo log of 0021's day
        now = "2026-01-01 00:00:00+00:00"
        conn.execute(
            text(
                "INSERT INTO users (id, name, name_key, password_hash, role, disabled, created_at)"
                " VALUES (1, 'ada', 'ada', 'x', 'member', false, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO member_ratings (user_id, tconst, score, created_at, updated_at)"
                " VALUES (1, :f, 8, :now, :now)"
            ),
            {"f": "tt0089560", "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO imports (id, user_id, kind, source, created_at) VALUES (1, 1, 'csv', 'x', :now)"
            ),
            {"now": now},
        )
        key = '{"user_id": 1, "tconst": "tt0089560"}'
        conn.execute(
            text(
                "INSERT INTO import_changes (import_id, table_name, row_key) VALUES (1, 'member_ratings', :k)"
            ),
            {"k": key},
        )
    store = open_store(blank_url)  # upgraded on open: renamed, the indexes kept as they were
    try:
        assert "title_key" in _columns(engine, "titles") and "id" not in _columns(engine, "titles")
        assert {"title_key", "person_key"} <= _columns(engine, "credits")
        assert "title_id" in _columns(engine, "titles") and "person_id" in _columns(engine, "people")
        assert [h.id for h in browse(store, BrowseFilters(genre="drama")).items] == ["tt0089560"]
        assert [h.id for h in search_titles(store, "mask")] == ["tt0089560"]
        with store.reading() as conn:
            assert conn.execute(text("SELECT title_id, score FROM member_ratings")).all() == [
                ("tt0089560", 8)
            ]
            key = conn.execute(text("SELECT row_key FROM import_changes")).scalar_one()
        assert json.loads(key) == {"user_id": 1, "title_id": "tt0089560"}  # the undo finds the row again
    finally:
        store.close()


def test_the_migrated_ids_are_strings_and_the_keys_integers(engine: Any) -> None:
    """Every table of the migrated database, the raw DDL ones too (search, browse): a ``*_id`` column
    naming a film or a person holds text, a ``*_key`` column an integer (issue 16: one vocabulary)."""
    from sqlalchemy import Integer, String

    upgrade(engine)
    ids, keys, checked = {"title_id", "person_id", "series_id", "similar_id"}, {"title_key", "person_key"}, 0
    with engine.connect() as conn:
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                where = f"{table}.{column['name']}"
                assert column["name"] not in {"tconst", "nconst", "series_tconst", "similar_tconst"}, where
                if column["name"] in ids:
                    assert isinstance(column["type"], String), f"{where} is {column['type']}"
                    checked += 1
                if column["name"] in keys:
                    assert isinstance(column["type"], Integer), f"{where} is {column['type']}"
                    checked += 1
    assert checked >= 40  # the film parts, the members' tables and the indexes were all looked at


@pytest.mark.postgres
def test_0024_counts_the_names_of_each_dictionary_word(engine: Any, blank_url: str) -> None:
    """PostgreSQL: a store of 0023's day gets each dictionary word's counts of names (what a rebuild
    writes); the migration back drops them. SQLite's dictionary has no counts."""
    from support.search_rows import Row, load

    if not blank_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    upgrade(engine)
    load(engine, [Row("tt0089560", "Mask", 1985, votes=60000, people=[("nm1", "Cher Mask", "actress")])])
    counts = "SELECT word, title_names, person_names FROM search_words ORDER BY word"
    with engine.connect() as conn:
        rebuilt = conn.execute(text(counts)).all()
    _downgrade(engine, "0023")
    assert not {"title_names", "person_names"} & _columns(engine, "search_words")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text(counts)).all() == rebuilt
    assert ("mask", 1, 1) in rebuilt and ("cher", 0, 1) in rebuilt


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("revision", "index"),
    [("0025", "ix_title_search_word_list_voted"), ("0026", "ix_title_search_name_voted")],
)
def test_0025_to_0027_index_the_voted_names_and_the_tier_words(
    engine: Any, blank_url: str, revision: str, index: str
) -> None:
    """PostgreSQL: 0025 adds the partial word-list index of the titles' voted names, 0026 their
    partial trigram index, 0027 the tier's word lists; back before each, it is gone."""
    if not blank_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    definition = f"SELECT indexdef FROM pg_indexes WHERE indexname = '{index}'"
    upgrade(engine)
    with engine.connect() as conn:
        assert "WHERE (pop >= " in conn.execute(text(definition)).scalar_one()
    _downgrade(engine, f"{int(revision) - 1:04d}")
    with engine.connect() as conn:
        assert conn.execute(text(definition)).first() is None
