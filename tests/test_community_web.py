"""The community on the site and in the API: forms with CSRF, sessions, tokens, permissions, limits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from marquee.records import Film, Rating
from marquee.services import accounts, community
from marquee.settings import Settings
from marquee.storage import SqlStore
from marquee.storage.community_schema import comments, member_reviews
from marquee.web.app import create_app
from marquee.web.ratelimit import Limits
from marquee.web.security import CommunityLimits, CommunityState
from support.members import FILM, PASSWORD, page_token, sign_up, token_in
from support.web import TestClient


@pytest.fixture
def site(store: SqlStore, client: TestClient) -> TestClient:
    """The whole site (film pages included) on a store holding one film."""
    store.save_film(Film(id=FILM, title="Mask", year=1985, rating=Rating(value=7.0, votes=12168)))
    return client


def client_for(site: TestClient) -> TestClient:
    """A second browser on the same site (its own cookies)."""
    return TestClient(site.app, follow_redirects=False)


def bearer(store: SqlStore, name: str) -> dict[str, str]:
    if accounts.get_user(store, name) is None:
        accounts.create_user(store, name, PASSWORD)
    return {"Authorization": f"Bearer {accounts.create_token(store, name)}"}


def count(store: SqlStore, table: object) -> int:
    with store.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


# ---- accounts and sessions -----------------------------------------------------------------------


def test_sign_up_sets_a_safe_session_cookie_and_sign_out_ends_it(site: TestClient) -> None:
    token = token_in(site.get("/signup").text)
    answer = site.post("/signup", data={"csrf_token": token, "name": "ada", "password": PASSWORD})
    assert answer.status_code == 303
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and "marquee_session" in v)
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # plain http, no trusted proxy
    page = site.get(f"/title/{FILM}").text
    assert "Add a comment" in page
    site.post("/logout", data={"csrf_token": token_in(page)})
    assert "Sign in</a> or" in site.get(f"/title/{FILM}").text


def test_session_cookie_is_secure_behind_tls_or_a_trusted_proxy(store: SqlStore) -> None:
    accounts.create_user(store, "ada", PASSWORD)
    app = create_app(Settings(page_cache_size=0), store)

    def login_cookie(client: TestClient, **headers: str) -> str:
        token = token_in(client.get("/login", headers=headers).text)
        answer = client.post(
            "/login", data={"csrf_token": token, "name": "ada", "password": PASSWORD}, headers=headers
        )
        assert answer.status_code == 303
        return str(answer.headers["set-cookie"])

    with TestClient(app, base_url="https://films.example", follow_redirects=False) as tls:
        assert "Secure" in login_cookie(tls)
    with TestClient(app, follow_redirects=False) as plain:
        assert "Secure" not in login_cookie(plain, **{"X-Forwarded-Proto": "https"})  # not a trusted proxy
    app.state.community = CommunityState(trusted_proxies=frozenset({"testclient"}))
    with TestClient(app, follow_redirects=False) as proxied:
        # A trusted proxy says TLS: cookies are Secure (so this plain-http client gets none back).
        answer = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in answer.headers["set-cookie"]
        assert (
            "Secure" not in proxied.get("/login", headers={"X-Forwarded-Proto": "http"}).headers["set-cookie"]
        )


def test_wrong_password_and_login_rate_limit(site: TestClient) -> None:
    sign_up(site, "ada")
    other = client_for(site)
    token = token_in(other.get("/login").text)
    statuses = [
        other.post(
            "/login", data={"csrf_token": token, "name": "ada", "password": "wrong password"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    limited = other.post("/login", data={"csrf_token": token, "name": "ada", "password": PASSWORD})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


def test_change_password_through_the_form(site: TestClient) -> None:
    sign_up(site, "ada")
    token = page_token(site, "/account")
    wrong = site.post(
        "/account/password",
        data={"csrf_token": token, "current_password": "nope nope", "new_password": "another password"},
    )
    assert wrong.status_code == 422 and "Current password" in wrong.text
    done = site.post(
        "/account/password",
        data={"csrf_token": token, "current_password": PASSWORD, "new_password": "another password"},
    )
    assert done.status_code == 200 and "has been changed" in done.text
    store = site.app.state.marquee.store
    assert accounts.authenticate(store, "ada", "another password") is not None


def test_tokens_created_and_revoked_on_the_account_page(site: TestClient) -> None:
    sign_up(site, "ada")
    made = site.post("/account/tokens", data={"csrf_token": page_token(site, "/account"), "label": "cli"})
    secret = re.search(r"<code>(mq_[^<]+)</code>", made.text)
    assert secret is not None
    headers = {"Authorization": f"Bearer {secret.group(1)}"}
    api = client_for(site)
    assert api.get("/api/v1/me", headers=headers).json()["name"] == "ada"
    [listed] = accounts.list_tokens(
        site.app.state.marquee.store, accounts.get_user(site.app.state.marquee.store, "ada")
    )  # type: ignore[arg-type]
    site.post(f"/account/tokens/{listed.id}/revoke", data={"csrf_token": page_token(site, "/account")})
    assert api.put(f"/api/v1/titles/{FILM}/rating", json={"score": 5}, headers=headers).status_code == 401


# ---- CSRF and signed-out clients -----------------------------------------------------------------


def test_a_forged_csrf_token_is_refused(site: TestClient) -> None:
    sign_up(site, "ada")
    real = page_token(site)
    for forged in ("", "0" * 64, real[:-1] + ("0" if real[-1] != "0" else "1")):
        answer = site.post(f"/title/{FILM}/comments", data={"csrf_token": forged, "body": "forged"})
        assert answer.status_code == 403
    assert site.post(f"/title/{FILM}/rating", data={"csrf_token": "0" * 64, "score": "9"}).status_code == 403
    assert count(site.app.state.marquee.store, comments) == 0
    ok = site.post(f"/title/{FILM}/comments", data={"csrf_token": real, "body": "real"})
    assert ok.status_code == 303 and count(site.app.state.marquee.store, comments) == 1


def test_a_token_from_another_session_is_refused(site: TestClient) -> None:
    sign_up(site, "ada")
    eve = client_for(site)
    sign_up(eve, "eve")
    answer = site.post(f"/title/{FILM}/comments", data={"csrf_token": page_token(eve), "body": "x"})
    assert answer.status_code == 403


def test_a_signed_out_client_cannot_write(site: TestClient) -> None:
    anonymous = client_for(site)
    token = token_in(anonymous.get("/login").text)  # a valid anonymous token: still not signed in
    answer = anonymous.post(f"/title/{FILM}/comments", data={"csrf_token": token, "body": "hello"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    api = anonymous.post(f"/api/v1/titles/{FILM}/comments", json={"body": "hello"})
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer"
    assert anonymous.put(f"/api/v1/titles/{FILM}/rating", json={"score": 7}).status_code == 401
    bad = anonymous.put(
        f"/api/v1/titles/{FILM}/rating", json={"score": 7}, headers={"Authorization": "Bearer mq_x"}
    )
    assert bad.status_code == 401
    assert count(site.app.state.marquee.store, comments) == 0
    assert community.member_rating_summary(site.app.state.marquee.store, FILM).votes == 0


def test_public_pages_need_no_login(site: TestClient) -> None:
    anonymous = client_for(site)
    for path in (f"/title/{FILM}", f"/title/{FILM}/reviews", "/login", "/signup"):
        assert anonymous.get(path).status_code == 200, path
    for path in (
        f"/api/v1/titles/{FILM}/member-rating",
        f"/api/v1/titles/{FILM}/reviews",
        f"/api/v1/titles/{FILM}/comments",
    ):
        assert anonymous.get(path).status_code == 200, path


# ---- ratings ---------------------------------------------------------------------------------------


def test_film_page_shows_members_rating_next_to_imdbs(site: TestClient) -> None:
    store = site.app.state.marquee.store
    for name, score in [("a", 8), ("b", 8), ("c", 10)]:
        assert (
            site.put(
                f"/api/v1/titles/{FILM}/rating", json={"score": score}, headers=bearer(store, name)
            ).status_code
            == 200
        )
    page = site.get(f"/title/{FILM}").text
    assert "IMDb rating" in page and "7.0" in page and "12,168" in page
    assert "Marquee members&#39; rating" in page or "Marquee members' rating" in page
    assert "8.7" in page and "from 3 members" in page
    assert page.count('class="bar"') == 10
    summary = site.get(f"/api/v1/titles/{FILM}/member-rating").json()
    assert summary["votes"] == 3 and summary["histogram"]["8"] == 2 and summary["histogram"]["10"] == 1


def test_rate_change_and_remove_through_the_api(site: TestClient) -> None:
    headers = bearer(site.app.state.marquee.store, "ada")
    first = site.put(f"/api/v1/titles/{FILM}/rating", json={"score": 4}, headers=headers)
    assert first.json()["member_rating"]["votes"] == 1
    changed = site.put(f"/api/v1/titles/{FILM}/rating", json={"score": 9}, headers=headers).json()
    assert changed["score"] == 9 and changed["member_rating"]["histogram"]["4"] == 0
    assert site.delete(f"/api/v1/titles/{FILM}/rating", headers=headers).status_code == 204
    assert site.get(f"/api/v1/titles/{FILM}/member-rating").json()["votes"] == 0
    bad = site.put(f"/api/v1/titles/{FILM}/rating", json={"score": 11}, headers=headers)
    assert bad.status_code == 422 and bad.json()["errors"][0]["name"] == "score"
    missing = site.put("/api/v1/titles/tt9999999/rating", json={"score": 5}, headers=headers)
    assert missing.status_code == 404


def test_rate_through_the_form(site: TestClient) -> None:
    sign_up(site, "ada")
    answer = site.post(f"/title/{FILM}/rating", data={"csrf_token": page_token(site), "score": "6"})
    assert answer.status_code == 303
    assert community.member_rating_summary(site.app.state.marquee.store, FILM).histogram[6] == 1
    site.post(f"/title/{FILM}/rating", data={"csrf_token": page_token(site), "remove": "1"})
    assert community.member_rating_summary(site.app.state.marquee.store, FILM).votes == 0


# ---- reviews ---------------------------------------------------------------------------------------


def test_review_through_the_api_and_spoilers_are_hidden_until_clicked(site: TestClient) -> None:
    headers = bearer(site.app.state.marquee.store, "ada")
    body = {"title": "Moving", "body": "The **ending**", "score": 8, "spoiler": True}
    made = site.post(f"/api/v1/titles/{FILM}/reviews", json=body, headers=headers)
    assert made.status_code == 201 and made.json()["body_html"] == "<p>The <strong>ending</strong></p>\n"
    again = site.post(f"/api/v1/titles/{FILM}/reviews", json=body, headers=headers)
    assert again.status_code == 409
    page = site.get(f"/title/{FILM}/reviews").text
    assert re.search(
        r'<details class="spoiler"><summary>[^<]*</summary>'
        r'<div class="review-body"><p>The <strong>ending',
        page,
    )
    listed = site.get(f"/api/v1/titles/{FILM}/reviews").json()
    assert [r["title"] for r in listed["items"]] == ["Moving"] and listed["imported"] == []


def test_a_member_cannot_edit_or_delete_anothers_review(site: TestClient) -> None:
    store = site.app.state.marquee.store
    ada, eve = bearer(store, "ada"), bearer(store, "eve")
    review_id = site.post(
        f"/api/v1/titles/{FILM}/reviews", json={"title": "Mine", "body": "Words"}, headers=ada
    ).json()["id"]
    edit = {"title": "Defaced", "body": "Eve was here"}
    refused = site.put(f"/api/v1/reviews/{review_id}", json=edit, headers=eve)
    assert refused.status_code == 403 and "your own" in refused.json()["detail"]
    assert site.delete(f"/api/v1/reviews/{review_id}", headers=eve).status_code == 403
    eve_browser = client_for(site)
    sign_up(eve_browser, "eve2")
    html = eve_browser.post(f"/reviews/{review_id}/delete", data={"csrf_token": page_token(eve_browser)})
    assert html.status_code == 403
    assert site.get(f"/api/v1/reviews/{review_id}").json()["title"] == "Mine"
    assert (
        site.put(
            f"/api/v1/reviews/{review_id}", json=edit | {"title": "Mine, edited"}, headers=ada
        ).status_code
        == 200
    )
    assert site.delete(f"/api/v1/reviews/{review_id}", headers=ada).status_code == 204
    assert count(store, member_reviews) == 0


def test_review_form_keeps_the_text_when_a_field_is_wrong(site: TestClient) -> None:
    sign_up(site, "ada")
    token = page_token(site, f"/title/{FILM}/review")
    long_title = "x" * 201
    answer = site.post(
        f"/title/{FILM}/review",
        data={"csrf_token": token, "title": long_title, "body": "My careful words", "score": "8"},
    )
    assert answer.status_code == 422
    assert "Title:" in answer.text and "My careful words" in answer.text
    saved = site.post(
        f"/title/{FILM}/review",
        data={"csrf_token": token, "title": "Fine", "body": "My careful words", "score": "8"},
    )
    assert saved.status_code == 303 and count(site.app.state.marquee.store, member_reviews) == 1


def test_helpful_votes_through_the_api(site: TestClient) -> None:
    store = site.app.state.marquee.store
    review_id = site.post(
        f"/api/v1/titles/{FILM}/reviews", json={"title": "T", "body": "B"}, headers=bearer(store, "ada")
    ).json()["id"]
    voted = site.put(
        f"/api/v1/reviews/{review_id}/vote", json={"helpful": True}, headers=bearer(store, "bob")
    )
    assert voted.json()["helpful"] == 1
    own = site.put(f"/api/v1/reviews/{review_id}/vote", json={"helpful": True}, headers=bearer(store, "ada"))
    assert own.status_code == 403


# ---- comments ----------------------------------------------------------------------------------------


def test_comment_reply_edit_delete_through_the_api(site: TestClient) -> None:
    store = site.app.state.marquee.store
    ada, bob = bearer(store, "ada"), bearer(store, "bob")
    top = site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "First"}, headers=ada).json()
    reply = site.post(
        f"/api/v1/titles/{FILM}/comments", json={"body": "Reply", "parent": top["id"]}, headers=bob
    )
    assert reply.status_code == 201
    assert (
        site.patch(f"/api/v1/comments/{top['id']}", json={"body": "Hijack"}, headers=bob).status_code == 403
    )
    assert (
        site.patch(f"/api/v1/comments/{top['id']}", json={"body": "First!"}, headers=ada).status_code == 200
    )
    thread = site.get(f"/api/v1/titles/{FILM}/comments").json()
    assert thread["comments_open"] is True
    assert thread["items"][0]["body"] == "First!" and thread["items"][0]["replies"][0]["body"] == "Reply"
    assert site.delete(f"/api/v1/comments/{reply.json()['id']}", headers=bob).status_code == 204
    page = site.get(f"/title/{FILM}").text
    assert "First!" in page and "[deleted]" in page


def test_bodies_have_length_limits_named_in_422s(site: TestClient) -> None:
    headers = bearer(site.app.state.marquee.store, "ada")
    too_long = site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "x" * 5001}, headers=headers)
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["name"] == "body"
    empty = site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "   "}, headers=headers)
    assert empty.status_code == 422 and empty.json()["errors"][0]["name"] == "body"
    review = site.post(
        f"/api/v1/titles/{FILM}/reviews", json={"title": "t" * 201, "body": "b"}, headers=headers
    )
    assert review.status_code == 422 and review.json()["errors"][0]["name"] == "title"
    huge = site.post(
        f"/api/v1/titles/{FILM}/reviews", json={"title": "t", "body": "b" * 20001}, headers=headers
    )
    assert huge.status_code == 422 and huge.json()["errors"][0]["name"] == "body"
    assert count(site.app.state.marquee.store, comments) == 0


def test_a_member_cannot_close_comments_and_a_closed_thread_stays_closed(site: TestClient) -> None:
    store = site.app.state.marquee.store
    member, moderator = bearer(store, "ada"), bearer(store, "mod")
    accounts.set_role(store, "mod", "moderator")
    refused = site.put(f"/api/v1/titles/{FILM}/comments-open", json={"open": False}, headers=member)
    assert refused.status_code == 403
    browser = client_for(site)
    sign_up(browser, "member2")
    form = browser.post(
        f"/title/{FILM}/comments/state", data={"csrf_token": page_token(browser), "open": "0"}
    )
    assert form.status_code == 403
    assert community.comments_open(store, FILM)

    closed = site.put(f"/api/v1/titles/{FILM}/comments-open", json={"open": False}, headers=moderator)
    assert closed.json() == {"comments_open": False}
    for headers in (member, moderator):
        answer = site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "let me in"}, headers=headers)
        assert answer.status_code == 403 and "Comments are closed" in answer.json()["detail"]
        extra = site.post(
            f"/api/v1/titles/{FILM}/comments", json={"body": "x", "comments_open": True}, headers=headers
        )
        assert extra.status_code in (403, 422)  # whatever a client sends
    html = browser.post(
        f"/title/{FILM}/comments", data={"csrf_token": page_token(browser), "body": "let me in"}
    )
    assert html.status_code == 403 and "Comments are closed." in html.text
    page = browser.get(f"/title/{FILM}").text
    assert "Comments are closed." in page and "Add a comment" not in page
    assert count(store, comments) == 0


def test_writes_are_rate_limited_per_member_with_retry_after(site: TestClient) -> None:
    site.app.state.community = CommunityState(
        limits=CommunityLimits(writes_per_member=Limits(rate=0.001, burst=2))
    )
    headers = bearer(site.app.state.marquee.store, "ada")
    statuses = [
        site.post(f"/api/v1/titles/{FILM}/comments", json={"body": f"n{i}"}, headers=headers).status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    limited = site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "again"}, headers=headers)
    assert int(limited.headers["retry-after"]) >= 1
    other = bearer(site.app.state.marquee.store, "bob")  # another member is not held back
    assert (
        site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "bob"}, headers=other).status_code == 201
    )


def test_writes_are_rate_limited_per_address(site: TestClient) -> None:
    site.app.state.community = CommunityState(
        limits=CommunityLimits(writes_per_address=Limits(rate=0.001, burst=3))
    )
    store = site.app.state.marquee.store
    statuses = [
        site.put(
            f"/api/v1/titles/{FILM}/rating", json={"score": 5}, headers=bearer(store, f"m{i}")
        ).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


# ---- reports and moderation --------------------------------------------------------------------------


def test_report_then_moderate_from_the_queue(site: TestClient) -> None:
    store = site.app.state.marquee.store
    posted = site.post(
        f"/api/v1/titles/{FILM}/comments", json={"body": "spam spam"}, headers=bearer(store, "ada")
    ).json()
    browser = client_for(site)
    sign_up(browser, "bob")
    token = page_token(browser, f"/report/comment/{posted['id']}")
    assert (
        browser.post(
            f"/report/comment/{posted['id']}", data={"csrf_token": token, "reason": "spam"}
        ).status_code
        == 200
    )
    assert browser.get("/moderation").status_code == 403
    moderator = client_for(site)
    sign_up(moderator, "mod", role="moderator")
    queue = moderator.get("/moderation")
    assert queue.status_code == 200 and "spam spam" in queue.text and "bob" in queue.text
    hidden = moderator.post(
        f"/moderation/comment/{posted['id']}",
        data={"csrf_token": token_in(queue.text), "action": "hide", "reason": "rule 1"},
    )
    assert hidden.status_code == 303
    assert "spam spam" not in browser.get(f"/title/{FILM}").text
    log = moderator.get("/moderation").text
    assert "Nothing is waiting" in log and "rule 1" in log and "hide" in log


def test_cookie_signed_in_api_writes_need_the_csrf_header(site: TestClient) -> None:
    sign_up(site, "ada")
    path = f"/api/v1/titles/{FILM}/comments"
    assert site.post(path, json={"body": "no header"}).status_code == 403
    assert site.post(path, json={"body": "forged"}, headers={"X-CSRF-Token": "0" * 64}).status_code == 403
    made = site.post(path, json={"body": "with header"}, headers={"X-CSRF-Token": page_token(site)})
    assert made.status_code == 201 and count(site.app.state.marquee.store, comments) == 1


def test_community_api_is_documented_in_openapi(site: TestClient) -> None:
    paths = site.get("/api/v1/openapi.json").json()["paths"]
    assert {"put", "delete"} <= set(paths["/api/v1/titles/{id}/rating"])
    assert "post" in paths["/api/v1/titles/{id}/reviews"] and "post" in paths["/api/v1/titles/{id}/comments"]
    assert "/api/v1/titles/{id}/member-rating" in paths
    assert "/signup" not in paths  # HTML forms are not API


def test_film_page_shows_the_most_helpful_member_reviews_with_spoilers_folded(site: TestClient) -> None:
    headers = bearer(site.app.state.marquee.store, "ada")
    review = {"title": "Twist", "body": "The *end*", "score": 9, "spoiler": True}
    assert site.post(f"/api/v1/titles/{FILM}/reviews", json=review, headers=headers).status_code == 201
    page = site.get(f"/title/{FILM}").text
    assert "Twist" in page and "Members' reviews (1)" in page
    assert re.search(
        r"<details class=\"spoiler\"><summary>[^<]*</summary><div class=\"review-body\"><p>The <em>end", page
    )


def test_signing_in_again_ends_the_old_session(site: TestClient) -> None:
    sign_up(site, "ada")
    old = site.cookies.get("marquee_session")
    token = page_token(site, "/login")
    site.post("/login", data={"csrf_token": token, "name": "ada", "password": PASSWORD})
    assert site.cookies.get("marquee_session") != old
    assert accounts.user_for_session(site.app.state.marquee.store, str(old)) is None


def test_ids_beyond_the_store_are_refused_not_crashed_on(site: TestClient) -> None:
    headers = bearer(site.app.state.marquee.store, "ada")
    assert site.get(f"/api/v1/reviews/{2**40}").status_code == 400
    assert site.delete(f"/api/v1/comments/{2**40}", headers=headers).status_code == 400
    reply = site.post(f"/api/v1/titles/{FILM}/comments", json={"body": "x", "parent": 2**40}, headers=headers)
    assert reply.status_code == 422 and reply.json()["errors"][0]["name"] == "parent"


def test_the_title_record_shows_a_new_rating_at_once(store: SqlStore) -> None:
    store.save_film(Film(id=FILM, title="Mask", year=1985))
    site = TestClient(create_app(Settings(page_cache_size=100, page_cache_seconds=600), store))
    assert site.get(f"/api/v1/titles/{FILM}").json()["member_rating"]["votes"] == 0  # now cached
    headers = bearer(store, "ada")
    assert site.put(f"/api/v1/titles/{FILM}/rating", json={"score": 6}, headers=headers).status_code == 200
    member = site.get(f"/api/v1/titles/{FILM}").json()["member_rating"]
    assert (member["votes"], member["average"], member["histogram"]["6"]) == (1, 6.0, 1)
