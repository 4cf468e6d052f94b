"""Films round-trip through the store: the reference page and any film hypothesis can make."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from marquee.records import Film
from marquee.storage import SqlStore
from support.films import films, mask, with_ids


def test_the_mask_page_round_trips(store: SqlStore) -> None:
    film = mask()
    saved = store.save_film(film)
    assert saved == with_ids(film)
    assert store.get_film("tt0089560") == saved
    assert saved.writers[0].id == "anna-hamilton-phelan"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(film=films)
def test_every_field_round_trips(store: SqlStore, film: Film) -> None:
    saved = store.save_film(film)
    assert saved == with_ids(film)
    assert store.get_film(film.id) == saved
