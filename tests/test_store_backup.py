"""``marquee backup`` / ``restore``: whole, consistent copies made with SQLite's backup API (issue 15).

A ``cp`` of a WAL-mode store misses what is still in its ``-wal`` (the issue's test lost 432 diary
entries); the backup API copies one snapshot, WAL included, while the site keeps writing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from marquee.errors import InputError, StoreError
from marquee.records import Film
from marquee.services import accounts, library
from marquee.storage import SqlStore, backup, backup_postgres, open_store
from marquee.storage.backup import backup_store, restore_store
from marquee.storage.fingerprint import store_fingerprint
from marquee.storage.library_schema import diary_entries
from support.cli import Marquee

DAY0 = dt.date(2000, 1, 1)


@pytest.fixture(autouse=True)
def no_secret_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARQUEE_SECRET_KEY", raising=False)


@pytest.fixture
def member_store(sqlite_url: str) -> Iterator[SqlStore]:
    """A SQLite store with a film and a member, ``ann``."""
    store = open_store(sqlite_url)
    store.save_film(Film(id="tt0000001", title="Carmencita", year=1894))
    accounts.create_user(store, "ann", "correct horse battery staple")
    try:
        yield store
    finally:
        store.close()


def _path(store: SqlStore) -> Path:
    return Path(make_url(store.url).database or "")


def _log(store: SqlStore, k: int) -> None:
    library.log_viewing(store, "ann", "tt0000001", DAY0 + dt.timedelta(days=k), rating=k % 10 + 1)


def _days_in(path: Path) -> list[int]:
    """The diary entries of a copy, as their numbers (days after DAY0)."""
    copy = open_store(f"sqlite:///{path}")
    try:
        with copy.reading() as conn:
            days = conn.execute(select(diary_entries.c.watched_on)).scalars().all()
    finally:
        copy.close()
    return sorted((day - DAY0).days for day in days)


def test_a_wal_store_with_uncheckpointed_writes_is_copied_whole(
    member_store: SqlStore, tmp_path: Path
) -> None:
    database = _path(member_store)
    # A reader that started before the writes keeps them from being checkpointed into the main file:
    # all 432 entries live in marquee.db-wal only, as on a busy site.
    reader = sqlite3.connect(database, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM titles").fetchone()
    try:
        for k in range(432):
            _log(member_store, k)
        assert os.path.getsize(str(database) + "-wal") > 0

        cp = tmp_path / "cp" / "marquee.db"
        cp.parent.mkdir()
        shutil.copyfile(database, cp)  # what `cp marquee.db` does
        assert len(_days_in(cp)) < 432  # the bare copy lost them (all of them, here)

        report = backup_store(member_store.url, tmp_path / "backup.db")
        assert _days_in(tmp_path / "backup.db") == list(range(432))
        assert "integrity_check: ok" in str(report)
    finally:
        reader.execute("COMMIT")
        reader.close()
    # A self-contained file: nothing of it lives in a -wal beside it.
    assert not (tmp_path / "backup.db-wal").exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary left


def test_a_backup_while_another_thread_writes_is_one_consistent_snapshot(
    member_store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k in range(200):
        _log(member_store, k)
    written: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer() -> None:
        k = 200
        try:
            while not stop.is_set():
                _log(member_store, k)
                written.append(k)
                k += 1
        except BaseException as err:  # shown by the assertion below
            failures.append(err)

    monkeypatch.setattr(backup, "PAGES_PER_STEP", 1)  # many steps: the writer runs between them
    steps: list[tuple[int, int]] = []
    during: list[int] = []

    def progress(done: int, total: int) -> None:
        steps.append((done, total))
        if len(steps) % 20 == 0:
            during.append(len(written))
            stop.wait(0.002)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        started_with = 200 + len(written)
        backup_store(member_store.url, tmp_path / "backup.db", progress=progress)
    finally:
        stop.set()
        thread.join()
    assert not failures
    assert len(steps) > 50 and steps[-1][0] == steps[-1][1]
    assert during[-1] > during[0]  # the site kept writing while the copy was made
    days = _days_in(tmp_path / "backup.db")
    # Complete up to its snapshot: every entry before it, in order, none half-written, none after a gap.
    assert days == list(range(len(days)))
    assert len(days) >= started_with
    assert 200 + len(written) >= len(days)


def test_the_backup_holds_no_secret_key(member_store: SqlStore, tmp_path: Path) -> None:
    key = accounts.site_secret(member_store)
    backup_store(member_store.url, tmp_path / "backup.db")
    assert key not in (tmp_path / "backup.db").read_bytes()
    assert (_path(member_store).parent / "secret.key").exists()


def test_force_replaces_an_existing_file_and_only_then(member_store: SqlStore, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_bytes(b"an older backup")
    with pytest.raises(InputError, match="exists already"):
        backup_store(member_store.url, target)
    assert target.read_bytes() == b"an older backup"
    backup_store(member_store.url, target, force=True, quick=True)
    assert target.read_bytes().startswith(b"SQLite format 3\x00")


def test_restore_brings_back_the_store_as_it_was(member_store: SqlStore, tmp_path: Path) -> None:
    for k in range(10):
        _log(member_store, k)
    before = store_fingerprint(member_store)
    backup_store(member_store.url, tmp_path / "backup.db")
    for k in range(10, 20):
        _log(member_store, k)
    member_store.close()  # the site is stopped

    with pytest.raises(StoreError, match="holds films or members: use --force"):
        restore_store(member_store.url, tmp_path / "backup.db")
    restore_store(member_store.url, tmp_path / "backup.db", force=True)
    restored = open_store(member_store.url)
    try:
        assert store_fingerprint(restored) == before
    finally:
        restored.close()


def test_restore_into_a_new_store(member_store: SqlStore, tmp_path: Path) -> None:
    before = store_fingerprint(member_store)
    backup_store(member_store.url, tmp_path / "backup.db")
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'marquee.db'}"
    (tmp_path / "elsewhere").mkdir()
    report = restore_store(url, tmp_path / "backup.db")
    assert str(report).startswith(f"restored {tmp_path / 'backup.db'} to ")
    restored = open_store(url)
    try:
        assert store_fingerprint(restored) == before
    finally:
        restored.close()


def test_restore_refuses_a_store_the_site_has_open(member_store: SqlStore, tmp_path: Path) -> None:
    backup_store(member_store.url, tmp_path / "backup.db")
    _log(member_store, 99)
    with member_store.reading() as conn:  # a pooled connection, as the running site holds
        conn.exec_driver_sql("SELECT 1").fetchall()
        with pytest.raises(StoreError, match=r"in use .*stop it first, or use --force"):
            restore_store(member_store.url, tmp_path / "backup.db", force=False)
    assert _days_in(_path(member_store)) == [99]
    restore_store(member_store.url, tmp_path / "backup.db", force=True)  # forced: through SQLite's locks
    assert _days_in(_path(member_store)) == []


def test_restore_checks_the_schema_version(member_store: SqlStore, tmp_path: Path) -> None:
    backup_store(member_store.url, tmp_path / "backup.db")
    with sqlite3.connect(tmp_path / "backup.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    with pytest.raises(InputError, match=r"schema version 9999 is newer than this Marquee's"):
        restore_store(member_store.url, tmp_path / "backup.db", force=True)


def test_cli_backup_and_restore(member_store: SqlStore, tmp_path: Path, runner: Marquee) -> None:
    result = runner("--db", member_store.url, "backup", str(tmp_path / "b.db"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"backed up {_path(member_store)} to {tmp_path / 'b.db'}: ")
    member_store.close()
    result = runner("--db", member_store.url, "restore", str(tmp_path / "b.db"), "--force")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"restored {tmp_path / 'b.db'} to {_path(member_store)}")


# ---- PostgreSQL: pg_dump -------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgresql_backup_is_a_custom_format_dump(pg_url: str, tmp_path: Path) -> None:
    if not backup_postgres._tool_folders() and shutil.which("pg_dump") is None:
        pytest.skip("no pg_dump here")
    store = open_store(pg_url)
    try:
        store.save_film(Film(id="tt0000001", title="Carmencita", year=1894))
    finally:
        store.close()
    report = backup_store(pg_url, tmp_path / "store.dump")
    assert (tmp_path / "store.dump").read_bytes().startswith(b"PGDMP")
    assert "pg_restore --list: ok" in str(report) or "pg_dump: ok" in str(report)
    assert [p.name for p in tmp_path.iterdir()] == ["store.dump"]


@pytest.mark.postgres
def test_postgresql_without_pg_dump_is_one_clean_line(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(backup_postgres, "_tool_folders", list)  # and none of PostgreSQL's own folders
    with pytest.raises(StoreError, match=r"^pg_dump is not on PATH: install PostgreSQL's client tools"):
        backup_store(pg_url, tmp_path / "store.dump")
    assert list(tmp_path.iterdir()) == []


def test_pg_dump_gets_the_password_from_a_private_passfile_not_its_command_line() -> None:
    url = make_url("postgresql+psycopg://films:se:c\\ret@db.example:5433/marquee?sslmode=require")
    with backup_postgres._libpq(url) as conninfo:
        assert "se:c" not in conninfo and conninfo.startswith("postgresql://films@db.example:5433/marquee?")
        passfile = Path(make_url(conninfo).query["passfile"])  # type: ignore[arg-type]
        assert make_url(conninfo).query["sslmode"] == "require"
        assert passfile.read_text(encoding="utf-8") == "*:*:*:*:se\\:c\\\\ret\n"  # libpq's escapes
        assert passfile.stat().st_mode & 0o777 == 0o600
        assert passfile.parent.stat().st_mode & 0o077 == 0
    assert not passfile.exists() and not passfile.parent.exists()
    with backup_postgres._libpq(make_url("postgresql://films@db.example/marquee")) as conninfo:
        assert conninfo == "postgresql://films@db.example/marquee"


@pytest.mark.postgres
def test_postgresql_backup_with_a_password_in_the_url(pg_url: str, tmp_path: Path) -> None:
    url = make_url(pg_url)
    with_password = url.set(password=url.password or "unused-by-a-trusting-server")
    report = backup_store(with_password.render_as_string(hide_password=False), tmp_path / "store.dump")
    assert (tmp_path / "store.dump").read_bytes().startswith(b"PGDMP")
    assert "unused" not in str(report)
