"""The harness itself: a refused import is seen as clean, and a store that changed is caught."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from marquee.storage import open_store
from marquee.storage.fingerprint import store_fingerprint, table_fingerprints
from support.fingerprints import tables_of


def test_a_binary_page_is_refused_cleanly(refuse: Callable[..., object], tmp_path: Path) -> None:
    page = tmp_path / "folder" / "binary.html"
    page.parent.mkdir()
    page.write_bytes(b"\x00\x01\x02" * 100)
    refuse("import", "page", str(page), names=page)


def test_the_fingerprint_sees_one_changed_row(filled_db_url: str) -> None:
    store = open_store(filled_db_url)
    try:
        before = table_fingerprints(store)
        film = store.get_film("tt10070612")
        assert film is not None
        store.save_film(film.model_copy(update={"taglines": [*film.taglines, "One more"]}))
        after = table_fingerprints(store)
        assert store_fingerprint(store) != ""
    finally:
        store.close()
    changed = {name for name in before if before[name] != after.get(name)}
    assert "taglines" in changed


def test_refuse_fails_when_the_command_succeeds(refuse: Callable[..., object]) -> None:
    with pytest.raises(AssertionError):
        refuse("show", "tt10070612", names="tt10070612")


def test_the_remembered_fingerprint_is_read_again_once_the_file_changes(filled_db_url: str) -> None:
    before = tables_of(filled_db_url)
    assert tables_of(filled_db_url) == before  # the same bytes: remembered
    store = open_store(filled_db_url)
    try:
        film = store.get_film("tt10070612")
        assert film is not None
        store.save_film(film.model_copy(update={"taglines": [*film.taglines, "One more"]}))
    finally:
        store.close()
    after = tables_of(filled_db_url)
    assert after["taglines"] != before["taglines"]
