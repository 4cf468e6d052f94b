"""Fixtures named for what they give, on ``store`` (so on both backends), plugged in by conftest.py.

``film_store``      ``store`` holding a few films: the reference film *Mask* (1985) and four others
                    (``support.web.small_catalogue``).
``catalogue_store`` ``store`` with the small IMDb-datasets catalogue imported
                    (tests/data/imdb/othonas-head-samples).
``app``             the site's FastAPI app on ``store`` (its page cache off: a page shows the last write).
``client``          a ``TestClient`` on ``app``, redirects not followed.
``runner``          the ``marquee`` command in process (``support.cli.Marquee``): ``runner(*args)``.
``member``          a member signed up on ``store``: ann, password ``support.members.PASSWORD``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from marquee.records_community import User
from marquee.services import accounts
from marquee.services.imdb_import import import_imdb_datasets
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.cli import Marquee
from support.members import PASSWORD
from support.web import TestClient, small_catalogue

__all__ = ["app", "catalogue_store", "client", "film_store", "member", "runner"]

IMDB_SAMPLES = Path(__file__).parents[1] / "data" / "imdb" / "othonas-head-samples"


@pytest.fixture
def film_store(store: SqlStore) -> SqlStore:
    """``store`` holding Mask (1985) and four other films."""
    store.save_films(small_catalogue())
    return store


@pytest.fixture
def catalogue_store(store: SqlStore) -> SqlStore:
    """``store`` with the small IMDb-datasets catalogue (othonas-head-samples) imported."""
    import_imdb_datasets(store, IMDB_SAMPLES)
    return store


@pytest.fixture
def app(store: SqlStore) -> FastAPI:
    """The site's app on ``store``, page cache off."""
    return create_app(Settings(page_cache_size=0), store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client on ``app`` (started, so its lifespan ran), redirects not followed."""
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture
def runner() -> Marquee:
    """The ``marquee`` command, run in this process by Typer's ``CliRunner``."""
    return Marquee()


@pytest.fixture
def member(store: SqlStore) -> User:
    """A member signed up on ``store``: ann, with the tests' password."""
    return accounts.create_user(store, "ann", PASSWORD)
