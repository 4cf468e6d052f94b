"""Reads the Atom feeds make (issue 21) that no other module offers: a member's reviews, newest first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from marquee.storage.community_schema import member_reviews, users

__all__ = ["visible_review_ids_by"]


def visible_review_ids_by(conn: Connection, name_key: str, limit: int) -> list[int]:
    """Ids of the member's visible reviews, newest first."""
    query = (
        select(member_reviews.c.id)
        .join(users, users.c.id == member_reviews.c.user_id)
        .where(users.c.name_key == name_key, member_reviews.c.status == "visible")
        .order_by(member_reviews.c.created_at.desc(), member_reviews.c.id.desc())
        .limit(limit)
    )
    return [int(i) for i in conn.execute(query).scalars()]
