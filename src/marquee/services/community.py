"""What members do on a film's page: rate it, review it, comment, report; and what moderators do.

Every write runs in one transaction (``write_transaction``): a failure halfway leaves nothing
half-written. Permissions are checked here, not in the web layer, so the HTML forms and the
JSON API cannot disagree: a member edits only their own words, only moderators close threads
or hide posts, and a closed thread refuses comments whoever asks.

Films are named by their public id (``tt…`` or slug); members by ``User`` objects from
``marquee.services.accounts``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import Row, and_, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

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
from marquee.services.accounts import FieldError, Forbidden, aware, now, write_transaction
from marquee.storage.base import Store
from marquee.storage.community_schema import (
    comments,
    member_ratings,
    member_reviews,
    moderation_log,
    reports,
    review_votes,
    users,
)
from marquee.storage.schema import reviews, titles

__all__ = [
    "CommentsClosed",
    "Conflict",
    "close_comments",
    "comments_open",
    "delete_comment",
    "delete_review",
    "edit_comment",
    "edit_review",
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


def _title(conn: Connection, tconst: str, *, lock: bool = False) -> Row[Any]:
    """The film's row (id, tconst, comments_open); with ``lock``, held until the transaction ends."""
    query = select(titles.c.id, titles.c.tconst, titles.c.comments_open).where(titles.c.tconst == tconst)
    if lock:
        # PostgreSQL: a comment and a "close comments" on one film serialise on this row.
        # (SQLite has one writer at a time anyway and ignores FOR UPDATE.)
        query = query.with_for_update()
    row: Row[Any] | None = conn.execute(query).first()  # type: ignore[assignment]
    if row is None:
        raise NotFound(f"no film with id {tconst!r}")
    return row


def comments_open(store: Store, title_id: str) -> bool:
    """Whether members may comment on this film."""
    with store.engine.connect() as conn:
        return bool(_title(conn, title_id).comments_open)


def _set_comments(store: Store, moderator: User, title_id: str, is_open: bool, reason: str) -> None:
    _require_moderator(moderator)

    def work(conn: Connection) -> None:
        _title(conn, title_id, lock=True)
        conn.execute(update(titles).where(titles.c.tconst == title_id).values(comments_open=is_open))
        _log(conn, moderator, "open_comments" if is_open else "close_comments", "title", title_id, reason)

    write_transaction(store, work)


def close_comments(store: Store, moderator: User, title_id: str, reason: str = "") -> None:
    """Close a film's comments (moderators and admins only); logged."""
    _set_comments(store, moderator, title_id, False, reason)


def open_comments(store: Store, moderator: User, title_id: str, reason: str = "") -> None:
    """Open a film's comments again (moderators and admins only); logged."""
    _set_comments(store, moderator, title_id, True, reason)


# ---- ratings -------------------------------------------------------------------------------------


def _upsert(conn: Connection) -> Any:
    """The dialect's INSERT that supports ON CONFLICT."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def rate(store: Store, user: User, title_id: str, score: int) -> MemberRating:
    """Set (or change) the member's 1–10 rating of a film: one upsert, exact under concurrency."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
        raise FieldError("score", "must be a whole number from 1 to 10")
    stamp = now()

    def work(conn: Connection) -> None:
        _title(conn, title_id)
        statement = _upsert(conn)(member_ratings).values(
            user_id=user.id, tconst=title_id, score=score, created_at=stamp, updated_at=stamp
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "tconst"],
                set_={"score": statement.excluded.score, "updated_at": statement.excluded.updated_at},
            )
        )

    write_transaction(store, work)
    _refresh_similar(store, title_id)
    return MemberRating(title_id=title_id, user=user.name, score=score, updated_at=stamp)


def unrate(store: Store, user: User, title_id: str) -> bool:
    """Remove the member's rating of a film; False if there was none."""
    result = write_transaction(
        store,
        lambda c: c.execute(
            member_ratings.delete().where(
                member_ratings.c.user_id == user.id, member_ratings.c.tconst == title_id
            )
        ),
    )
    if result.rowcount:
        _refresh_similar(store, title_id)
    return bool(result.rowcount)


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
    with store.engine.connect() as conn:
        value = conn.execute(
            select(member_ratings.c.score).where(
                member_ratings.c.user_id == user.id, member_ratings.c.tconst == title_id
            )
        ).scalar()
    return None if value is None else int(value)


def member_rating_summary(store: Store, title_id: str) -> MemberRatingSummary:
    """Marquee members' ratings of a film: average, votes, histogram 1–10 (never IMDb's numbers)."""
    with store.engine.connect() as conn:
        _title(conn, title_id)
        rows = conn.execute(
            select(member_ratings.c.score, func.count())
            .where(member_ratings.c.tconst == title_id)
            .group_by(member_ratings.c.score)
        ).all()
    histogram = dict.fromkeys(range(1, 11), 0)
    for score, count in rows:
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


