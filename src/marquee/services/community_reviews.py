"""Members' reviews of a film: posted (one per member and film), edited and deleted by their author, voted
helpful, listed; hidden ones shown only to moderators and their author.
"""

from __future__ import annotations

from typing import Any, Literal

from marquee.errors import InputError, NotFound
from marquee.formats.markdown import render_markdown
from marquee.records import Review, Score
from marquee.records_community import MemberReview, ReviewIn, User
from marquee.services.accounts import FieldError, Forbidden
from marquee.services.community_access import may_see_hidden, require_title
from marquee.storage import community_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn, RowConflict, aware, now, transaction

ReviewSort = Literal["helpful", "date"]


class Conflict(InputError):
    """The write clashes with what exists (HTTP 409), e.g. a second review of one film."""

    status = 409


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
        title_id=row.title_id,
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
    if found.status != "visible" and not may_see_hidden(viewer, found.author):
        raise NotFound(f"no review with id {review_id}")
    return found


def post_review(store: Store, user: User, title_id: str, review: ReviewIn, *, scale: int) -> MemberReview:
    """The member's review of a film (one per member per film: a second is a ``Conflict``)."""
    score = _check_score(review.score, scale)
    stamp = now()

    def work(conn: Conn) -> MemberReview:
        require_title(conn, title_id)
        new_id = rows.insert_review(
            conn,
            {
                "title_id": title_id,
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
        require_title(conn, title_id)
        found = rows.review_rows(
            conn, title_id, visible_only=visible_only, also_of=also_of, by_helpful=sort == "helpful"
        )
    return [_review(row) for row in found]


def imported_reviews(store: Store, title_id: str) -> list[Review]:
    """The reviews that came with the film's page, as imported: author, date and score kept."""
    with store.reading() as conn:
        film = require_title(conn, title_id)
        imported = rows.imported_review_rows(conn, film.title_key)
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
