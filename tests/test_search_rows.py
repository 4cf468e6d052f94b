"""Rows loaded straight into the tables (tests/support/search_rows.py) are found by the index."""

from __future__ import annotations

from sqlalchemy import text

from marquee.storage import open_store
from support.search_rows import Row, load


def test_load_gives_each_title_an_id_and_indexes_it(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        ids = load(store, [Row("tt1", "Mask", 1985), Row("tt2", "Amélie", 2001, akas=["Amelie"])])
        assert ids == {"tt1": 1, "tt2": 2}
        with store.reading() as conn:
            names = conn.execute(text("SELECT name FROM title_search ORDER BY name")).scalars().all()
        assert names == [" amelie ", " mask "]
    finally:
        store.close()
