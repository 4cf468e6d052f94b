"""What every community action starts from: the film's row (or NotFound), whether its comments are
open, the one-query activity the film page's members' panel reads, and who may see hidden posts.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from marquee.errors import NotFound
from marquee.records_community import User
from marquee.storage import community_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn


def require_title(conn: Conn, tconst: str, *, lock: bool = False) -> Any:
    """The film's row (id, tconst, comments_open); with ``lock``, held until the transaction ends."""
    row = rows.title_row(conn, tconst, lock=lock)
    if row is None:
        raise NotFound(f"no film with id {tconst!r}")
    return row


class FilmActivity(NamedTuple):
    """Whether comments are open on a film and whether any member rated, reviewed or commented on it."""

    comments_open: bool
    rated: bool
    reviewed: bool
    commented: bool


def film_activity(store: Store, title_id: str) -> FilmActivity:
    """One query: the film page's members' panel reads nothing more for a film nobody touched."""
    with store.reading() as conn:
        row = rows.title_activity(conn, title_id)
    if row is None:
        raise NotFound(f"no film with id {title_id!r}")
    return FilmActivity(bool(row.comments_open), bool(row.rated), bool(row.reviewed), bool(row.commented))


def comments_open(store: Store, title_id: str) -> bool:
    """Whether members may comment on this film."""
    with store.reading() as conn:
        return bool(require_title(conn, title_id).comments_open)


def may_see_hidden(viewer: User | None, author: str | None) -> bool:
    """Whether the viewer sees hidden posts of ``author``: a moderator, or the author."""
    return viewer is not None and (viewer.is_moderator or viewer.name == author)
