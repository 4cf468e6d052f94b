"""The index follows the store: a saved film is findable at once, a replaced or deleted one is not stale."""

from __future__ import annotations

import pytest

from marquee.records import AlternateTitle, CastMember, Film, Quote, QuoteLine, Rating
from marquee.services.search import search_people, search_text, search_titles
from marquee.storage import SqlStore
from marquee.storage.revisions import save_person_on

MASK = Film(
    id="tt0089560",
    title="Mask",
    year=1985,
    rating=Rating(value=7.0, votes=12168),
    alternate_titles=[AlternateTitle(title="Máscara", region="ES")],
    quotes=[Quote(lines=[QuoteLine(character="Rocky Dennis", text="Things are good: a ride on a harley")])],
    cast=[CastMember(name="Cher", character="Florence 'Rusty' Dennis", id="nm0000128")],
)


def test_a_saved_film_is_findable_at_once(store: SqlStore) -> None:
    store.save_film(MASK)
    assert [(h.id, h.matched) for h in search_titles(store, "mascara")] == [("tt0089560", "Máscara")]
    assert [h.id for h in search_text(store, "a ride on a harley")] == ["tt0089560"]
    assert [(p.id, p.known_for_titles) for p in search_people(store, "cher")] == [("nm0000128", ["Mask"])]


def test_each_person_hit_gets_their_own_known_for_in_one_search(store: SqlStore) -> None:
    """Every hit's known-for titles are read together (two statements for all the hits), yet each
    person gets their own: name.basics' list where it names stored titles, else their most voted
    credits, four at most, the most voted first."""

    def film(n: int, votes: int, *cast: str) -> Film:
        return Film(
            id=f"tt00000{n:02d}",
            title=f"Picture {n}",
            year=1990 + n,
            rating=Rating(value=6.0, votes=votes),
            cast=[CastMember(name=name, id=pid) for pid, name in (c.split(":") for c in cast)],
        )

    ann, anna, annie = "nm0000001:Ann Lee", "nm0000002:Anna Lee", "nm0000003:Annie Lee"
    store.save_films(
        [
            film(1, 10, ann, anna),
            film(2, 500, ann),
            film(3, 90, ann, annie),
            film(4, 7000, ann),
            film(5, 30, ann),
            film(6, 40, anna),
        ]
    )
    with store.writing() as conn:
        save_person_on(conn, "nm0000003", {"known_for": "tt0000005,tt9999999"})  # one title not stored
        save_person_on(conn, "nm0000002", {"known_for": "tt9999998"})  # none stored: the credits then
    known = {p.id: p.known_for_titles for p in search_people(store, "lee", limit=10)}
    assert known == {
        "nm0000001": ["Picture 4", "Picture 2", "Picture 3", "Picture 5"],
        "nm0000002": ["Picture 6", "Picture 1"],
        "nm0000003": ["Picture 5"],
    }


def test_saving_again_replaces_what_is_indexed(store: SqlStore) -> None:
    store.save_film(MASK)
    store.save_film(MASK.model_copy(update={"alternate_titles": [], "quotes": []}))
    assert search_titles(store, "mascara") == []
    assert search_text(store, "harley") == []
    assert [h.id for h in search_titles(store, "mask")] == ["tt0089560"]


def test_a_deleted_film_is_gone_from_search(store: SqlStore) -> None:
    store.save_film(MASK)
    assert store.delete_film("tt0089560")
    assert search_titles(store, "mask") == []
    assert search_text(store, "harley") == []


def test_the_dictionary_counts_follow_saves_renames_and_deletes(store: SqlStore) -> None:
    """PostgreSQL's dictionary counts change with each name written and removed, so they are what a
    rebuild would count; a word stays once no name holds it (at 0). SQLite's dictionary has no counts."""
    from marquee.storage.search_index import rebuild

    def counts() -> dict[str, tuple[int, int]]:
        with store.reading() as conn:
            rows = conn.exec_driver_sql("SELECT word, title_names, person_names FROM search_words").all()
        return {w: (t, p) for w, t, p in rows if t or p}

    if store.dialect != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's dictionary has no counts")
    store.save_film(MASK)
    store.save_film(MASK.model_copy(update={"id": "tt0000002", "title": "Mask of Zorro", "cast": []}))
    assert counts()["mask"] == (2, 0) and counts()["mascara"] == (2, 0) and counts()["cher"] == (0, 1)
    store.save_film(MASK.model_copy(update={"title": "The Mask"}))  # renamed: "mask" is still in two
    store.save_film(MASK.model_copy(update={"title": "The Mask"}))  # saved as it was: nothing changes
    assert store.delete_film("tt0000002")
    kept = counts()
    with store.writing() as conn:
        rebuild(conn)
    assert kept == counts() and kept["mask"] == (1, 0) and kept["the"] == (1, 0) and "zorro" not in kept
