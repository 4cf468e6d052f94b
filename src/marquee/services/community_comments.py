"""Members' comments on a film: posted (threaded), edited and deleted by their author, listed; a closed
thread refuses comments whoever asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from marquee.errors import NotFound
from marquee.formats.markdown import render_markdown
from marquee.records_community import Comment, CommentIn, User
from marquee.services.accounts import FieldError, Forbidden
from marquee.services.community_access import may_see_hidden, require_title
from marquee.storage import community_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn, aware, now, transaction

CLOSED_MESSAGE = "Comments are closed."


class CommentsClosed(Forbidden):
    """The film's comments are closed: nobody may add to or edit them."""


def _comment_row(conn: Conn, comment_id: int) -> Any:
    row = rows.comment_row(conn, comment_id)
    if row is None:
        raise NotFound(f"no comment with id {comment_id}")
    return row


def _comment(row: Any, viewer: User | None) -> Comment:
    """A comment as this viewer may see it: deleted ones keep their place in the thread but no text."""
    body, author = row.body, row.author
    if row.status == "deleted" or (row.status == "hidden" and not may_see_hidden(viewer, author)):
        body = ""
        author = None if row.status == "deleted" else author
    return Comment(
        id=row.id,
        title_id=row.title_id,
        review_id=row.review_id,
        parent_id=row.parent_id,
        author=author,
        body=body,
        body_html=render_markdown(body) if body else "",
        status=row.status,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at) if row.updated_at else None,
    )


def post_comment(
    store: Store, user: User, title_id: str, comment: CommentIn, *, review_id: int | None = None
) -> Comment:
    """A comment on a film (or on one of its reviews), or a reply to one; refused when comments are closed."""

    def work(conn: Conn) -> Comment:
        film = require_title(conn, title_id, lock=True)
        if not film.comments_open:
            raise CommentsClosed(CLOSED_MESSAGE)
        if review_id is not None:
            status = rows.review_status_on(conn, review_id, title_id)
            if status != "visible":
                raise NotFound(f"no review with id {review_id} on {title_id}")
        if comment.parent is not None:
            parent = rows.plain_comment(conn, comment.parent)
            if parent is None or parent.title_id != title_id or parent.review_id != review_id:
                raise FieldError("parent", f"no comment {comment.parent} in this thread")
            if parent.status == "deleted":
                raise FieldError("parent", "you cannot reply to a deleted comment")
        new_id = rows.insert_comment(
            conn,
            {
                "title_id": title_id,
                "review_id": review_id,
                "parent_id": comment.parent,
                "user_id": user.id,
                "body": comment.body,
                "status": "visible",
                "created_at": now(),
            },
        )
        return _comment(_comment_row(conn, new_id), user)

    return transaction(store, work)


def _own_comment(conn: Conn, user: User, comment_id: int) -> Any:
    row = _comment_row(conn, comment_id)
    if row.status == "deleted":
        raise NotFound(f"no comment with id {comment_id}")
    if row.user_id != user.id:
        raise Forbidden("you can only change your own comments")
    return row


def edit_comment(store: Store, user: User, comment_id: int, body: str) -> Comment:
    """Change the member's own comment; refused when the film's comments are closed."""
    checked = CommentIn(body=body)

    def work(conn: Conn) -> Comment:
        row = _own_comment(conn, user, comment_id)
        if not require_title(conn, row.title_id, lock=True).comments_open:
            raise CommentsClosed(CLOSED_MESSAGE)
        rows.set_comment(conn, comment_id, {"body": checked.body, "updated_at": now()})
        return _comment(_comment_row(conn, comment_id), user)

    return transaction(store, work)


def delete_comment(store: Store, user: User, comment_id: int) -> None:
    """Delete the member's own comment: its text goes, its place in the thread (and replies) stay."""

    def work(conn: Conn) -> None:
        _own_comment(conn, user, comment_id)
        rows.set_comment(conn, comment_id, {"status": "deleted", "body": "", "updated_at": now()})

    transaction(store, work)


def get_comment(store: Store, comment_id: int, viewer: User | None = None) -> Comment:
    """One comment, as the viewer may see it."""
    with store.reading() as conn:
        return _comment(_comment_row(conn, comment_id), viewer)


def _thread(flat: Iterable[Comment]) -> list[Comment]:
    """Nest replies under their parents, oldest first at every level."""
    by_id: dict[int, Comment] = {}
    roots: list[Comment] = []
    for item in flat:
        by_id[item.id] = item
        parent = by_id.get(item.parent_id) if item.parent_id is not None else None
        (parent.replies if parent else roots).append(item)
    return roots


def list_comments(
    store: Store, title_id: str, *, review_id: int | None = None, viewer: User | None = None
) -> list[Comment]:
    """The film's (or review's) comments as a thread: top-level comments with their replies nested."""
    with store.reading() as conn:
        require_title(conn, title_id)
        found = rows.comment_rows(conn, title_id, review_id)
    return _thread(_comment(row, viewer) for row in found)
