"""Following people and lists, and the notices they bring (issue 21), on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result

from marquee.errors import NotFound
from marquee.records import Film, PersonRef
from marquee.services import accounts, follows, library
from marquee.services.accounts import Forbidden
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.cli import Marquee, marquee_on
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
    for odd in ("²", "١", "-1", "1" * 40):  # digits Python's int() reads, or not a list id at all
        with pytest.raises(NotFound, match="no list"):
            follows.follow(films, ann, "list", odd)
    for odd in ("nm\x00", "x" * 10_000):  # PostgreSQL refuses a NUL: never sent to it
        with pytest.raises(NotFound, match="no person"):
            follows.follow(films, ann, "person", odd)
    with pytest.raises(Forbidden):
        follows.notices(films, bob, "ann")
    with pytest.raises(Forbidden):
        follows.notices(films, None, "ann")


def test_import_json_notifies_followers(
    films: SqlStore, db_url: str, tmp_path: Path, runner: Marquee
) -> None:
    ann = accounts.create_user(films, "ann", PASSWORD)
    follows.follow(films, ann, "person", PETER.id or "")
    lines = tmp_path / "new.jsonl"
    lines.write_text(AT_LONG_LAST.model_dump_json() + "\n", encoding="utf-8")
    result = runner("--db", db_url, "import", "json", str(lines))
    assert result.exit_code == 0, result.output
    with films.reading() as conn:
        from marquee.storage.follows import notices_of

        assert [n.title_id for n in notices_of(conn, ann.id, 10)] == ["tt0072653"]


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
    assert '<a href="/user/cleo/notices">Notices</a>' in site.get("/").text  # in the member menu
    notices = site.get("/user/cleo/notices")
    assert notices.status_code == 200
    section = read_page(notices.text).section("notices")
    assert "Peter Bogdanovich" in section and "At Long Last Love" in section
    assert site.post("/person/nm404/follow", data={"csrf_token": token_in(page)}).status_code == 404
    assert site.post("/person/nm%00/follow", data={"csrf_token": token_in(page)}).status_code == 404


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
    page_text = site.get("/user/cleo/notices").text
    assert "Mask" in read_page(page_text).section("notices")
    assert f'<a href="/user/bob/lists/{list_id}">“Favourites”</a>' in page_text
    assert "Favourites" in read_page(page_text).section("following")
    assert "by bob" in read_page(page_text).section("following")
    assert site.post("/user/bob/lists/999/follow", data={"csrf_token": token_in(page)}).status_code == 404


# ---- every path that adds a credit: notices at once, no further import needed ---------------------


def credited(store: SqlStore, name: str) -> list[str]:
    """The film ids of the member's notices, as the service gives them (collected on reading)."""
    user = accounts.get_user(store, name)
    assert user is not None
    return [n.film_id for n in follows.notices(store, user, name)]


def following_peter(store: SqlStore, name: str = "ann") -> accounts.User:
    user = accounts.create_user(store, name, PASSWORD)
    assert follows.follow(store, user, "person", PETER.id or "")
    return user


def test_a_cli_edit_that_adds_a_director_is_a_notice(
    films: SqlStore, db_url: str, tmp_path: Path, runner: Marquee
) -> None:
    following_peter(films)
    films.save_film(Film(id="tt0072653", title="At Long Last Love", year=1975))
    assert credited(films, "ann") == []  # not his yet
    accounts.create_user(films, "ed", PASSWORD, "editor")
    patch = tmp_path / "patch.json"
    patch.write_text('{"directors": [{"name": "Peter Bogdanovich", "id": "nm0000953"}]}', encoding="utf-8")
    edited = runner("--db", db_url, "edit", "tt0072653", "--user", "ed", "--file", str(patch))
    assert edited.exit_code == 0, edited.output
    assert credited(films, "ann") == ["tt0072653"]


