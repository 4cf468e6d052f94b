"""The member's library from the film page (issue 18, item 5): header menu, panel forms, list editing,
JSON twins; every form CSRF-protected, answered with a redirect back."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from marquee.records import CastMember, Film, PersonRef, Rating, Runtime
from marquee.services import accounts, community, library
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.web.app import create_app
from support.web import TestClient

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
MASK = "tt0089560"


def sign_in(client: TestClient, name: str) -> str:
    """Sign ``name`` in on this client; the CSRF token for its forms."""
    token = CSRF.search(client.get("/login").text)
    assert token
    answer = client.post("/login", data={"csrf_token": token.group(1), "name": name, "password": PASSWORD})
    assert answer.status_code == 303
    mine = CSRF.search(client.get("/me/lists/new").text)  # a signed-in member's token is their session's
    assert mine
    return mine.group(1)


@pytest.fixture
def store(store: SqlStore) -> SqlStore:
    """The conftest's store (each backend) with three films and two members, ann and bob."""
    store.save_films(
        [
            Film(id=MASK, title="Mask", year=1985, rating=Rating(value=7.0, votes=12168), genres=["Drama"]),
            Film(id="tt0000102", title="Night Train", year=1987, genres=["Thriller"]),
            Film(id="tt0000103", title="Harbour Lights", year=1990),
        ]
    )
    accounts.create_user(store, "ann", PASSWORD)
    accounts.create_user(store, "bob", PASSWORD)
    return store


@pytest.fixture
def app(store: SqlStore) -> Iterator[object]:
    yield create_app(Settings(), store)


@pytest.fixture
def ann(app: object) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        yield client, sign_in(client, "ann")


def test_header_offers_sign_in_then_the_member_menu(ann: tuple[TestClient, str], app: object) -> None:
    visitor = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    page = visitor.get(f"/title/{MASK}").text
    assert f'href="/login?next=/title/{MASK}">Sign in</a>' in page
    assert f'href="/signup?next=/title/{MASK}">Sign up</a>' in page
    assert "member-menu" not in page
    client, _ = ann
    for path in (f"/title/{MASK}", "/", "/browse", "/charts", "/person/nobody-here", "/me/diary"):
        text = client.get(path).text
        assert '<details class="member-menu">' in text, path
        for href in ("/me/watchlist", "/me/diary", "/me/lists", "/me/ratings", "/me/reviews", "/account"):
            assert f'href="{href}"' in text, (path, href)
    # A page rendered for ann is never served to someone else (the person page is cached for visitors).
    assert "member-menu" not in visitor.get("/").text


def test_watchlist_like_and_viewing_from_the_film_page(ann: tuple[TestClient, str], store: SqlStore) -> None:
    client, token = ann
    page = client.get(f"/title/{MASK}").text
    assert 'id="library"' in page and "+ Add to watchlist" in page and "♡ Like" in page
    assert client.post(f"/title/{MASK}/watchlist", data={}).status_code == 403  # no CSRF token
    added = client.post(f"/title/{MASK}/watchlist", data={"csrf_token": token})
    assert added.status_code == 303 and added.headers["location"] == f"/title/{MASK}#library"
    assert [e.film_id for e in library.watchlist_of(store, "ann")] == [MASK]
    assert "✓ On your watchlist · Remove" in client.get(f"/title/{MASK}").text
    client.post(f"/title/{MASK}/watchlist", data={"csrf_token": token, "remove": "1"})
    assert library.watchlist_of(store, "ann") == []
    client.post(f"/title/{MASK}/like", data={"csrf_token": token})
    assert [(like.kind, like.target) for like in library.member_likes(store, "ann")] == [("film", MASK)]
    assert "♥ Liked · Unlike" in client.get(f"/title/{MASK}").text
    client.post(f"/title/{MASK}/like", data={"csrf_token": token, "remove": "1"})
    assert library.member_likes(store, "ann") == []
    logged = client.post(
        f"/title/{MASK}/diary",
        data={
            "csrf_token": token,
            "watched_on": "2026-11-02",
            "rating": "8",
            "rewatch": "1",
            "review": "Still *moving*.",
        },
    )
    assert logged.status_code == 303
    [entry] = library.diary(store, "ann")
    assert (entry.film_id, entry.watched_on.isoformat() if entry.watched_on else None) == (MASK, "2026-11-02")
    assert (entry.rating, entry.rewatch, entry.review) == (8, True, "Still *moving*.")
    assert community.member_rating_summary(store, MASK).votes == 1  # the rating became ann's rating
    assert "You have logged 1 viewing" in client.get(f"/title/{MASK}").text
    bad = client.post(f"/title/{MASK}/diary", data={"csrf_token": token, "watched_on": "2-11", "rating": "8"})
    assert bad.status_code == 400 and "watched_on" in bad.text
    assert client.post(f"/title/{MASK}/diary", data={"csrf_token": token, "rating": "11"}).status_code == 400
    assert client.post("/title/tt404/watchlist", data={"csrf_token": token}).status_code == 404
    assert len(library.diary(store, "ann")) == 1


