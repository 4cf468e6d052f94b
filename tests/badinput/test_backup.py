"""Bad targets for ``marquee backup`` and bad files for ``marquee restore``: one line, the store unchanged."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from marquee.storage.backup import backup_store

Refuse = Callable[..., object]


def _no_leftovers(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_folder_is_refused(refuse: Refuse, tmp_path: Path) -> None:
    refuse("backup", str(tmp_path), names=tmp_path)
    refuse("backup", str(tmp_path), "--force", names=tmp_path)


def test_an_existing_file_is_kept(refuse: Refuse, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_bytes(b"last week's backup")
    refuse("backup", str(target), names=target)
    assert target.read_bytes() == b"last week's backup"


def test_a_dangling_link_counts_as_existing(refuse: Refuse, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.symlink_to(tmp_path / "nowhere")
    refuse("backup", str(target), names=target)
    assert target.is_symlink() and not (tmp_path / "nowhere").exists()


def test_a_missing_folder_is_refused(refuse: Refuse, tmp_path: Path) -> None:
    refuse(
        "backup", str(tmp_path / "no" / "such" / "backup.db"), names=tmp_path / "no" / "such" / "backup.db"
    )
    assert list(tmp_path.iterdir()) == [] or not (tmp_path / "no").exists()


def test_a_file_as_the_folder_is_refused(refuse: Refuse, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("a file", encoding="utf-8")
    refuse("backup", str(tmp_path / "notes.txt" / "backup.db"), names=tmp_path / "notes.txt" / "backup.db")


def test_an_unwritable_place_is_refused(refuse: Refuse) -> None:
    target = Path("/proc/marquee-backup.db")  # not writable even by root
    if os.access("/proc", os.W_OK) and not Path("/proc/version").exists():
        pytest.skip("no /proc here")
    refuse("backup", str(target), names=target)


def test_the_name_is_shown_as_given(refuse: Refuse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("kept.db").write_bytes(b"x")
    message = refuse("backup", "./kept.db", names="./kept.db")
    assert "use --force" in message.message  # type: ignore[attr-defined]


def test_the_store_itself_is_refused_even_with_force(refuse: Refuse, filled_db_url: str) -> None:
    if not filled_db_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL store is no file")
    database = make_url(filled_db_url).database or ""
    refuse("backup", database, "--force", names=database)
    refuse("backup", database + "-wal", "--force", names=database + "-wal")


# ---- restore -------------------------------------------------------------------------------------


def _sqlite_backup(filled_db_url: str, tmp_path: Path) -> Path:
    """A real backup of the filled store (on PostgreSQL: of a small SQLite store of its own)."""
    if not filled_db_url.startswith("sqlite"):
        from marquee.storage import open_store

        url = f"sqlite:///{tmp_path / 'other' / 'marquee.db'}"
        open_store(url).close()
        filled_db_url = url
    target = tmp_path / "backup.db"
    backup_store(filled_db_url, target, quick=True)
    return target


@pytest.mark.parametrize(
    "content",
    [b"", b"id,title\ntt1,Alien\n", b"SQLite format 2\x00" + bytes(4080), b"\x00" * 8192],
    ids=["empty", "csv", "old-header", "zeros"],
)
def test_restore_refuses_what_is_no_sqlite_file(refuse: Refuse, tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "backup.db"
    source.write_bytes(content)
    refuse("restore", str(source), "--force", names=source)


def test_restore_refuses_a_folder_and_a_missing_file(refuse: Refuse, tmp_path: Path) -> None:
    refuse("restore", str(tmp_path), "--force", names=tmp_path)
    refuse("restore", str(tmp_path / "nothing.db"), "--force", names=tmp_path / "nothing.db")


def test_restore_refuses_a_sqlite_file_that_is_no_marquee_store(refuse: Refuse, tmp_path: Path) -> None:
    source = tmp_path / "photos.db"
    with sqlite3.connect(source) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.close()
    refuse("restore", str(source), "--force", names=source)


def test_restore_refuses_an_unknown_or_newer_schema(
    refuse: Refuse, filled_db_url: str, tmp_path: Path
) -> None:
    source = _sqlite_backup(filled_db_url, tmp_path)
    for version in ("9999", "abc", ""):
        with sqlite3.connect(source) as conn:
            conn.execute("UPDATE alembic_version SET version_num = ?", (version,))
        conn.close()
        refuse("restore", str(source), "--force", names=source)


def test_restore_refuses_a_damaged_backup(refuse: Refuse, filled_db_url: str, tmp_path: Path) -> None:
    source = _sqlite_backup(filled_db_url, tmp_path)
    data = bytearray(source.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for offset in range(2 * page, len(data), page):  # every page after the second: garbage
        data[offset + 8 : offset + 40] = b"\xa5" * 32
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    refuse("restore", str(damaged), "--force", names=damaged)
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(source.read_bytes()[: 3 * page + 100])
    refuse("restore", str(truncated), "--force", names=truncated)
    _no_leftovers(tmp_path)


def test_a_name_with_a_newline_stays_one_line(refuse: Refuse, tmp_path: Path) -> None:
    target = f"{tmp_path}/no\nsuch/backup.db"
    refuse("backup", target, names=target.replace("\n", "\\n"))