def _helpful_counts() -> Any:
    """Per review: how many found it helpful, and not."""
    return (
        select(
            review_votes.c.review_id,
            func.sum(case((review_votes.c.helpful, 1), else_=0)).label("helpful"),
            func.sum(case((review_votes.c.helpful, 0), else_=1)).label("not_helpful"),
        )
        .group_by(review_votes.c.review_id)
        .subquery("votes")
    )


def _review_query() -> Any:
    votes = _helpful_counts()
    return (
        select(
            member_reviews,
            users.c.name.label("author"),
            func.coalesce(votes.c.helpful, 0).label("helpful"),
            func.coalesce(votes.c.not_helpful, 0).label("not_helpful"),
        )
        .join(users, users.c.id == member_reviews.c.user_id)
        .outerjoin(votes, votes.c.review_id == member_reviews.c.id)
    )


def _review(row: Row[Any]) -> MemberReview:
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


def _load_review(conn: Connection, review_id: int) -> MemberReview:
    row = conn.execute(_review_query().where(member_reviews.c.id == review_id)).first()
    if row is None:
        raise NotFound(f"no review with id {review_id}")
    return _review(row)


def get_review(store: Store, review_id: int, viewer: User | None = None) -> MemberReview:
    """One review; a hidden one only for its author and moderators."""
    with store.engine.connect() as conn:
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

    def work(conn: Connection) -> MemberReview:
        _title(conn, title_id)
        new_id = conn.execute(
            insert(member_reviews)
            .values(
                tconst=title_id,
                user_id=user.id,
                title=review.title,
                body=review.body,
                score_value=score.value if score else None,
                score_scale=score.scale if score else None,
                spoiler=review.spoiler,
                status="visible",
                created_at=stamp,
            )
            .returning(member_reviews.c.id)
        ).scalar_one()
        return _load_review(conn, new_id)

    try:
        return write_transaction(store, work)
    except IntegrityError:
        raise Conflict("you have already reviewed this film: edit your review instead") from None


def _own_review(conn: Connection, user: User, review_id: int) -> Row[Any]:
    row = conn.execute(select(member_reviews).where(member_reviews.c.id == review_id)).first()
    if row is None:
        raise NotFound(f"no review with id {review_id}")
    if row.user_id != user.id:
        raise Forbidden("you can only change your own reviews")
    return row


def edit_review(store: Store, user: User, review_id: int, review: ReviewIn, *, scale: int) -> MemberReview:
    """Change the member's own review (a hidden review stays hidden)."""
    score = _check_score(review.score, scale)

    def work(conn: Connection) -> MemberReview:
        _own_review(conn, user, review_id)
        conn.execute(
            update(member_reviews)
            .where(member_reviews.c.id == review_id)
            .values(
                title=review.title,
                body=review.body,
                score_value=score.value if score else None,
                score_scale=score.scale if score else None,
                spoiler=review.spoiler,
                updated_at=now(),
            )
        )
        return _load_review(conn, review_id)

    return write_transaction(store, work)


def _purge_review(conn: Connection, review_id: int) -> None:
    """Delete a review with its votes, comments and reports (children first: SQLite may not cascade)."""
    comment_ids = select(comments.c.id).where(comments.c.review_id == review_id)
    conn.execute(reports.delete().where(reports.c.target == "comment", reports.c.target_id.in_(comment_ids)))
    conn.execute(update(comments).where(comments.c.review_id == review_id).values(parent_id=None))
    conn.execute(comments.delete().where(comments.c.review_id == review_id))
    conn.execute(review_votes.delete().where(review_votes.c.review_id == review_id))
    conn.execute(reports.delete().where(reports.c.target == "review", reports.c.target_id == review_id))
    conn.execute(member_reviews.delete().where(member_reviews.c.id == review_id))


def delete_review(store: Store, user: User, review_id: int) -> None:
    """Delete the member's own review, with its votes and the comments under it."""

    def work(conn: Connection) -> None:
        _own_review(conn, user, review_id)
        _purge_review(conn, review_id)

    write_transaction(store, work)


def my_review(store: Store, user: User, title_id: str) -> MemberReview | None:
    """The member's own review of a film, if any (hidden or not)."""
    with store.engine.connect() as conn:
        row = conn.execute(
            _review_query().where(member_reviews.c.user_id == user.id, member_reviews.c.tconst == title_id)
        ).first()
    return _review(row) if row else None