def test_signed_out_forms_go_to_the_login_page(app: object) -> None:
    visitor = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    token = CSRF.search(visitor.get("/login").text)
    assert token
    answer = visitor.post(f"/title/{MASK}/watchlist", data={"csrf_token": token.group(1)})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")


def test_lists_made_edited_reordered_and_deleted(
    ann: tuple[TestClient, str], store: SqlStore, app: object
) -> None:
    client, token = ann
    client.post(f"/title/{MASK}/lists", data={"csrf_token": token, "new_list": "Eighties"})
    [made] = library.member_lists_of(store, "ann")
    assert made.name == "Eighties" and [i.film_id for i in made.items] == [MASK]
    page = client.get("/title/tt0000102").text
    assert f'<option value="{made.id}">Eighties</option>' in page
    client.post("/title/tt0000102/lists", data={"csrf_token": token, "list_id": str(made.id)})
    client.post("/title/tt0000103/lists", data={"csrf_token": token, "list_id": str(made.id)})
    again = client.post("/title/tt0000103/lists", data={"csrf_token": token, "list_id": str(made.id)})
    assert again.status_code == 303  # already on it: nothing changes
    order = [i.film_id for i in library.get_list(store, made.id or 0).items]
    assert order == [MASK, "tt0000102", "tt0000103"]
    edit = client.get(f"/me/lists/{made.id}/edit")
    assert edit.status_code == 200 and 'name="note-2"' in edit.text
    saved = client.post(
        f"/me/lists/{made.id}/edit",
        data={"csrf_token": token, "name": "Best of the 80s", "description": "Mine.", "note-2": "the train"},
    )
    assert saved.status_code == 303
    down = client.post(f"/me/lists/{made.id}/move", data={"csrf_token": token, "position": "1", "to": "down"})
    assert down.status_code == 303
    client.post(f"/me/lists/{made.id}/move", data={"csrf_token": token, "position": "3", "to": "1"})
    found = library.get_list(store, made.id or 0)
    assert (found.name, found.description) == ("Best of the 80s", "Mine.")
    assert [(i.film_id, i.note) for i in found.items] == [
        ("tt0000103", None),
        ("tt0000102", "the train"),
        (MASK, None),
    ]
    client.post(f"/me/lists/{made.id}/remove", data={"csrf_token": token, "position": "2"})
    assert [i.film_id for i in library.get_list(store, made.id or 0).items] == ["tt0000103", MASK]
    # Bob can neither edit nor delete ann's list.
    with TestClient(app, follow_redirects=False) as bob:  # type: ignore[arg-type]
        bob_token = sign_in(bob, "bob")
        assert bob.get(f"/me/lists/{made.id}/edit").status_code == 404
        refused = bob.post(f"/me/lists/{made.id}/delete", data={"csrf_token": bob_token})
        assert refused.status_code == 404
    deleted = client.post(f"/me/lists/{made.id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303 and library.member_lists_of(store, "ann") == []
    created = client.post("/me/lists", data={"csrf_token": token, "name": "Later", "description": ""})
    assert created.status_code == 303 and re.fullmatch(r"/me/lists/\d+/edit", created.headers["location"])
    assert client.post("/me/lists", data={"csrf_token": token, "name": "  "}).status_code == 400


def test_json_twins_are_advertised_and_match(ann: tuple[TestClient, str], app: object) -> None:
    client, token = ann
    client.post(f"/title/{MASK}/watchlist", data={"csrf_token": token})
    client.post(f"/title/{MASK}/diary", data={"csrf_token": token, "watched_on": "2026-11-02", "rating": "7"})
    client.post(f"/title/{MASK}/lists", data={"csrf_token": token, "new_list": "Eighties"})
    visitor = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    for section in ("watchlist", "diary", "lists", "ratings", "reviews"):
        page = visitor.get(f"/user/ann/{section}")
        twin = f"/user/ann/{section}.json"
        assert f'<link rel="alternate" type="application/json" href="{twin}">' in page.text, section
        assert page.headers["link"] == f'<{twin}>; rel="alternate"; type="application/json"'
        assert client.get(f"/me/{section}").status_code == 200
    assert visitor.get("/user/ann/watchlist.json").json()["watchlist"][0]["film_id"] == MASK
    diary = visitor.get("/user/ann/diary.json").json()["diary"]
    assert diary[0]["film_id"] == MASK and diary[0]["rating"] == 7 and isinstance(diary[0]["id"], int)
    assert visitor.get("/user/ann/ratings.json").json()["ratings"][0]["score"] == 7
    [one] = visitor.get("/user/ann/lists.json").json()["lists"]
    assert one["name"] == "Eighties" and one["items"][0]["film_id"] == MASK
    list_page = visitor.get(f"/user/ann/lists/{one['id']}")
    assert f'href="/user/ann/lists/{one["id"]}.json"' in list_page.text
    assert visitor.get(f"/user/ann/lists/{one['id']}.json").json()["name"] == "Eighties"
    assert visitor.get("/user/nobody/diary.json").status_code == 404
    assert visitor.get("/user/bob/lists/{}.json".format(one["id"])).status_code == 404


def test_watchlist_search_and_add(ann: tuple[TestClient, str], store: SqlStore) -> None:
    client, token = ann
    page = client.get("/me/watchlist", params={"q": "night train"}).text
    assert 'value="tt0000102"' in page and "Add to watchlist" in page
    client.post("/me/watchlist", data={"csrf_token": token, "film_id": "tt0000102"})
    assert [e.film_id for e in library.watchlist_of(store, "ann")] == ["tt0000102"]


def test_a_viewing_is_deleted_by_its_owner_only(
    ann: tuple[TestClient, str], store: SqlStore, app: object
) -> None:
    client, token = ann
    client.post(f"/title/{MASK}/diary", data={"csrf_token": token, "watched_on": "2026-11-02"})
    [entry] = library.diary(store, "ann")
    with TestClient(app, follow_redirects=False) as bob:  # type: ignore[arg-type]
        bob_token = sign_in(bob, "bob")
        assert bob.post(f"/me/diary/{entry.id}/delete", data={"csrf_token": bob_token}).status_code == 404
    assert client.post(f"/me/diary/{entry.id}/delete", data={"csrf_token": token}).status_code == 303
    assert library.diary(store, "ann") == []


# ---- the same through the API ---------------------------------------------------------------------


def test_library_api_with_a_token(app: object, store: SqlStore) -> None:
    token = accounts.create_token(store, "ann", label="test")
    other = accounts.create_token(store, "bob", label="test")
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})  # type: ignore[arg-type]
    bob = TestClient(app, headers={"Authorization": f"Bearer {other}"})  # type: ignore[arg-type]
    anonymous = TestClient(app)  # type: ignore[arg-type]
    assert anonymous.get("/api/v1/me/watchlist").status_code == 401
    assert anonymous.put(f"/api/v1/me/watchlist/{MASK}").status_code == 401
    assert api.put(f"/api/v1/me/watchlist/{MASK}").json() == {
        "film_id": MASK,
        "in_watchlist": True,
        "added": True,
    }
    assert api.put(f"/api/v1/me/watchlist/{MASK}").json()["added"] is False
    assert [e["film_id"] for e in api.get("/api/v1/me/watchlist").json()["items"]] == [MASK]
    assert api.get(f"/api/v1/me/watchlist/{MASK}").json()["film_id"] == MASK
    assert api.get("/api/v1/me/watchlist/tt0000102").status_code == 404
    state = api.get(f"/api/v1/me/titles/{MASK}").json()
    assert (state["in_watchlist"], state["liked"], state["viewings"], state["lists"]) == (True, False, 0, [])
    assert api.put("/api/v1/me/watchlist/tt404").status_code == 404
    assert api.delete(f"/api/v1/me/watchlist/{MASK}").status_code == 204
    assert api.delete(f"/api/v1/me/watchlist/{MASK}").status_code == 404

    logged = api.post("/api/v1/me/diary", json={"film_id": MASK, "watched_on": "2026-10-01", "rating": 9})
    assert logged.status_code == 201 and logged.json()["rating"] == 9
    entry_id = logged.json()["id"]
    assert api.post("/api/v1/me/diary", json={"film_id": MASK, "rating": 11}).status_code == 422
    assert api.post("/api/v1/me/diary", json={"film_id": MASK, "stars": 3}).status_code == 422
    assert [e["id"] for e in api.get("/api/v1/me/diary").json()["items"]] == [entry_id]
    assert bob.delete(f"/api/v1/me/diary/{entry_id}").status_code == 404
    assert api.delete(f"/api/v1/me/diary/{entry_id}").status_code == 204
    assert api.get("/api/v1/me/diary").json()["items"] == []

    made = api.post("/api/v1/me/lists", json={"name": "Eighties", "film_ids": [MASK, "tt0000102"]})
    assert made.status_code == 201
    list_id = made.json()["id"]
    added = api.post(f"/api/v1/me/lists/{list_id}/entries", json={"film_id": "tt0000103", "note": "harbour"})
    assert [i["film_id"] for i in added.json()["items"]] == [MASK, "tt0000102", "tt0000103"]
    order = ["tt0000103", MASK, "tt0000102"]
    moved = api.put(f"/api/v1/me/lists/{list_id}/order", json={"film_ids": order})
    assert [(i["film_id"], i["note"]) for i in moved.json()["items"]] == [
        ("tt0000103", "harbour"),
        (MASK, None),
        ("tt0000102", None),
    ]
    assert api.put(f"/api/v1/me/lists/{list_id}/order", json={"film_ids": [MASK]}).status_code == 400
    renamed = api.put(f"/api/v1/me/lists/{list_id}", json={"name": "80s", "description": "mine"})
    assert (renamed.json()["name"], renamed.json()["description"]) == ("80s", "mine")
    assert api.delete(f"/api/v1/me/lists/{list_id}/entries/{MASK}").status_code == 200
    assert api.delete(f"/api/v1/me/lists/{list_id}/entries/{MASK}").status_code == 404
    assert bob.get(f"/api/v1/me/lists/{list_id}").status_code == 404
    assert bob.put(f"/api/v1/me/lists/{list_id}", json={"name": "mine now"}).status_code == 404
    assert [m["name"] for m in api.get("/api/v1/me/lists").json()["items"]] == ["80s"]
    assert api.delete(f"/api/v1/me/lists/{list_id}").status_code == 204
    assert api.get(f"/api/v1/me/lists/{list_id}").status_code == 404

    assert api.put(f"/api/v1/me/likes/{MASK}").json()["added"] is True
    assert api.get("/api/v1/me/likes").json()["items"][0]["target"] == MASK
    assert bob.get("/api/v1/me/likes").json()["items"] == []  # likes are their owner's
    assert api.delete(f"/api/v1/me/likes/{MASK}").status_code == 204
    assert api.delete(f"/api/v1/me/likes/{MASK}").status_code == 404


