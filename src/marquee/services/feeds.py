"""Atom feeds (issue 21): a member's diary and reviews, a member's list, a film's members' reviews,
and a member's notices (private: read with the member's secret feed token, see ``services.follows``).

Each function gathers what the feed shows and returns an ``AtomFeed`` (``formats.atom`` writes
it); ``base`` is the site's origin, so ids and links are absolute. Feeds hold only what the
public pages show: visible reviews, a member's public diary and lists; the notices feed holds
what the member's own notices page shows.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from marquee.errors import NotFound
from marquee.formats.atom import AtomEntry, AtomFeed
from marquee.services import accounts, community, follows, library
from marquee.storage import feed_rows
from marquee.storage.base import Store

__all__ = ["MAX_ENTRIES", "diary_feed", "film_reviews_feed", "list_feed", "notices_feed", "reviews_feed"]

MAX_ENTRIES = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _day(value: dt.date | None) -> dt.datetime:
    return _EPOCH if value is None else dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _member(store: Store, name: str) -> str:
    found = accounts.get_user(store, name)
    if found is None:
        raise NotFound(f"no member named {name!r}")
    return found.name


def _named(title: str | None, year: int | None, film_id: str) -> str:
    name = title or film_id
    return f"{name} ({year})" if year else name


def diary_feed(store: Store, name: str, base: str) -> AtomFeed:
    """A member's diary, newest viewing first."""
    owner = _member(store, name)
    entries = sorted(
        library.diary(store, owner), key=lambda e: _day(e.watched_on or e.logged_on), reverse=True
    )
    page = f"{base}/user/{quote(owner)}/diary"
    items = [
        AtomEntry(
            # The entry's row id: permanent, where a position in the diary shifts with every new viewing.
            id=f"{page}#entry-{e.id}" if e.id is not None else f"{page}#{e.film_id}-{e.watched_on or ''}",
            title=f"{_named(e.title, e.year, e.film_id)}" + (f", rated {e.rating}/10" if e.rating else ""),
            updated=_day(e.watched_on or e.logged_on),
            link=f"{base}/title/{quote(e.film_id)}",
            content=e.review or "",
            author=owner,
        )
        for e in entries[:MAX_ENTRIES]
    ]
    return AtomFeed(f"{page}.atom", f"{owner}'s diary", owner, f"{page}.atom", page, items)


def reviews_feed(store: Store, name: str, base: str) -> AtomFeed:
    """A member's visible reviews, newest first."""
    owner = _member(store, name)
    with store.reading() as conn:
        ids = feed_rows.visible_review_ids_by(conn, accounts.name_key(owner), MAX_ENTRIES)
    reviews = [community.get_review(store, review_id) for review_id in ids]
    page = f"{base}/user/{quote(owner)}/reviews"
    items = [
        AtomEntry(
            id=f"{base}/reviews/{r.id}",
            title=f"{r.title} ({r.title_id})",
            updated=r.updated_at or r.created_at,
            link=f"{base}/reviews/{r.id}",
            content=r.body,
            author=owner,
        )
        for r in reviews
    ]
    return AtomFeed(f"{page}.atom", f"{owner}'s reviews", owner, f"{page}.atom", page, items)


def list_feed(store: Store, name: str, list_id: int, base: str) -> AtomFeed:
    """A member's list, in its order."""
    owner = _member(store, name)
    found = library.get_list(store, list_id, owner)
    page = f"{base}/user/{quote(owner)}/lists/{list_id}"
    updated = _day(found.created_on)
    seen: dict[str, int] = {}
    items = []
    for item in found.items[:MAX_ENTRIES]:
        # The film (and which time it is listed), not its position: moving it keeps its entry.
        seen[item.film_id] = seen.get(item.film_id, 0) + 1
        again = f"-{seen[item.film_id]}" if seen[item.film_id] > 1 else ""
        items.append(
            AtomEntry(
                id=f"{page}#{quote(item.film_id)}{again}",
                title=f"{item.position}. {_named(item.title, item.year, item.film_id)}",
                updated=updated,
                link=f"{base}/title/{quote(item.film_id)}",
                content=item.note or "",
            )
        )
    return AtomFeed(f"{page}.atom", found.name, owner, f"{page}.atom", page, items, updated=updated)


def film_reviews_feed(store: Store, film_id: str, base: str) -> AtomFeed:
    """Members' visible reviews of a film, newest first."""
    reviews = community.list_reviews(store, film_id, sort="date")[:MAX_ENTRIES]
    film = store.get_film(film_id)
    name = film_id if film is None else _named(film.title, film.year, film.id)
    page = f"{base}/title/{quote(film_id)}/reviews"
    items = [
        AtomEntry(
            id=f"{base}/reviews/{r.id}",
            title=r.title,
            updated=r.updated_at or r.created_at,
            link=f"{base}/reviews/{r.id}",
            content=r.body,
            author=r.author,
        )
        for r in reviews
    ]
    return AtomFeed(f"{page}.atom", f"Reviews of {name}", "Marquee members", f"{page}.atom", page, items)


def notices_feed(store: Store, name: str, token: str, base: str) -> AtomFeed:
    """A member's notices, newest first; NotFound unless ``token`` is the member's feed token."""
    owner, found = follows.feed_notices(store, name, token)
    page = f"{base}/user/{quote(owner.name)}/notices"
    items = [
        AtomEntry(
            id=f"{page}#notice-{n.id}",
            title=n.message,
            updated=n.created_at,
            link=f"{base}/title/{quote(n.film_id)}",
            content=n.message,
        )
        for n in found[:MAX_ENTRIES]
    ]
    self_link = f"{page}.atom?token={quote(token)}"
    return AtomFeed(f"{page}.atom", f"{owner.name}'s notices", owner.name, self_link, page, items)
