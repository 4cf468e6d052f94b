"""What members do on a film's page: rate it, review it, comment, report; and what moderators do.

Every write runs in one transaction (``transactions.transaction``): a failure halfway leaves nothing
half-written. Permissions are checked here, not in the web layer, so the HTML forms and the
JSON API cannot disagree: a member edits only their own words, only moderators close threads
or hide posts, and a closed thread refuses comments whoever asks.

Films are named by their public id (``tt…`` or slug); members by ``User`` objects from
``marquee.services.accounts``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from marquee.errors import InputError, MarqueeError, NotFound
from marquee.formats.markdown import render_markdown
from marquee.records import Review, Score
from marquee.records_community import (
    Comment,
    CommentIn,
    MemberRating,
    MemberRatingSummary,
    MemberReview,
    ModerationAction,
    ModerationActionKind,
    Report,
    ReviewIn,
    TargetKind,
    User,
)
from marquee.services import discover
from marquee.services.accounts import FieldError, Forbidden
from marquee.storage import community_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn, RowConflict, aware, now, transaction

__all__ = [
    "CommentsClosed",
    "Conflict",
    "close_comments",
    "comments_open",
    "delete_comment",
    "delete_review",
    "edit_comment",
    "edit_review",
    "film_activity",
    "get_comment",
    "get_review",
    "imported_reviews",
    "list_comments",
    "list_reviews",
    "member_rating_summary",
    "moderate",
    "moderation_log_entries",
    "my_rating",
    "my_review",
    "open_comments",
    "open_reports",
    "post_comment",
    "post_review",
    "rate",
    "report",
    "unrate",
    "vote_review",
]

ReviewSort = Literal["helpful", "date"]
CLOSED_MESSAGE = "Comments are closed."


class CommentsClosed(Forbidden):
    """The film's comments are closed: nobody may add to or edit them."""


class Conflict(InputError):
    """The write clashes with what exists (HTTP 409), e.g. a second review of one film."""

    status = 409


# ---- films ---------------------------------------------------------------------------------------


def _title(conn: Conn, tconst: str, *, lock: bool = False) -> Any:
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
        return bool(_title(conn, title_id).comments_open)


def _set_comments(store: Store, moderator: User, title_id: str, is_open: bool, reason: str) -> None:
    _require_moderator(moderator)

    def work(conn: Conn) -> None:
        _title(conn, title_id, lock=True)
        rows.set_comments_open(conn, title_id, is_open)
        _log(conn, moderator, "open_comments" if is_open else "close_comments", "title", title_id, reason)

    transaction(store, work)


def close_comments(store: Store, moderator: User, title_id: str, reason: str = "") -> None:
    """Close a film's comments (moderators and admins only); logged."""
    _set_comments(store, moderator, title_id, False, reason)


def open_comments(store: Store, moderator: User, title_id: str, reason: str = "") -> None:
    """Open a film's comments again (moderators and admins only); logged."""
    _set_comments(store, moderator, title_id, True, reason)


# ---- ratings -------------------------------------------------------------------------------------


def rate(store: Store, user: User, title_id: str, score: int) -> MemberRating:
    """Set (or change) the member's 1–10 rating of a film: one upsert, exact under concurrency."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
        raise FieldError("score", "must be a whole number from 1 to 10")
    stamp = now()

    def work(conn: Conn) -> None:
        _title(conn, title_id)
        rows.upsert_rating(conn, user.id, title_id, score, stamp)

    transaction(store, work)
    _refresh_similar(store, title_id)
    return MemberRating(title_id=title_id, user=user.name, score=score, updated_at=stamp)


def unrate(store: Store, user: User, title_id: str) -> bool:
    """Remove the member's rating of a film; False if there was none."""
    removed = transaction(store, lambda conn: rows.delete_rating(conn, user.id, title_id))
    if removed:
        _refresh_similar(store, title_id)
    return removed


def _refresh_similar(store: Store, title_id: str) -> None:
    """The rated film's "more like this" list, recomputed with its new co-ratings (issue 21).

    The rating is already stored: a failure here is logged, never the member's error.
    """
    try:
        discover.refresh_similar(store, title_id)
    except MarqueeError as error:
        logging.getLogger(__name__).warning("%s: similar films not refreshed: %s", title_id, error)


