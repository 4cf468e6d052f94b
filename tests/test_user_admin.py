"""User administration (issue 17): roles, disable/enable, delete (kept anonymised or erased), every
member's tokens, one-time password-reset links (printed or mailed), the admin page, on both backends."""

from __future__ import annotations

import datetime as dt
import json
import re
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import func, select, update

from marquee.errors import InputError, NotFound
from marquee.records import Film
from marquee.records_community import ROLES, CommentIn, ReviewIn, User
from marquee.services import accounts, community, user_admin
from marquee.services.accounts import FieldError, Forbidden
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.storage.community_schema import (
    comments,
    member_ratings,
    member_reviews,
    moderation_log,
    password_resets,
    users,
)
from marquee.web.app import create_app
from support.cli import Marquee, marquee_on
from support.web import TestClient

FILM = "tt0089560"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture(autouse=True)
def no_secret_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARQUEE_SECRET_KEY", raising=False)


@pytest.fixture
def filled(store: SqlStore) -> SqlStore:
    """A film; an admin ``root``; ``ann`` (rating, review, two comments, one answered by bob); ``bob``."""
    store.save_film(Film(id=FILM, title="Mask", year=1985))
    accounts.create_user(store, "root", PASSWORD, "admin")
    ann = accounts.create_user(store, "ann", PASSWORD)
    bob = accounts.create_user(store, "bob", PASSWORD)
    community.rate(store, ann, FILM, 8)
    community.post_review(store, ann, FILM, ReviewIn(title="Good", body="A fine film."), scale=10)
    answered = community.post_comment(store, ann, FILM, CommentIn(body="First!"))
    community.post_comment(store, ann, FILM, CommentIn(body="Second."))
    community.post_comment(store, bob, FILM, CommentIn(body="Agreed.", parent=answered.id))
    return store


def _count(store: SqlStore, table: object, *where: object) -> int:
    with store.reading() as conn:
        query = select(func.count()).select_from(table).where(*where)  # type: ignore[arg-type]
        return int(conn.execute(query).scalar_one())


def _user_id(store: SqlStore, name: str) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(users.c.id).where(users.c.name == name)).scalar_one())


# ---- roles ---------------------------------------------------------------------------------------


def test_roles_are_ordered_member_editor_moderator_admin() -> None:
    when = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    made = {role: User(id=1, name="x", role=role, created_at=when) for role in ROLES}
    assert [r for r in made if made[r].has_role("editor")] == ["editor", "moderator", "admin"]
    assert made["editor"].is_editor and not made["editor"].is_moderator
    assert made["moderator"].is_moderator and not made["moderator"].is_admin
    assert made["admin"].has_role("member") and not made["member"].has_role("editor")


def test_set_role_stores_editor_and_refuses_an_unknown_role(filled: SqlStore) -> None:
    assert user_admin.set_role(filled, "ann", "editor").role == "editor"
    assert accounts.get_user(filled, "ann").role == "editor"  # type: ignore[union-attr]
    with pytest.raises(FieldError, match="role: must be one of member, editor, moderator, admin"):
        user_admin.set_role(filled, "ann", "owner")
    with pytest.raises(NotFound):
        user_admin.set_role(filled, "nobody", "editor")


def test_only_admins_manage_members_and_the_last_admin_stays(filled: SqlStore) -> None:
    ann = accounts.get_user(filled, "ann")
    user_admin.set_role(filled, "bob", "moderator")
    bob = accounts.get_user(filled, "bob")
    for actor in (ann, bob):
        with pytest.raises(Forbidden):
            user_admin.list_members(filled, actor)
        with pytest.raises(Forbidden):
            user_admin.set_role(filled, "ann", "admin", actor)
    for act in (
        lambda: user_admin.set_role(filled, "root", "member"),
        lambda: user_admin.set_disabled(filled, "root", True),
        lambda: user_admin.delete_member(filled, "root", keep=True),
    ):
        with pytest.raises(Forbidden, match="only admin"):
            act()
    user_admin.set_role(filled, "ann", "admin")
    user_admin.set_role(filled, "root", "member")  # another admin exists now
    assert accounts.get_user(filled, "root").role == "member"  # type: ignore[union-attr]