def vote_review(store: Store, user: User, review_id: int, helpful: bool | None) -> MemberReview:
    """Mark another member's review helpful (True) or not (False); None takes the vote back."""

    def work(conn: Connection) -> MemberReview:
        row = conn.execute(
            select(member_reviews.c.user_id, member_reviews.c.status).where(member_reviews.c.id == review_id)
        ).first()
        if row is None or row.status != "visible":
            raise NotFound(f"no review with id {review_id}")
        if row.user_id == user.id:
            raise Forbidden("you cannot vote on your own review")
        where = and_(review_votes.c.review_id == review_id, review_votes.c.user_id == user.id)
        if helpful is None:
            conn.execute(review_votes.delete().where(where))
        else:
            statement = _upsert(conn)(review_votes).values(
                review_id=review_id, user_id=user.id, helpful=helpful, created_at=now()
            )
            conn.execute(
                statement.on_conflict_do_update(
                    index_elements=["review_id", "user_id"], set_={"helpful": statement.excluded.helpful}
                )
            )
        return _load_review(conn, review_id)

    return write_transaction(store, work)


def list_reviews(
    store: Store, title_id: str, *, sort: ReviewSort = "helpful", viewer: User | None = None
) -> list[MemberReview]:
    """Members' reviews of a film, most helpful (or newest) first; hidden ones only for moderators."""
    if sort not in ("helpful", "date"):
        raise FieldError("sort", "must be 'helpful' or 'date'")
    query = _review_query().where(member_reviews.c.tconst == title_id)
    if viewer is None or not viewer.is_moderator:
        visible = member_reviews.c.status == "visible"
        query = query.where(visible if viewer is None else visible | (member_reviews.c.user_id == viewer.id))
    helpful = query.selected_columns.helpful
    net = helpful - query.selected_columns.not_helpful
    order = [net.desc(), helpful.desc()] if sort == "helpful" else []
    query = query.order_by(*order, member_reviews.c.created_at.desc(), member_reviews.c.id.desc())
    with store.engine.connect() as conn:
        _title(conn, title_id)
        return [_review(row) for row in conn.execute(query)]


def imported_reviews(store: Store, title_id: str) -> list[Review]:
    """The reviews that came with the film's page, as imported: author, date and score kept."""
    with store.engine.connect() as conn:
        film = _title(conn, title_id)
        rows = conn.execute(
            select(reviews).where(reviews.c.title_id == film.id).order_by(reviews.c.ordering)
        ).all()
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
        for r in rows
    ]


# ---- comments ------------------------------------------------------------------------------------


def _comment_row(conn: Connection, comment_id: int) -> Row[Any]:
    row = conn.execute(
        select(comments, users.c.name.label("author"))
        .join(users, users.c.id == comments.c.user_id)
        .where(comments.c.id == comment_id)
    ).first()
    if row is None:
        raise NotFound(f"no comment with id {comment_id}")
    return row


def _comment(row: Row[Any], viewer: User | None) -> Comment:
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

    def work(conn: Connection) -> Comment:
        film = _title(conn, title_id, lock=True)
        if not film.comments_open:
            raise CommentsClosed(CLOSED_MESSAGE)
        if review_id is not None:
            status = conn.execute(
                select(member_reviews.c.status).where(
                    member_reviews.c.id == review_id, member_reviews.c.tconst == title_id
                )
            ).scalar()
            if status != "visible":
                raise NotFound(f"no review with id {review_id} on {title_id}")
        if comment.parent is not None:
            parent = conn.execute(select(comments).where(comments.c.id == comment.parent)).first()
            if parent is None or parent.tconst != title_id or parent.review_id != review_id:
                raise FieldError("parent", f"no comment {comment.parent} in this thread")
            if parent.status == "deleted":
                raise FieldError("parent", "you cannot reply to a deleted comment")
        new_id = conn.execute(
            insert(comments)
            .values(
                tconst=title_id,
                review_id=review_id,
                parent_id=comment.parent,
                user_id=user.id,
                body=comment.body,
                status="visible",
                created_at=now(),
            )
            .returning(comments.c.id)
        ).scalar_one()
        return _comment(_comment_row(conn, new_id), user)

    return write_transaction(store, work)


def _own_comment(conn: Connection, user: User, comment_id: int) -> Row[Any]:
    row = _comment_row(conn, comment_id)
    if row.status == "deleted":
        raise NotFound(f"no comment with id {comment_id}")
    if row.user_id != user.id:
        raise Forbidden("you can only change your own comments")
    return row


def edit_comment(store: Store, user: User, comment_id: int, body: str) -> Comment:
    """Change the member's own comment; refused when the film's comments are closed."""
    checked = CommentIn(body=body)

    def work(conn: Connection) -> Comment:
        row = _own_comment(conn, user, comment_id)
        if not _title(conn, row.tconst, lock=True).comments_open:
            raise CommentsClosed(CLOSED_MESSAGE)
        conn.execute(
            update(comments).where(comments.c.id == comment_id).values(body=checked.body, updated_at=now())
        )
        return _comment(_comment_row(conn, comment_id), user)

    return write_transaction(store, work)


