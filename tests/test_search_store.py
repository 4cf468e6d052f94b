"""The index follows the store: a saved film is findable at once, a replaced or deleted one is not stale."""

from __future__ import annotations

import pytest

from marquee.records import AlternateTitle, CastMember, Film, Quote, QuoteLine, Rating
from marquee.services.search import search_people, search_text, search_titles
from marquee.storage import SqlStore

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
