"""Members edit films (issue 17): patches, revisions, history, conflicts, revert, hiding, sources, and
re-imports that keep members' edits; services on both backends, the CLI and the API."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from marquee.errors import NotFound
from marquee.records import Film
from marquee.services import editing
from marquee.services.accounts import FieldError, Forbidden, create_token, create_user, get_user
from marquee.services.community import moderation_log_entries
from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.jsonlines import export_jsonl, import_jsonl
from marquee.services.page_import import import_pages
from marquee.storage.sqlstore import SqlStore
from support.cli import marquee_on
from support.web import TestClient

IMDB = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"
PAGES = Path(__file__).parent / "data" / "pages"
PASSWORD = "correct horse battery"


def film(film_id: str = "tt0089560", **fields: Any) -> Film:
    return Film(id=film_id, title="Mask", year=1985, **fields)


def stored(store: SqlStore, film_id: str) -> Film:
    found = store.get_film(film_id)
    assert found is not None
    return found


def sections(store: SqlStore, film_id: str) -> dict[str, Any]:
    return stored(store, film_id).model_dump(mode="json")


def dump(store: SqlStore) -> str:
    out = io.StringIO()
    export_jsonl(store, out)
    return out.getvalue()


@pytest.fixture
def members(store: SqlStore) -> SqlStore:
    create_user(store, "ada", PASSWORD)
    create_user(store, "bob", PASSWORD)
    create_user(store, "mod", PASSWORD, "moderator")
    return store


# ---- storage: sources ----------------------------------------------------------------------------------


def test_sources_are_stored_read_exported_and_imported_back(store: SqlStore) -> None:
    sources = {"taglines": "member:3", "title": "imdb-datasets:2026-11-30", "trivia": "page:mask.txt"}
    store.save_film(film(taglines=["Hi"], sources=sources))
    assert stored(store, "tt0089560").sources == sources
    exported = dump(store)
    assert '"sources":{"taglines":"member:3"' in exported
    store.delete_film("tt0089560")
    import_jsonl(store, io.StringIO(exported), "films.jsonl")
    assert stored(store, "tt0089560").sources == sources
    assert dump(store) == exported


# ---- edits and history ---------------------------------------------------------------------------------


def test_an_edit_is_a_revision_naming_who_what_and_the_member_source(members: SqlStore) -> None:
    store = members
    store.save_film(film(trivia=["Old"]))
    result = editing.edit_film(
        store, "tt0089560", {"taglines": ["A"], "trivia": ["Old", "New"]}, "ada", note="from the DVD"
    )
    revision = result.revision
    assert revision is not None
    assert revision.fields == ["taglines", "trivia"]
    assert revision.user == "ada"
    assert revision.source == f"member:{revision.id}"
    now = stored(store, "tt0089560")
    assert now.taglines == ["A"] and now.trivia == ["Old", "New"]
    assert now.sources == {"taglines": f"member:{revision.id}", "trivia": f"member:{revision.id}"}
    second = editing.edit_film(store, "tt0089560", {"title": "The Mask"}, "bob", source="wikidata:Q1")
    assert second.revision is not None and second.revision.source == "wikidata:Q1"
    history = editing.film_history(store, "tt0089560")
    assert [(r.id, r.user, r.fields, r.note) for r in history] == [
        (second.revision.id, "bob", ["title"], ""),
        (revision.id, "ada", ["taglines", "trivia"], "from the DVD"),
    ]
    detail = editing.get_revision(store, "tt0089560", revision.id)
    assert detail.diff is not None
    trivia = next(d for d in detail.diff if d.field == "trivia")
    assert [(line.op, line.text) for line in trivia.lines] == [(" ", "Old"), ("+", "New")]
    assert trivia.old == ["Old"] and trivia.new == ["Old", "New"]


def test_an_edit_that_changes_nothing_makes_no_revision(members: SqlStore) -> None:
    members.save_film(film(taglines=["A"]))
    result = editing.edit_film(members, "tt0089560", {"taglines": ["A"]}, "ada")
    assert result.revision is None
    assert editing.film_history(members, "tt0089560") == []


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"taglnes": ["typo"]}, "taglnes"),
        ({"id": "tt1"}, "id"),
        ({"taglines": "not a list"}, "taglines"),
        ({"year": "nineteen"}, "year"),
        ({"quotes": [{"lines": []}]}, "quotes.0.lines"),
        ({"plot": "x" * 10_000_000}, "plot"),
        ({"trivia": ["ok", "y" * 10_000_000]}, "trivia.1"),
    ],
)
def test_a_bad_patch_is_refused_naming_the_field_and_nothing_changes(
    members: SqlStore, patch: dict[str, Any], field: str
) -> None:
    members.save_film(film(taglines=["A"]))
    before = dump(members)
    with pytest.raises(FieldError) as refused:
        editing.edit_film(members, "tt0089560", patch, "ada")
    assert refused.value.field == field
    assert dump(members) == before
    assert editing.film_history(members, "tt0089560") == []


def test_an_edit_of_an_unknown_film_or_by_an_unknown_member_is_not_found(members: SqlStore) -> None:
    with pytest.raises(NotFound):
        editing.edit_film(members, "tt0000404", {"taglines": ["A"]}, "ada")
    members.save_film(film())
    with pytest.raises(NotFound):
        editing.edit_film(members, "tt0089560", {"taglines": ["A"]}, "nobody")


def test_a_stale_base_revision_is_a_conflict_with_the_diff_and_nothing_is_lost(members: SqlStore) -> None:
    store = members
    store.save_film(film())
    first = editing.edit_film(store, "tt0089560", {"taglines": ["Ada's"]}, "ada", base_revision=0)
    assert first.revision is not None
    with pytest.raises(editing.EditConflict) as conflict:
        editing.edit_film(store, "tt0089560", {"taglines": ["Bob's"]}, "bob", base_revision=0)
    diff = conflict.value.diff
    assert diff["current_revision"] == first.revision.id
    assert [r["user"] for r in diff["changed_since"]] == ["ada"]
    assert diff["fields"]["taglines"] == {"current": ["Ada's"], "yours": ["Bob's"]}
    assert stored(store, "tt0089560").taglines == ["Ada's"]
    merged = editing.edit_film(
        store, "tt0089560", {"taglines": ["Ada's", "Bob's"]}, "bob", base_revision=first.revision.id
    )
    assert merged.revision is not None and merged.revision.base_revision == first.revision.id
    assert stored(store, "tt0089560").taglines == ["Ada's", "Bob's"]


def test_revert_restores_byte_identical_sections_as_a_new_revision(members: SqlStore) -> None:
    store = members
    store.save_film(film(trivia=["Imported"]))
    imported = sections(store, "tt0089560")
    one = editing.edit_film(store, "tt0089560", {"taglines": ["A"], "trivia": ["Imported", "T1"]}, "ada")
    after_one = sections(store, "tt0089560")
    editing.edit_film(store, "tt0089560", {"taglines": ["B"], "title": "Vandal"}, "bob")
    editing.edit_film(store, "tt0089560", {"quotes": [{"lines": [{"text": "junk"}]}]}, "bob")
    assert one.revision is not None
    reverted = editing.revert(store, "tt0089560", one.revision.id, "mod")
    assert reverted.revision is not None
    assert reverted.revision.reverts == one.revision.id
    assert sorted(reverted.revision.fields) == ["quotes", "taglines", "title"]
    now = sections(store, "tt0089560")
    for name in editing.EDITABLE_FIELDS:
        assert json.dumps(now[name]) == json.dumps(after_one[name]), name
    only = editing.revert(store, "tt0089560", one.revision.id, "mod", undo=True, fields=["trivia"])
    assert only.revision is not None and only.revision.fields == ["trivia"]
    assert stored(store, "tt0089560").taglines == ["A"]  # left as it was
    with pytest.raises(FieldError):
        editing.revert(store, "tt0089560", one.revision.id, "mod", fields=["nonsense"])
    undone = editing.revert(store, "tt0089560", one.revision.id, "mod", undo=True)
    assert undone.revision is not None and undone.revision.fields == ["taglines"]
    now = sections(store, "tt0089560")
    assert now["taglines"] == imported["taglines"] and now["trivia"] == imported["trivia"]
    assert len(editing.film_history(store, "tt0089560")) == 6


def test_revert_of_another_films_revision_is_refused_and_changes_nothing(members: SqlStore) -> None:
    store = members
    store.save_films([film(), film("tt0000002")])
    other = editing.edit_film(store, "tt0000002", {"taglines": ["Other"]}, "ada")
    assert other.revision is not None
    before = dump(store)
    with pytest.raises(FieldError, match="revision of tt0000002, not of tt0089560"):
        editing.revert(store, "tt0089560", other.revision.id, "ada")
    with pytest.raises(NotFound):
        editing.revert(store, "tt0089560", 999, "ada")
    with pytest.raises(NotFound):
        editing.get_revision(store, "tt0089560", other.revision.id)
    assert dump(store) == before


def test_moderators_hide_a_revisions_text_and_the_log_says_so(members: SqlStore) -> None:
    store = members
    store.save_film(film())
    vandal = editing.edit_film(store, "tt0089560", {"plot": "rude words"}, "bob", note="rude note")
    assert vandal.revision is not None
    bob, mod = get_user(store, "bob"), get_user(store, "mod")
    assert bob is not None and mod is not None
    with pytest.raises(Forbidden):
        editing.hide_revision(store, "tt0089560", vandal.revision.id, bob)
    editing.hide_revision(store, "tt0089560", vandal.revision.id, mod, reason="vandalism")
    public = editing.get_revision(store, "tt0089560", vandal.revision.id)
    assert public.hidden and public.note != "rude note"
    assert public.diff is not None and "rude words" not in json.dumps(public.model_dump(mode="json"))
    seen = editing.get_revision(store, "tt0089560", vandal.revision.id, mod)
    assert seen.note == "rude note"
    [entry] = moderation_log_entries(store, mod)
    assert (entry.moderator, entry.action, entry.target, entry.target_id) == (
        "mod",
        "hide",
        "revision",
        str(vandal.revision.id),
    )


# ---- re-imports ----------------------------------------------------------------------------------------


def _changed_dump(tmp_path: Path, title: str) -> Path:
    folder = tmp_path / "dump2"
    shutil.copytree(IMDB, folder)
    basics = folder / "title.basics.tsv"
    basics.write_text(basics.read_text().replace("\tCarmencita\tCarmencita\t", f"\t{title}\tCarmencita\t"))
    return folder


def test_reimporting_imdb_datasets_keeps_member_edits_and_applies_source_changes(
    members: SqlStore, tmp_path: Path
) -> None:
    store = members
    import_imdb_datasets(store, IMDB)
    imported = stored(store, "tt0000001")
    edit = editing.edit_film(
        store, "tt0000001", {"title": "Carmencita (1894)", "taglines": ["She dances"]}, "ada"
    )
    assert edit.revision is not None
    import_imdb_datasets(store, IMDB)  # the same dump: the member's edits stay
    again = stored(store, "tt0000001")
    assert again.title == "Carmencita (1894)" and again.taglines == ["She dances"]
    assert again.rating == imported.rating
    assert [r.id for r in editing.film_history(store, "tt0000001")] == [edit.revision.id]
    import_imdb_datasets(store, _changed_dump(tmp_path, "Carmencita Dances"))
    changed = stored(store, "tt0000001")
    assert changed.title == "Carmencita Dances" and changed.taglines == ["She dances"]
    assert changed.sources["title"].startswith("imdb-datasets:")
    newest, older = editing.film_history(store, "tt0000001")
    assert newest.fields == ["title"] and newest.user is None and newest.source.startswith("imdb-datasets:")
    assert older.id == edit.revision.id  # the member's edit stays in history, one revert away
    editing.revert(store, "tt0000001", edit.revision.id, "ada")
    assert stored(store, "tt0000001").title == "Carmencita (1894)"


def test_a_full_dump_without_an_edited_title_keeps_it(members: SqlStore, tmp_path: Path) -> None:
    store = members
    import_imdb_datasets(store, IMDB)
    editing.edit_film(store, "tt0000001", {"taglines": ["Kept"]}, "ada")
    folder = tmp_path / "smaller"
    shutil.copytree(IMDB, folder)
    for path in folder.iterdir():
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(line for line in lines if "tt0000001\t" not in line))
    import_imdb_datasets(store, folder)
    assert stored(store, "tt0000001").taglines == ["Kept"]


def _page(text: str, name: str = "mask.txt") -> tuple[str, Any]:
    from marquee.formats.textpage import parse_page

    return name, parse_page(text, source=name)


def test_reimporting_a_page_keeps_member_edits_and_applies_the_pages_own_changes(members: SqlStore) -> None:
    store = members
    text = (PAGES / "mask-1985.txt").read_text()
    import_pages(store, [_page(text)])
    film_id = stored_id = _page(text)[1].film.id
    page_film = stored(store, stored_id)
    assert page_film.sources["title"] == "page:mask.txt#marquee-text"
    assert page_film.sources["taglines"] == "page:mask.txt#marquee-text"
    assert "is_adult" not in page_film.sources and "kind" not in page_film.sources  # defaults say nothing
    taglines = [*page_film.taglines, "A member's tagline"]
    edit = editing.edit_film(store, film_id, {"taglines": taglines, "outline": "Member outline"}, "ada")
    assert edit.revision is not None
    import_pages(store, [_page(text)])
    again = stored(store, film_id)
    assert again.taglines == taglines and again.outline == "Member outline"
    assert len(editing.film_history(store, film_id)) == 1
    assert page_film.outline
    changed = text.replace(page_film.outline, "A new outline from the page")
    import_pages(store, [_page(changed)])
    now = stored(store, film_id)
    assert now.outline == "A new outline from the page" and now.taglines == taglines
    newest = editing.film_history(store, film_id)[0]
    assert newest.fields == ["outline"] and newest.source == "page:mask.txt#marquee-text"


def test_reimporting_json_lines_keeps_member_edits(members: SqlStore) -> None:
    store = members
    store.save_film(film(taglines=["Imported"]))
    exported = dump(store)
    editing.edit_film(store, "tt0089560", {"taglines": ["Imported", "Member's"]}, "ada")
    import_jsonl(store, io.StringIO(exported), "old.jsonl")
    assert stored(store, "tt0089560").taglines == ["Imported", "Member's"]


# ---- the command line ----------------------------------------------------------------------------------


def test_cli_edit_history_revert_and_show_sources(sqlite_url: str, tmp_path: Path) -> None:
    run = marquee_on(sqlite_url, MARQUEE_EDIT_QUEUE="0")
    assert run("import", "imdb", str(IMDB), "--quiet").exit_code == 0
    assert run("user", "create", "ada", "--password-stdin", input=PASSWORD + "\n").exit_code == 0
    patch = tmp_path / "patch.json"
    patch.write_text(json.dumps({"taglines": ["Tag"], "trivia": ["One", "Two"]}))
    done = run("edit", "tt0000001", "--user", "ada", "--file", str(patch), "--note", "n1")
    assert done.exit_code == 0, done.output
    history = run("history", "tt0000001", "--json")
    [revision] = json.loads(history.stdout)
    assert {"id", "user", "time", "fields", "source", "note"} <= set(revision)
    assert (revision["user"], revision["fields"], revision["note"]) == ("ada", ["taglines", "trivia"], "n1")
    shown = json.loads(run("show", "tt0000001", "--format", "json").stdout)
    assert shown["sources"]["taglines"] == f"member:{revision['id']}"
    assert shown["trivia"] == ["One", "Two"]
    patch.write_text(json.dumps({"taglines": []}))
    assert run("edit", "tt0000001", "--user", "ada", "--file", str(patch)).exit_code == 0
    back = run("revert", "tt0000001", str(revision["id"]), "--user", "ada")
    assert back.exit_code == 0, back.output
    assert json.loads(run("show", "tt0000001").stdout)["taglines"] == ["Tag"]
    assert len(json.loads(run("history", "tt0000001", "--json").stdout)) == 3
    # bad input: one line naming the field, exit 1, nothing stored
    before = run("export").stdout
    for bad, named in (({"tagline": ["x"]}, "tagline"), ({"trivia": [1]}, "trivia.0")):
        patch.write_text(json.dumps(bad))
        refused = run("edit", "tt0000001", "--user", "ada", "--file", str(patch))
        assert refused.exit_code == 1
        assert f": {named}: " in refused.stderr and "Traceback" not in refused.output
    patch.write_text(json.dumps({"taglines": ["stale"]}))
    stale = run("edit", "tt0000001", "--user", "ada", "--file", str(patch), "--base", "0")
    assert stale.exit_code == 1 and "stale" in stale.stderr
    assert json.loads(stale.stdout)["current_revision"] == revision["id"] + 2
    other = run("revert", "tt0000002", str(revision["id"]), "--user", "ada")
    assert other.exit_code == 1 and "not of tt0000002" in other.stderr
    assert run("export").stdout == before
    assert run("history", "tt9999999").exit_code == 2


# ---- the API -------------------------------------------------------------------------------------------


@pytest.fixture
def api(sqlite_url: str) -> Any:
    from marquee.settings import Settings
    from marquee.web.app import create_app

    site = create_app(Settings(database_url=sqlite_url, edit_queue=False))
    store = site.state.marquee.store
    store.save_films([film(trivia=["Imported"]), film("tt0000002")])
    create_user(store, "ada", PASSWORD)
    create_user(store, "bob", PASSWORD)
    tokens = {name: create_token(store, name) for name in ("ada", "bob")}
    with TestClient(site) as client:
        yield client, tokens
    store.close()


def test_api_patch_history_revision_and_revert(api: Any) -> None:
    client, tokens = api
    ada = {"Authorization": f"Bearer {tokens['ada']}"}
    url = "/api/v1/titles/tt0089560"
    assert client.patch(url, json={"taglines": ["x"]}).status_code == 401
    assert (
        client.patch(url, json={"taglines": ["x"]}, headers={"Authorization": "Bearer mq_no"}).status_code
        == 401
    )
    answer = client.patch(
        url, json={"taglines": ["API tagline"], "note": "api", "base_revision": 0}, headers=ada
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    rev = body["revision"]
    assert body["fields"] == ["taglines"] and body["film"]["sources"]["taglines"] == f"member:{rev}"
    got = client.get(url).json()
    assert got["taglines"] == ["API tagline"] and got["sources"]["taglines"] == f"member:{rev}"
    history = client.get(f"{url}/history").json()["revisions"]
    assert [(r["id"], r["user"], r["note"]) for r in history] == [(rev, "ada", "api")]
    detail = client.get(f"{url}/revisions/{rev}").json()
    assert detail["diff"][0]["lines"] == [{"op": "+", "text": "API tagline"}]
    # a second editor based on the old state: 409 with the diff, nothing lost
    bob = {"Authorization": f"Bearer {tokens['bob']}"}
    stale = client.patch(url, json={"taglines": ["Bob"], "base_revision": 0}, headers=bob)
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["diff"]["fields"]["taglines"]["current"] == ["API tagline"]
    assert client.get(url).json()["taglines"] == ["API tagline"]
    client.patch(url, json={"taglines": ["Bob"]}, headers=bob)
    reverted = client.post(f"{url}/revisions/{rev}/revert", headers=ada)
    assert reverted.status_code == 200, reverted.text
    assert client.get(url).json()["taglines"] == ["API tagline"]
    other = client.patch("/api/v1/titles/tt0000002", json={"trivia": ["o"]}, headers=ada).json()["revision"]
    wrong = client.post(f"{url}/revisions/{other}/revert", headers=ada)
    assert wrong.status_code == 422 and "not of tt0089560" in wrong.json()["detail"]
    assert client.get(f"{url}/revisions/{other}").status_code == 404
    assert client.post(f"{url}/revisions/{rev}/hide", headers=ada).status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "name"),
    [
        ({"tagline": ["x"]}, 422, "tagline"),
        ({"taglines": "x"}, 422, "taglines"),
        ({"runtimes": [{"minutes": -1}]}, 422, "runtimes.0.minutes"),
        ({"note": 5}, 422, "note"),
        ({"base_revision": "x"}, 422, "base_revision"),
        (["taglines"], 422, "body"),
    ],
)
def test_api_bad_edits_are_problems_naming_the_field(api: Any, body: Any, status: int, name: str) -> None:
    client, tokens = api
    before = client.get("/api/v1/titles/tt0089560").json()
    answer = client.patch(
        "/api/v1/titles/tt0089560", json=body, headers={"Authorization": f"Bearer {tokens['ada']}"}
    )
    assert answer.status_code == status, answer.text
    assert [e["name"] for e in answer.json()["errors"]] == [name]
    assert client.get("/api/v1/titles/tt0089560").json() == before


def test_api_a_10_mb_field_is_refused(api: Any) -> None:
    client, tokens = api
    answer = client.patch(
        "/api/v1/titles/tt0089560",
        json={"plot": "x" * 10_000_000},
        headers={"Authorization": f"Bearer {tokens['ada']}"},
    )
    assert answer.status_code in (413, 422)
    assert client.get("/api/v1/titles/tt0089560").json()["plot"] is None


@pytest.mark.parametrize("keep", [True, False])
def test_a_deleted_members_edits_stay_in_the_history_under_the_tombstone_name(
    members: SqlStore, keep: bool
) -> None:
    from marquee.services.user_admin import delete_member

    members.save_film(film())
    edit = editing.edit_film(members, "tt0089560", {"taglines": ["Kept"]}, "bob")
    assert edit.revision is not None
    shown = delete_member(members, "bob", keep=keep)
    [revision] = editing.film_history(members, "tt0089560")
    assert revision.id == edit.revision.id and revision.user != "bob"
    assert revision.user == shown and shown.startswith("deleted member")
    assert stored(members, "tt0089560").taglines == ["Kept"]
