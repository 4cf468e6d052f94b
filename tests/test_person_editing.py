"""Members edit people (issue 17, item 1): name, birth and death years and biography, as revisions of
``person:ID`` with a history; queued for new members like films' edits; the CLI ``edit-person`` and
``person-history``, ``PATCH /api/v1/people/{id}`` and the person page's form; revert, hiding, and
moderators' review of a person's edits through the API and the site, as for films."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import NotFound
from marquee.records import Film, PersonRef
from marquee.services import editing
from marquee.services.accounts import FieldError, Forbidden, create_token, create_user, get_user
from marquee.services.community import moderation_log_entries
from marquee.settings import Settings
from marquee.storage.sqlstore import SqlStore, open_store
from marquee.web.app import create_app
from support.cli import marquee_on
from support.members import sign_up, token_in
from support.web import TestClient

PERSON = "nm0000116"
PASSWORD = "correct horse battery"


def with_person(store: SqlStore) -> None:
    store.save_film(
        Film(
            id="tt0089560",
            title="Mask",
            year=1985,
            directors=[PersonRef(name="Peter Bogdanovich", id=PERSON)],
        )
    )


@pytest.fixture
def members(store: SqlStore) -> SqlStore:
    with_person(store)
    create_user(store, "ada", PASSWORD)
    create_user(store, "mod", PASSWORD, "moderator")
    return store


def test_an_edit_of_a_person_is_a_revision_with_history(members: SqlStore) -> None:
    result = editing.edit_person(
        members, PERSON, {"birth_year": 1939, "biography": "Critic.\n\nDirector."}, "ada", note="obit"
    )
    assert result.revision is not None and not result.pending
    assert result.revision.fields == ["birth_year", "biography"]
    assert result.revision.source == f"member:{result.revision.id}"
    person = members.get_person(PERSON)
    assert person is not None and person.birth_year == 1939 and person.biography == "Critic.\n\nDirector."
    history = editing.person_history(members, PERSON, diffs=True)
    assert [(r.id, r.user, r.note) for r in history] == [(result.revision.id, "ada", "obit")]
    assert history[0].diff is not None and history[0].diff[0].lines[0].text == "1939"
    assert editing.film_history(members, "tt0089560") == []  # a person's revisions are not a film's
    assert editing.current_person_revision(members, PERSON) == result.revision.id
    assert editing.edit_person(members, PERSON, {"birth_year": 1939}, "ada").revision is None


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"nmae": "x"}, "nmae"),
        ({"credits": []}, "credits"),
        ({"birth_year": "soon"}, "birth_year"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_person_edits_name_the_field_and_change_nothing(
    members: SqlStore, patch: dict[str, Any], field: str
) -> None:
    before = members.get_person(PERSON)
    with pytest.raises(FieldError) as caught:
        editing.edit_person(members, PERSON, patch, "ada")
    assert caught.value.field == field
    assert members.get_person(PERSON) == before
    with pytest.raises(NotFound):
        editing.edit_person(members, "nm9999999", {"name": "X"}, "ada")


def test_a_new_members_person_edit_waits_and_a_moderator_approves(members: SqlStore) -> None:
    waiting = editing.edit_person(
        members, PERSON, {"name": "P. Bogdanovich"}, "ada", queue_edits=True, queue_days=7
    )
    assert waiting.pending and waiting.revision is not None
    person = members.get_person(PERSON)
    assert person is not None and person.name == "Peter Bogdanovich"
    mod = get_user(members, "mod")
    assert mod is not None
    assert [r.film_id for r in editing.pending_edits(members, mod)] == [f"person:{PERSON}"]
    editing.approve_revision(members, waiting.revision.id, mod)
    person = members.get_person(PERSON)
    assert person is not None and person.name == "P. Bogdanovich"
    assert [r.status for r in editing.person_history(members, PERSON)] == ["live", "approved"]


@pytest.fixture
def client(members: SqlStore) -> Iterator[TestClient]:
    site = create_app(Settings(page_cache_size=0, edit_queue=False), members)
    with TestClient(site, follow_redirects=False) as client:
        yield client


def test_api_patch_person_and_history(client: TestClient, members: SqlStore) -> None:
    ada = {"Authorization": f"Bearer {create_token(members, 'ada')}"}
    answer = client.patch(f"/api/v1/people/{PERSON}", json={"death_year": 2022, "note": "died"}, headers=ada)
    assert answer.status_code == 200, answer.text
    assert answer.json()["person"]["death_year"] == 2022
    assert client.get(f"/api/v1/people/{PERSON}").json()["death_year"] == 2022
    history = client.get(f"/api/v1/people/{PERSON}/history").json()["revisions"]
    assert [(r["user"], r["fields"], r["note"]) for r in history] == [("ada", ["death_year"], "died")]
    bad = client.patch(f"/api/v1/people/{PERSON}", json={"death_year": "x"}, headers=ada)
    assert bad.status_code == 422 and "death_year" in bad.text
    assert client.patch(f"/api/v1/people/{PERSON}", json={"name": "X"}).status_code == 401


def test_web_form_edits_a_person(client: TestClient, members: SqlStore) -> None:
    assert client.get(f"/person/{PERSON}/edit").status_code == 303  # signed out: to the login page
    sign_up(client, "newbie")
    page = client.get(f"/person/{PERSON}").text
    assert f'href="/person/{PERSON}/edit"' in page
    form = client.get(f"/person/{PERSON}/edit").text
    token = token_in(form)
    data = {"csrf_token": token, "base_revision": "0", "name": "Peter Bogdanovich", "birth_year": "1939",
            "death_year": "", "biography": "Film critic."}  # fmt: skip
    bad = client.post(f"/person/{PERSON}/edit", data={**data, "birth_year": "later"})
    assert bad.status_code == 422 and "birth_year" in bad.text and "Film critic." in bad.text
    saved = client.post(f"/person/{PERSON}/edit", data=data)
    assert saved.status_code == 303, saved.text
    page = client.get(f"/person/{PERSON}").text
    assert "Film critic." in page
    history = client.get(f"/person/{PERSON}/history").text
    assert "birth_year, biography" in history and "newbie" in history
    assert client.get(f"/person/{PERSON}/history.json").json()["revisions"][0]["user"] == "newbie"
    assert client.post(f"/person/{PERSON}/edit", data={**data, "csrf_token": "x"}).status_code == 403


def test_cli_edit_person_and_person_history(sqlite_url: str, tmp_path: Path) -> None:
    run = marquee_on(sqlite_url, MARQUEE_EDIT_QUEUE="0")
    store = open_store(sqlite_url)
    with_person(store)
    store.close()
    assert run("user", "create", "ada", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    patch = tmp_path / "person.json"
    patch.write_text('{"biography": "Director of Mask."}', encoding="utf-8")
    done = run("edit-person", PERSON, "--user", "ada", "--file", str(patch))
    assert done.exit_code == 0, done.output
    assert f"{PERSON}: revision" in done.stdout
    history = json.loads(run("person-history", PERSON, "--json").stdout)
    assert [(r["user"], r["fields"]) for r in history] == [("ada", ["biography"])]
    patch.write_text('{"height": 180}', encoding="utf-8")
    bad = run("edit-person", PERSON, "--user", "ada", "--file", str(patch))
    assert bad.exit_code == 1 and "height" in bad.stderr


def test_moderators_approve_a_queued_person_edit_from_the_queue(members: SqlStore) -> None:
    site = create_app(Settings(page_cache_size=0, edit_queue=True, edit_queue_days=7), members)
    with TestClient(site, follow_redirects=False) as client:
        sign_up(client, "newbie")
        token = token_in(client.get(f"/person/{PERSON}/edit").text)
        data = {
            "csrf_token": token,
            "base_revision": "0",
            "name": "Peter Bogdanovich",
            "biography": "Critic.",
        }
        saved = client.post(f"/person/{PERSON}/edit", data=data)
        assert saved.status_code == 303 and "pending=" in saved.headers["location"]
        assert "your edit waits for review" in client.get(saved.headers["location"]).text
        person = members.get_person(PERSON)
        assert person is not None and person.biography is None
        client.cookies.clear()
        sign_up(client, "boss", "moderator")
        queue = client.get("/moderation").text
        rev = editing.person_history(members, PERSON)[0].id
        assert f'href="/person/{PERSON}"' in queue and f"/moderation/edits/{rev}/approve" in queue
        done = client.post(f"/moderation/edits/{rev}/approve", data={"csrf_token": token_in(queue)})
        assert done.status_code == 303, done.text
        assert "Critic." in client.get(f"/person/{PERSON}").text


def test_revert_of_a_person_restores_their_fields_as_a_new_revision(members: SqlStore) -> None:
    first = editing.edit_person(members, PERSON, {"birth_year": 1939, "biography": "Critic."}, "ada")
    assert first.revision is not None
    editing.edit_person(members, PERSON, {"name": "Vandal", "biography": "Rude."}, "ada")
    back = editing.people.revert(members, PERSON, first.revision.id, "mod")
    assert back.revision is not None and back.revision.reverts == first.revision.id
    assert back.revision.fields == ["name", "biography"] and back.person["biography"] == "Critic."
    person = members.get_person(PERSON)
    assert person is not None and (person.name, person.birth_year) == ("Peter Bogdanovich", 1939)
    undone = editing.people.revert(
        members, PERSON, first.revision.id, "mod", undo=True, fields=["birth_year"]
    )
    assert undone.revision is not None and undone.revision.fields == ["birth_year"]
    person = members.get_person(PERSON)
    assert person is not None and person.birth_year is None and person.biography == "Critic."
    with pytest.raises(FieldError, match="not a section"):
        editing.people.revert(members, PERSON, first.revision.id, "mod", fields=["credits"])
    film_edit = editing.edit_film(members, "tt0089560", {"taglines": ["Hi"]}, "ada").revision
    assert film_edit is not None
    with pytest.raises(FieldError, match=f"not of {PERSON}"):
        editing.people.revert(members, PERSON, film_edit.id, "mod")
    assert len(editing.person_history(members, PERSON)) == 4


def test_moderators_hide_a_person_revisions_text_and_the_log_says_so(members: SqlStore) -> None:
    vandal = editing.edit_person(members, PERSON, {"biography": "rude words"}, "ada", note="rude note")
    assert vandal.revision is not None
    ada, mod = get_user(members, "ada"), get_user(members, "mod")
    assert ada is not None and mod is not None
    with pytest.raises(Forbidden):
        editing.people.hide(members, PERSON, vandal.revision.id, ada)
    with pytest.raises(NotFound):  # a person's revision is not a film's
        editing.hide_revision(members, "tt0089560", vandal.revision.id, mod)
    editing.people.hide(members, PERSON, vandal.revision.id, mod, reason="vandalism")
    public = editing.people.revision(members, PERSON, vandal.revision.id)
    assert public.hidden and "rude" not in json.dumps(public.model_dump(mode="json"))
    assert editing.people.revision(members, PERSON, vandal.revision.id, mod).note == "rude note"
    [entry] = moderation_log_entries(members, mod)
    assert (entry.action, entry.target_id, entry.reason) == ("hide", str(vandal.revision.id), "vandalism")


def test_a_stale_person_edit_is_a_conflict_naming_what_changed_since(members: SqlStore) -> None:
    first = editing.edit_person(members, PERSON, {"birth_year": 1939}, "ada", base_revision=0)
    assert first.revision is not None
    with pytest.raises(editing.EditConflict) as conflict:
        editing.edit_person(members, PERSON, {"birth_year": 1940}, "mod", base_revision=0)
    assert conflict.value.diff["changed_since"][0]["id"] == first.revision.id
    assert conflict.value.diff["fields"]["birth_year"] == {"current": 1939, "yours": 1940}


def test_api_moderators_approve_and_reject_person_edits_and_revert_and_hide(members: SqlStore) -> None:
    site = create_app(Settings(page_cache_size=0, edit_queue=True, edit_queue_days=7), members)
    ada = {"Authorization": f"Bearer {create_token(members, 'ada')}"}
    mod = {"Authorization": f"Bearer {create_token(members, 'mod')}"}
    url = f"/api/v1/people/{PERSON}"
    with TestClient(site, follow_redirects=False) as client:
        waiting = client.patch(url, json={"biography": "Critic."}, headers=ada)
        assert waiting.status_code == 202 and waiting.json()["status"] == "pending"
        rev = waiting.json()["revision"]
        assert client.post(f"{url}/revisions/{rev}/approve", headers=ada).status_code == 403
        assert (
            client.post(f"/api/v1/titles/tt0089560/revisions/{rev}/approve", headers=mod).status_code == 404
        )
        approved = client.post(f"{url}/revisions/{rev}/approve", headers=mod)
        assert approved.status_code == 200, approved.text
        assert approved.json()["person"]["biography"] == "Critic."
        assert client.get(url).json()["biography"] == "Critic."
        second = client.patch(url, json={"name": "Vandal"}, headers=ada).json()["revision"]
        rejected = client.post(f"{url}/revisions/{second}/reject", headers=mod)
        assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
        assert client.get(url).json()["name"] == "Peter Bogdanovich"
        live = approved.json()["revision"]
        assert client.get(f"{url}/revisions/{live}").json()["diff"][0]["new"] == "Critic."
        undone = client.post(f"{url}/revisions/{live}/revert", params={"undo": "true"}, headers=mod)
        assert undone.status_code == 200, undone.text
        assert client.get(url).json()["biography"] is None
        assert client.post(f"{url}/revisions/{live}/hide", headers=ada).status_code == 403
        hidden = client.post(f"{url}/revisions/{live}/hide", headers=mod)
        assert hidden.status_code == 200 and hidden.json()["hidden"] is True


def test_web_person_revision_pages_revert_and_hide(client: TestClient, members: SqlStore) -> None:
    first = editing.edit_person(members, PERSON, {"biography": "Good."}, "ada")
    second = editing.edit_person(members, PERSON, {"biography": "Vandalism."}, "ada")
    assert first.revision is not None and second.revision is not None
    good, bad = first.revision.id, second.revision.id
    history = client.get(f"/person/{PERSON}/history").text
    assert f'href="/person/{PERSON}/revisions/{good}"' in history and "Vandalism." in history
    assert client.get(f"/person/{PERSON}/revisions/{bad}.json").json()["diff"][0]["new"] == "Vandalism."
    assert client.get(f"/person/{PERSON}/revisions/999").status_code == 404
    sign_up(client, "newbie")
    page = client.get(f"/person/{PERSON}/revisions/{good}").text
    assert f'action="/person/{PERSON}/revisions/{good}/revert"' in page and "/hide" not in page
    token = token_in(page)
    assert (
        client.post(f"/person/{PERSON}/revisions/{good}/revert", data={"csrf_token": "0" * 64}).status_code
        == 403
    )
    reverted = client.post(f"/person/{PERSON}/revisions/{good}/revert", data={"csrf_token": token})
    assert reverted.status_code == 303 and reverted.headers["location"] == f"/person/{PERSON}/history"
    assert "Good." in client.get(f"/person/{PERSON}").text
    assert (
        client.post(f"/person/{PERSON}/revisions/{bad}/hide", data={"csrf_token": token}).status_code == 403
    )
    sign_up(client, "boss", "moderator")
    mod_token = token_in(client.get(f"/person/{PERSON}/revisions/{bad}").text)
    hid = client.post(f"/person/{PERSON}/revisions/{bad}/hide", data={"csrf_token": mod_token})
    assert hid.status_code == 303
    assert editing.people.revision(members, PERSON, bad).hidden