def delete_comment(store: Store, user: User, comment_id: int) -> None:
    """Delete the member's own comment: its text goes, its place in the thread (and replies) stay."""

    def work(conn: Connection) -> None:
        _own_comment(conn, user, comment_id)
        conn.execute(
            update(comments)
            .where(comments.c.id == comment_id)
            .values(status="deleted", body="", updated_at=now())
        )

    write_transaction(store, work)


def get_comment(store: Store, comment_id: int, viewer: User | None = None) -> Comment:
    """One comment, as the viewer may see it."""
    with store.engine.connect() as conn:
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
    review_clause = comments.c.review_id.is_(None) if review_id is None else comments.c.review_id == review_id
    with store.engine.connect() as conn:
        _title(conn, title_id)
        rows = conn.execute(
            select(comments, users.c.name.label("author"))
            .join(users, users.c.id == comments.c.user_id)
            .where(comments.c.tconst == title_id, review_clause)
            .order_by(comments.c.created_at, comments.c.id)
        ).all()
    return _thread(_comment(row, viewer) for row in rows)


# ---- reports and moderation ----------------------------------------------------------------------


def _require_moderator(user: User) -> None:
    if not user.is_moderator:
        raise Forbidden("only moderators and admins may do this")


def _log(
    conn: Connection, moderator: User, action: ModerationActionKind, target: str, target_id: str, reason: str
) -> None:
    conn.execute(
        insert(moderation_log).values(
            moderator_id=moderator.id,
            moderator_name=moderator.name,
            action=action,
            target=target,
            target_id=target_id,
            reason=reason[:500],
            created_at=now(),
        )
    )


def _target_table(target: str) -> Any:
    if target == "review":
        return member_reviews
    if target == "comment":
        return comments
    raise FieldError("target", "must be 'review' or 'comment'")


def report(store: Store, user: User, target: TargetKind, target_id: int, reason: str = "") -> None:
    """Flag a review or comment for moderators; reporting the same thing twice counts once."""
    table = _target_table(target)

    def work(conn: Connection) -> None:
        status = conn.execute(select(table.c.status).where(table.c.id == target_id)).scalar()
        if status is None or status == "deleted":
            raise NotFound(f"no {target} with id {target_id}")
        statement = _upsert(conn)(reports).values(
            target=target, target_id=target_id, reporter_id=user.id, reason=reason[:500], created_at=now()
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["target", "target_id", "reporter_id"],
                set_={"reason": statement.excluded.reason, "resolved_at": None, "resolved_by": None},
            )
        )

    write_transaction(store, work)


def open_reports(store: Store, moderator: User) -> list[Report]:
    """The moderation queue: unresolved reports, oldest first."""
    _require_moderator(moderator)
    found: list[Report] = []
    with store.engine.connect() as conn:
        for target in ("review", "comment"):
            table = _target_table(target)
            rows = conn.execute(
                select(reports, users.c.name.label("reporter"), table.c.tconst, table.c.body, table.c.status)
                .join(users, users.c.id == reports.c.reporter_id)
                .join(table, and_(reports.c.target == target, table.c.id == reports.c.target_id))
                .where(reports.c.resolved_at.is_(None))
            ).all()
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
                for r in rows
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
    table = _target_table(target)

    def work(conn: Connection) -> None:
        status = conn.execute(select(table.c.status).where(table.c.id == target_id)).scalar()
        if status is None:
            raise NotFound(f"no {target} with id {target_id}")
        stamp = now()
        if action == "delete" and target == "review":
            _purge_review(conn, target_id)
        elif action != "dismiss":
            values: dict[str, Any] = {"status": _STATUS_AFTER[action]}
            if action == "delete":
                values["body"] = ""
            conn.execute(update(table).where(table.c.id == target_id).values(**values))
        conn.execute(
            update(reports)
            .where(
                reports.c.target == target, reports.c.target_id == target_id, reports.c.resolved_at.is_(None)
            )
            .values(resolved_at=stamp, resolved_by=moderator.id)
        )
        _log(conn, moderator, action, target, str(target_id), reason)

    write_transaction(store, work)


def moderation_log_entries(store: Store, moderator: User, *, limit: int = 200) -> list[ModerationAction]:
    """The latest moderation actions, newest first (moderators and admins only)."""
    _require_moderator(moderator)
    with store.engine.connect() as conn:
        rows = conn.execute(select(moderation_log).order_by(moderation_log.c.id.desc()).limit(limit)).all()
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
        for r in rows
    ]
