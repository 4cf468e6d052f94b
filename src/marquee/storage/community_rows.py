"""The SQL of what members do on a film's page (``services.community``): ratings, reviews and their
votes, comments, reports and the moderation log.

Functions take an open connection (``store.reading()``, or the caller's ``transactions.transaction``)
and return rows; the service checks permissions and turns rows into records. Films by ``title_id``,
members by ``users.id``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import Row, Table, and_, case, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

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
    "comment_row",
    "comment_rows",
    "delete_rating",
    "imported_review_rows",
    "insert_comment",
    "insert_review",
    "log_moderation",
    "moderation_log_rows",
    "open_report_rows",
    "plain_comment",
    "plain_review",
    "purge_review",
    "rating_counts",
    "rating_of",
    "resolve_reports",
    "review_of",
    "review_row",
    "review_rows",
    "review_status_on",
    "set_comment",
    "set_comments_open",
    "set_target",
    "set_vote",
    "target_status",
    "title_row",
    "update_review",
    "upsert_rating",
    "upsert_report",
]

Target = Literal["review", "comment"]


def upsert(conn: Connection) -> Any:
    """The dialect's INSERT that supports ON CONFLICT."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _table(target: Target) -> Table:
    return member_reviews if target == "review" else comments


# ---- films ---------------------------------------------------------------------------------------


def title_row(conn: Connection, title_id: str, *, lock: bool = False) -> Row[Any] | None:
    """The film's row (id, title_id, comments_open); with ``lock``, held until the transaction ends."""
    query = select(titles.c.title_key, titles.c.title_id, titles.c.comments_open).where(
        titles.c.title_id == title_id
    )
    if lock:
        # PostgreSQL: a comment and a "close comments" on one film serialise on this row.
        # (SQLite has one writer at a time anyway and ignores FOR UPDATE.)
        query = query.with_for_update()
    row: Row[Any] | None = conn.execute(query).first()  # type: ignore[assignment]
    return row


def title_activity(conn: Connection, title_id: str) -> Row[Any] | None:
    """The film's row (id, title_id, comments_open) and whether any member rated, reviewed or commented
    on it (``rated``, ``reviewed``, ``commented``): one query, for the film page's members' panel."""

    def any_of(table: Table) -> Any:
        return select(table.c.title_id).where(table.c.title_id == title_id).exists()

    query = select(
        titles.c.title_key,
        titles.c.title_id,
        titles.c.comments_open,
        any_of(member_ratings).label("rated"),
        any_of(member_reviews).label("reviewed"),
        any_of(comments).label("commented"),
    ).where(titles.c.title_id == title_id)
    row: Row[Any] | None = conn.execute(query).first()  # type: ignore[assignment]
    return row


def set_comments_open(conn: Connection, title_id: str, is_open: bool) -> None:
    conn.execute(update(titles).where(titles.c.title_id == title_id).values(comments_open=is_open))


# ---- ratings -------------------------------------------------------------------------------------


def upsert_rating(conn: Connection, user_id: int, title_id: str, score: int, stamp: dt.datetime) -> None:
    """Set the member's rating of a film: one upsert, exact under concurrency."""
    statement = upsert(conn)(member_ratings).values(
        user_id=user_id, title_id=title_id, score=score, created_at=stamp, updated_at=stamp
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "title_id"],
            set_={"score": statement.excluded.score, "updated_at": statement.excluded.updated_at},
        )
    )


def delete_rating(conn: Connection, user_id: int, title_id: str) -> bool:
    """Remove the member's rating of a film; False if there was none."""
    result = conn.execute(
        member_ratings.delete().where(
            member_ratings.c.user_id == user_id, member_ratings.c.title_id == title_id
        )
    )
    return bool(result.rowcount)


def rating_of(conn: Connection, user_id: int, title_id: str) -> int | None:
    value = conn.execute(
        select(member_ratings.c.score).where(
            member_ratings.c.user_id == user_id, member_ratings.c.title_id == title_id
        )
    ).scalar()
    return None if value is None else int(value)


