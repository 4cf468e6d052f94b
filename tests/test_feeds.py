"""Atom feeds (issue 21): valid per RFC 4287 as feedparser reads them, on both backends."""

from __future__ import annotations

import datetime as dt
import html
import re

import feedparser
import pytest

from marquee.formats.atom import AtomEntry, AtomFeed, render_feed
from marquee.records import Film, PersonRef
from marquee.records_community import ReviewIn, User
from marquee.services import accounts, community, library
from marquee.storage import SqlStore
from support.members import PASSWORD, sign_up, token_in
from support.web import TestClient

MASK = "tt0089560"
MOON = "tt0070510"
PETER = PersonRef(name="Peter Bogdanovich", id="nm0000953")


@pytest.fixture
def site(store: SqlStore, member: User, client: TestClient) -> TestClient:
    """The site on two Bogdanovich films, with ann's review, diary and list."""
    store.save_films(
        [
            Film(id=MASK, title="Mask", year=1985, directors=[PETER]),
            Film(id=MOON, title="Paper Moon", year=1973, directors=[PETER]),
        ]
    )
    community.post_review(
        store, member, MASK, ReviewIn(title="Moving", body="Cher <b>is</b> great", score=8), scale=10
    )
    library.log_viewing(store, "ann", MASK, dt.date(2024, 5, 1), rating=9)
    library.log_viewing(store, "ann", MOON, dt.date(2024, 6, 2))
    library.create_list(store, "ann", "Bogdanovich", [MOON, MASK], description="Best first")
    return client


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


# ---- a member's notices: private, read with their secret token ------------------------------------

FEED = re.compile(r'href="(/user/[^"]+/notices\.atom\?token=[^"]+)"')


def notices_feed_path(client: TestClient, name: str) -> str:
    found = FEED.search(client.get(f"/user/{name}/notices").text)
    assert found, "no feed address on the notices page"
    return html.unescape(found.group(1))


def test_notices_feed_with_the_members_token(site: TestClient, store: SqlStore) -> None:
    sign_up(site, "cleo")
    person = site.get("/person/nm0000953").text
    followed = site.post("/person/nm0000953/follow", data={"csrf_token": token_in(person)})
    assert followed.status_code == 303
    path = notices_feed_path(site, "cleo")
    page = site.get("/user/cleo/notices").text
    assert f'<link rel="alternate" type="application/atom+xml" href="{html.escape(path)}"' in page
    assert f"http://testserver{html.escape(path)}" in page  # the address to copy, absolute
    store.save_film(Film(id="tt0072653", title="At Long Last Love", year=1975, directors=[PETER]))
    site.cookies.clear()  # a feed reader sends no cookies
    feed = parsed(site, path)
    assert feed.feed.title == "cleo's notices"
    assert [e.title for e in feed.entries] == ["Peter Bogdanovich is credited on At Long Last Love (1975)"]
    assert feed.entries[0].link == "http://testserver/title/tt0072653"
    assert feed.entries[0].id.startswith("http://testserver/user/cleo/notices#notice-")
    answer = site.get(path)
    assert "no-store" in answer.headers["cache-control"]


def test_notices_feed_refuses_a_wrong_or_missing_token_alike(site: TestClient, store: SqlStore) -> None:
    sign_up(site, "cleo")
    path = notices_feed_path(site, "cleo")
    token = path.split("token=", 1)[1]
    site.cookies.clear()
    assert site.get(path).status_code == 200
    wrong = [
        "/user/cleo/notices.atom",
        "/user/cleo/notices.atom?token=",
        f"/user/cleo/notices.atom?token={token[:-1]}",
        f"/user/cleo/notices.atom?token={token}x",
        "/user/cleo/notices.atom?token=" + "a" * 1_000,
        f"/user/ann/notices.atom?token={token}",  # another member's address with cleo's token
        f"/user/nobody/notices.atom?token={token}",
    ]
    answers = [site.get(p) for p in wrong]
    assert [a.status_code for a in answers] == [404] * len(wrong)
    # Nothing tells who has a feed (the pages differ only by the path their sign-in link returns to).
    same = {re.sub(r"/user/\w+/", "/user/X/", a.text) for a in answers}
    assert len(same) == 1 and "no such feed" in same.pop()


