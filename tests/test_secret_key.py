"""The site's signing key is kept in a file beside the store, never in a table (issue 15).

A copy of the store (a backup, the file opened in Datasette) must not publish it; migration 0009
moves a key that an older store kept in ``store_meta`` to the file, so forms already open stay valid.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from marquee.errors import StoreError
from marquee.services import accounts
from marquee.storage import SqlStore, open_store
from marquee.storage.engine import make_engine
from marquee.storage.migrate import upgrade
from marquee.storage.schema import store_meta
from marquee.storage.secret_key import key_file, read_or_create_key

OLD_KEY = "an-old-key-kept-in-the-table-by-revision-0008"


@pytest.fixture(autouse=True)
def no_secret_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARQUEE_SECRET_KEY", raising=False)


@pytest.fixture
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run in tmp_path, where a PostgreSQL store's key file goes (./marquee-data/secret.key)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _store_bytes(store: SqlStore) -> bytes:
    """Everything the store holds, as text: every row of every table (what Datasette would show)."""
    with store.reading() as conn:
        if store.dialect == "sqlite":
            tables = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))]
        else:
            query = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            tables = list(conn.execute(text(query)).scalars())
        dump = [repr(row) for table in tables for row in conn.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(dump).encode("utf-8")


def test_sqlite_key_is_a_0600_file_beside_the_store_not_a_row(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        key = accounts.site_secret(store)
        path = Path(make_url(sqlite_url).database or "").parent / "secret.key"
        assert path.read_text(encoding="utf-8").strip().encode("utf-8") == key
        assert len(key) >= 32
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert accounts.site_secret(store) == key  # kept, not made again
        with store.reading() as conn:
            assert conn.execute(select(store_meta.c.key)).scalars().all() == []
    finally:
        store.close()
    database = Path(make_url(sqlite_url).database or "")
    on_disk = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert key not in on_disk  # not in the file, nor its WAL
    reopened = open_store(sqlite_url)
    try:
        assert accounts.site_secret(reopened) == key
    finally:
        reopened.close()


def test_the_setting_wins_and_makes_no_file(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        assert accounts.site_secret(store, "configured") == b"configured"
    finally:
        store.close()
    assert not (Path(make_url(sqlite_url).database or "").parent / "secret.key").exists()


@pytest.mark.postgres
def test_postgresql_key_is_kept_in_the_data_folder(pg_url: str, in_tmp: Path) -> None:
    store = open_store(pg_url)
    try:
        key = accounts.site_secret(store)
        assert (in_tmp / "marquee-data" / "secret.key").read_text(encoding="utf-8").strip().encode() == key
        assert key not in _store_bytes(store)
    finally:
        store.close()


def test_workers_starting_together_agree_on_one_key(tmp_path: Path) -> None:
    url = make_url(f"sqlite:///{tmp_path / 'new' / 'marquee.db'}")
    keys: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        keys.append(read_or_create_key(url))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["secret.key"]  # no temporary left


def test_an_in_memory_store_keeps_its_key_for_the_process() -> None:
    url = make_url("sqlite://")
    assert key_file(url) is None
    assert read_or_create_key(url) == read_or_create_key(url)


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"\xff\xfe\x00garbage"])
def test_an_empty_or_garbled_key_file_is_a_clean_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "secret.key").write_bytes(content)
    with pytest.raises(StoreError, match=r"secret\.key: the secret key file is (empty|not text)"):
        read_or_create_key(make_url(f"sqlite:///{tmp_path / 'marquee.db'}"))


def test_a_key_file_that_cannot_be_written_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match=r"a-file: cannot make the folder for the secret key"):
        read_or_create_key(make_url(f"sqlite:///{tmp_path / 'a-file' / 'marquee.db'}"))


def test_no_secret_is_stored_in_plain_text(db_url: str, in_tmp: Path) -> None:
    store = open_store(db_url)
    try:
        user = accounts.create_user(store, "ada", "correct horse battery")
        session = accounts.create_session(store, user)
        token = accounts.create_token(store, "ada", label="laptop")
        key = accounts.site_secret(store)
        dump = _store_bytes(store)
    finally:
        store.close()
    for secret in (session.encode(), token.encode(), key, b"correct horse battery"):
        assert secret not in dump
    assert b"$argon2id$" in dump  # the password only as its argon2 hash


# ---- migration 0009: the key leaves the table ----------------------------------------------------


def _store_at_0008_with_a_key(url: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine, "0008")
        with engine.begin() as conn:
            conn.execute(store_meta.insert().values(key="community.secret_key", value=OLD_KEY))
    finally:
        engine.dispose()


def _rows(store: SqlStore) -> list[str]:
    with store.reading() as conn:
        return list(conn.execute(select(store_meta.c.key)).scalars())


def test_upgrade_moves_the_kept_key_to_the_file(
    request: pytest.FixtureRequest, in_tmp: Path, backend: str
) -> None:
    url: str = request.getfixturevalue("blank_sqlite_url" if backend == "sqlite" else "blank_pg_url")
    _store_at_0008_with_a_key(url)
    store = open_store(url)  # migrates to the head
    try:
        assert "community.secret_key" not in _rows(store)
        assert accounts.site_secret(store) == OLD_KEY.encode()  # open forms stay valid
        assert OLD_KEY.encode() not in _store_bytes(store)
    finally:
        store.close()
    path = key_file(make_url(url))
    assert path is not None and path.read_text(encoding="utf-8").strip() == OLD_KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_upgrade_keeps_a_key_file_that_exists(blank_sqlite_url: str) -> None:
    path = key_file(make_url(blank_sqlite_url))
    assert path is not None
    path.write_text("the-file-key\n", encoding="utf-8")
    _store_at_0008_with_a_key(blank_sqlite_url)
    store = open_store(blank_sqlite_url)
    try:
        assert "community.secret_key" not in _rows(store)
        assert accounts.site_secret(store) == b"the-file-key"
    finally:
        store.close()


def test_upgrade_with_the_setting_only_deletes_the_row(
    blank_sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_at_0008_with_a_key(blank_sqlite_url)
    monkeypatch.setenv("MARQUEE_SECRET_KEY", "from-the-setting")
    store = open_store(blank_sqlite_url)
    try:
        assert "community.secret_key" not in _rows(store)
    finally:
        store.close()
    path = key_file(make_url(blank_sqlite_url))
    assert path is not None and not path.exists()


def test_an_upgrade_that_cannot_write_the_key_changes_nothing(
    blank_sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store_at_0008_with_a_key(blank_sqlite_url)
    path = key_file(make_url(blank_sqlite_url))
    assert path is not None
    path.mkdir()  # a folder where the key file should be: it cannot be written

    with pytest.raises(StoreError, match="secret"):
        open_store(blank_sqlite_url)
    engine = make_engine(blank_sqlite_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0008"
            assert conn.execute(select(store_meta.c.value)).scalars().all() == [OLD_KEY]
    finally:
        engine.dispose()
    assert os.path.isdir(path)