def rating_counts(conn: Connection, title_id: str) -> list[tuple[int, int]]:
    """(score, how many members gave it) for a film."""
    rows = conn.execute(
        select(member_ratings.c.score, func.count())
        .where(member_ratings.c.title_id == title_id)
        .group_by(member_ratings.c.score)
    ).all()
    return [(int(score), int(count)) for score, count in rows]


# ---- reviews -------------------------------------------------------------------------------------


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
    """Reviews with their author's name and helpful / not helpful counts."""
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


def review_row(conn: Connection, review_id: int) -> Row[Any] | None:
    """A review with author and vote counts."""
    return conn.execute(_review_query().where(member_reviews.c.id == review_id)).first()


def review_of(conn: Connection, user_id: int, title_id: str) -> Row[Any] | None:
    """The member's review of a film (with author and vote counts), if any."""
    return conn.execute(
        _review_query().where(member_reviews.c.user_id == user_id, member_reviews.c.title_id == title_id)
    ).first()


def review_rows(
    conn: Connection, title_id: str, *, visible_only: bool, also_of: int | None, by_helpful: bool
) -> list[Row[Any]]:
    """A film's reviews: all, or visible ones (and those of member ``also_of``); most helpful first
    (net, then helpful) when ``by_helpful``, then newest."""
    query = _review_query().where(member_reviews.c.title_id == title_id)
    if visible_only:
        visible = member_reviews.c.status == "visible"
        query = query.where(visible if also_of is None else visible | (member_reviews.c.user_id == also_of))
    helpful = query.selected_columns.helpful
    net = helpful - query.selected_columns.not_helpful
    order = [net.desc(), helpful.desc()] if by_helpful else []
    query = query.order_by(*order, member_reviews.c.created_at.desc(), member_reviews.c.id.desc())
    return list(conn.execute(query))


def plain_review(conn: Connection, review_id: int) -> Row[Any] | None:
    """The ``member_reviews`` row alone (no author, no votes)."""
    return conn.execute(select(member_reviews).where(member_reviews.c.id == review_id)).first()


def insert_review(conn: Connection, values: dict[str, Any]) -> int:
    """A new review; its id (a second of one member for one film is ``RowConflict``)."""
    return int(
        conn.execute(insert(member_reviews).values(**values).returning(member_reviews.c.id)).scalar_one()
    )


def update_review(conn: Connection, review_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(member_reviews).where(member_reviews.c.id == review_id).values(**values))


def purge_review(conn: Connection, review_id: int) -> None:
    """Delete a review with its votes, comments and reports (children first: SQLite may not cascade)."""
    comment_ids = select(comments.c.id).where(comments.c.review_id == review_id)
    conn.execute(reports.delete().where(reports.c.target == "comment", reports.c.target_id.in_(comment_ids)))
    conn.execute(update(comments).where(comments.c.review_id == review_id).values(parent_id=None))
    conn.execute(comments.delete().where(comments.c.review_id == review_id))
    conn.execute(review_votes.delete().where(review_votes.c.review_id == review_id))
    conn.execute(reports.delete().where(reports.c.target == "review", reports.c.target_id == review_id))
    conn.execute(member_reviews.delete().where(member_reviews.c.id == review_id))


def set_vote(conn: Connection, review_id: int, user_id: int, helpful: bool | None, at: dt.datetime) -> None:
    """The member's vote on a review (helpful or not); None takes it back."""
    where = and_(review_votes.c.review_id == review_id, review_votes.c.user_id == user_id)
    if helpful is None:
        conn.execute(review_votes.delete().where(where))
        return
    statement = upsert(conn)(review_votes).values(
        review_id=review_id, user_id=user_id, helpful=helpful, created_at=at
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["review_id", "user_id"], set_={"helpful": statement.excluded.helpful}
        )
    )


def imported_review_rows(conn: Connection, title_key: int) -> list[Row[Any]]:
    """The reviews imported with a film's page (by ``titles.title_key``), in their order."""
    return list(
        conn.execute(
            select(reviews).where(reviews.c.title_key == title_key).order_by(reviews.c.ordering)
        ).all()
    )


