"""Compiling once per process: SQLite stores share one dialect and one compiled-statement cache, and
``film_io.executemany`` keeps what it sends the driver (``storage.engine``, ``storage.film_io``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.sql.dml import Insert

from marquee.records import Film
from marquee.storage import open_store, schema
from marquee.storage.engine import engine_of
from marquee.storage.film_io import executemany
from support.films import mask


def test_a_second_sqlite_store_finds_its_statements_compiled(new_sqlite_url: Callable[[], str]) -> None:
    first, second = open_store(new_sqlite_url()), open_store(new_sqlite_url())
    query = select(func.count()).select_from(schema.titles).where(schema.titles.c.kind == "short")
    try:
        with first.reading() as conn:
            assert conn.execute(query).scalar_one() == 0
        with second.reading() as conn:
            result = conn.execute(query)
            assert result.scalar_one() == 0
            assert result.context.cache_hit == conn.dialect.CACHE_HIT
        assert engine_of(first).dialect is engine_of(second).dialect
    finally:
        first.close()
        second.close()


def test_a_store_opened_after_the_first_closed_still_saves_and_reads(
    new_sqlite_url: Callable[[], str],
) -> None:
    open_store(new_sqlite_url()).close()  # its dialect may be the one every later store uses
    store = open_store(new_sqlite_url())
    try:
        saved = store.save_film(mask())
        assert store.get_film(saved.id) == saved
        assert saved.directors[0].id is not None  # person ids filled in by the read-back
    finally:
        store.close()


def test_executemany_compiles_a_statement_once_for_every_store(
    new_sqlite_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[dict[str, Any]] = [
        {"title_id": "tt1", "primary_title": "One", "is_adult": True},
        {"title_id": "tt2", "primary_title": "Two", "is_adult": False},
    ]
    first, second = open_store(new_sqlite_url()), open_store(new_sqlite_url())
    try:
        with first.writing() as conn:
            executemany(conn, schema.titles.insert(), rows)

        def no_compiling(*_args: Any, **_kwargs: Any) -> Any:
            raise AssertionError("compiled again")

        monkeypatch.setattr(Insert, "compile", no_compiling)
        with second.writing() as conn:
            executemany(conn, schema.titles.insert(), rows)  # a new statement object, the same statement
        monkeypatch.undo()
        for store in (first, second):
            with store.reading() as conn:
                stored = conn.execute(
                    select(schema.titles.c.title_id, schema.titles.c.is_adult).order_by(
                        schema.titles.c.title_id
                    )
                ).all()
            assert [tuple(row) for row in stored] == [
                ("tt1", True),
                ("tt2", False),
            ]  # through the bind processor
    finally:
        first.close()
        second.close()


def test_save_film_gives_back_what_get_film_reads(new_sqlite_url: Callable[[], str]) -> None:
    store = open_store(new_sqlite_url())
    try:
        saved = store.save_film(mask())
        changed = store.save_film(Film(id=saved.id, title="Mask again", year=1985))
        assert changed == store.get_film(saved.id)
        assert changed.title == "Mask again" and changed.cast == []
    finally:
        store.close()
