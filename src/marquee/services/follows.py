"""Following (issue 21): a member follows a person or a member's list; new titles become notices.

Titles credited to a followed person, or added to a followed list, after the follow become the
member's notices: ``collect_notices`` runs after imports (the CLI's) and before a member's
notices are shown. Notices are their member's alone (``notices`` refuses anyone else).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from marquee.errors import NotFound
from marquee.records_community import User
from marquee.services.accounts import Forbidden, name_key, now, write_transaction
from marquee.storage import follows as rows
from marquee.storage.base import Store

__all__ = ["FollowKind", "Notice", "collect_notices", "follow", "is_following", "notices", "unfollow"]

FollowKind = Literal["person", "list"]
MAX_NOTICES = 200


class Notice(BaseModel):
    """A title that came to a person or list the member follows."""

    model_config = ConfigDict(frozen=True)

    kind: FollowKind
    target: str
    target_name: str
    film_id: str
    title: str
    year: int | None
    created_at: dt.datetime

    @property
    def message(self) -> str:
        year = f" ({self.year})" if self.year else ""
        where = "is credited on" if self.kind == "person" else "now lists"
        return f"{self.target_name} {where} {self.title}{year}"


def _check_target(store: Store, kind: FollowKind, target: str) -> None:
    with store.engine.connect() as conn:
        if kind == "person":
            if len(target) > 200 or rows.person_name(conn, target) is None:
                raise NotFound(f"no person with id {target!r}")
        elif not target.isdigit() or len(target) > 18 or rows.list_name(conn, int(target)) is None:
            raise NotFound(f"no list {target!r}")


def follow(store: Store, user: User, kind: FollowKind, target: str) -> bool:
    """Follow a person (nconst) or a list (its id); False if already followed."""
    _check_target(store, kind, target)
    stamp = now()
    return bool(write_transaction(store, lambda conn: rows.add_follow(conn, user.id, kind, target, stamp)))


def unfollow(store: Store, user: User, kind: FollowKind, target: str) -> bool:
    """Stop following; False if not followed."""
    return bool(write_transaction(store, lambda conn: rows.remove_follow(conn, user.id, kind, target)))


def is_following(store: Store, user: User | None, kind: FollowKind, target: str) -> bool:
    if user is None:
        return False
    with store.engine.connect() as conn:
        return rows.is_following(conn, user.id, kind, target)


def collect_notices(store: Store, user: User | None = None) -> int:
    """New titles of followed people and lists become notices (everyone's, or one member's)."""
    stamp = now()
    member = None if user is None else user.id
    return int(write_transaction(store, lambda conn: rows.collect(conn, stamp, member)))


def notices(store: Store, viewer: User | None, name: str) -> list[Notice]:
    """The member's notices, newest first: theirs alone (Forbidden for anyone else)."""
    if viewer is None or name_key(viewer.name) != name_key(name):
        raise Forbidden("Notices are private: only their member may read them.")
    collect_notices(store, viewer)
    with store.engine.connect() as conn:
        found = rows.notices_of(conn, viewer.id, MAX_NOTICES)
    return [
        Notice(
            kind="person" if r.kind == "person" else "list",
            target=r.target,
            target_name=r.target_name,
            film_id=r.tconst,
            title=r.title,
            year=r.year,
            created_at=r.created_at,
        )
        for r in found
    ]
