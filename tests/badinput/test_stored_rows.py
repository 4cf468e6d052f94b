"""A store that already holds values the record rules refuse (written by an older version) still reads.

The bad rows are written straight into the tables, as an older Marquee could have: ``show``,
``export`` and the site's film page and API then answer without a 500, the export completes (each
repair reported on stderr as ``marquee: warning: film ID: field: reason; dropped``) and what it
writes imports back. Which values go: a refused number or date is dropped (the field reads as
empty), text loses its control characters, a refused sub-record (a rating above its scale, a
nameless cast member) is left out; a film whose stored id is not safe keeps its id so it can be
found and deleted.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from marquee.services.jsonlines import export_jsonl, import_jsonl
from marquee.storage import SqlStore, open_store, schema

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from marquee.settings import Settings
from marquee.web.app import create_app
from support.cli import Marquee

MASK = "mask-1985"


def _spoil(url: str) -> None:
    """Write values today's rules refuse into the filled store, as an older version could have."""
    store = open_store(url)
    try:
        with store.writing() as conn:
            t = schema.titles
            mask_id = conn.execute(select(t.c.title_key).where(t.c.title_id == MASK)).scalar_one()
            conn.execute(
                update(t)
                .where(t.c.title_key == mask_id)
                .values(start_year=99999, end_year=-3, primary_title="Mask\x1b[31m", plot="x" * 300_000)
            )
            conn.execute(
                update(schema.imdb_ratings)
                .where(schema.imdb_ratings.c.title_key == mask_id)
                .values(average=11.5, scale=10, votes=-5)
            )
            conn.execute(
                update(schema.runtimes).where(schema.runtimes.c.title_key == mask_id).values(minutes=-1)
            )
            conn.execute(
                update(schema.release_dates)
                .where(schema.release_dates.c.title_key == mask_id)
                .values(date="0001-13-40")
            )
            conn.execute(
                insert(t).values(title_id="../evil", kind="movie", primary_title="Evil", start_year=1)
            )
    finally:
        store.close()


@pytest.fixture
def spoiled(filled_db_url: str) -> Iterator[str]:
    _spoil(filled_db_url)
    yield filled_db_url


def test_a_film_with_refused_stored_values_is_read_without_them(
    spoiled: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(spoiled)
    try:
        with caplog.at_level(logging.WARNING, logger="marquee.storage"):
            film = store.get_film(MASK)
    finally:
        store.close()
    assert film is not None
    assert film.title == "Mask[31m"  # the escape character dropped, the rest kept
    assert film.year is None and film.end_year is None
    assert film.rating is None  # 11.5 of 10 with -5 votes: no rating this record allows
    assert film.plot is not None and len(film.plot) == 200_000
    assert all(r.minutes is None for r in film.runtimes)
    assert all(r.date is None for r in film.release_dates)
    assert f"film {MASK}:" in caplog.text and "year: must be ≤ 2200" in caplog.text


def test_show_and_export_complete_and_the_export_imports_back(
    spoiled: str, tmp_path: Path, runner: Marquee
) -> None:
    shown = runner("--db", spoiled, "show", MASK)
    assert shown.exit_code == 0, shown.stderr
    assert '"title": "Mask[31m"' in shown.stdout
    evil = runner("--db", spoiled, "show", "../evil")
    assert evil.exit_code == 0, evil.stderr

    exported = runner("--db", spoiled, "export")
    assert exported.exit_code == 0, exported.stderr
    assert "Traceback" not in exported.stderr
    warnings_seen = [line for line in exported.stderr.splitlines() if line.startswith("marquee: warning: ")]
    assert any(f"film {MASK}: " in line and "rating" in line for line in warnings_seen)
    assert any("film ../evil: " in line and "id: not a safe id" in line for line in warnings_seen)
    lines = exported.stdout.splitlines()
    assert any(f'"id":"{MASK}"' in line for line in lines)

    # Every film but the one whose stored id is unsafe imports back into a fresh store as exported.
    importable = "".join(line + "\n" for line in lines if '"id":"../evil"' not in line)
    copy = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert import_jsonl(copy, io.StringIO(importable), source="export.jsonl") == len(lines) - 1
        again = io.StringIO()
        export_jsonl(copy, again)
    finally:
        copy.close()
    assert again.getvalue() == importable


def test_the_site_answers_for_a_film_with_refused_stored_values(spoiled: str) -> None:
    with TestClient(create_app(Settings(database_url=spoiled))) as client:
        for path in (f"/title/{MASK}", f"/title/{MASK}.json", f"/api/v1/titles/{MASK}", "/api/v1/titles"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.text[:300])
        assert "Mask[31m" in client.get(f"/api/v1/titles/{MASK}").text
        assert client.get("/title/..%2Fevil").status_code < 500


def test_a_person_with_refused_stored_values_is_read(filled_db_url: str) -> None:
    store: SqlStore = open_store(filled_db_url)
    try:
        with store.writing() as conn:
            people = schema.people
            nconst = conn.execute(select(people.c.person_id).limit(1)).scalar_one()
            conn.execute(
                update(people).where(people.c.person_id == nconst).values(birth_year=-40, death_year=10**6)
            )
        person = store.get_person(nconst)
    finally:
        store.close()
    assert person is not None and person.birth_year is None and person.death_year is None


def test_the_refusing_rules_do_not_apply_to_good_stored_rows(
    filled_db_url: str, tmp_path: Path, runner: Marquee
) -> None:
    out = tmp_path / "all.jsonl"
    result = runner("--db", filled_db_url, "export", "-o", str(out))
    assert result.exit_code == 0
    assert "warning" not in result.stderr
    assert out.read_text(encoding="utf-8").count("\n") > 1
