"""The library service on both backends: watchlist, diary, lists, and who may see what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from marquee.errors import InputError, NotFound
from marquee.records import Film
from marquee.services import library
from marquee.services.accounts import create_user
from marquee.storage import SqlStore


@pytest.fixture
def films(store: SqlStore) -> SqlStore:
    store.save_films(
        [
            Film(id="tt0089560", title="Mask", year=1985),
            Film(id="tt0133093", title="The Matrix", year=1999),
            Film(id="tt0110413", title="Léon", year=1994),
        ]
    )
    create_user(store, "ann", "password123")
    create_user(store, "bob", "password123")
    return store


def test_watchlist_add_twice_and_remove(films: SqlStore) -> None:
    assert library.add_to_watchlist(films, "ann", "tt0133093", note="soon")
    assert not library.add_to_watchlist(films, "ann", "tt0133093")  # already there: unchanged
    assert library.add_to_watchlist(films, "ann", "tt0089560")
    entries = library.watchlist_of(films, "ann")
    assert {(e.film_id, e.title, e.note) for e in entries} == {
        ("tt0133093", "The Matrix", "soon"),
        ("tt0089560", "Mask", None),
    }
    assert library.watchlist_of(films, "bob") == []
    assert library.remove_from_watchlist(films, "ann", "tt0133093")
    assert not library.remove_from_watchlist(films, "ann", "tt0133093")
    assert [e.film_id for e in library.watchlist_of(films, "ann")] == ["tt0089560"]
    with pytest.raises(NotFound, match="no film"):
        library.add_to_watchlist(films, "ann", "tt404")
    with pytest.raises(NotFound, match="no member"):
        library.watchlist_of(films, "carol")


def test_diary_keeps_rewatches_apart_and_newest_first(films: SqlStore) -> None:
    library.log_viewing(films, "ann", "tt0133093", dt.date(1999, 4, 1), rating=8)
    library.log_viewing(
        films, "ann", "tt0133093", dt.date(2021, 12, 24), rewatch=True, rating=9, tags=["xmas"]
    )
    library.log_viewing(
        films, "ann", "tt0133093", dt.date(2021, 12, 24), rewatch=True, rating=9, tags=["xmas"]
    )
    library.log_viewing(films, "ann", "tt0110413", dt.date(2005, 6, 1))
    entries: list[Any] = library.diary(films, "ann")
    assert [(e.film_id, e.watched_on, e.rewatch, e.rating, e.tags) for e in entries] == [
        ("tt0133093", dt.date(2021, 12, 24), True, 9, ["xmas"]),
        ("tt0110413", dt.date(2005, 6, 1), False, None, []),
        ("tt0133093", dt.date(1999, 4, 1), False, 8, []),
    ]
    assert entries[1].title == "Léon"
    with pytest.raises(InputError, match="rating"):
        library.log_viewing(films, "ann", "tt0133093", dt.date(2020, 1, 1), rating=11)


def test_lists_keep_order_and_belong_to_their_member(films: SqlStore) -> None:
    list_id = library.create_list(films, "ann", "Best of", ["tt0110413", "tt0089560", "tt0133093"], "mine")
    found = library.get_list(films, list_id, "ann")
    assert [(i.position, i.film_id) for i in found.items] == [
        (1, "tt0110413"),
        (2, "tt0089560"),
        (3, "tt0133093"),
    ]
    assert found.description == "mine" and found.slug == "best-of"
    # The same name again replaces the films, keeping the list.
    assert library.create_list(films, "ann", "Best of", ["tt0133093"]) == list_id
    assert [i.film_id for i in library.get_list(films, list_id).items] == ["tt0133093"]
    assert library.list_owner(films, list_id) == "ann"
    with pytest.raises(NotFound):
        library.get_list(films, list_id, "bob")  # not bob's
    with pytest.raises(NotFound):
        library.create_list(films, "ann", "Bad", ["tt404"])
    with pytest.raises(InputError, match="name"):
        library.create_list(films, "ann", "  ", [])
    assert [m.name for m in library.member_lists_of(films, "ann")] == ["Best of"]
    assert library.member_lists_of(films, "bob") == []
