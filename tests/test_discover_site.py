"""Discovery on the site's own pages and twins (issue 21): a film's ``.json`` carries its films "more
like this"; a member's recommendations page and its JSON twin are theirs alone; both backends."""

from __future__ import annotations

import pytest

from marquee.records import Film, PersonRef
from marquee.services import accounts, community, discover
from marquee.storage import SqlStore
from support.members import PASSWORD, sign_up
from support.web import TestClient, read_page

BOGDANOVICH = PersonRef(name="Peter Bogdanovich", id="nm0000953")
CATALOGUE = [
    Film(id="tt0089560", title="Mask", year=1985, genres=["Drama"], directors=[BOGDANOVICH]),
    Film(id="tt0070510", title="Paper Moon", year=1973, genres=["Comedy", "Drama"], directors=[BOGDANOVICH]),
    Film(id="tt0090605", title="Aliens", year=1986, genres=["Action", "Sci-Fi"]),
]


@pytest.fixture
def discovering_site(store: SqlStore, client: TestClient) -> TestClient:
    """A site over three films whose "more like this" lists are built; no page cache."""
    store.save_films(CATALOGUE)
    discover.rebuild_similar(store)
    return client


def test_a_films_json_twin_lists_its_films_more_like_this(discovering_site: TestClient) -> None:
    body = discovering_site.get("/title/tt0089560.json").json()
    assert body["id"] == "tt0089560"
    assert body["similar"][0]["id"] == "tt0070510"
    assert body["similar"][0]["reason"] == "Directed by Peter Bogdanovich"
    page = read_page(discovering_site.get("/title/tt0089560").text)
    assert "Paper Moon (1973)" in page.section("more-like-this")  # the page lists the same


def test_a_members_recommendations_page_and_twin_are_theirs_alone(
    discovering_site: TestClient, store: SqlStore
) -> None:
    site = discovering_site
    assert site.get("/user/ann/recommendations").status_code == 303  # signed out: to the sign-in page
    assert site.get("/user/ann/recommendations.json").status_code == 401
    sign_up(site, "ann")
    ann = accounts.get_user(store, "ann")
    assert ann is not None
    community.rate(store, ann, "tt0089560", 9)
    discover.rebuild_similar(store)
    page = site.get("/user/ann/recommendations")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    section = read_page(page.text).section("recommendations")
    assert "Paper Moon" in section and "Because you rated Mask 9/10" in section
    assert "Mask (1985)" not in section  # what she rated is left out
    twin = site.get("/user/ANN/recommendations.json")  # member names ignore case
    assert twin.status_code == 200
    picks = twin.json()["recommendations"]
    assert picks[0]["id"] == "tt0070510" and picks[0]["reason"] == "Because you rated Mask 9/10"
    assert "/user/ann/recommendations" in site.get("/account").text  # linked from the account page
    accounts.create_user(store, "bob", PASSWORD)
    assert site.get("/user/bob/recommendations").status_code == 403
    assert site.get("/user/bob/recommendations.json").status_code == 403
    assert site.get("/user/" + "x" * 5_000 + "/recommendations.json").status_code == 403


def test_a_films_twin_with_its_similar_films_reads_back_as_the_record(
    discovering_site: TestClient, store: SqlStore
) -> None:
    import io

    from marquee.services.jsonlines import read_films

    raw = discovering_site.get("/title/tt0089560.json").content
    assert b'"similar"' in raw
    (film,) = read_films(io.BytesIO(raw), "mask.json")
    assert film == store.get_film("tt0089560")
