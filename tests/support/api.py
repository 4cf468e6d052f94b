"""A small catalogue and an app serving it, shared by the API tests."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI

from marquee.records import (
    AlternateTitle,
    BoxOffice,
    CastMember,
    CrewMember,
    Film,
    Goof,
    PersonRef,
    Quote,
    QuoteLine,
    Rating,
    ReleaseDate,
    Review,
    Runtime,
    Score,
)
from marquee.services import describe
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app

with warnings.catch_warnings():
    # starlette.testclient warns about httpx at import; the client itself works as documented.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["NIGHT_IDS", "TestClient", "api_app", "catalogue", "catalogue_url", "client", "fresh_app", "mask"]

NIGHT_IDS = [f"tt90000{n:02d}" for n in range(1, 31)]


def mask() -> Film:
    """The reference film, with something in every section of its page."""
    return Film(
        id="tt0089560",
        title="Mask",
        original_title="Mask",
        year=1985,
        published=dt.date(2024, 5, 1),
        outline="A teenager with a rare facial disfigurement lives with his biker mother.",
        plot="Rocky Dennis lives life to the full despite craniodiaphyseal dysplasia.",
        genres=["Biography", "Drama"],
        rating=Rating(value=7.2, votes=52000),
        directors=[PersonRef(name="Peter Bogdanovich", id="nm0000953")],
        writers=[PersonRef(name="Anna Hamilton Phelan", id="nm0679855")],
        stars=["Cher", "Sam Elliott", "Eric Stoltz"],
        cast=[
            CastMember(name="Cher", character="Rusty Dennis", id="nm0000659"),
            CastMember(name="Sam Elliott", character="Gar", id="nm0000634"),
            CastMember(name="Eric Stoltz", character="Rocky Dennis", id="nm0001769"),
            CastMember(name="Kelly Jo Minter", character="Lisa", credited_as="Kelly Minter", id="nm0592059"),
        ],
        crew=[CrewMember(name="Martin Starger", category="producer", id="nm0823586")],
        taglines=["A true story."],
        release_dates=[ReleaseDate(date="1985-03-08", country="USA")],
        filming_locations=["Azusa, California, USA"],
        box_office=[BoxOffice(kind="gross", amount=48_230_162, country="USA")],
        runtimes=[Runtime(minutes=120), Runtime(minutes=126, note="director's cut")],
        trivia=["Cher and Bogdanovich did not get along."],
        goofs=[Goof(category="Anachronisms", text="A 1986 car appears.")],
        quotes=[Quote(lines=[QuoteLine(character="Rocky Dennis", text="These things are good.")])],
        reviews=[Review(title="Moving", body="A fine film.", score=Score(value=8), author="ann")],
        alternate_titles=[AlternateTitle(title="Máscara", region="ES")],
    )


def night(n: int) -> Film:
    """One of thirty films named alike, for pages of results."""
    return Film(
        id=NIGHT_IDS[n - 1],
        title=f"Night Train {n}",
        year=1950 + n,
        genres=["Drama"] if n % 2 else ["Comedy"],
        rating=Rating(value=5 + (n % 5), votes=1000 * n),
        runtimes=[Runtime(minutes=80 + n)],
        cast=[CastMember(name="Cher", character=f"Role {n}", id="nm0000659")],
        plot=f"A night train crosses the plain, journey {n}.",
    )


def catalogue() -> list[Film]:
    return [mask(), *(night(n) for n in range(1, 31))]


@pytest.fixture(scope="session")
def catalogue_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the catalogue, built once: tests that only read share it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'catalogue.db'}"
    store = open_store(url)
    store.save_films(catalogue())
    describe.rebuild_descriptions(store)  # search by description answers (else 503: never built)
    store.close()
    return url


@pytest.fixture
def api_app(catalogue_url: str) -> Iterator[FastAPI]:
    """The site's app on the shared catalogue (its caches and limits are its own)."""
    app = create_app(Settings(database_url=catalogue_url))
    yield app
    app.state.marquee.store.close()


@pytest.fixture
def fresh_app(sqlite_url: str) -> Iterator[FastAPI]:
    """The site's app on a store of its own, for tests that write."""
    app = create_app(Settings(database_url=sqlite_url))
    app.state.marquee.store.save_films(catalogue())
    yield app
    app.state.marquee.store.close()


@pytest.fixture
def client(api_app: FastAPI) -> Iterator[Any]:
    with TestClient(api_app) as test_client:
        yield test_client
