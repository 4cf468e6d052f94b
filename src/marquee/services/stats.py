"""Statistics: a member's profile (viewings, hours per year, top genres and people, ratings) and the site's.

The SQL is in ``storage.stats``; this module turns its rows into records (``MemberStats``,
``SiteStats``) that the profile page, ``/stats`` and their JSON twins show as they are.
"""

from __future__ import annotations

from marquee.records_library import MemberStats, SiteStats, StatItem, YearStat
from marquee.services.library import user_id_for
from marquee.storage import stats as sql
from marquee.storage.base import Store

__all__ = ["TOP", "member_stats", "site_stats"]

TOP = 10  # bars per chart
TOP_BILLED = 10  # actors: the first ten of each cast


def _title(title: str | None, year: int | None, film_id: str) -> str:
    name = title or film_id
    return f"{name} ({year})" if year else name


def member_stats(store: Store, user_name: str) -> MemberStats:
    """The member's statistics (NotFound for an unknown member)."""
    with store.reading() as conn:
        uid = user_id_for(conn, user_name)
        counts = sql.member_counts(conn, uid)
        years = sql.member_years(conn, uid)
        genres = sql.member_top_genres(conn, uid, TOP)
        directors = sql.member_people(conn, uid, ("director",), TOP)
        actors = sql.member_people(conn, uid, sql.ACTORS, TOP, top_billed=TOP_BILLED)
        histogram = sql.member_ratings_histogram(conn, uid)
    return MemberStats(
        user=user_name,
        counts=counts,
        years=[YearStat(year=y, films=n, hours=round(minutes / 60, 1)) for y, n, minutes in years],
        genres=[StatItem(label=g, value=n) for g, n in genres],
        directors=[StatItem(label=name, value=n, id=pid) for pid, name, n in directors],
        actors=[StatItem(label=name, value=n, id=pid) for pid, name, n in actors],
        ratings={score: histogram.get(score, 0) for score in range(1, 11)},
    )


def site_stats(store: Store) -> SiteStats:
    """The whole site's statistics: members appear by name with a count, nothing of what they saw."""
    with store.reading() as conn:
        counts = sql.site_counts(conn)
        watched = sql.most_watched(conn, TOP)
        rated = sql.most_rated(conn, TOP)
        busiest = sql.busiest_members(conn, TOP)
    return SiteStats(
        counts=counts,
        most_watched=[StatItem(label=_title(t, y, f), value=n, id=f) for f, t, y, n in watched],
        most_rated=[
            StatItem(label=_title(t, y, f), value=n, id=f, average=round(avg, 2)) for f, t, y, n, avg in rated
        ],
        busiest_members=[StatItem(label=name, value=n, id=name) for name, n in busiest],
    )
