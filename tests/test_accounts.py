"""Members' accounts on both backends: passwords, roles, sessions, API tokens (issue 6)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from marquee.errors import NotFound
from marquee.services import accounts
from marquee.services.accounts import FieldError
from marquee.storage import SqlStore
from marquee.storage.community_schema import api_tokens, sessions, users

PASSWORD = "correct horse battery"


def test_create_user_hashes_the_password_with_argon2(store: SqlStore) -> None:
    user = accounts.create_user(store, "Ada", PASSWORD)
    assert (user.name, user.role) == ("Ada", "member")
    with store.reading() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_authenticate_accepts_the_right_password_only(store: SqlStore) -> None:
    accounts.create_user(store, "ada", PASSWORD)
    assert accounts.authenticate(store, "ada", PASSWORD) is not None
    assert accounts.authenticate(store, "ADA", PASSWORD) is not None  # names are case-blind
    assert accounts.authenticate(store, "ada", PASSWORD + "!") is None
    assert accounts.authenticate(store, "nobody", PASSWORD) is None


def test_names_are_unique_whatever_their_case_or_width(store: SqlStore) -> None:
    accounts.create_user(store, "admin", PASSWORD)
    for twin in ("Admin", "ＡＤＭＩＮ"):
        with pytest.raises(FieldError) as caught:
            accounts.create_user(store, twin, PASSWORD)
        assert caught.value.field == "name"


@pytest.mark.parametrize(
    ("name", "password", "field"),
    [
        ("", PASSWORD, "name"),
        ("ad\u202emin", PASSWORD, "name"),  # right-to-left override
        ("ad\u200bmin", PASSWORD, "name"),  # zero-width space
        ("x" * 41, PASSWORD, "name"),
        ("ada", "short", "password"),
    ],
)
def test_bad_sign_ups_name_the_field(store: SqlStore, name: str, password: str, field: str) -> None:
    with pytest.raises(FieldError) as caught:
        accounts.create_user(store, name, password)
    assert caught.value.field == field


def test_roles(store: SqlStore) -> None:
    assert accounts.create_user(store, "mod", PASSWORD, "moderator").is_moderator
    assert accounts.create_user(store, "boss", PASSWORD, "admin").is_moderator
    assert not accounts.create_user(store, "ada", PASSWORD).is_moderator
    assert accounts.set_role(store, "ada", "moderator").role == "moderator"
    with pytest.raises(FieldError):
        accounts.create_user(store, "eve", PASSWORD, "superuser")
    with pytest.raises(NotFound):
        accounts.set_role(store, "nobody", "admin")


def test_sessions_open_and_close(store: SqlStore) -> None:
    user = accounts.create_user(store, "ada", PASSWORD)
    secret = accounts.create_session(store, user)
    found = accounts.user_for_session(store, secret)
    assert found is not None and found.name == "ada"
    assert accounts.user_for_session(store, secret + "x") is None
    with store.reading() as conn:
        assert secret not in {row.token_hash for row in conn.execute(select(sessions))}
    accounts.end_session(store, secret)
    assert accounts.user_for_session(store, secret) is None


def test_an_expired_session_opens_nothing(store: SqlStore) -> None:
    user = accounts.create_user(store, "ada", PASSWORD)
    secret = accounts.create_session(store, user, lifetime=dt.timedelta(seconds=-1))
    assert accounts.user_for_session(store, secret) is None


def test_change_password_ends_old_sessions(store: SqlStore) -> None:
    user = accounts.create_user(store, "ada", PASSWORD)
    secret = accounts.create_session(store, user)
    with pytest.raises(FieldError) as caught:
        accounts.change_password(store, user, "wrong password", "a new password")
    assert caught.value.field == "current_password"
    accounts.change_password(store, user, PASSWORD, "a new password")
    assert accounts.user_for_session(store, secret) is None
    assert accounts.authenticate(store, "ada", PASSWORD) is None
    assert accounts.authenticate(store, "ada", "a new password") is not None


def test_api_tokens_are_stored_hashed_and_can_be_revoked(store: SqlStore) -> None:
    user = accounts.create_user(store, "ada", PASSWORD)
    token = accounts.create_token(store, "ada", label="laptop")
    found = accounts.user_for_token(store, token)
    assert found is not None and found.name == "ada"
    with store.reading() as conn:
        assert token not in {row.token_hash for row in conn.execute(select(api_tokens))}
    [listed] = accounts.list_tokens(store, user)
    assert listed.label == "laptop" and token.startswith(listed.prefix)
    assert listed.last_used_at is not None
    other = accounts.create_user(store, "eve", PASSWORD)
    assert not accounts.revoke_token(store, other, listed.id)  # not hers to revoke
    assert accounts.user_for_token(store, token) is not None
    assert accounts.revoke_token(store, user, listed.id)
    assert accounts.user_for_token(store, token) is None
    assert accounts.list_tokens(store, user) == []


def test_create_token_for_an_unknown_member(store: SqlStore) -> None:
    with pytest.raises(NotFound):
        accounts.create_token(store, "nobody")


def test_site_secret_is_generated_once_and_kept(store: SqlStore) -> None:
    first = accounts.site_secret(store)
    assert len(first) >= 32
    assert accounts.site_secret(store) == first
    assert accounts.site_secret(store, "configured") == b"configured"