def test_an_api_edit_that_adds_a_cast_member_is_a_notice(site: TestClient, films: SqlStore) -> None:
    following_peter(films)
    films.save_film(Film(id="tt0072653", title="At Long Last Love", year=1975))
    accounts.create_user(films, "ed", PASSWORD, "editor")
    bearer = {"Authorization": f"Bearer {accounts.create_token(films, 'ed')}"}
    cast = [{"name": "Peter Bogdanovich", "id": "nm0000953", "character": "Himself"}]
    answer = site.patch("/api/v1/titles/tt0072653", json={"cast": cast}, headers=bearer)
    assert answer.status_code == 200, answer.text
    assert credited(films, "ann") == ["tt0072653"]


def test_a_queued_edit_is_a_notice_once_a_moderator_approves_it_on_the_site(films: SqlStore) -> None:
    # The site's edit forms have no cast or crew section: a credit reaches the site through an edit
    # of the API or the CLI; a new member's such edit waits, and the moderator's form applies it.
    following_peter(films)
    films.save_film(Film(id="tt0072653", title="At Long Last Love", year=1975))
    settings = Settings(page_cache_size=0, edit_queue=True, edit_queue_days=7)
    with TestClient(create_app(settings, films), follow_redirects=False) as client:
        sign_up(client, "newbie")
        bearer = {"Authorization": f"Bearer {accounts.create_token(films, 'newbie')}"}
        patch = {"directors": [{"name": "Peter Bogdanovich", "id": "nm0000953"}]}
        waiting = client.patch("/api/v1/titles/tt0072653", json=patch, headers=bearer)
        assert waiting.status_code == 202, waiting.text
        assert credited(films, "ann") == []  # pending: the film is unchanged
        client.cookies.clear()
        sign_up(client, "boss", "moderator")
        queue = client.get("/moderation").text
        approve = f"/moderation/edits/{waiting.json()['revision']}/approve"
        assert client.post(approve, data={"csrf_token": token_in(queue)}).status_code == 303
    assert credited(films, "ann") == ["tt0072653"]


def test_a_cli_page_import_is_a_notice_on_the_notices_page(
    site: TestClient, films: SqlStore, db_url: str, tmp_path: Path, runner: Marquee
) -> None:
    from marquee.formats.textpage import render_page

    sign_up(site, "cleo")
    page = site.get(f"/person/{PETER.id}").text
    assert site.post(f"/person/{PETER.id}/follow", data={"csrf_token": token_in(page)}).status_code == 303
    text_page = tmp_path / "at-long-last-love.txt"
    text_page.write_text(render_page(AT_LONG_LAST), encoding="utf-8")
    imported = runner("--db", db_url, "import", "page", str(text_page))
    assert imported.exit_code == 0, imported.output
    section = read_page(site.get("/user/cleo/notices").text).section("notices")
    assert "Peter Bogdanovich" in section and "At Long Last Love" in section


def test_a_cli_imdb_import_is_a_notice(films: SqlStore, db_url: str, tmp_path: Path, runner: Marquee) -> None:
    ann = following_peter(films)
    dumps = tmp_path / "imdb"
    dumps.mkdir()
    (dumps / "title.basics.tsv").write_text(
        "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n"
        "tt0072653\tmovie\tAt Long Last Love\tAt Long Last Love\t0\t1975\t\\N\t118\tComedy,Musical\n",
        encoding="utf-8",
    )
    (dumps / "title.principals.tsv").write_text(
        "tconst\tordering\tnconst\tcategory\tjob\tcharacters\ntt0072653\t1\tnm0000953\tdirector\t\\N\t\\N\n",
        encoding="utf-8",
    )
    (dumps / "name.basics.tsv").write_text(
        "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n"
        "nm0000953\tPeter Bogdanovich\t1939\t2022\tdirector\ttt0072653\n",
        encoding="utf-8",
    )
    imported = runner("--db", db_url, "import", "imdb", "--quiet", str(dumps))
    assert imported.exit_code == 0, imported.output
    with films.reading() as conn:  # made by the import itself, before anyone reads them
        from marquee.storage.follows import notices_of

        assert [n.title_id for n in notices_of(conn, ann.id, 10)] == ["tt0072653"]


# ---- the CLI: follow, notices, and bad input --------------------------------------------------------


