"""A dump file's keys and hashes kept on disk while an import runs, and stored from there in blocks."""

from __future__ import annotations

import random
from array import array
from contextlib import closing
from pathlib import Path

import pytest

from marquee.services import imdb_key_file
from marquee.services.imdb_key_file import KeyFile
from marquee.storage import imdb_line_hashes, open_store


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 7 keys, so a few hundred keys cross many of them."""
    monkeypatch.setattr(imdb_key_file, "BLOCK", 7)


def some_keys(count: int) -> tuple[array[int], array[int]]:
    rng = random.Random(count)
    ids = array("q", sorted(rng.sample(range(1, 10**8), count)))
    hashes = array("q", (rng.randrange(-(2**63), 2**63) for _ in range(count)))
    return ids, hashes


@pytest.mark.parametrize("count", [0, 1, 7, 500])
def test_keys_come_back_in_order_across_blocks(tmp_path: Path, small_blocks: None, count: int) -> None:
    ids, hashes = some_keys(count)
    keys = KeyFile(tmp_path)
    for ident, value in zip(ids, hashes, strict=True):
        keys.add(ident, value)
    assert keys.count == count
    assert keys.arrays() == (ids, hashes)
    assert keys.arrays() == (ids, hashes)  # read again: the same
    assert list(tmp_path.iterdir()) == []  # the files have no name: nothing to leave behind
    keys.close()


def test_stored_from_disk_a_block_at_a_time_and_read_back_whole(
    sqlite_url: str, tmp_path: Path, small_blocks: None
) -> None:
    # Only SQLite imports keep line hashes (a re-import by difference is SQLite's).
    store = open_store(sqlite_url)
    ids, hashes = some_keys(300)
    keys = KeyFile(tmp_path)
    for ident, value in zip(ids, hashes, strict=True):
        keys.add(ident, value)
    with store.writing() as conn, closing(KeyFile(tmp_path)) as none:
        imdb_line_hashes.write_file(conn, "title.akas", [123, 456], keys)
        imdb_line_hashes.write_file(conn, "title.basics", [7, 8], none)  # no keys at all
    with store.reading() as conn:
        assert imdb_line_hashes.read_hashes(conn, "title.akas") == (ids, hashes)
        assert imdb_line_hashes.read_hashes(conn, "title.basics") == (array("q"), array("q"))
        assert imdb_line_hashes.read_marks(conn) == {"title.akas": [123, 456], "title.basics": [7, 8]}
        assert imdb_line_hashes.count(conn) == 300
    keys.close()
    store.close()