def test_the_api_document_lists_the_library(app: object) -> None:
    doc = TestClient(app).get("/api/v1/openapi.json").json()  # type: ignore[arg-type]
    paths = doc["paths"]
    assert set(paths["/api/v1/me/watchlist/{id}"]) == {"get", "put", "delete"}
    assert set(paths["/api/v1/me/lists/{list_id}"]) == {"get", "put", "delete"}
    assert "post" in paths["/api/v1/me/diary"] and "put" in paths["/api/v1/me/lists/{list_id}/order"]
    assert paths["/api/v1/me/likes"]["get"]["security"] == [{"bearerAuth": []}]


# ---- statistics (issue 18, item 6) ----------------------------------------------------------------


def test_profile_and_site_statistics_as_svg_and_json(app: object, store: SqlStore) -> None:
    store.save_film(
        Film(
            id="tt0000201",
            title="Long Night",
            year=1999,
            genres=["Drama", "Crime"],
            directors=[PersonRef(name="Ada Director", id="nm0000901")],
            cast=[CastMember(name="Bo Actor", id="nm0000902")],
            runtimes=[Runtime(minutes=120)],
        )
    )
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        token = sign_in(client, "ann")
        for day, film, rating in (
            ("2025-05-01", "tt0000201", "9"),
            ("2026-01-02", "tt0000201", ""),
            ("2026-02-03", MASK, "6"),
        ):
            client.post(
                f"/title/{film}/diary", data={"csrf_token": token, "watched_on": day, "rating": rating}
            )
        own = client.get("/user/ann")
        assert own.status_code == 200 and 'href="/me/watchlist"' in own.text
    visitor = TestClient(app)  # type: ignore[arg-type]
    page = visitor.get("/user/ann")
    assert page.status_code == 200 and "<script" not in page.text.split("</footer>")[0]
    assert '<link rel="alternate" type="application/json" href="/user/ann.json">' in page.text
    for chart in ("films-per-year", "hours-per-year", "genres", "directors", "actors", "ratings"):
        assert f'id="{chart}"' in page.text, chart
    assert page.text.count('<svg class="chart-svg"') == 6
    assert 'href="/person/nm0000901"' in page.text
    data = visitor.get("/user/ann.json").json()
    assert data["years"] == [
        {"year": 2025, "films": 1, "hours": 2.0},
        {"year": 2026, "films": 2, "hours": 2.0},
    ]
    assert [(g["label"], g["value"]) for g in data["genres"]] == [("Drama", 2), ("Crime", 1)]
    assert data["directors"] == [{"label": "Ada Director", "value": 1, "id": "nm0000901", "average": None}]
    assert data["actors"][0]["label"] == "Bo Actor"
    assert data["ratings"]["9"] == 1 and data["ratings"]["6"] == 1 and data["ratings"]["1"] == 0
    assert data["counts"]["viewings"] == 3 and data["counts"]["films"] == 2
    assert visitor.get("/user/nobody").status_code == 404
    site = visitor.get("/stats")
    assert (
        site.status_code == 200 and 'id="most-watched"' in site.text and 'id="busiest-members"' in site.text
    )
    whole = visitor.get("/stats.json").json()
    assert whole["most_watched"][0] == {
        "label": "Long Night (1999)",
        "value": 2,
        "id": "tt0000201",
        "average": None,
    }
    assert whole["busiest_members"] == [{"label": "ann", "value": 3, "id": "ann", "average": None}]
    assert {i["id"] for i in whole["most_rated"]} == {"tt0000201", MASK}
    assert whole["counts"]["members"] == 2


def test_charts_leave_out_what_has_nothing_to_show() -> None:
    from marquee.records_library import MemberStats, YearStat
    from marquee.web.stats_pages import bar_chart, member_charts

    empty_hours = MemberStats(user="x", years=[YearStat(year=2020, films=2, hours=0)], ratings={8: 0})
    assert [c.id for c in member_charts(empty_hours)] == ["films-per-year"]
    chart = bar_chart("c", "C", [("a rather long label that would not fit a phone", 4, None), ("b", 2, "/b")])
    assert [(b.label, b.width, b.y) for b in chart.bars] == [
        ("a rather long label t…", 100.0, 0),
        ("b", 50.0, 26),
    ]