def test_edit_needs_review_for_new_members_only() -> None:
    joined = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    member = User(id=1, name="new", role="member", created_at=joined)
    editor = User(id=2, name="ed", role="editor", created_at=joined)
    day3, day8 = joined + dt.timedelta(days=3), joined + dt.timedelta(days=8)
    assert accounts.edit_needs_review(member, queue_edits=True, queue_days=7, at=day3)
    assert not accounts.edit_needs_review(member, queue_edits=True, queue_days=7, at=day8)
    assert not accounts.edit_needs_review(member, queue_edits=False, queue_days=7, at=day3)
    assert not accounts.edit_needs_review(editor, queue_edits=True, queue_days=7, at=day3)
    assert not accounts.edit_needs_review(member, queue_edits=True, queue_days=0, at=joined)


# ---- list, disable, enable -----------------------------------------------------------------------


def test_list_shows_role_status_and_counts(filled: SqlStore) -> None:
    accounts.create_token(filled, "ann")
    members = {m.name: m for m in user_admin.list_members(filled)}
    assert list(members) == ["root", "ann", "bob"]
    ann = members["ann"]
    assert (ann.role, ann.status, ann.ratings, ann.reviews, ann.comments, ann.tokens) == (
        "member",
        "active",
        1,
        1,
        2,
        1,
    )
    assert members["root"].role == "admin"


def test_a_disabled_member_cannot_sign_in_or_use_tokens_until_enabled(filled: SqlStore) -> None:
    token = accounts.create_token(filled, "ann")
    session = accounts.create_session(filled, accounts.get_user(filled, "ann"))  # type: ignore[arg-type]
    assert user_admin.set_disabled(filled, "ann", True).status == "disabled"
    assert accounts.sign_in(filled, "ann", PASSWORD) == "disabled"
    assert accounts.sign_in(filled, "ann", "wrong password") is None  # no hint without the password
    assert accounts.authenticate(filled, "ann", PASSWORD) is None
    assert accounts.user_for_token(filled, token) is None
    assert accounts.user_for_session(filled, session) is None
    user_admin.set_disabled(filled, "ann", False)
    assert accounts.user_for_token(filled, token) is not None
    assert isinstance(accounts.sign_in(filled, "ann", PASSWORD), User)
    actions = [e.action for e in community.moderation_log_entries(filled, accounts.get_user(filled, "root"))]
    assert actions[:2] == ["enable", "disable"]


# ---- delete --------------------------------------------------------------------------------------


def test_delete_keeping_contributions_anonymises_them(filled: SqlStore) -> None:
    ann_id = _user_id(filled, "ann")
    token = accounts.create_token(filled, "ann")
    shown = user_admin.delete_member(filled, "ann", keep=True)
    assert shown == f"deleted member {ann_id}"
    reviews = community.list_reviews(filled, FILM, viewer=None)
    assert [r.author for r in reviews] == [shown]
    assert _count(filled, member_ratings, member_ratings.c.user_id == ann_id) == 1
    assert _count(filled, comments, comments.c.user_id == ann_id) == 2
    assert accounts.get_user(filled, "ann") is None
    assert accounts.sign_in(filled, "ann", PASSWORD) is None
    assert accounts.user_for_token(filled, token) is None
    with filled.reading() as conn:
        row = conn.execute(select(users).where(users.c.id == ann_id)).one()
    assert "ann" not in (row.name, row.name_key) and row.deleted_at is not None
    assert row.name_skeleton is None and not row.password_hash.startswith("$argon2")
    accounts.create_user(filled, "ann", PASSWORD)  # the name is free again
    statuses = {m.name: m.status for m in user_admin.list_members(filled)}
    assert statuses[shown] == "deleted" and statuses["ann"] == "active"


def test_delete_removing_contributions_erases_them(filled: SqlStore) -> None:
    ann_id = _user_id(filled, "ann")
    user_admin.delete_member(filled, "ann", keep=False)
    assert _count(filled, member_ratings, member_ratings.c.user_id == ann_id) == 0
    assert _count(filled, member_reviews, member_reviews.c.user_id == ann_id) == 0
    # The comment bob answered keeps its place in the thread, emptied; the other one is gone.
    with filled.reading() as conn:
        left = conn.execute(
            select(comments.c.body, comments.c.status).where(comments.c.user_id == ann_id)
        ).all()
    assert [tuple(r) for r in left] == [("", "deleted")]
    assert _count(filled, comments, comments.c.body == "Agreed.") == 1
    log = community.moderation_log_entries(filled, accounts.get_user(filled, "root"))
    assert (log[0].action, log[0].target_id, log[0].reason) == (
        "delete_member",
        f"deleted member {ann_id}",
        "erased",
    )


# ---- tokens --------------------------------------------------------------------------------------


