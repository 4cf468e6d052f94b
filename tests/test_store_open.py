"""Opening stores: URLs, migrations on first use, errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from marquee.errors import StoreError
from marquee.storage import SqlStore, open_store
from marquee.storage.engine import engine_of
from marquee.storage.migrate import head_revision


def test_open_store_migrates_to_head(store: SqlStore, db_url: str) -> None:
    with store.reading() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
    assert store.count_films() == 0
    assert store.dialect == db_url.split(":")[0].split("+")[0]


def test_reopening_keeps_the_data_and_the_revision(db_url: str) -> None:
    first = open_store(db_url)
    with first.writing() as conn:
        conn.execute(text("INSERT INTO store_meta (key, value) VALUES ('k', 'v')"))
    first.close()
    again = open_store(db_url)
    with again.reading() as conn:
        assert conn.execute(text("SELECT value FROM store_meta WHERE key = 'k'")).scalar() == "v"
    again.close()


def test_sqlite_creates_parent_folders_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "m.db"
    opened = open_store(f"sqlite:///{path}")
    with opened.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    opened.close()
    assert path.exists()


def test_postgresql_url_uses_psycopg(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    opened = open_store(plain)
    with opened.reading() as conn:
        assert conn.dialect.driver == "psycopg"
    assert opened.dialect == "postgresql"
    opened.close()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://u@h/db", "unsupported database"),
        ("not a url", "not a database URL"),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot open postgresql+psycopg://nobody@127.0.0.1:1/none"),
    ],
)
def test_bad_urls_raise_one_line_store_errors(url: str, words: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unwritable_sqlite_folder_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot"):
        open_store(f"sqlite:///{blocker / 'sub' / 'm.db'}")


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_processes_opening_a_new_database_at_once_all_succeed(
    backend: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("blank_sqlite_url" if backend == "sqlite" else "blank_pg_url")
    code = (
        f"from marquee.storage import open_store; s = open_store({url!r}); print(s.count_films()); s.close()"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "") for p in processes]
    for p in processes:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    assert results == [(0, "0\n")] * 2


def test_engine_of_gives_a_sql_stores_engine_and_refuses_anything_else(store: SqlStore) -> None:
    assert engine_of(store).dialect.name == store.dialect

    class FakeStore:
        engine = "not an engine"

    with pytest.raises(TypeError, match="FakeStore is not a SqlStore"):
        engine_of(FakeStore())  # type: ignore[arg-type]
