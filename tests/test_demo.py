"""The demo catalogue: what a fresh Marquee serves on its first run."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from marquee.records import Film
from marquee.services.demo import (
    REFERENCE_ID,
    catalogue_films,
    demo_films,
    ensure_demo_store,
    reference_film,
)
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app
from support.web import TestClient, read_page

REPO = Path(__file__).parents[1]
DEMO = REPO / "src" / "marquee" / "demo"
SHARED = REPO.parent / "shared"


def test_empty_store_gets_the_demo_and_a_full_one_is_left_alone(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        assert ensure_demo_store(store, limit=40) is True
        assert store.count_films() == 41
        mask = store.get_film(REFERENCE_ID)
        assert mask is not None
        assert mask.title == "Mask" and mask.year == 1985
        assert len(mask.cast) == 15 and mask.comments_open is False
        assert ensure_demo_store(store, limit=40) is False
        assert store.count_films() == 41
    finally:
        store.close()


def test_a_store_with_films_is_never_filled(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        store.save_film(Film(id="mine", title="My Own Film"))
        assert ensure_demo_store(store) is False
        assert [film.id for film in store.iter_films()] == ["mine"]
    finally:
        store.close()


def test_demo_on_the_served_site(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        ensure_demo_store(store, limit=40)
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=sqlite_url))) as client:
        page = read_page(client.get(f"/title/{REFERENCE_ID}").text)
        first = next(catalogue_films(1))
        other = read_page(client.get(f"/title/{first.id}").text)
    assert "Kelly Jo Minter Lorrie (as Kelly Minter)" in page.section("cast")
    assert other.title.startswith(first.title)


def test_reference_film_has_every_section_of_the_page() -> None:
    film = reference_film()
    assert film.id == REFERENCE_ID
    assert film.genres == ["Drama", "Biography"]
    for field in ("outline", "plot", "rating", "published"):
        assert getattr(film, field), field
    for field in (
        "directors",
        "stars",
        "cast",
        "taglines",
        "release_dates",
        "filming_locations",
        "box_office",
        "runtimes",
        "trivia",
        "goofs",
        "quotes",
        "reviews",
    ):
        assert getattr(film, field), field
    assert film.runtimes[0].minutes is None and film.runtimes[0].note == "director's cut"


def test_catalogue_is_compact_wikidata_only_and_attributed() -> None:
    path = DEMO / "catalogue.jsonl.gz"
    assert path.stat().st_size < 2_000_000
    films = list(catalogue_films())
    assert len(films) > 12_000
    ids = [film.id for film in films]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # Wikidata knows the reference film by the same IMDb id (the seed is merged over this row).
    mask = films[ids.index(REFERENCE_ID)]
    assert (mask.title, mask.year) == ("Mask", 1985) and not mask.cast
    assert all(film.id.startswith("tt") for film in films)
    # Wikidata gives titles, years, genres, dates, directors, runtimes: nothing IMDb-only.
    assert not any(film.rating or film.cast or film.plot or film.outline or film.trivia for film in films)
    assert sum(1 for film in films if film.directors) > 1000
    attribution = (DEMO / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "Wikidata" in attribution and "CC0" in attribution


def test_the_demo_store_holds_mask_once_with_the_seed_sections(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        assert ensure_demo_store(store) is True  # the whole catalogue: Wikidata's Mask row is in it
        masks = [film for film in store.iter_films() if film.title == "Mask" and film.year == 1985]
    finally:
        store.close()
    assert [film.id for film in masks] == ["tt0089560"]
    mask = masks[0]
    assert len(mask.cast) == 15 and mask.plot and mask.plot.startswith("Rusty Dennis is the mother of Rocky")
    assert mask.genres == ["Drama", "Biography"] and mask.release_dates[0].date == "1985-03-08"


def test_demo_films_start_with_the_reference() -> None:
    films = list(demo_films(limit=3))
    assert films[0].id == REFERENCE_ID
    assert len(films) == 4


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "data" / "wikidata").is_dir(), reason="../shared is not here")
def test_build_demo_reproduces_the_committed_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "catalogue.jsonl.gz"
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_demo.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (DEMO / "catalogue.jsonl.gz").read_bytes()
    first = json.loads(gzip.decompress(out.read_bytes()).splitlines()[0])
    assert first["id"].startswith("tt")


def test_build_demo_names_a_missing_source(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_demo.py"), "--source", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "nope: no such folder" in done.stderr


def test_the_app_can_fill_an_empty_store_but_never_a_full_one(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    try:
        store.save_film(Film(id="mine", title="My Own Film"))
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=sqlite_url, demo_if_empty=True))) as client:
        assert client.get("/index.json").json()["film_count"] == 1
        assert client.get(f"/title/{REFERENCE_ID}").status_code == 404
