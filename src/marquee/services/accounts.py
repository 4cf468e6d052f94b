"""Members' accounts: sign-up, passwords (argon2), roles, login sessions and API tokens.

Secrets handed out (session cookies, API tokens) are random; only their SHA-256 is stored, so
a copy of the database opens no account. Passwords are hashed with argon2id (argon2-cffi).

>>> user = create_user(store, "ada", "correct horse battery", "admin")  # doctest: +SKIP
>>> token = create_token(store, "ada", label="laptop")                    # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
import unicodedata
from functools import cache
from typing import Any, Literal, cast, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ValidationError

from marquee.errors import InputError, MarqueeError, NotFound
from marquee.records_community import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    ApiToken,
    Role,
    User,
    clean_name,
    mixes_scripts,
    name_skeletons,
)
from marquee.storage import accounts_rows as rows
from marquee.storage.base import Store
from marquee.storage.secret_key import key_for_store
from marquee.storage.transactions import (
    Conn,
    RowConflict,
    StoreBusy,
    aware,
    configure_writes,
    now,
    transaction,
)

# The one transaction wrapper lives in storage (``transactions.transaction``); the old name stays.
write_transaction = transaction

__all__ = [
    "SESSION_LIFETIME",
    "FieldError",
    "Forbidden",
    "authenticate",
    "aware",
    "change_password",
    "configure_writes",
    "create_session",
    "create_token",
    "create_user",
    "edit_needs_review",
    "end_session",
    "get_user",
    "hash_password",
    "list_tokens",
    "name_key",
    "now",
    "revoke_token",
    "set_role",
    "sign_in",
    "site_secret",
    "user_for_session",
    "user_for_token",
    "validation_message",
    "write_transaction",
]

SESSION_LIFETIME = dt.timedelta(days=30)
TOKEN_PREFIX = "mq_"
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so a wrong name costs as long as a wrong password.

    Made on first use, not at import: a hash costs ~0.3 s of CPU, which every command and every
    server worker paid at start-up, signing anyone in or not (the first unknown name of a process
    waits for it once)."""
    return _hasher.hash("not a real password")


class FieldError(InputError):
    """Bad input in one named field (HTTP 422)."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class Forbidden(MarqueeError):
    """The member may not do this (HTTP 403); the message says why."""

    status = 403


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# ---- users ---------------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """The key names are unique by: ``"Ａdmin"`` and ``"admin"`` are one member.

    Names that only look alike (``"аdmin"`` with a Cyrillic а, ``"paypaI"``) are told apart by
    ``name_skeletons``; ``create_user`` refuses a name that looks like a member's.
    """
    return unicodedata.normalize("NFKC", name).casefold()


def _user(row: Any) -> User:
    return User(id=row.id, name=row.name, role=row.role, created_at=aware(row.created_at))


def _check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise FieldError(field, f"must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise FieldError(field, f"must have at most {MAX_PASSWORD} characters")


def _check_role(role: str) -> Role:
    if role not in get_args(Role):
        raise FieldError("role", f"must be one of {', '.join(get_args(Role))}, not {role!r}")
    return cast(Role, role)


def create_user(store: Store, name: str, password: str, role: str = "member") -> User:
    """Create a member; raises ``FieldError`` for a bad or taken name or a short password."""
    try:
        shown = clean_name(name)
    except ValueError as error:
        raise FieldError("name", str(error)) from None
    if mixes_scripts(shown):
        raise FieldError("name", "must not mix alphabets that look alike (such as Latin and Cyrillic)")
    _check_password(password)
    checked_role = _check_role(role)
    written, folded = name_skeletons(shown)
    values = {
        "name": shown,
        "name_key": name_key(shown),
        "name_skeleton": written,
        "name_skeleton_folded": folded,
        "password_hash": _hasher.hash(password),
        "role": checked_role,
        "created_at": now(),
    }

    def work(conn: Conn) -> User:
        _refuse_look_alike(conn, shown)
        new_id = rows.insert_user(conn, values)
        return User(id=new_id, name=shown, role=checked_role, created_at=values["created_at"])

    try:
        return transaction(store, work)
    except RowConflict:
        raise FieldError("name", f"{shown!r} is already taken") from None


def _refuse_look_alike(conn: Conn, shown: str) -> None:
    """``FieldError`` if a member's name looks like ``shown`` (any TR39 skeleton in common): a lookup."""
    other = rows.look_alike(conn, set(name_skeletons(shown)))
    if other is None:
        return
    if other.name_key == name_key(shown):
        raise FieldError("name", f"{shown!r} is already taken")
    raise FieldError("name", f"{shown!r} looks too much like the name of the member {other.name!r}")


def get_user(store: Store, name: str) -> User | None:
    """The member with this name (compared as ``name_key``), or None."""
    with store.reading() as conn:
        row = rows.user_by_name_key(conn, name_key(name), enabled=True)
    return _user(row) if row else None