def run(url: str, *args: str) -> Result:
    return marquee_on(url)(*args)


def test_cli_follow_and_notices(films: SqlStore, db_url: str) -> None:
    accounts.create_user(films, "ann", PASSWORD)
    done = run(db_url, "follow", "--user", "ann", "--person", PETER.id or "")
    assert done.exit_code == 0 and done.stdout.strip() == f"ann now follows person {PETER.id}"
    again = run(db_url, "follow", "--user", "ANN", "--person", PETER.id or "")
    assert again.stdout.strip() == f"ann already follows person {PETER.id}"
    films.save_film(AT_LONG_LAST)
    shown = run(db_url, "notices", "--user", "ann")
    assert shown.exit_code == 0, shown.output
    assert "tt0072653\tPeter Bogdanovich is credited on At Long Last Love (1975)" in shown.stdout
    as_json = json.loads(run(db_url, "notices", "--user", "ann", "--json").stdout)
    assert [n["film_id"] for n in as_json["notices"]] == ["tt0072653"]
    assert as_json["feed"].startswith("/user/ann/notices.atom?token=")
    stop = run(db_url, "follow", "--user", "ann", "--person", PETER.id or "", "--stop")
    assert stop.exit_code == 0 and "stopped following" in stop.stdout
    list_id = library.create_list(films, "ann", "Mine", [MOON.id])
    assert run(db_url, "follow", "--user", "ann", "--list", f"00{list_id}").exit_code == 0
    again = run(db_url, "follow", "--user", "ann", "--list", str(list_id))  # one list, however written
    assert again.stdout.strip() == f"ann already follows list {list_id}"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["follow", "--user", "ann", "--person", "nm404"], 2, "no person with id 'nm404'"),
        (["follow", "--user", "ann", "--list", "999"], 2, "no list '999'"),
        (["follow", "--user", "ann", "--list", "abc"], 2, "no list 'abc'"),
        (["follow", "--user", "nobody", "--person", "nm0000953"], 2, "no member named 'nobody'"),
        (["follow", "--user", "ann"], 1, "give --person ID or --list ID (one of them)"),
        (["follow", "--user", "ann", "--person", "nm1", "--list", "1"], 1, "give --person ID or --list ID"),
        (["follow", "--user", "ann", "--person", " "], 1, "person: must not be empty"),
        (["follow", "--user", "ann", "--list", "²"], 2, "no list '²'"),
        (["notices", "--user", "nobody"], 2, "no member named 'nobody'"),
        (["notices", "--user", ""], 1, "member name: must not be empty"),
        (["notices", "--user", "x" * 100_000], 1, "member name: longer than"),
    ],
)
def test_cli_bad_input_is_one_line_and_changes_nothing(
    films: SqlStore, db_url: str, args: list[str], code: int, message: str
) -> None:
    accounts.create_user(films, "ann", PASSWORD)
    answer = run(db_url, *args)
    assert answer.exit_code == code, answer.output
    assert len(answer.stderr.splitlines()) == 1 and message in answer.stderr
    assert answer.stderr.startswith("marquee: error: ")
    with films.reading() as conn:
        from marquee.storage.follows import follows as follows_table

        assert conn.execute(follows_table.select()).all() == []


# ---- the notices page's JSON, what the member follows, and deleting a member ------------------------


def test_notices_json_is_the_members_alone(site: TestClient, films: SqlStore) -> None:
    assert site.get("/user/cleo/notices.json").status_code == 401
    sign_up(site, "cleo")
    page = site.get(f"/person/{PETER.id}").text
    site.post(f"/person/{PETER.id}/follow", data={"csrf_token": token_in(page)})
    films.save_film(AT_LONG_LAST)
    body = site.get("/user/cleo/notices.json").json()
    assert [n["message"] for n in body["notices"]] == [
        "Peter Bogdanovich is credited on At Long Last Love (1975)"
    ]
    assert [(f["kind"], f["target"], f["name"]) for f in body["following"]] == [
        ("person", PETER.id, "Peter Bogdanovich")
    ]
    following = read_page(site.get("/user/cleo/notices").text).section("following")
    assert "Peter Bogdanovich" in following
    site.cookies.clear()
    sign_up(site, "dora")
    assert site.get("/user/cleo/notices.json").status_code == 403


