"""An IMDb import the store's disk cannot take is refused before it writes anything (issue 20)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from marquee.errors import StoreError
from marquee.services import import_space
from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.import_space import bytes_needed, check_free_space, gigabytes
from marquee.storage import open_store
from support.cli import marquee_on
from support.dumps import table_rows

HEAD = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"


class Usage(NamedTuple):
    total: int
    used: int
    free: int


@pytest.fixture
def tiny_disk(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The disk looks almost full (1 kB free); records which folders were asked about."""
    asked: list[Path] = []

    def disk_usage(folder: Any) -> Usage:
        asked.append(Path(folder))
        return Usage(10**12, 10**12 - 1000, 1000)

    monkeypatch.setattr(import_space.shutil, "disk_usage", disk_usage)
    return asked


def test_a_gzipped_dump_needs_about_thirty_times_its_size(tmp_path: Path) -> None:
    gz = tmp_path / "title.basics.tsv.gz"
    gz.write_bytes(b"x" * 1000)
    assert bytes_needed([gz]) == 1000 * import_space.NEED_PER_GZ_BYTE
    # a store already on disk is rewritten in place: only the staging and the WAL come on top
    assert bytes_needed([gz], store_bytes=10**9) == 1000 * import_space.STAGING_PER_GZ_BYTE


def test_a_plain_tsv_counts_as_the_gzip_it_would_make(tmp_path: Path) -> None:
    tsv = HEAD / "title.principals.tsv"
    gz = tmp_path / "title.principals.tsv.gz"
    gz.write_bytes(gzip.compress(tsv.read_bytes()))
    ratio = bytes_needed([tsv]) / bytes_needed([gz])
    assert 0.5 < ratio < 2  # the same rows ask for about the same room, gzipped or not


def test_sizes_read_as_a_person_would_say_them() -> None:
    assert gigabytes(2_800_000_000) == "2.8 GB"
    assert gigabytes(312_000_000) == "312 MB"


def test_the_message_names_the_folder_and_both_sizes(tmp_path: Path, tiny_disk: list[Path]) -> None:
    with pytest.raises(StoreError) as caught:
        check_free_space(tmp_path, HEAD.iterdir())
    message = str(caught.value)
    assert str(tmp_path) in message and "needed" in message
    assert "0 MB free" in message and "--no-space-check" in message
    assert tiny_disk == [tmp_path]


def test_the_import_is_refused_before_it_writes_anything(tmp_path: Path, tiny_disk: list[Path]) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    url = f"sqlite:///{folder / 'marquee.db'}"
    store = open_store(url)
    try:
        before = table_rows(store)
        result = marquee_on(url)("import", "imdb", str(HEAD), "--quiet")
        assert result.exit_code == 3, result.output
        assert "not enough free disk" in result.output and str(folder) in result.output
        assert "Traceback" not in result.output
        assert table_rows(store) == before
        assert not [p for p in folder.iterdir() if ".imdb-stage-" in p.name]  # no staging left behind
        assert tiny_disk and tiny_disk[0] == folder
    finally:
        store.close()


def test_no_space_check_imports_anyway(tmp_path: Path, tiny_disk: list[Path]) -> None:
    url = f"sqlite:///{tmp_path / 'marquee.db'}"
    result = marquee_on(url)("import", "imdb", str(HEAD), "--quiet", "--no-space-check")
    assert result.exit_code == 0, result.output
    assert tiny_disk == []
    store = open_store(url)
    try:
        assert store.count_films() > 0
    finally:
        store.close()


def test_an_import_that_fits_goes_ahead(tmp_path: Path) -> None:
    shutil.copytree(HEAD, tmp_path / "dump")
    store = open_store(f"sqlite:///{tmp_path / 'marquee.db'}")
    try:
        import_imdb_datasets(store, tmp_path / "dump")
        assert store.count_films() > 0
    finally:
        store.close()