def _require_user(conn: Conn, name: str) -> Any:
    row = rows.user_by_name_key(conn, name_key(name))
    if row is None:
        raise NotFound(f"no member named {name!r}")
    return row


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The member if name and password match, else None (same cost either way); a disabled member is None."""
    found = sign_in(store, name, password)
    return found if isinstance(found, User) else None


def sign_in(store: Store, name: str, password: str) -> User | Literal["disabled"] | None:
    """Like ``authenticate``, but a disabled member whose password matches is ``"disabled"`` (the site
    says so, 403, to the one who knows the password only)."""
    with store.reading() as conn:
        row = rows.user_by_name_key(conn, name_key(name), undeleted=True)
    try:
        _hasher.verify(row.password_hash if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if row.disabled:
        return "disabled"
    if _hasher.check_needs_rehash(row.password_hash):
        new_hash = _hasher.hash(password)
        transaction(store, lambda conn: rows.set_password_hash(conn, row.id, new_hash))
    return _user(row)


def change_password(store: Store, user: User, current: str, new: str) -> None:
    """Replace the member's password and end all their sessions; ``current`` must match."""
    if authenticate(store, user.name, current) is None:
        raise FieldError("current_password", "is not your current password")
    _check_password(new, "new_password")
    new_hash = _hasher.hash(new)

    def work(conn: Conn) -> None:
        rows.set_password_hash(conn, user.id, new_hash)
        # A changed password must shut out whoever held the old one.
        rows.delete_sessions_of(conn, user.id)

    transaction(store, work)


def hash_password(password: str, field: str = "password") -> str:
    """The argon2id hash of a new password; ``FieldError`` if it is too short or too long."""
    _check_password(password, field)
    return _hasher.hash(password)


def edit_needs_review(
    member: User, *, queue_edits: bool, queue_days: int, at: dt.datetime | None = None
) -> bool:
    """Whether a member's edit waits in the moderation queue rather than going live at once.

    Editors and above are trusted; a member's edit waits while their account is younger than
    ``queue_days`` days (settings ``edit_queue`` and ``edit_queue_days``), and never when
    ``queue_edits`` is off.
    """
    if not queue_edits or member.is_editor:
        return False
    return (at or now()) - aware(member.created_at) < dt.timedelta(days=queue_days)


def set_role(store: Store, name: str, role: str) -> User:
    """Make a member a member, editor, moderator or admin."""
    checked = _check_role(role)

    def work(conn: Conn) -> User:
        row = _require_user(conn, name)
        rows.set_role(conn, row.id, checked)
        return User(id=row.id, name=row.name, role=checked, created_at=aware(row.created_at))

    return transaction(store, work)


# ---- sessions ------------------------------------------------------------------------------------


def create_session(store: Store, user: User, lifetime: dt.timedelta = SESSION_LIFETIME) -> str:
    """Start a login session; returns the secret for the cookie."""
    secret = secrets.token_urlsafe(32)
    started = now()
    transaction(
        store, lambda conn: rows.add_session(conn, user.id, _digest(secret), started, started + lifetime)
    )
    return secret


def user_for_session(store: Store, secret: str) -> User | None:
    """The member whose unexpired session this is, or None."""
    with store.reading() as conn:
        row = rows.user_for_session(conn, _digest(secret), now())
    return _user(row) if row else None


def end_session(store: Store, secret: str) -> None:
    """Log out: the session's secret opens nothing any more."""
    transaction(store, lambda conn: rows.delete_session(conn, _digest(secret)))


# ---- API tokens ----------------------------------------------------------------------------------


def create_token(store: Store, user_name: str, label: str | None = None) -> str:
    """Create an API token for a member; returns the secret (shown once, stored only hashed)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def work(conn: Conn) -> None:
        row = _require_user(conn, user_name)
        prefix = secret[: len(TOKEN_PREFIX) + 6]
        rows.add_token(conn, row.id, _digest(secret), prefix, (label or "").strip()[:100] or None, now())

    transaction(store, work)
    return secret


def list_tokens(store: Store, user: User) -> list[ApiToken]:
    """The member's live tokens, newest first."""
    with store.reading() as conn:
        tokens = rows.live_tokens(conn, user.id)
    return [
        ApiToken(
            id=r.id,
            label=r.label,
            prefix=r.prefix,
            created_at=aware(r.created_at),
            last_used_at=aware(r.last_used_at) if r.last_used_at else None,
        )
        for r in tokens
    ]


def revoke_token(store: Store, user: User, token_id: int) -> bool:
    """Revoke one of the member's own tokens; False if they have no such live token."""
    return transaction(store, lambda conn: rows.revoke_token(conn, user.id, token_id, now()))


def user_for_token(store: Store, secret: str) -> User | None:
    """The member an API token (``Authorization: Bearer …``) belongs to, or None if unknown or revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = _digest(secret)
    with store.reading() as conn:
        row = rows.user_for_token(conn, digest)
    if row is None:
        return None
    used = now()
    # Note use at most once a minute: a busy client must not turn every read into a write.
    if row.last_used_at is None or used - aware(row.last_used_at) > dt.timedelta(minutes=1):
        # Bookkeeping: while an import holds the store, a read must neither wait for it nor fail.
        with contextlib.suppress(StoreBusy):
            transaction(store, lambda conn: rows.mark_token_used(conn, row.token_id, used), wait=0.05)
    return _user(row)


# ---- the site's secret ---------------------------------------------------------------------------


def site_secret(store: Store, configured: str = "") -> bytes:
    """The key that signs CSRF tokens: ``configured`` (``MARQUEE_SECRET_KEY``), else the one kept in a
    file beside the store, made on first use (never in a table: see ``storage.secret_key``)."""
    if configured:
        return configured.encode("utf-8")
    return key_for_store(store).encode("utf-8")


def validation_message(error: ValidationError) -> FieldError:
    """The first problem of a pydantic ``ValidationError`` as a ``FieldError`` naming its field."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return FieldError(field, first["msg"])
