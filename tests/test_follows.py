"""Following people and lists, and the notices they bring (issue 21), on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marquee.cli import app as cli_app
from marquee.errors import NotFound
from marquee.records import Film, PersonRef
from marquee.services import accounts, follows, library
from marquee.services.accounts import Forbidden
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.members import PASSWORD, sign_up, token_in
from support.web import TestClient, read_page

PETER = PersonRef(name="Peter Bogdanovich", id="nm0000953")
MASK = Film(id="tt0089560", title="Mask", year=1985, directors=[PETER])
MOON = Film(id="tt0070510", title="Paper Moon", year=1973, directors=[PETER])
AT_LONG_LAST = Film(id="tt0072653", title="At Long Last Love", year=1975, directors=[PETER])


@pytest.fixture
def films(store: SqlStore) -> SqlStore:
    store.save_films([MASK, MOON])
    return store


def test_a_new_title_of_a_followed_person_is_a_notice(films: SqlStore) -> None:
    ann = accounts.create_user(films, "ann", PASSWORD)
    assert follows.follow(films, ann, "person", PETER.id or "")
    assert not follows.follow(films, ann, "person", PETER.id or "")  # already followed
    assert follows.collect_notices(films) == 0  # what he had is not news
    films.save_film(AT_LONG_LAST)
    assert follows.collect_notices(films) == 1
    assert follows.collect_notices(films) == 0  # once
    found = follows.notices(films, ann, "ANN")
    assert [(n.film_id, n.target_name) for n in found] == [("tt0072653", "Peter Bogdanovich")]
    assert found[0].message == "Peter Bogdanovich is credited on At Long Last Love (1975)"
    assert follows.unfollow(films, ann, "person", PETER.id or "")
    assert not follows.is_following(films, ann, "person", PETER.id or "")


def test_a_title_added_to_a_followed_list_is_a_notice(films: SqlStore) -> None:
    accounts.create_user(films, "bob", PASSWORD)
    ann = accounts.create_user(films, "ann", PASSWORD)
    list_id = library.create_list(films, "bob", "Favourites", [MOON.id])
    follows.follow(films, ann, "list", str(list_id))
    library.create_list(films, "bob", "Favourites", [MOON.id, MASK.id])
    found = follows.notices(films, ann, "ann")
    assert [(n.kind, n.film_id, n.target_name) for n in found] == [("list", MASK.id, "Favourites")]


def test_unknown_targets_and_other_members_are_refused(films: SqlStore) -> None:
    ann = accounts.create_user(films, "ann", PASSWORD)
    bob = accounts.create_user(films, "bob", PASSWORD)
    with pytest.raises(NotFound, match="no person"):
        follows.follow(films, ann, "person", "nm404")
    with pytest.raises(NotFound, match="no list"):
        follows.follow(films, ann, "list", "999")
    with pytest.raises(NotFound, match="no list"):
        follows.follow(films, ann, "list", "x" * 100)
    with pytest.raises(Forbidden):
        follows.notices(films, bob, "ann")
    with pytest.raises(Forbidden):
        follows.notices(films, None, "ann")


def test_import_json_notifies_followers(films: SqlStore, db_url: str, tmp_path: Path) -> None:
    ann = accounts.create_user(films, "ann", PASSWORD)
    follows.follow(films, ann, "person", PETER.id or "")
    lines = tmp_path / "new.jsonl"
    lines.write_text(AT_LONG_LAST.model_dump_json() + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["--db", db_url, "import", "json", str(lines)])
    assert result.exit_code == 0, result.output
    with films.engine.connect() as conn:
        from marquee.storage.follows import notices_of

        assert [n.tconst for n in notices_of(conn, ann.id, 10)] == ["tt0072653"]


# ---- the site ------------------------------------------------------------------------------------


@pytest.fixture
def site(films: SqlStore) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(page_cache_size=0), films), follow_redirects=False) as client:
        yield client


def test_follow_form_on_person_page_with_csrf_and_notices_page(site: TestClient, films: SqlStore) -> None:
    anonymous = read_page(site.get(f"/person/{PETER.id}").text)
    assert "Sign in to follow" in anonymous.text
    sign_up(site, "cleo")
    page = site.get(f"/person/{PETER.id}").text
    assert f'action="/person/{PETER.id}/follow"' in page and ">Follow<" in page
    forged = site.post(f"/person/{PETER.id}/follow", data={"csrf_token": "0" * 64})
    assert forged.status_code == 403
    done = site.post(f"/person/{PETER.id}/follow", data={"csrf_token": token_in(page)})
    assert done.status_code == 303 and done.headers["location"] == f"/person/{PETER.id}"
    assert ">Unfollow<" in site.get(f"/person/{PETER.id}").text
    films.save_film(AT_LONG_LAST)
    notices = site.get("/user/cleo/notices")
    assert notices.status_code == 200
    section = read_page(notices.text).section("notices")
    assert "Peter Bogdanovich" in section and "At Long Last Love" in section
    assert site.post("/person/nm404/follow", data={"csrf_token": token_in(page)}).status_code == 404


def test_notices_are_their_members_alone(site: TestClient) -> None:
    assert site.get("/user/cleo/notices").status_code == 303  # signed out: to the login page
    sign_up(site, "dora")
    assert site.get("/user/cleo/notices").status_code == 403


def test_follow_form_on_a_members_list(site: TestClient, films: SqlStore) -> None:
    accounts.create_user(films, "bob", PASSWORD)
    list_id = library.create_list(films, "bob", "Favourites", [MOON.id])
    sign_up(site, "cleo")
    page = site.get(f"/user/bob/lists/{list_id}").text
    action = f"/user/bob/lists/{list_id}/follow"
    assert f'action="{action}"' in page
    assert site.post(action, data={"csrf_token": token_in(page)}).status_code == 303
    library.create_list(films, "bob", "Favourites", [MOON.id, MASK.id])
    assert "Mask" in read_page(site.get("/user/cleo/notices").text).section("notices")
    assert site.post("/user/bob/lists/999/follow", data={"csrf_token": token_in(page)}).status_code == 404
