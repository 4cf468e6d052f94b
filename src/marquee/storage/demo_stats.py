"""Counts behind ``marquee demo stats``: how many stored films have a director, cast, runtime, score, plot."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from marquee.storage import schema
from marquee.storage.base import Store
from marquee.storage.film_rows import CAST_CATEGORIES

__all__ = ["counts"]

t = schema.titles
c = schema.credits


def counts(store: Store) -> dict[str, int]:
    """Films (titles of any kind but episodes), and how many of them have each part of a page."""
    films = t.c.kind != "tvEpisode"
    with store.reading() as conn:

        def count(*where: ColumnElement[bool]) -> int:
            return int(conn.execute(select(func.count()).select_from(t).where(films, *where)).scalar_one())

        directed = select(c.c.title_key).where(c.c.category == "director")
        cast3 = (
            select(c.c.title_key)
            .where(c.c.category.in_(CAST_CATEGORIES))
            .group_by(c.c.title_key)
            .having(func.count() >= 3)
        )
        timed = select(schema.runtimes.c.title_key).where(schema.runtimes.c.minutes > 0)
        scores = schema.external_scores
        return {
            "films": count(),
            "with_director": count(t.c.title_key.in_(directed)),
            "with_cast3": count(t.c.title_key.in_(cast3)),
            "with_runtime": count(t.c.title_key.in_(timed)),
            "with_score": count(t.c.title_key.in_(select(scores.c.title_key))),
            "with_plot": count(t.c.plot.is_not(None), t.c.plot != ""),
        }
