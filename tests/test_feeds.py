"""Atom feeds (issue 21): valid per RFC 4287 as feedparser reads them, on both backends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import feedparser
import pytest

from marquee.formats.atom import AtomEntry, AtomFeed, render_feed
from marquee.records import Film
from marquee.records_community import ReviewIn
from marquee.services import accounts, community, library
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.members import PASSWORD
from support.web import TestClient

MASK = "tt0089560"
MOON = "tt0070510"


@pytest.fixture
def site(store: SqlStore) -> Iterator[TestClient]:
    store.save_films([Film(id=MASK, title="Mask", year=1985), Film(id=MOON, title="Paper Moon", year=1973)])
    ann = accounts.create_user(store, "ann", PASSWORD)
    community.post_review(
        store, ann, MASK, ReviewIn(title="Moving", body="Cher <b>is</b> great", score=8), scale=10
    )
    library.log_viewing(store, "ann", MASK, dt.date(2024, 5, 1), rating=9)
    library.log_viewing(store, "ann", MOON, dt.date(2024, 6, 2))
    library.create_list(store, "ann", "Bogdanovich", [MOON, MASK], description="Best first")
    with TestClient(create_app(Settings(page_cache_size=0), store), follow_redirects=False) as client:
        yield client


def parsed(client: TestClient, path: str) -> feedparser.FeedParserDict:
    answer = client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id and feed.feed.title and feed.feed.updated and feed.feed.author
    assert any(link.rel == "self" for link in feed.feed.links)
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated and entry.link
    return feed


def test_diary_feed(site: TestClient) -> None:
    feed = parsed(site, "/user/ann/diary.atom")
    assert [e.title for e in feed.entries] == ["Paper Moon (1973)", "Mask (1985), rated 9/10"]
    assert feed.entries[0].link.endswith(f"/title/{MOON}")
    assert feed.entries[0].updated.startswith("2024-06-02")


def test_reviews_feeds_of_a_member_and_of_a_film(site: TestClient) -> None:
    mine = parsed(site, "/user/ANN/reviews.atom")
    assert [e.title for e in mine.entries] == [f"Moving ({MASK})"]
    assert mine.entries[0].content[0].type == "text/plain"
    assert mine.entries[0].content[0].value == "Cher <b>is</b> great"
    film = parsed(site, f"/title/{MASK}/reviews.atom")
    assert [e.title for e in film.entries] == ["Moving"] and film.entries[0].author == "ann"


def test_list_feed(site: TestClient, store: SqlStore) -> None:
    list_id = library.member_lists_of(store, "ann")[0].id
    feed = parsed(site, f"/user/ann/lists/{list_id}.atom")
    assert feed.feed.title == "Bogdanovich"
    assert [e.title for e in feed.entries] == ["1. Paper Moon (1973)", "2. Mask (1985)"]


def test_unknown_member_list_or_film_is_a_404(site: TestClient) -> None:
    assert site.get("/user/nobody/diary.atom").status_code == 404
    assert site.get("/user/nobody/reviews.atom").status_code == 404
    assert site.get("/user/ann/lists/999.atom").status_code == 404
    assert site.get("/title/tt404/reviews.atom").status_code == 404
    assert site.get("/user/" + "x" * 5000 + "/diary.atom").status_code in (404, 414)


def test_an_empty_feed_is_still_valid_and_control_characters_are_dropped() -> None:
    feed = AtomFeed("tag:x,2026:f", "Empty", "me", "http://x/f.atom", "http://x/f", [])
    assert not feedparser.parse(render_feed(feed)).bozo
    noisy = AtomEntry("tag:x,2026:e", "bell\x07 & <tag>", dt.datetime(2024, 1, 1), "http://x/e")
    parsed_feed = feedparser.parse(
        render_feed(AtomFeed("tag:x,2026:f", "F", "me", "http://x/f.atom", "http://x/f", [noisy]))
    )
    assert not parsed_feed.bozo and parsed_feed.entries[0].title == "bell & <tag>"
