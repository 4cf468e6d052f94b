"""The store's behaviour on both backends: replace by id, people, deletes, order, transactions."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import DBAPIError

from marquee.errors import StoreError
from marquee.records import BoxOffice, CastMember, CrewMember, Film, PersonRef, Runtime
from marquee.services.search import search_titles
from marquee.storage import SqlStore, open_store, schema
from marquee.storage.film_rows import name_id
from support.films import mask


def _rows(store: SqlStore, table: schema.Table) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_missing_films_and_people_are_none(store: SqlStore) -> None:
    assert store.get_film("tt0000000") is None
    assert store.get_person("nm0000000") is None
    assert store.delete_film("tt0000000") is False


def test_saving_again_replaces_and_never_duplicates(store: SqlStore) -> None:
    store.save_film(mask())
    credits, people = _rows(store, schema.credits), _rows(store, schema.people)
    changed = mask().model_copy(update={"title": "Mask (1985)", "genres": ["Drama"], "trivia": []})
    store.save_film(changed)
    assert store.count_films() == 1
    assert _rows(store, schema.credits) == credits
    assert _rows(store, schema.people) == people
    stored = store.get_film("tt0089560")
    assert stored is not None
    assert (stored.title, stored.genres, stored.trivia) == ("Mask (1985)", ["Drama"], [])


def test_a_replaced_film_keeps_its_internal_id(store: SqlStore) -> None:
    def internal_id() -> int:
        with store.reading() as conn:
            return int(conn.execute(select(schema.titles.c.title_key)).scalar_one())

    store.save_film(mask())
    before = internal_id()
    store.save_film(mask())
    assert internal_id() == before


def test_people_are_shared_between_films_and_list_their_credits(store: SqlStore) -> None:
    store.save_film(mask())
    store.save_film(
        Film(
            id="tt0088011",
            title="Alpha",
            year=1985,
            cast=[CastMember(name="Cher", character="Loretta", id="nm0000128")],
        )
    )
    store.save_film(Film(id="tt0093565", title="Moonstruck", year=1987, directors=[PersonRef(name="Cher")]))
    cher = store.get_person("nm0000128")
    assert cher is not None
    assert cher.name == "Cher"
    # The Stars line names Cher, who is also in the cast: one credit per film, year then title order.
    assert [(c.title_id, c.year, c.category, c.character) for c in cher.credits] == [
        ("tt0088011", 1985, "actor", "Loretta"),
        ("tt0089560", 1985, "actor", "Florence 'Rusty' Dennis"),
    ]
    # A director named without an id is a different person, known by the slug of the name.
    slugged = store.get_person("cher")
    assert slugged is not None
    assert [(c.title_id, c.category) for c in slugged.credits] == [("tt0093565", "director")]


def test_people_without_ids_get_the_slug_of_their_name(store: SqlStore) -> None:
    saved = store.save_film(mask())
    kelly = next(m for m in saved.cast if m.name == "Kelly Jo Minter")
    assert kelly.id == "kelly-jo-minter"
    assert kelly.credited_as == "Kelly Minter"
    person = store.get_person("kelly-jo-minter")
    assert person is not None
    assert [(c.title, c.character) for c in person.credits] == [("Mask", "Lorrie")]


def test_a_star_outside_the_cast_is_credited_as_star(store: SqlStore) -> None:
    store.save_film(
        Film(id="tt1", title="One", stars=["Nobody Else"], cast=[CastMember(name="Cher", id="nm1")])
    )
    person = store.get_person("nobody-else")
    assert person is not None
    assert [(c.title_id, c.category) for c in person.credits] == [("tt1", "star")]


def test_a_stored_person_keeps_the_first_name_given(store: SqlStore) -> None:
    store.save_film(
        Film(id="tt1", title="One", directors=[PersonRef(name="Peter Bogdanovich", id="nm0000953")])
    )
    saved = store.save_film(
        Film(id="tt2", title="Two", directors=[PersonRef(name="P. Bogdanovich", id="nm0000953")])
    )
    assert saved.directors == [PersonRef(name="Peter Bogdanovich", id="nm0000953")]


def test_crew_keeps_page_order_across_categories(store: SqlStore) -> None:
    crew = [
        CrewMember(name="B", category="producer"),
        CrewMember(name="A", category="composer", job="music"),
        CrewMember(name="C", category="producer", job="executive"),
    ]
    saved = store.save_film(Film(id="tt1", title="One", crew=crew))
    assert [(c.name, c.category, c.job) for c in saved.crew] == [
        ("B", "producer", None),
        ("A", "composer", "music"),
        ("C", "producer", "executive"),
    ]


def test_crew_in_a_listed_category_joins_that_list(store: SqlStore) -> None:
    film = Film(
        id="tt1",
        title="One",
        directors=[PersonRef(name="A")],
        crew=[CrewMember(name="B", category="director"), CrewMember(name="C", category="editor")],
    )
    saved = store.save_film(film)
    assert [d.name for d in saved.directors] == ["A", "B"]
    assert [c.name for c in saved.crew] == ["C"]


def test_resaving_keeps_imdb_cast_categories(store: SqlStore) -> None:
    store.save_film(mask())
    with store.writing() as conn:
        cher_id = conn.execute(
            select(schema.people.c.person_key).where(schema.people.c.person_id == "nm0000128")
        ).scalar()
        conn.execute(
            update(schema.credits)
            .where(schema.credits.c.person_key == cher_id, schema.credits.c.category == "actor")
            .values(category="actress")
        )
    store.save_film(mask())
    cher = store.get_person("nm0000128")
    assert cher is not None
    assert [c.category for c in cher.credits] == ["actress"]
    film = store.get_film("tt0089560")
    assert film is not None
    assert [m.name for m in film.cast] == [m.name for m in mask().cast]


def test_runtime_minutes_is_the_first_runtime_with_minutes(store: SqlStore) -> None:
    store.save_film(Film(id="tt1", title="One", runtimes=[Runtime(country="USA"), Runtime(minutes=97)]))
    with store.reading() as conn:
        assert conn.execute(select(schema.titles.c.runtime_minutes)).scalar() == 97


def test_delete_removes_the_film_and_its_parts_but_not_its_people(store: SqlStore) -> None:
    store.save_film(mask())
    people = _rows(store, schema.people)
    assert store.delete_film("tt0089560") is True
    assert store.get_film("tt0089560") is None
    assert store.count_films() == 0
    for table in (
        schema.credits,
        schema.title_genres,
        schema.quote_lines,
        schema.reviews,
        schema.imdb_ratings,
    ):
        assert _rows(store, table) == 0, table.name
    assert _rows(store, schema.people) == people
    assert store.delete_film("tt0089560") is False


def test_films_come_out_in_byte_order_of_their_ids(store: SqlStore) -> None:
    ids = ["tt10", "b", "9z", "a-1", "a1", "a", "0", "tt9", "z-z", "tt9-9"]
    store.save_films(Film(id=i, title=i) for i in ids)
    assert [f.id for f in store.iter_films()] == sorted(ids)


def test_iterating_many_films_reads_every_part(store: SqlStore) -> None:
    def film(n: int) -> Film:
        cast = [CastMember(name="Cher", id="nm0000128", character=f"Role {n}")]
        return Film(id=f"tt{n:07d}", title=f"Film {n}", genres=["Drama", str(n)], cast=cast)

    films = [film(n) for n in range(1, 1102)]  # more than two chunks of reading
    assert store.save_films(films) == len(films)
    assert store.count_films() == len(films)
    assert list(store.iter_films()) == films
    with store.reading() as conn:  # people are shared, not duplicated per film
        assert conn.execute(select(func.count()).select_from(schema.people)).scalar() == 1


def test_save_films_with_duplicate_ids_keeps_the_last(store: SqlStore) -> None:
    assert store.save_films([Film(id="tt1", title="First"), Film(id="tt1", title="Second")]) == 2
    assert store.count_films() == 1
    assert (store.get_film("tt1") or mask()).title == "Second"


def _failing(films: list[Film]) -> Iterator[Film]:
    yield from films
    raise ValueError("bad input after the films")


def test_save_films_is_one_transaction(store: SqlStore) -> None:
    store.save_film(mask())
    replaced = mask().model_copy(update={"title": "Changed"})
    with pytest.raises(ValueError, match="bad input"):
        store.save_films(_failing([replaced, Film(id="tt2", title="New")]))
    assert store.count_films() == 1
    assert store.get_film("tt0089560") == store.save_film(mask())


def test_database_errors_on_write_are_store_errors(pg_url: str) -> None:
    store = open_store(pg_url)
    try:
        with pytest.raises(StoreError, match="out of range") as caught:
            # The record refuses such a year; a store handed one unchecked (model_copy does not
            # validate) still answers with one line. PostgreSQL integers are 32-bit.
            store.save_film(Film(id="tt1", title="One").model_copy(update={"year": 2**40}))
        assert "\n" not in str(caught.value)
        assert store.count_films() == 0
    finally:
        store.close()


def test_stores_on_the_same_sqlite_file_see_each_other(sqlite_url: str) -> None:
    writer, reader = open_store(sqlite_url), open_store(sqlite_url)
    try:
        writer.save_film(mask())
        assert reader.get_film("tt0089560") == writer.get_film("tt0089560")
        with reader.reading() as conn:
            assert conn.execute(text("SELECT count(*) FROM titles")).scalar() == 1
    finally:
        writer.close()
        reader.close()


@pytest.mark.parametrize("count", [1, 600], ids=["few", "many"])
def test_saved_and_deleted_films_are_kept_in_the_search_index(store: SqlStore, count: int) -> None:
    from marquee.services.search import search_titles

    others = (Film(id=f"tt{n:07d}", title=f"Zanzibar Nights {n}") for n in range(2, count + 1))
    store.save_films([Film(id="tt0000001", title="Quixotic Marmalade"), *others])
    assert [h.id for h in search_titles(store, "Quixotic Marmalade", limit=1)] == ["tt0000001"]
    store.delete_film("tt0000001")
    assert search_titles(store, "Quixotic Marmalade", limit=1) == []


def test_names_without_latin_letters_do_not_merge_into_one_person(store: SqlStore) -> None:
    assert name_id("Amélie Poulain") == "amelie-poulain"
    assert name_id("Untitled") == "untitled"
    assert name_id("李小龍").startswith("name-")
    saved = store.save_film(
        Film(id="tt1", title="One", directors=[PersonRef(name="李小龍")], writers=[PersonRef(name="黒澤明")])
    )
    assert saved.directors[0].id != saved.writers[0].id
    person = store.get_person(saved.writers[0].id or "")
    assert person is not None
    assert person.name == "黒澤明"


def test_an_empty_star_name_names_nobody(store: SqlStore) -> None:
    saved = store.save_film(Film(id="tt1", title="One", stars=["", "Cher"]))
    assert saved.stars == ["Cher"]


def test_numbers_too_large_for_sqlite_are_store_errors(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        # Past the record's rule (MAX_INT): a store handed such an amount unchecked still refuses it.
        over = BoxOffice(kind="gross", amount=1).model_copy(update={"amount": 2**64})
        huge = Film(id="tt1", title="One").model_copy(update={"box_office": [over]})
        with pytest.raises(StoreError, match="too large"):
            store.save_film(huge)
        assert store.count_films() == 0
    finally:
        store.close()


@pytest.mark.postgres
def test_postgresql_reads_keep_their_prepared_statements_and_refuse_writes(pg_url: str) -> None:
    """A read ends with COMMIT, not ROLLBACK (psycopg forgets what it prepared at each ROLLBACK), so
    a statement read often is prepared once; it is a read-only transaction, so a write there fails
    and changes nothing; after that error the next read works."""
    store = open_store(pg_url)
    try:
        store.save_film(mask())
        for _ in range(6):  # psycopg prepares a statement at its fifth run on a connection
            assert [h.id for h in search_titles(store, "mask")] == [mask().id]
        with store.reading() as conn:
            prepared = conn.execute(text("SELECT statement FROM pg_prepared_statements")).scalars().all()
        assert any("search_words" in statement for statement in prepared), prepared
        with pytest.raises(DBAPIError, match="read-only transaction"), store.reading() as conn:
            conn.execute(text("DELETE FROM titles"))
        assert _rows(store, schema.titles) == 1
    finally:
        store.close()
