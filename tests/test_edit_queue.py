"""The moderation queue for edits (issue 17, item 6): a new member's edit waits as a pending revision
that leaves the film unchanged; moderators approve it (applied, conflict-checked) or reject it (kept
in the history, logged). Services on both backends, the API (202), the web queue and the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import NotFound
from marquee.records import Film
from marquee.services import editing
from marquee.services.accounts import FieldError, Forbidden, create_token, create_user, get_user
from marquee.services.community import moderation_log_entries
from marquee.storage.sqlstore import SqlStore, open_store
from support.cli import marquee_on
from support.members import sign_up, token_in
from support.web import TestClient

FILM = "tt0089560"
PASSWORD = "correct horse battery"
QUEUE = {"queue_edits": True, "queue_days": 7}


def stored(store: SqlStore) -> Film:
    found = store.get_film(FILM)
    assert found is not None
    return found


@pytest.fixture
def members(store: SqlStore) -> SqlStore:
    store.save_film(Film(id=FILM, title="Mask", year=1985, trivia=["Imported"]))
    create_user(store, "ada", PASSWORD)
    create_user(store, "ed", PASSWORD, "editor")
    create_user(store, "mod", PASSWORD, "moderator")
    return store


def moderator(store: SqlStore) -> Any:
    found = get_user(store, "mod")
    assert found is not None
    return found


def test_a_new_members_edit_waits_and_changes_nothing(members: SqlStore) -> None:
    before = stored(members)
    result = editing.edit_film(members, FILM, {"taglines": ["Hi"]}, "ada", note="DVD", **QUEUE)
    assert result.pending and result.revision is not None
    assert result.revision.status == "pending" and result.revision.fields == ["taglines"]
    assert stored(members) == before
    assert editing.current_revision(members, FILM) == 0
    history = editing.film_history(members, FILM)
    assert [(r.id, r.status, r.user) for r in history] == [(result.revision.id, "pending", "ada")]
    queue = editing.pending_edits(members, moderator(members))
    assert [r.id for r in queue] == [result.revision.id]
    assert queue[0].diff is not None and queue[0].diff[0].lines[0].text == "Hi"


def test_editors_and_the_setting_off_go_live(members: SqlStore) -> None:
    live = editing.edit_film(members, FILM, {"taglines": ["Ed"]}, "ed", **QUEUE)
    assert not live.pending and stored(members).taglines == ["Ed"]
    off = editing.edit_film(members, FILM, {"taglines": ["Ada"]}, "ada", queue_edits=False, queue_days=7)
    assert not off.pending and stored(members).taglines == ["Ada"]
    old_enough = editing.edit_film(
        members, FILM, {"taglines": ["Old"]}, "ada", queue_edits=True, queue_days=0
    )
    assert not old_enough.pending and stored(members).taglines == ["Old"]


def test_approve_applies_it_as_the_authors_revision_and_logs(members: SqlStore) -> None:
    mod = moderator(members)
    waiting = editing.edit_film(members, FILM, {"trivia": ["Imported", "New"]}, "ada", note="why", **QUEUE)
    assert waiting.revision is not None
    result = editing.approve_revision(members, waiting.revision.id, mod, reason="fine")
    applied = result.revision
    assert applied is not None and applied.status == "live" and applied.user == "ada"
    assert applied.note == "why" and applied.source == f"member:{applied.id}"
    film = stored(members)
    assert film.trivia == ["Imported", "New"] and film.sources["trivia"] == f"member:{applied.id}"
    assert editing.current_revision(members, FILM) == applied.id
    states = {r.id: (r.status, r.applied_as) for r in editing.film_history(members, FILM)}
    assert states == {waiting.revision.id: ("approved", applied.id), applied.id: ("live", None)}
    assert editing.pending_edits(members, mod) == []
    log = moderation_log_entries(members, mod)
    assert (log[0].action, log[0].target, log[0].target_id) == (
        "approve_edit",
        "revision",
        str(waiting.revision.id),
    )
    with pytest.raises(FieldError, match="approved, not waiting"):
        editing.approve_revision(members, waiting.revision.id, mod)


def test_reject_keeps_it_in_history_never_applied_and_logs(members: SqlStore) -> None:
    mod = moderator(members)
    waiting = editing.edit_film(members, FILM, {"title": "Vandal"}, "ada", **QUEUE)
    assert waiting.revision is not None
    rejected = editing.reject_revision(members, waiting.revision.id, mod, reason="vandalism")
    assert rejected.status == "rejected"
    assert stored(members).title == "Mask"
    assert [r.status for r in editing.film_history(members, FILM)] == ["rejected"]
    entry = moderation_log_entries(members, mod)[0]
    assert (entry.action, entry.reason) == ("reject_edit", "vandalism")
    with pytest.raises(FieldError, match="never applied"):
        editing.revert(members, FILM, waiting.revision.id, "mod")
    with pytest.raises(FieldError, match="rejected, not waiting"):
        editing.approve_revision(members, waiting.revision.id, mod)


def test_approval_is_conflict_checked_against_the_base(members: SqlStore) -> None:
    mod = moderator(members)
    waiting = editing.edit_film(members, FILM, {"title": "Masque"}, "ada", **QUEUE)
    assert waiting.revision is not None
    editing.edit_film(members, FILM, {"title": "The Mask"}, "ed", **QUEUE)
    with pytest.raises(editing.EditConflict, match="title changed since") as caught:
        editing.approve_revision(members, waiting.revision.id, mod)
    assert caught.value.diff["fields"]["title"] == {"current": "The Mask", "yours": "Masque"}
    assert stored(members).title == "The Mask"
    assert [r.status for r in editing.film_history(members, FILM)] == ["live", "pending"]


def test_only_moderators_review_and_only_pending_revisions(members: SqlStore) -> None:
    waiting = editing.edit_film(members, FILM, {"taglines": ["Hi"]}, "ada", **QUEUE)
    assert waiting.revision is not None
    ed = get_user(members, "ed")
    assert ed is not None
    with pytest.raises(Forbidden):
        editing.approve_revision(members, waiting.revision.id, ed)
    with pytest.raises(Forbidden):
        editing.reject_revision(members, waiting.revision.id, ed)
    with pytest.raises(Forbidden):
        editing.pending_edits(members, ed)
    with pytest.raises(NotFound):
        editing.approve_revision(members, waiting.revision.id, moderator(members), film_id="tt0000001")
    with pytest.raises(NotFound):
        editing.reject_revision(members, 99999, moderator(members))


# ---- the API, the web queue and the CLI ------------------------------------------------------------------


@pytest.fixture
def client(members: SqlStore) -> Iterator[TestClient]:
    from marquee.settings import Settings
    from marquee.web.app import create_app

    site = create_app(Settings(page_cache_size=0, edit_queue=True, edit_queue_days=7), members)
    with TestClient(site, follow_redirects=False) as client:
        yield client


def test_api_answers_202_with_the_pending_revision_and_moderators_approve(
    client: TestClient, members: SqlStore
) -> None:
    ada = {"Authorization": f"Bearer {create_token(members, 'ada')}"}
    mod = {"Authorization": f"Bearer {create_token(members, 'mod')}"}
    answer = client.patch(f"/api/v1/titles/{FILM}", json={"taglines": ["Hi"]}, headers=ada)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "pending" and body["film"]["taglines"] == []
    rev = body["revision"]
    history = client.get(f"/api/v1/titles/{FILM}/history").json()["revisions"]
    assert [(r["id"], r["status"]) for r in history] == [(rev, "pending")]
    refused = client.post(f"/api/v1/titles/{FILM}/revisions/{rev}/approve", headers=ada)
    assert refused.status_code == 403
    approved = client.post(f"/api/v1/titles/{FILM}/revisions/{rev}/approve", headers=mod)
    assert approved.status_code == 200, approved.text
    assert approved.json()["film"]["taglines"] == ["Hi"]
    assert client.get(f"/api/v1/titles/{FILM}").json()["taglines"] == ["Hi"]
    second = client.patch(f"/api/v1/titles/{FILM}", json={"title": "X"}, headers=ada).json()["revision"]
    rejected = client.post(f"/api/v1/titles/{FILM}/revisions/{second}/reject", headers=mod)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert stored(members).title == "Mask"


def test_web_member_sees_it_waits_and_moderator_approves_from_the_queue(
    client: TestClient, members: SqlStore
) -> None:
    sign_up(client, "newbie")
    token = token_in(client.get(f"/title/{FILM}/edit/taglines").text)
    saved = client.post(
        f"/title/{FILM}/edit/taglines", data={"csrf_token": token, "base_revision": "0", "taglines-0": "Hi"}
    )
    assert saved.status_code == 303, saved.text
    assert "pending=" in saved.headers["location"]
    page = client.get(saved.headers["location"]).text
    assert "your edit waits for review" in page and '<span class="tag">waits for review</span>' in page
    assert stored(members).taglines == []
    client.cookies.clear()
    sign_up(client, "boss", "moderator")
    queue = client.get("/moderation").text
    rev = editing.film_history(members, FILM)[0].id
    assert f"/moderation/edits/{rev}/approve" in queue and "Hi" in queue
    assert client.post(f"/moderation/edits/{rev}/approve", data={}).status_code == 403  # no CSRF token
    done = client.post(f"/moderation/edits/{rev}/approve", data={"csrf_token": token_in(queue)})
    assert done.status_code == 303, done.text
    assert stored(members).taglines == ["Hi"]
    assert "No edits are waiting." in client.get("/moderation").text


def test_cli_edit_by_a_new_member_waits(sqlite_url: str, tmp_path: Path) -> None:
    run = marquee_on(sqlite_url, MARQUEE_EDIT_QUEUE="1", MARQUEE_EDIT_QUEUE_DAYS="7")
    store = open_store(sqlite_url)
    store.save_film(Film(id=FILM, title="Mask", year=1985))
    store.close()
    assert run("user", "create", "ada", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    patch = tmp_path / "patch.json"
    patch.write_text('{"taglines": ["Hi"]}', encoding="utf-8")
    result = run("edit", FILM, "--user", "ada", "--file", str(patch))
    assert result.exit_code == 0, result.output
    assert "waits for review" in result.stdout
    shown = run("show", FILM, "--format", "json")
    assert '"taglines": []' in shown.stdout or '"taglines":[]' in shown.stdout
    assert "[pending]" in run("history", FILM).stdout