def my_rating(store: Store, user: User, title_id: str) -> int | None:
    """The member's own rating of the film, if any."""
    with store.reading() as conn:
        return rows.rating_of(conn, user.id, title_id)


def member_rating_summary(store: Store, title_id: str) -> MemberRatingSummary:
    """Marquee members' ratings of a film: average, votes, histogram 1–10 (never IMDb's numbers)."""
    with store.reading() as conn:
        _title(conn, title_id)
        counts = rows.rating_counts(conn, title_id)
    histogram = dict.fromkeys(range(1, 11), 0)
    for score, count in counts:
        histogram[int(score)] = int(count)
    votes = sum(histogram.values())
    total = sum(score * count for score, count in histogram.items())
    average = round(total / votes, 2) if votes else None
    return MemberRatingSummary(average=average, votes=votes, histogram=histogram)


# ---- reviews -------------------------------------------------------------------------------------


def _check_score(score: float | None, scale: int) -> Score | None:
    """A review score on the site's scale: 1–10 whole points, or 0.5–5 stars in halves."""
    if score is None:
        return None
    if scale == 10:
        if score != int(score) or not 1 <= score <= 10:
            raise FieldError("score", "must be a whole number from 1 to 10")
    elif scale == 5:
        if score * 2 != int(score * 2) or not 0.5 <= score <= 5:
            raise FieldError("score", "must be from 0.5 to 5 stars, in halves")
    else:
        raise InputError(f"review_scale: must be 10 or 5, not {scale!r}")
    return Score(value=float(score), scale=scale)


def _review(row: Any) -> MemberReview:
    score = None
    if row.score_value is not None and row.score_scale:
        score = Score(value=row.score_value, scale=row.score_scale)
    return MemberReview(
        id=row.id,
        title_id=row.tconst,
        author=row.author,
        title=row.title,
        body=row.body,
        body_html=render_markdown(row.body),
        score=score,
        spoiler=bool(row.spoiler),
        status=row.status,
        helpful=int(row.helpful),
        not_helpful=int(row.not_helpful),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at) if row.updated_at else None,
    )


def _load_review(conn: Conn, review_id: int) -> MemberReview:
    row = rows.review_row(conn, review_id)
    if row is None:
        raise NotFound(f"no review with id {review_id}")
    return _review(row)


def get_review(store: Store, review_id: int, viewer: User | None = None) -> MemberReview:
    """One review; a hidden one only for its author and moderators."""
    with store.reading() as conn:
        found = _load_review(conn, review_id)
    if found.status != "visible" and not _may_see_hidden(viewer, found.author):
        raise NotFound(f"no review with id {review_id}")
    return found


def _may_see_hidden(viewer: User | None, author: str | None) -> bool:
    return viewer is not None and (viewer.is_moderator or viewer.name == author)


def post_review(store: Store, user: User, title_id: str, review: ReviewIn, *, scale: int) -> MemberReview:
    """The member's review of a film (one per member per film: a second is a ``Conflict``)."""
    score = _check_score(review.score, scale)
    stamp = now()

    def work(conn: Conn) -> MemberReview:
        _title(conn, title_id)
        new_id = rows.insert_review(
            conn,
            {
                "tconst": title_id,
                "user_id": user.id,
                "title": review.title,
                "body": review.body,
                "score_value": score.value if score else None,
                "score_scale": score.scale if score else None,
                "spoiler": review.spoiler,
                "status": "visible",
                "created_at": stamp,
            },
        )
        return _load_review(conn, new_id)

    try:
        return transaction(store, work)
    except RowConflict:
        raise Conflict("you have already reviewed this film: edit your review instead") from None


def _own_review(conn: Conn, user: User, review_id: int) -> Any:
    row = rows.plain_review(conn, review_id)
    if row is None:
        raise NotFound(f"no review with id {review_id}")
    if row.user_id != user.id:
        raise Forbidden("you can only change your own reviews")
    return row


