"""A member's library on the site: own pages, public views, downloads, the watchlist form."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from marquee.records import Film, Rating
from marquee.services import accounts, library
from marquee.services.member_import import import_letterboxd
from marquee.settings import Settings
from marquee.storage import SqlStore, open_store
from marquee.web.app import create_app
from support.web import TestClient

LETTERBOXD = Path(__file__).parent / "data" / "exports" / "letterboxd" / "extratone"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture(scope="module")
def imported_store_file(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_at: Callable[[Path], str]
) -> Path:
    """A SQLite file where "ann" imported the real Letterboxd export, built once for the module."""
    path = tmp_path_factory.mktemp("library-web") / "imported.db"
    store = open_store(migrated_sqlite_at(path))
    try:
        store.save_film(Film(id="tt0089560", title="Mask", year=1985, rating=Rating(value=7.0, votes=12168)))
        accounts.create_user(store, "ann", PASSWORD)
        import_letterboxd(store, LETTERBOXD, "ann")
    finally:
        store.close()
    return path


@pytest.fixture
def site(tmp_path: Path, imported_store_file: Path) -> Iterator[TestClient]:
    """The site on a copy of that store, signed in as ann (a test may change its copy)."""
    path = tmp_path / "marquee.db"
    shutil.copyfile(imported_store_file, path)
    store: SqlStore = open_store(f"sqlite:///{path}")
    app = create_app(Settings(page_cache_size=0), store)
    with TestClient(app, follow_redirects=False) as client:
        token = CSRF.search(client.get("/login").text)
        assert token
        answer = client.post(
            "/login", data={"csrf_token": token.group(1), "name": "ann", "password": PASSWORD}
        )
        assert answer.status_code == 303
        yield client


def test_own_pages_show_what_the_import_filled(site: TestClient) -> None:
    diary = site.get("/me/diary")
    assert diary.status_code == 200 and diary.headers["cache-control"] == "no-store"
    assert 'href="/title/spectre-2015">Spectre</a>' in diary.text
    assert (
        '<span class="tag">rewatch</span>' in diary.text and '<span class="tag">sierra</span>' in diary.text
    )
    assert "/me/export/letterboxd.csv" in diary.text and "/me/export/archive.json" in diary.text
    watch = site.get("/me/watchlist")
    assert "113 films" in watch.text and 'href="/title/tank-1984">Tank</a>' in watch.text
    lists = site.get("/me/lists")
    assert "Media Meta" in lists.text
    list_id = re.search(r'href="/me/lists/(\d+)">Software History', lists.text)
    assert list_id
    one = site.get(f"/me/lists/{list_id.group(1)}")
    assert one.status_code == 200
    items = re.findall(r'<li value="(\d+)"><a href="/title/([^"]+)">', one.text)
    assert items == [("1", "bbs-the-documentary-2005"), ("2", "silicon-cowboys-2016")]


def test_public_views_and_unknown_members(site: TestClient) -> None:
    visitor = TestClient(site.app, follow_redirects=False)
    page = visitor.get("/user/ann/diary")
    assert page.status_code == 200 and "<h1>ann" in page.text and "s diary</h1>" in page.text
    assert "/me/export" not in page.text  # downloads are for the member only
    assert visitor.get("/user/nobody/diary").status_code == 404
    assert "<h1>ann" in visitor.get("/user/ANN/watchlist").text  # names compare as the site compares them
    assert visitor.get("/user/ann/lists/99999").status_code == 404
    signed_out = visitor.get("/me/diary")
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login?next=/me/diary"
    assert visitor.get("/me/export/archive.json").status_code == 303


def test_downloads(site: TestClient) -> None:
    archive = site.get("/me/export/archive.json")
    assert archive.status_code == 200
    assert archive.headers["content-disposition"] == 'attachment; filename="marquee-archive.json"'
    data = json.loads(archive.text)
    assert data["user"] == "ann" and len(data["ratings"]) == 233 and len(data["watchlist"]) == 113
    letterboxd = site.get("/me/export/letterboxd.csv")
    rows = list(csv.DictReader(io.StringIO(letterboxd.text)))
    assert len([r for r in rows if r["WatchedDate"]]) == 317
    assert letterboxd.headers["content-type"].startswith("text/csv")


def test_watchlist_form_needs_csrf_and_adds_and_removes(site: TestClient) -> None:
    store = site.app.state.marquee.store
    assert site.post("/me/watchlist", data={"film_id": "tt0089560"}).status_code == 403
    token = CSRF.search(site.get("/me/watchlist").text)
    assert token
    added = site.post("/me/watchlist", data={"csrf_token": token.group(1), "film_id": "tt0089560"})
    assert added.status_code == 303
    assert "tt0089560" in [e.film_id for e in library.watchlist_of(store, "ann")]
    assert (
        site.post("/me/watchlist", data={"csrf_token": token.group(1), "film_id": "tt404"}).status_code == 404
    )
    removed = site.post("/me/watchlist/tt0089560/remove", data={"csrf_token": token.group(1)})
    assert removed.status_code == 303
    assert "tt0089560" not in [e.film_id for e in library.watchlist_of(store, "ann")]