def test_tokens_of_every_member_are_listed_and_revoked_by_id(filled: SqlStore) -> None:
    ann_token = accounts.create_token(filled, "ann")
    accounts.create_token(filled, "bob")
    every = user_admin.list_tokens(filled)
    assert [t.user for t in every] == ["bob", "ann"]
    ann = user_admin.list_tokens(filled, "ann")
    assert [t.user for t in ann] == ["ann"] and ann_token.startswith(ann[0].prefix)
    user_admin.revoke_token(filled, ann[0].id)
    assert accounts.user_for_token(filled, ann_token) is None
    assert user_admin.list_tokens(filled, "ann") == []
    with pytest.raises(NotFound):
        user_admin.revoke_token(filled, ann[0].id)


# ---- password reset ------------------------------------------------------------------------------


def test_a_reset_link_works_once_and_is_stored_hashed(filled: SqlStore) -> None:
    session = accounts.create_session(filled, accounts.get_user(filled, "ann"))  # type: ignore[arg-type]
    secret = user_admin.issue_reset(filled, "ann")
    with filled.reading() as conn:
        stored = conn.execute(select(password_resets.c.token_hash)).scalars().all()
    assert len(stored) == 1 and secret not in stored[0]
    assert user_admin.reset_target(filled, secret) == "ann"
    with pytest.raises(FieldError, match="password"):
        user_admin.reset_password(filled, secret, "short")
    assert user_admin.reset_password(filled, secret, "a brand new password") == "ann"
    assert accounts.authenticate(filled, "ann", "a brand new password") is not None
    assert accounts.user_for_session(filled, session) is None  # signed out everywhere
    with pytest.raises(user_admin.ResetGone):
        user_admin.reset_password(filled, secret, "yet another password")


def test_a_reset_link_expires_and_a_newer_one_replaces_it(filled: SqlStore) -> None:
    first = user_admin.issue_reset(filled, "ann")
    second = user_admin.issue_reset(filled, "ann")
    with pytest.raises(user_admin.ResetGone):
        user_admin.reset_target(filled, first)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with filled.writing() as conn:
        conn.execute(update(password_resets).values(expires_at=past))
    with pytest.raises(user_admin.ResetGone, match="expired"):
        user_admin.reset_password(filled, second, "a brand new password")
    with pytest.raises(user_admin.ResetGone):
        user_admin.reset_target(filled, "not-a-secret")


# ---- the command line ----------------------------------------------------------------------------


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    result = marquee_on(url)(*args)
    return result.exit_code, result.stdout, result.stderr


def test_cli_user_and_token_commands(filled: SqlStore) -> None:
    url = filled.url
    code, out, _ = _cli(url, "user", "set-role", "ann", "editor")
    assert code == 0 and "ann is now editor" in out
    accounts.create_token(filled, "bob")
    code, out, _ = _cli(url, "user", "list", "--json")
    listed = {m["name"]: m for m in json.loads(out)}
    assert listed["ann"]["role"] == "editor" and listed["bob"]["tokens"] == 1 and code == 0
    code, out, _ = _cli(url, "token", "list", "--user", "bob", "--json")
    tokens = json.loads(out)
    assert [t["user"] for t in tokens] == ["bob"] and "token_hash" not in tokens[0]
    assert _cli(url, "token", "revoke", str(tokens[0]["id"]))[0] == 0
    code, _, err = _cli(url, "token", "revoke", str(tokens[0]["id"]))
    assert code == 2 and err.startswith("marquee: error: no live API token") and err.count("\n") == 1
    assert _cli(url, "user", "disable", "bob")[0] == 0
    assert accounts.sign_in(filled, "bob", PASSWORD) == "disabled"
    assert _cli(url, "user", "enable", "bob")[0] == 0
    code, _, err = _cli(url, "user", "delete", "bob")
    assert code == 1 and "--keep" in err and accounts.get_user(filled, "bob") is not None
    code, out, _ = _cli(url, "user", "delete", "bob", "--anonymise")
    assert code == 0 and "deleted member" in out and accounts.get_user(filled, "bob") is None
    code, _, err = _cli(url, "user", "set-role", "nobody", "admin")
    assert code == 2 and "no member named 'nobody'" in err