def review_status_on(conn: Connection, review_id: int, title_id: str) -> str | None:
    """The status of a review of this film, or None when the film has no such review."""
    status = conn.execute(
        select(member_reviews.c.status).where(
            member_reviews.c.id == review_id, member_reviews.c.title_id == title_id
        )
    ).scalar()
    return None if status is None else str(status)


# ---- comments ------------------------------------------------------------------------------------


def comment_row(conn: Connection, comment_id: int) -> Row[Any] | None:
    """A comment with its author's name."""
    return conn.execute(
        select(comments, users.c.name.label("author"))
        .join(users, users.c.id == comments.c.user_id)
        .where(comments.c.id == comment_id)
    ).first()


def plain_comment(conn: Connection, comment_id: int) -> Row[Any] | None:
    """The ``comments`` row alone."""
    return conn.execute(select(comments).where(comments.c.id == comment_id)).first()


def insert_comment(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(comments).values(**values).returning(comments.c.id)).scalar_one())


def set_comment(conn: Connection, comment_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(comments).where(comments.c.id == comment_id).values(**values))


def comment_rows(conn: Connection, title_id: str, review_id: int | None) -> list[Row[Any]]:
    """A film's comments (or those under one of its reviews), with authors, oldest first."""
    review_clause = comments.c.review_id.is_(None) if review_id is None else comments.c.review_id == review_id
    return list(
        conn.execute(
            select(comments, users.c.name.label("author"))
            .join(users, users.c.id == comments.c.user_id)
            .where(comments.c.title_id == title_id, review_clause)
            .order_by(comments.c.created_at, comments.c.id)
        ).all()
    )


# ---- reports and moderation ----------------------------------------------------------------------


def log_moderation(
    conn: Connection,
    *,
    moderator_id: int | None,
    moderator_name: str,
    action: str,
    target: str,
    target_id: str,
    reason: str,
    time: dt.datetime,
) -> None:
    """Add a line to the moderation log (the name is copied: the line outlives a deleted account)."""
    conn.execute(
        insert(moderation_log).values(
            moderator_id=moderator_id,
            moderator_name=moderator_name,
            action=action,
            target=target,
            target_id=target_id,
            reason=reason,
            created_at=time,
        )
    )


def target_status(conn: Connection, target: Target, target_id: int) -> str | None:
    """A review's or comment's status, or None when there is none."""
    table = _table(target)
    status = conn.execute(select(table.c.status).where(table.c.id == target_id)).scalar()
    return None if status is None else str(status)


def set_target(conn: Connection, target: Target, target_id: int, values: dict[str, Any]) -> None:
    table = _table(target)
    conn.execute(update(table).where(table.c.id == target_id).values(**values))


def upsert_report(
    conn: Connection, target: Target, target_id: int, reporter_id: int, reason: str, at: dt.datetime
) -> None:
    """Flag a review or comment; the same member reporting it again reopens and rewords their report."""
    statement = upsert(conn)(reports).values(
        target=target, target_id=target_id, reporter_id=reporter_id, reason=reason, created_at=at
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["target", "target_id", "reporter_id"],
            set_={"reason": statement.excluded.reason, "resolved_at": None, "resolved_by": None},
        )
    )


def open_report_rows(conn: Connection, target: Target) -> list[Row[Any]]:
    """Unresolved reports on reviews (or comments), with reporter's name, the target's film, body, status."""
    table = _table(target)
    return list(
        conn.execute(
            select(reports, users.c.name.label("reporter"), table.c.title_id, table.c.body, table.c.status)
            .join(users, users.c.id == reports.c.reporter_id)
            .join(table, and_(reports.c.target == target, table.c.id == reports.c.target_id))
            .where(reports.c.resolved_at.is_(None))
        ).all()
    )


def resolve_reports(conn: Connection, target: Target, target_id: int, at: dt.datetime, by: int) -> None:
    conn.execute(
        update(reports)
        .where(reports.c.target == target, reports.c.target_id == target_id, reports.c.resolved_at.is_(None))
        .values(resolved_at=at, resolved_by=by)
    )


def moderation_log_rows(conn: Connection, limit: int) -> list[Row[Any]]:
    """The latest moderation actions, newest first."""
    return list(conn.execute(select(moderation_log).order_by(moderation_log.c.id.desc()).limit(limit)).all())