def test_deleting_a_member_erases_their_follows_notices_and_feed(films: SqlStore) -> None:
    from marquee.services.user_admin import delete_member
    from marquee.storage.follows import follows as follows_table
    from marquee.storage.follows import notice_feeds, notices

    ann = following_peter(films)
    follows.feed_token(films, ann, "ann")
    films.save_film(AT_LONG_LAST)
    assert credited(films, "ann") == ["tt0072653"]
    accounts.create_user(films, "root", PASSWORD, "admin")
    delete_member(films, "ann", keep=True)
    with films.reading() as conn:
        for table in (follows_table, notices, notice_feeds):
            assert conn.execute(table.select()).all() == [], table.name


# ---- the JSON API -------------------------------------------------------------------------------------


def test_api_follow_notices_and_unfollow(site: TestClient, films: SqlStore) -> None:
    accounts.create_user(films, "ann", PASSWORD)
    bearer = {"Authorization": f"Bearer {accounts.create_token(films, 'ann')}"}
    assert site.put(f"/api/v1/me/follows/people/{PETER.id}").status_code == 401
    done = site.put(f"/api/v1/me/follows/people/{PETER.id}", headers=bearer)
    assert done.status_code == 200, done.text
    assert done.json() == {"kind": "person", "target": PETER.id, "following": True, "added": True}
    assert site.put(f"/api/v1/me/follows/people/{PETER.id}", headers=bearer).json()["added"] is False
    films.save_film(AT_LONG_LAST)
    notices = site.get("/api/v1/me/notices", headers=bearer)
    assert notices.status_code == 200
    body = notices.json()
    assert [n["message"] for n in body["items"]] == [
        "Peter Bogdanovich is credited on At Long Last Love (1975)"
    ]
    assert site.get(body["feed"]).status_code == 200  # the private feed's address works
    listed = site.get("/api/v1/me/follows", headers=bearer).json()["items"]
    assert [(f["kind"], f["target"], f["name"]) for f in listed] == [
        ("person", PETER.id, "Peter Bogdanovich")
    ]
    assert site.delete(f"/api/v1/me/follows/people/{PETER.id}", headers=bearer).status_code == 204
    assert site.delete(f"/api/v1/me/follows/people/{PETER.id}", headers=bearer).status_code == 404
    assert site.get("/api/v1/me/notices").status_code == 401


def test_api_follow_of_an_unknown_person_or_list_is_a_404(site: TestClient, films: SqlStore) -> None:
    accounts.create_user(films, "bob", PASSWORD)
    list_id = library.create_list(films, "bob", "Favourites", [MOON.id])
    accounts.create_user(films, "ann", PASSWORD)
    bearer = {"Authorization": f"Bearer {accounts.create_token(films, 'ann')}"}
    unknown = site.put("/api/v1/me/follows/people/nm404", headers=bearer)
    assert unknown.status_code == 404 and "no person with id 'nm404'" in unknown.json()["detail"]
    assert site.put("/api/v1/me/follows/lists/999", headers=bearer).status_code == 404
    assert site.put("/api/v1/me/follows/lists/0", headers=bearer).status_code == 400
    assert site.put("/api/v1/me/follows/lists/x", headers=bearer).status_code == 400
    assert site.get("/api/v1/me/follows", headers=bearer).json() == {"items": []}  # nothing stored
    assert site.put(f"/api/v1/me/follows/lists/{list_id}", headers=bearer).json()["added"] is True
    library.create_list(films, "bob", "Favourites", [MOON.id, MASK.id])
    items = site.get("/api/v1/me/notices", headers=bearer).json()["items"]
    assert [(n["kind"], n["film_id"]) for n in items] == [("list", MASK.id)]
    assert site.delete(f"/api/v1/me/follows/lists/{list_id}", headers=bearer).status_code == 204
