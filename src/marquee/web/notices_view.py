"""A member's notices: the context their page, its twin and ``/api/v1/me/notices`` share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from marquee.records_community import User
from marquee.services import follows
from marquee.services.follows import Follow, Notice
from marquee.storage.base import Store

__all__ = ["NoticesContext", "notice_json", "notices_context"]


@dataclass(frozen=True)
class NoticesContext:
    """The member's notices (newest first), what they follow, and their feed's private path."""

    owner: str
    notices: list[Notice]
    following: list[Follow]
    feed_path: str


def notices_context(store: Store, viewer: User | None, name: str) -> NoticesContext:
    """Gather the member's notices (Forbidden unless ``viewer`` is ``name``)."""
    found = follows.notices(store, viewer, name)
    assert viewer is not None  # notices() refused anyone else
    token = follows.feed_token(store, viewer, name)
    feed = f"/user/{quote(viewer.name)}/notices.atom?token={quote(token)}"
    return NoticesContext(viewer.name, found, follows.following(store, viewer, name), feed)


def notice_json(notice: Notice) -> dict[str, Any]:
    """One notice as the twin and the API show it: its record and its message in words."""
    return {**notice.model_dump(mode="json"), "message": notice.message}