def test_cli_reset_password_prints_a_link_that_sets_the_password(filled: SqlStore) -> None:
    code, out, _ = _cli(filled.url, "user", "reset-password", "ann")
    assert code == 0
    link = out.strip().splitlines()[-1]
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/reset/[A-Za-z0-9_-]{40,}", link), link
    user_admin.reset_password(filled, link.rsplit("/", 1)[1], "a brand new password")
    assert accounts.authenticate(filled, "ann", "a brand new password") is not None


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to take one message (no STARTTLS, no login)."""

    received: ClassVar[list[bytes]] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        data = False
        body: list[bytes] = []
        for line in self.rfile:
            if data:
                if line == b".\r\n":
                    data = False
                    type(self).received.append(b"".join(body))
                    self.wfile.write(b"250 queued\r\n")
                else:
                    body.append(line)
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                data = True
                self.wfile.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_port() -> Iterator[int]:
    _Smtp.received = []
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_cli_reset_password_mails_the_link_through_smtp(
    sqlite_url: str, smtp_port: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, runner: Marquee
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARQUEE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("MARQUEE_SMTP_PORT", str(smtp_port))
    monkeypatch.setenv("MARQUEE_SMTP_FROM", "films@example.org")
    monkeypatch.setenv("MARQUEE_WEB_BASE_URL", "https://films.example.org")
    made = runner("--db", sqlite_url, "user", "create", "ann", "--password-stdin", input=PASSWORD)
    assert made.exit_code == 0, made.stderr
    code, out, err = _cli(sqlite_url, "user", "reset-password", "ann", "--mail", "ann@example.org")
    assert code == 0, err
    assert "/reset/" not in out  # mailed, not printed
    assert len(_Smtp.received) == 1
    mail = _Smtp.received[0].decode()
    assert "To: ann@example.org" in mail and "From: films@example.org" in mail
    assert re.search(r"https://films\.example\.org/reset/[A-Za-z0-9_-]{40,}", mail)


def test_cli_mail_without_a_server_is_one_line(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARQUEE_SMTP_HOST", raising=False)
    code, _, err = _cli(sqlite_url, "user", "reset-password", "ann", "--mail", "ann@example.org")
    assert code == 1 and "MARQUEE_SMTP_HOST" in err and err.count("\n") == 1


# ---- the site ------------------------------------------------------------------------------------


@pytest.fixture
def site(filled: SqlStore) -> Iterator[TestClient]:
    app = create_app(Settings(page_cache_size=0), filled)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def _sign_in(client: TestClient, name: str, password: str = PASSWORD) -> int:
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    answer = client.post("/login", data={"csrf_token": token, "name": name, "password": password})
    return answer.status_code


def _token(client: TestClient, path: str = "/admin/users") -> str:
    return CSRF.search(client.get(path).text).group(1)  # type: ignore[union-attr]


def test_the_admin_page_is_for_admins_only(site: TestClient) -> None:
    assert site.get("/admin/users").status_code == 303  # to sign in
    assert site.get("/admin/users.json").status_code == 401
    assert _sign_in(site, "ann") == 303
    assert site.get("/admin/users").status_code == 403
    assert site.get("/admin/users.json").status_code == 403
    token = _token(site, "/account")
    answer = site.post("/admin/users", data={"csrf_token": token, "name": "bob", "action": "disable"})
    assert answer.status_code == 403
    assert accounts.get_user(site.app.state.marquee.store, "bob") is not None


def _act(site: TestClient, token: str, **data: str) -> Any:
    return site.post("/admin/users", data={"csrf_token": token, **data})


def test_an_admin_manages_members_on_the_page(site: TestClient) -> None:
    store = site.app.state.marquee.store
    assert _sign_in(site, "root") == 303
    page = site.get("/admin/users")
    assert page.status_code == 200 and "ann" in page.text and "editor" in page.text
    listed = site.get("/admin/users.json").json()
    assert [m["name"] for m in listed] == ["root", "ann", "bob"] and listed[1]["reviews"] == 1
    forged = site.post("/admin/users", data={"csrf_token": "0" * 64, "name": "ann", "action": "disable"})
    assert forged.status_code == 403 and accounts.get_user(store, "ann") is not None
    token = _token(site)
    answer = site.post(
        "/admin/users", data={"csrf_token": token, "name": "ann", "action": "set_role", "role": "editor"}
    )
    assert answer.status_code == 200 and accounts.get_user(store, "ann").role == "editor"  # type: ignore[union-attr]
    bad = site.post(
        "/admin/users", data={"csrf_token": token, "name": "ann", "action": "set_role", "role": "god"}
    )
    assert bad.status_code == 422
    assert (
        site.post("/admin/users", data={"csrf_token": token, "name": "bob", "action": "disable"}).status_code
        == 200
    )
    other = TestClient(site.app, follow_redirects=False)
    assert _sign_in(other, "bob") == 403  # disabled: refused, and told so
    assert _sign_in(other, "bob", "wrong password") == 401
    answer = site.post("/admin/users", data={"csrf_token": token, "name": "ann", "action": "reset"})
    link = re.search(r"http://testserver/reset/([A-Za-z0-9_-]+)", answer.text)
    assert link, answer.text
    unconfirmed = _act(site, token, name="bob", action="delete_remove")
    assert unconfirmed.status_code == 422
    assert [m.status for m in user_admin.list_members(store) if m.name == "bob"] == ["disabled"]
    answer = _act(site, token, name="bob", action="delete_remove", confirm="yes")
    assert answer.status_code == 200
    assert "bob" not in [m.name for m in user_admin.list_members(store)]


def test_the_reset_page_sets_a_password_once(site: TestClient) -> None:
    store = site.app.state.marquee.store
    secret = user_admin.issue_reset(store, "ann")
    visitor = TestClient(site.app, follow_redirects=False)
    page = visitor.get(f"/reset/{secret}")
    assert page.status_code == 200 and "ann" in page.text
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    assert visitor.post(f"/reset/{secret}", data={"password": "a brand new password"}).status_code == 403
    short = visitor.post(f"/reset/{secret}", data={"csrf_token": token, "password": "short"})
    assert short.status_code == 422
    done = visitor.post(f"/reset/{secret}", data={"csrf_token": token, "password": "a brand new password"})
    assert done.status_code == 303 and done.headers["location"].startswith("/login")
    assert accounts.authenticate(store, "ann", "a brand new password") is not None
    assert visitor.get(f"/reset/{secret}").status_code == 404
    again = visitor.post(f"/reset/{secret}", data={"csrf_token": token, "password": "another new password"})
    assert again.status_code == 404


def test_a_disabled_members_token_is_refused_by_the_api(site: TestClient) -> None:
    store = site.app.state.marquee.store
    token = accounts.create_token(store, "ann")
    headers = {"Authorization": f"Bearer {token}"}
    assert site.put(f"/api/v1/titles/{FILM}/rating", json={"score": 7}, headers=headers).status_code == 200
    user_admin.set_disabled(store, "ann", True)
    assert site.put(f"/api/v1/titles/{FILM}/rating", json={"score": 6}, headers=headers).status_code == 401


def test_the_moderation_log_reads_the_admins_acts(filled: SqlStore) -> None:
    user_admin.set_role(filled, "ann", "editor")
    with filled.reading() as conn:
        names = conn.execute(select(moderation_log.c.moderator_name)).scalars().all()
    assert names == [user_admin.COMMAND_LINE]
    entries = community.moderation_log_entries(filled, accounts.get_user(filled, "root"))
    assert (entries[0].action, entries[0].target, entries[0].reason) == ("set_role", "user", "editor")


def test_mail_refuses_an_address_that_is_not_one() -> None:
    from marquee.services.mail import MailServer, send_reset_link

    with pytest.raises(InputError, match="not one mail address"):
        send_reset_link(MailServer("127.0.0.1", 1), "a@b.org\r\nBcc: c@d.org", "ann", "http://x/reset/y")


def test_edits_are_rate_limited_per_member() -> None:
    from starlette.requests import Request

    from marquee import limits
    from marquee.web import security

    state = security.CommunityState()
    app = type("App", (), {"state": type("State", (), {"community": state})()})()
    request = Request({"type": "http", "app": app, "headers": [], "client": ("127.0.0.1", 1)})
    member = User(id=7, name="ann", role="member", created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    for _ in range(limits.MAX_EDIT_BURST):
        security.limit_edit(request, member)
    with pytest.raises(security.TooManyRequests) as refused:
        security.limit_edit(request, member)
    assert 1 <= refused.value.retry_after <= limits.EDIT_REFILL_SECONDS


def test_cli_user_create_editor_and_the_plain_list(sqlite_url: str, runner: Marquee) -> None:
    made = runner("--db", sqlite_url, "user", "create", "ed", "--editor", "--password-stdin", input=PASSWORD)
    assert made.exit_code == 0 and "created editor ed" in made.stdout
    both = runner("--db", sqlite_url, "user", "create", "x", "--editor", "--admin")
    assert both.exit_code == 1 and "choose one of" in both.stderr
    code, out, _ = _cli(sqlite_url, "user", "list")
    assert code == 0 and out.startswith("ed\teditor\tactive\tjoined ")
