"""The bad-input harness: a filled store on each backend, and a check that one command failed cleanly.

``filled_db_url``  a store holding films (the reference page, the pimdb IMDb excerpt) and a member
                   (``ann``) with a rating and a watchlist entry, on SQLite and PostgreSQL, as built
                   once per session: a fresh copy per test on SQLite; on PostgreSQL (where a copy
                   takes most of a second) one database, made again only after a test changed it.
``refuse``         runs a ``marquee`` command in-process against ``filled_db_url`` and asserts what
                   every refused input must end in: a non-zero exit, no traceback, exactly one line on
                   stderr that names the file (and line, where given), and a store whose every table is
                   as it was (every table's fingerprint before and after).

Each ``test_*.py`` here covers one family of bad input (README, "Limits" and "What a failed import
does"); a case is a file under ``tests/badinput/files/`` or one written by the test itself.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from marquee.formats.textpage import parse_page
from marquee.services.accounts import create_user
from marquee.services.community import rate
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import open_store
from support.cli import Marquee
from support.fingerprints import tables_of

DATA = Path(__file__).parent.parent / "data"
FILES = Path(__file__).parent / "files"


def _fill(url: str) -> None:
    store = open_store(url)
    try:
        import_imdb_datasets(store, DATA / "imdb" / "pimdb-test-fixtures")
        page = (DATA / "pages" / "mask-1985.txt").read_text(encoding="utf-8")
        mask = store.save_film(parse_page(page, source="mask-1985.txt").film)
        ann = create_user(store, "ann", "correct horse battery staple")
        rate(store, ann, mask.id, 8)
    finally:
        store.close()


@pytest.fixture(scope="session")
def _filled_sqlite(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("filled") / "filled.db"
    shutil.copyfile(_sqlite_template, path)
    _fill(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _filled_pg_template(_pg_databases: object) -> str:
    url = _pg_databases.migrated()  # type: ignore[attr-defined]
    _fill(url)
    return str(make_url(url).database)


class _FilledPostgres:
    """One copy of the filled template, handed to test after test while it stays as built."""

    def __init__(self, databases: Any, template: str) -> None:
        self.databases, self.template = databases, template
        self.url = databases.create(template=template)
        self.built = _fingerprint(self.url)

    def checked(self) -> None:
        """After a test: if the store is not as built (the test wrote to it), start from a new copy."""
        if _fingerprint(self.url) != self.built:
            self.databases.drop(self.url)
            self.url = self.databases.create(template=self.template)


@pytest.fixture(scope="session")
def _filled_pg(_pg_databases: object, _filled_pg_template: str) -> _FilledPostgres:
    return _FilledPostgres(_pg_databases, _filled_pg_template)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], ids=["sqlite", "postgresql"]
)
def filled_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store with films and a member's data, on each backend, as built (see the module's doc)."""
    if request.param == "sqlite":
        path = tmp_path / "marquee.db"
        shutil.copyfile(request.getfixturevalue("_filled_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    filled: _FilledPostgres = request.getfixturevalue("_filled_pg")
    yield filled.url
    filled.checked()


@dataclass
class Refusal:
    """What a refused command printed."""

    exit_code: int
    message: str  # the one line on stderr, without the "marquee: error: " prefix
    stdout: str


def _fingerprint(url: str) -> str:
    """Every table's hash, joined (a SQLite file seen before is not read again: ``support.fingerprints``)."""
    return "\n".join(f"{name} {digest}" for name, digest in tables_of(url).items())


@pytest.fixture
def refuse(filled_db_url: str, runner: Marquee) -> Callable[..., Refusal]:
    """``refuse(*args, names=PATH, line=N)``: run ``marquee --db URL *args``; assert a clean refusal."""

    def run(*args: str, names: str | Path, line: int | None = None, stdin: str | None = None) -> Refusal:
        before = _fingerprint(filled_db_url)
        result = runner("--db", filled_db_url, *args, input=stdin)
        after = _fingerprint(filled_db_url)
        shown = f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        assert result.exit_code != 0, shown
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{shown}\nraised {result.exception!r}"
        )
        assert "Traceback" not in result.stdout + result.stderr, shown
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, shown
        assert lines[0].startswith("marquee: error: "), shown
        message = lines[0].removeprefix("marquee: error: ")
        where = f"{names}:{line}" if line is not None else str(names)
        assert where in message, f"{where!r} not in {message!r}"
        assert before == after, f"the store changed: {shown}"
        return Refusal(result.exit_code, message, result.stdout)

    return run
