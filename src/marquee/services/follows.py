"""Following (issue 21): a member follows a person or a member's list; new titles become notices.

Titles credited to a followed person, or added to a followed list, after the follow become the
member's notices, however they came (an import, an edit on the site, the CLI or the API, a list
changed): ``collect_notices`` runs after the CLI's catalogue imports, and again whenever notices
are read (the notices page, its JSON, its Atom feed, ``marquee notices``), so an edit is seen at
once without waiting for the next import. Notices are their member's alone (``notices`` refuses
anyone else); the Atom feed is read with the member's secret feed token instead of a session.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Literal

from pydantic import BaseModel, ConfigDict

from marquee.errors import InputError, NotFound
from marquee.records_community import User
from marquee.services.accounts import Forbidden, aware, get_user, name_key, now, write_transaction
from marquee.storage import follows as rows
from marquee.storage.base import Store

__all__ = [
    "Follow",
    "FollowKind",
    "Notice",
    "collect_notices",
    "feed_notices",
    "feed_token",
    "follow",
    "following",
    "is_following",
    "notices",
    "reset_feed_token",
    "unfollow",
]

FollowKind = Literal["person", "list"]
MAX_NOTICES = 200
MAX_TARGET = 200  # characters of a person id or list id looked up at all
MAX_TOKEN = 100  # characters of a feed token compared at all (ours are 43)


class Notice(BaseModel):
    """A title that came to a person or list the member follows."""

    model_config = ConfigDict(frozen=True)

    id: int
    kind: FollowKind
    target: str
    target_name: str
    film_id: str
    title: str
    year: int | None
    created_at: dt.datetime
    owner: str | None = None  # whose list (a list's notice)

    @property
    def message(self) -> str:
        year = f" ({self.year})" if self.year else ""
        where = "is credited on" if self.kind == "person" else "now lists"
        return f"{self.target_name} {where} {self.title}{year}"


class Follow(BaseModel):
    """A person or list the member follows."""

    model_config = ConfigDict(frozen=True)

    kind: FollowKind
    target: str
    name: str
    since: dt.datetime
    owner: str | None = None  # whose list (a followed list)


def _kind(kind: str) -> FollowKind:
    if kind == "person":
        return "person"
    if kind == "list":
        return "list"
    raise InputError(f"kind: must be person or list, not {kind[:40]!r}")


def _check_target(store: Store, kind: FollowKind, target: str) -> str:
    """The target as stored (a list's id without leading zeros); NotFound if the store lacks it."""
    if not target.strip():
        raise InputError(f"{kind}: must not be empty")
    shown = target[:MAX_TARGET]
    if kind == "person":
        usable = len(target) <= MAX_TARGET and target.isprintable()
        if not usable or not rows.target_exists(store, kind, target):
            raise NotFound(f"no person with id {shown!r}")
        return target
    if not (target.isascii() and target.isdigit() and len(target) <= 18):
        raise NotFound(f"no list {shown!r}")
    target = str(int(target))
    if not rows.target_exists(store, kind, target):
        raise NotFound(f"no list {shown!r}")
    return target


def follow(store: Store, user: User, kind: FollowKind, target: str) -> bool:
    """Follow a person (nconst) or a list (its id); False if already followed.

    NotFound for a person or list the store does not have (nothing stored)."""
    kind = _kind(kind)
    target = _check_target(store, kind, target)
    stamp = now()
    return bool(write_transaction(store, lambda conn: rows.add_follow(conn, user.id, kind, target, stamp)))


def unfollow(store: Store, user: User, kind: FollowKind, target: str) -> bool:
    """Stop following; False if not followed."""
    kind = _kind(kind)
    if kind == "list" and target.isascii() and target.isdigit() and len(target) <= 18:
        target = str(int(target))
    return bool(write_transaction(store, lambda conn: rows.remove_follow(conn, user.id, kind, target)))


def is_following(store: Store, user: User | None, kind: FollowKind, target: str) -> bool:
    if user is None:
        return False
    return rows.following(store, user.id, kind, target)


def following(store: Store, viewer: User | None, name: str) -> list[Follow]:
    """What the member follows, newest first (theirs alone, like their notices)."""
    owner = _own(viewer, name)
    return [
        Follow(
            kind=_kind(r.kind), target=r.target, name=r.target_name, since=aware(r.created_at), owner=r.owner
        )
        for r in rows.user_follows(store, owner.id)
    ]


def collect_notices(store: Store, user: User | None = None) -> int:
    """New titles of followed people and lists become notices (everyone's, or one member's)."""
    stamp = now()
    member = None if user is None else user.id
    return int(write_transaction(store, lambda conn: rows.collect(conn, stamp, member)))


def _own(viewer: User | None, name: str) -> User:
    if viewer is None or name_key(viewer.name) != name_key(name):
        raise Forbidden("Notices are private: only their member may read them.")
    return viewer


def _notices_of(store: Store, user: User) -> list[Notice]:
    collect_notices(store, user)
    return [
        Notice(
            id=r.id,
            kind=_kind(r.kind),
            target=r.target,
            target_name=r.target_name,
            film_id=r.title_id,
            title=r.title,
            year=r.year,
            created_at=aware(r.created_at),
            owner=r.owner,
        )
        for r in rows.notices_for(store, user.id, MAX_NOTICES)
    ]


def notices(store: Store, viewer: User | None, name: str) -> list[Notice]:
    """The member's notices, newest first: theirs alone (Forbidden for anyone else)."""
    return _notices_of(store, _own(viewer, name))


def feed_token(store: Store, viewer: User | None, name: str) -> str:
    """The member's secret token for their notices feed, made on first use (theirs alone)."""
    owner = _own(viewer, name)
    token = rows.feed_token(store, owner.id)
    if token is not None:
        return token
    fresh, stamp = secrets.token_urlsafe(32), now()
    return str(write_transaction(store, lambda conn: rows.ensure_feed_token(conn, owner.id, fresh, stamp)))


def reset_feed_token(store: Store, viewer: User | None, name: str) -> str:
    """A new feed token for the member (the old feed address answers 404 from now on)."""
    owner = _own(viewer, name)
    fresh, stamp = secrets.token_urlsafe(32), now()
    write_transaction(store, lambda conn: rows.replace_feed_token(conn, owner.id, fresh, stamp))
    return fresh


def feed_notices(store: Store, name: str, token: str) -> tuple[User, list[Notice]]:
    """The member and their notices, for the feed read with their token.

    NotFound alike for an unknown member, a member without a token and a wrong token: the feed
    tells nothing about who has one."""
    owner = get_user(store, name) if len(name) <= MAX_TARGET else None
    stored = None if owner is None else rows.feed_token(store, owner.id)
    given = token.encode("utf-8", "replace")
    if owner is None or stored is None or len(given) > MAX_TOKEN:
        raise NotFound("no such feed")
    if not hmac.compare_digest(given, stored.encode()):
        raise NotFound("no such feed")
    return owner, _notices_of(store, owner)