def test_resetting_the_token_retires_the_old_address(site: TestClient) -> None:
    sign_up(site, "cleo")
    old = notices_feed_path(site, "cleo")
    page = site.get("/user/cleo/notices").text
    assert 'action="/user/cleo/notices/feed-token"' in page
    forged = site.post("/user/cleo/notices/feed-token", data={"csrf_token": "0" * 64})
    assert forged.status_code == 403 and notices_feed_path(site, "cleo") == old
    done = site.post("/user/cleo/notices/feed-token", data={"csrf_token": token_in(page)})
    assert done.status_code == 303 and done.headers["location"] == "/user/cleo/notices#feed"
    new = notices_feed_path(site, "cleo")
    assert new != old
    assert site.get(old).status_code == 404 and site.get(new).status_code == 200
    sign_up_other = TestClient(site.app, follow_redirects=False)
    with sign_up_other as other:
        sign_up(other, "dora")
        token = token_in(other.get("/user/dora/notices").text)
        refused = other.post("/user/cleo/notices/feed-token", data={"csrf_token": token})
        assert refused.status_code == 403
    assert site.get(new).status_code == 200  # dora could not reset cleo's
    site.cookies.clear()
    signed_out = site.post("/user/cleo/notices/feed-token", data={"csrf_token": token_in(page)})
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/login")


# ---- the pages whose feed exists say so --------------------------------------------------------------


def test_pages_with_a_feed_link_to_it(site: TestClient, store: SqlStore) -> None:
    list_id = library.member_lists_of(store, "ann")[0].id
    for page, feed in [
        ("/user/ann/diary", "/user/ann/diary.atom"),
        ("/user/ann/reviews", "/user/ann/reviews.atom"),
        (f"/user/ann/lists/{list_id}", f"/user/ann/lists/{list_id}.atom"),
        (f"/title/{MASK}/reviews", f"/title/{MASK}/reviews.atom"),
    ]:
        text = site.get(page).text
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in text, page
        assert f'href="{feed}" type="application/atom+xml"' in text, page  # a visible link too
        parsed(site, feed)
    assert "application/atom+xml" not in site.get("/user/ann/ratings").text  # no feed, no link


# ---- entry ids are permanent, addresses are escaped ----------------------------------------------


def test_entry_ids_survive_a_new_viewing_and_a_reordered_list(site: TestClient, store: SqlStore) -> None:
    diary_before = {e.title: e.id for e in parsed(site, "/user/ann/diary.atom").entries}
    library.log_viewing(store, "ann", MASK, dt.date(2024, 7, 3))  # newest: first in the feed
    diary_after = {e.title: e.id for e in parsed(site, "/user/ann/diary.atom").entries}
    assert {t: diary_after[t] for t in diary_before} == diary_before
    assert len(set(diary_after.values())) == 3
    list_id = library.member_lists_of(store, "ann")[0].id
    path = f"/user/ann/lists/{list_id}.atom"
    before = {e.link: e.id for e in parsed(site, path).entries}
    library.create_list(store, "ann", "Bogdanovich", [MASK, MOON])  # the same films, reordered
    after = parsed(site, path).entries
    assert [e.title for e in after] == ["1. Mask (1985)", "2. Paper Moon (1973)"]
    assert {e.link: e.id for e in after} == before


def test_a_member_name_with_a_space_gives_escaped_addresses(site: TestClient, store: SqlStore) -> None:
    bo = accounts.create_user(store, "Bo Ek", PASSWORD)
    library.log_viewing(store, "Bo Ek", MOON, dt.date(2024, 1, 5))
    community.post_review(store, bo, MOON, ReviewIn(title="Grand", body="Yes", score=9), scale=10)
    diary = parsed(site, "/user/Bo%20Ek/diary.atom")
    assert diary.feed.id == "http://testserver/user/Bo%20Ek/diary.atom"
    assert diary.feed.title == "Bo Ek's diary" and diary.feed.author == "Bo Ek"
    reviews = parsed(site, "/user/Bo%20Ek/reviews.atom")
    assert reviews.feed.link == "http://testserver/user/Bo%20Ek/reviews"
    film = parsed(site, f"/title/{MOON}/reviews.atom")
    assert film.feed.title == "Reviews of Paper Moon (1973)" and film.entries[0].author == "Bo Ek"