def edit_review(store: Store, user: User, review_id: int, review: ReviewIn, *, scale: int) -> MemberReview:
    """Change the member's own review (a hidden review stays hidden)."""
    score = _check_score(review.score, scale)

    def work(conn: Conn) -> MemberReview:
        _own_review(conn, user, review_id)
        rows.update_review(
            conn,
            review_id,
            {
                "title": review.title,
                "body": review.body,
                "score_value": score.value if score else None,
                "score_scale": score.scale if score else None,
                "spoiler": review.spoiler,
                "updated_at": now(),
            },
        )
        return _load_review(conn, review_id)

    return transaction(store, work)


def delete_review(store: Store, user: User, review_id: int) -> None:
    """Delete the member's own review, with its votes and the comments under it."""

    def work(conn: Conn) -> None:
        _own_review(conn, user, review_id)
        rows.purge_review(conn, review_id)

    transaction(store, work)


def my_review(store: Store, user: User, title_id: str) -> MemberReview | None:
    """The member's own review of a film, if any (hidden or not)."""
    with store.reading() as conn:
        row = rows.review_of(conn, user.id, title_id)
    return _review(row) if row else None


def vote_review(store: Store, user: User, review_id: int, helpful: bool | None) -> MemberReview:
    """Mark another member's review helpful (True) or not (False); None takes the vote back."""

    def work(conn: Conn) -> MemberReview:
        row = rows.plain_review(conn, review_id)
        if row is None or row.status != "visible":
            raise NotFound(f"no review with id {review_id}")
        if row.user_id == user.id:
            raise Forbidden("you cannot vote on your own review")
        rows.set_vote(conn, review_id, user.id, helpful, now())
        return _load_review(conn, review_id)

    return transaction(store, work)


def list_reviews(
    store: Store, title_id: str, *, sort: ReviewSort = "helpful", viewer: User | None = None
) -> list[MemberReview]:
    """Members' reviews of a film, most helpful (or newest) first; hidden ones only for moderators."""
    if sort not in ("helpful", "date"):
        raise FieldError("sort", "must be 'helpful' or 'date'")
    visible_only = viewer is None or not viewer.is_moderator
    also_of = viewer.id if viewer is not None else None
    with store.reading() as conn:
        _title(conn, title_id)
        found = rows.review_rows(
            conn, title_id, visible_only=visible_only, also_of=also_of, by_helpful=sort == "helpful"
        )
    return [_review(row) for row in found]


def imported_reviews(store: Store, title_id: str) -> list[Review]:
    """The reviews that came with the film's page, as imported: author, date and score kept."""
    with store.reading() as conn:
        film = _title(conn, title_id)
        imported = rows.imported_review_rows(conn, film.id)
    return [
        Review(
            title=r.title,
            body=r.body,
            score=Score(value=r.score_value, scale=r.score_scale or 10)
            if r.score_value is not None
            else None,
            author=r.author,
            date=r.date,
        )
        for r in imported
    ]


# ---- comments ------------------------------------------------------------------------------------


def _comment_row(conn: Conn, comment_id: int) -> Any:
    row = rows.comment_row(conn, comment_id)
    if row is None:
        raise NotFound(f"no comment with id {comment_id}")
    return row


