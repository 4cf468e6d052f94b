"""The harness itself: a refused import is seen as clean, and a store that changed is caught."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from marquee.storage import open_store
from marquee.storage.fingerprint import store_fingerprint, table_fingerprints


def test_a_binary_page_is_refused_cleanly(refuse: Callable[..., object], tmp_path: Path) -> None:
    page = tmp_path / "folder" / "binary.html"
    page.parent.mkdir()
    page.write_bytes(b"\x00\x01\x02" * 100)
    refuse("import", "page", str(page), names=page)


def test_the_fingerprint_sees_one_changed_row(filled_db_url: str) -> None:
    store = open_store(filled_db_url)
    try:
        before = table_fingerprints(store.engine)
        film = store.get_film("tt10070612")
        assert film is not None
        store.save_film(film.model_copy(update={"taglines": [*film.taglines, "One more"]}))
        after = table_fingerprints(store.engine)
        assert store_fingerprint(store.engine) != ""
    finally:
        store.close()
    changed = {name for name in before if before[name] != after.get(name)}
    assert "taglines" in changed


def test_refuse_fails_when_the_command_succeeds(refuse: Callable[..., object]) -> None:
    with pytest.raises(AssertionError):
        refuse("show", "tt10070612", names="tt10070612")
