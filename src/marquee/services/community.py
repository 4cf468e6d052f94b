"""What members do on a film's page: rate it, review it, comment, report; and what moderators do.

Every write runs in one transaction (``transactions.transaction``): a failure halfway leaves nothing
half-written. Permissions are checked here, not in the web layer, so the HTML forms and the
JSON API cannot disagree: a member edits only their own words, only moderators close threads
or hide posts, and a closed thread refuses comments whoever asks.

Films are named by their public id (``tt…`` or slug); members by ``User`` objects from
``marquee.services.accounts``.

Ratings are here; reviews, comments and moderation are in ``community_reviews``,
``community_comments`` and ``community_moderation`` (over ``community_access``), and this module is
their one public face.
"""

from __future__ import annotations

import logging

from marquee.errors import MarqueeError
from marquee.records_community import MemberRating, MemberRatingSummary, User
from marquee.services import discover
from marquee.services.accounts import FieldError
from marquee.services.community_access import FilmActivity, comments_open, film_activity, require_title
from marquee.services.community_comments import (
    CommentsClosed,
    delete_comment,
    edit_comment,
    get_comment,
    list_comments,
    post_comment,
)
from marquee.services.community_moderation import (
    close_comments,
    moderate,
    moderation_log_entries,
    open_comments,
    open_reports,
    report,
)
from marquee.services.community_reviews import (
    Conflict,
    delete_review,
    edit_review,
    get_review,
    imported_reviews,
    list_reviews,
    my_review,
    post_review,
    vote_review,
)
from marquee.storage import community_rows as rows
from marquee.storage.base import Store
from marquee.storage.transactions import Conn, now, transaction

__all__ = [
    "CommentsClosed",
    "Conflict",
    "FilmActivity",
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


# ---- ratings -------------------------------------------------------------------------------------


def rate(store: Store, user: User, title_id: str, score: int) -> MemberRating:
    """Set (or change) the member's 1–10 rating of a film: one upsert, exact under concurrency."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
        raise FieldError("score", "must be a whole number from 1 to 10")
    stamp = now()

    def work(conn: Conn) -> None:
        require_title(conn, title_id)
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
        require_title(conn, title_id)
        counts = rows.rating_counts(conn, title_id)
    histogram = dict.fromkeys(range(1, 11), 0)
    for score, count in counts:
        histogram[int(score)] = int(count)
    votes = sum(histogram.values())
    total = sum(score * count for score, count in histogram.items())
    average = round(total / votes, 2) if votes else None
    return MemberRatingSummary(average=average, votes=votes, histogram=histogram)