def _comment(row: Any, viewer: User | None) -> Comment:
    """A comment as this viewer may see it: deleted ones keep their place in the thread but no text."""
    body, author = row.body, row.author
    if row.status == "deleted" or (row.status == "hidden" and not _may_see_hidden(viewer, author)):
        body = ""
        author = None if row.status == "deleted" else author
    return Comment(
        id=row.id,
        title_id=row.tconst,
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
        film = _title(conn, title_id, lock=True)
        if not film.comments_open:
            raise CommentsClosed(CLOSED_MESSAGE)
        if review_id is not None:
            status = rows.review_status_on(conn, review_id, title_id)
            if status != "visible":
                raise NotFound(f"no review with id {review_id} on {title_id}")
        if comment.parent is not None:
            parent = rows.plain_comment(conn, comment.parent)
            if parent is None or parent.tconst != title_id or parent.review_id != review_id:
                raise FieldError("parent", f"no comment {comment.parent} in this thread")
            if parent.status == "deleted":
                raise FieldError("parent", "you cannot reply to a deleted comment")
        new_id = rows.insert_comment(
            conn,
            {
                "tconst": title_id,
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
        if not _title(conn, row.tconst, lock=True).comments_open:
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
        _title(conn, title_id)
        found = rows.comment_rows(conn, title_id, review_id)
    return _thread(_comment(row, viewer) for row in found)


# ---- reports and moderation ----------------------------------------------------------------------


def _require_moderator(user: User) -> None:
    if not user.is_moderator:
        raise Forbidden("only moderators and admins may do this")


def _log(
    conn: Conn, moderator: User, action: ModerationActionKind, target: str, target_id: str, reason: str
) -> None:
    rows.log_moderation(
        conn,
        {
            "moderator_id": moderator.id,
            "moderator_name": moderator.name,
            "action": action,
            "target": target,
            "target_id": target_id,
            "reason": reason[:500],
            "created_at": now(),
        },
    )


def _check_target(target: str) -> Literal["review", "comment"]:
    if target == "review":
        return "review"
    if target == "comment":
        return "comment"
    raise FieldError("target", "must be 'review' or 'comment'")


def report(store: Store, user: User, target: TargetKind, target_id: int, reason: str = "") -> None:
    """Flag a review or comment for moderators; reporting the same thing twice counts once."""
    checked = _check_target(target)

    def work(conn: Conn) -> None:
        status = rows.target_status(conn, checked, target_id)
        if status is None or status == "deleted":
            raise NotFound(f"no {target} with id {target_id}")
        rows.upsert_report(conn, checked, target_id, user.id, reason[:500], now())

    transaction(store, work)


def open_reports(store: Store, moderator: User) -> list[Report]:
    """The moderation queue: unresolved reports, oldest first."""
    _require_moderator(moderator)
    found: list[Report] = []
    with store.reading() as conn:
        for target in ("review", "comment"):
            queued = rows.open_report_rows(conn, _check_target(target))
            found.extend(
                Report(
                    id=r.id,
                    target=r.target,
                    target_id=r.target_id,
                    title_id=r.tconst,
                    reporter=r.reporter,
                    reason=r.reason,
                    created_at=aware(r.created_at),
                    excerpt=r.body[:300],
                    target_status=r.status,
                )
                for r in queued
            )
    return sorted(found, key=lambda r: (r.created_at, r.id))


_STATUS_AFTER = {"hide": "hidden", "restore": "visible", "delete": "deleted"}


def moderate(
    store: Store,
    moderator: User,
    target: TargetKind,
    target_id: int,
    action: Literal["hide", "restore", "delete", "dismiss"],
    reason: str = "",
) -> None:
    """Hide, restore or delete a review or comment, or dismiss its reports; resolves its reports; logged."""
    _require_moderator(moderator)
    if action not in ("hide", "restore", "delete", "dismiss"):
        raise FieldError("action", "must be hide, restore, delete or dismiss")
    checked = _check_target(target)

    def work(conn: Conn) -> None:
        status = rows.target_status(conn, checked, target_id)
        if status is None:
            raise NotFound(f"no {target} with id {target_id}")
        stamp = now()
        if action == "delete" and target == "review":
            rows.purge_review(conn, target_id)
        elif action != "dismiss":
            values: dict[str, Any] = {"status": _STATUS_AFTER[action]}
            if action == "delete":
                values["body"] = ""
            rows.set_target(conn, checked, target_id, values)
        rows.resolve_reports(conn, checked, target_id, stamp, moderator.id)
        _log(conn, moderator, action, target, str(target_id), reason)

    transaction(store, work)


def moderation_log_entries(store: Store, moderator: User, *, limit: int = 200) -> list[ModerationAction]:
    """The latest moderation actions, newest first (moderators and admins only)."""
    _require_moderator(moderator)
    with store.reading() as conn:
        logged = rows.moderation_log_rows(conn, limit)
    return [
        ModerationAction(
            id=r.id,
            moderator=r.moderator_name,
            action=r.action,
            target=r.target,
            target_id=r.target_id,
            reason=r.reason,
            created_at=aware(r.created_at),
        )
        for r in logged
    ]
