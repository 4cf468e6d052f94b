"""HTTP around the routes: HEAD for every GET (pages, cached pages, API), CORS for the API's reads."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher

from marquee.errors import InputError
from marquee.records import Film, Rating
from marquee.services import accounts
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app
from marquee.web.cors import parse_origins
from support.members import page_token, sign_up
from support.web import TestClient, asgi_scope, mask_film

MASK = "tt0089560"
ELSEWHERE = "https://films.elsewhere.example"
# Headers that say where a cross-origin script may go (their absence is what makes a browser refuse).
CORS_HEADERS = ("access-control-allow-origin", "access-control-allow-credentials")


def serve(url: str, **settings: Any) -> TestClient:
    """The whole site on a store holding the reference film (and a second one)."""
    store = open_store(url)
    try:
        store.save_films([mask_film(), Film(id="tt0000001", title="Bare", rating=Rating(value=6.0, votes=9))])
    finally:
        store.close()
    return TestClient(create_app(Settings(database_url=url, **settings)), follow_redirects=False)


@pytest.fixture
def site(sqlite_url: str) -> Iterator[TestClient]:
    with serve(sqlite_url) as client:
        yield client


def raw_answer(app: Any, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """Call the ASGI app directly: the status, headers and body bytes it sends.

    The test client (like uvicorn) drops a HEAD answer's body itself, so only a direct call
    shows whether the app sent one.
    """
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = asgi_scope(method, path, [], ("127.0.0.1", 50000))
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {name.decode(): value.decode() for name, value in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], headers, body


def assert_head_is_get_without_body(client: TestClient, path: str) -> dict[str, str]:
    """HEAD answers as GET does (status, every header) and the app sends no body; GET's headers."""
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code
    assert dict(head.headers) == dict(got.headers)
    assert int(head.headers["content-length"]) == len(got.content) > 0
    status, headers, body = raw_answer(client.app, "HEAD", path)
    assert (status, headers.get("content-type"), body) == (got.status_code, got.headers["content-type"], b"")
    return dict(got.headers)


# ---- HEAD ----------------------------------------------------------------------------------------


def test_head_of_a_film_page_rendered_by_its_route(sqlite_url: str) -> None:
    with serve(sqlite_url, page_cache_size=0) as client:  # nothing cached: every answer is rendered
        headers = assert_head_is_get_without_body(client, f"/title/{MASK}")
        assert headers["content-type"].startswith("text/html")
        assert client.app.state.marquee.pages.get(("title", MASK, "html")) is None  # type: ignore[attr-defined]


def test_head_of_a_cached_film_page_comes_from_the_fast_path(site: TestClient) -> None:
    site.get(f"/title/{MASK}")  # rendered once: now in the page cache
    pages = site.app.state.marquee.pages  # type: ignore[attr-defined]
    assert isinstance(pages.get(("title", MASK, "html")), bytes)
    # A copy only the fast path can give: its length shows HEAD was answered from memory.
    pages.put(("title", MASK, "html"), b"<p>cached copy</p>")
    headers = assert_head_is_get_without_body(site, f"/title/{MASK}")
    assert headers["content-length"] == str(len(b"<p>cached copy</p>"))
    assert headers["link"] == f'</title/{MASK}.json>; rel="alternate"; type="application/json"'


@pytest.mark.parametrize("cached", [False, True], ids=["routed", "fast-path"])
def test_head_of_an_api_title(site: TestClient, cached: bool) -> None:
    path = f"/api/v1/titles/{MASK}"
    if cached:
        site.get(path)
        pages = site.app.state.marquee.pages  # type: ignore[attr-defined]
        pages.put(("title", MASK, "api"), b'{"id": "fast"}')
    headers = assert_head_is_get_without_body(site, path)
    assert headers["content-type"] == "application/json" and headers["etag"]
    assert (headers["content-length"] == str(len(b'{"id": "fast"}'))) is cached
    not_modified = site.head(path, headers={"If-None-Match": headers["etag"]})
    assert not_modified.status_code == 304


@pytest.mark.parametrize(
    "path", ["/", "/index.json", "/api/v1/search?q=mask", "/api/v1/nothing", "/title/tt9999999"]
)
def test_head_answers_wherever_get_does_even_errors(site: TestClient, path: str) -> None:
    got, head = site.get(path), site.head(path)
    assert head.status_code == got.status_code
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.content == b""


def test_head_is_no_way_around_a_method_a_route_refuses(site: TestClient) -> None:
    assert site.head("/logout").status_code == 405  # POST only: GET is refused, so is HEAD
    assert site.head(f"/api/v1/titles/{MASK}/rating").status_code == 405  # PUT and DELETE only


# ---- CORS: reads of the API are open to other origins, writes never ------------------------------


def preflight(client: TestClient, path: str, method: str, headers: str = "") -> Any:
    asked = {"Origin": ELSEWHERE, "Access-Control-Request-Method": method}
    if headers:
        asked["Access-Control-Request-Headers"] = headers
    return client.options(path, headers=asked)


def test_preflight_for_a_read_is_answered(site: TestClient) -> None:
    answer = preflight(site, f"/api/v1/titles/{MASK}", "GET", "if-none-match, authorization")
    assert answer.status_code == 204
    assert answer.headers["access-control-allow-origin"] == "*"
    assert set(answer.headers["access-control-allow-methods"].split(", ")) == {"GET", "HEAD"}
    assert "If-None-Match" in answer.headers["access-control-allow-headers"]
    assert int(answer.headers["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in answer.headers


@pytest.mark.parametrize(
    ("method", "headers"),
    [("PUT", "content-type, x-csrf-token"), ("POST", ""), ("DELETE", ""), ("GET", "x-csrf-token")],
)
def test_preflight_for_a_write_or_an_odd_header_is_refused(
    site: TestClient, method: str, headers: str
) -> None:
    answer = preflight(site, f"/api/v1/titles/{MASK}/rating", method, headers)
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert not any(name in answer.headers for name in CORS_HEADERS)


def test_reads_carry_allow_origin_for_any_origin_and_the_fast_path_too(site: TestClient) -> None:
    path = f"/api/v1/titles/{MASK}"
    for _ in ("routed", "cached"):
        answer = site.get(path, headers={"Origin": ELSEWHERE})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "*"
        assert "ETag" in answer.headers["access-control-expose-headers"]
        assert "access-control-allow-credentials" not in answer.headers
        assert answer.headers["vary"] == "Accept"  # the same answer for every origin: caches may share it
    # Without an Origin header too, so a shared cache never keeps a copy a browser would refuse.
    assert site.get(path).headers["access-control-allow-origin"] == "*"
    problem = site.get("/api/v1/titles/tt9999999", headers={"Origin": ELSEWHERE})
    assert problem.status_code == 404 and problem.headers["access-control-allow-origin"] == "*"


def test_pages_are_not_opened_to_other_origins(site: TestClient) -> None:
    for path in (f"/title/{MASK}", f"/title/{MASK}.json", "/api/docs"):
        answer = site.get(path, headers={"Origin": ELSEWHERE})
        assert answer.status_code == 200
        assert "access-control-allow-origin" not in answer.headers, path


def test_writes_with_cookies_get_no_cors_headers_and_keep_their_csrf_check(
    site: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    sign_up(site, "ada")  # the test client now holds ada's session cookie
    path = f"/api/v1/titles/{MASK}/rating"
    forged = site.put(path, json={"score": 2}, headers={"Origin": ELSEWHERE})
    assert forged.status_code == 403  # no CSRF header: refused, as before
    assert not any(name in forged.headers for name in CORS_HEADERS)
    forged_form = site.post(f"/title/{MASK}/rating", data={"score": "2"}, headers={"Origin": ELSEWHERE})
    assert forged_form.status_code == 403 and not any(name in forged_form.headers for name in CORS_HEADERS)
    # Even a write that passes (same site, with the header) is never readable by another origin.
    token = page_token(site, f"/title/{MASK}")
    made = site.put(path, json={"score": 8}, headers={"Origin": ELSEWHERE, "X-CSRF-Token": token})
    assert made.status_code == 200, made.text
    assert not any(name in made.headers for name in CORS_HEADERS)
    # A read with the cookie gets "*", never the origin with credentials: a browser will not
    # hand another site what ada's cookie shows.
    me = site.get("/api/v1/me", headers={"Origin": ELSEWHERE})
    assert me.status_code == 200 and me.json()["name"] == "ada"
    assert me.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in me.headers


def test_a_list_of_origins_is_echoed_for_those_only(sqlite_url: str) -> None:
    with serve(sqlite_url, api_cors_origins=f"{ELSEWHERE}/, http://localhost:3000") as client:
        path = f"/api/v1/titles/{MASK}"
        listed = client.get(path, headers={"Origin": ELSEWHERE})
        assert listed.headers["access-control-allow-origin"] == ELSEWHERE
        assert listed.headers["vary"] == "Accept, Origin"
        other = client.get(path, headers={"Origin": "https://evil.example"})
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
        assert other.headers["vary"] == "Accept, Origin"
        assert preflight(client, path, "GET").headers["access-control-allow-origin"] == ELSEWHERE
        refused = client.options(
            path, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers


def test_cors_can_be_turned_off(sqlite_url: str) -> None:
    with serve(sqlite_url, api_cors_origins="") as client:
        answer = client.get(f"/api/v1/titles/{MASK}", headers={"Origin": ELSEWHERE})
        assert answer.status_code == 200 and "access-control-allow-origin" not in answer.headers
        assert preflight(client, f"/api/v1/titles/{MASK}", "GET").status_code == 405  # no such method


def test_the_origins_setting_is_read_and_checked(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_origins("*") == ("*",)
    assert parse_origins(" https://A.example/ ,http://localhost:3000") == (
        "https://a.example",
        "http://localhost:3000",
    )
    assert parse_origins("") == () and parse_origins("https://a.example, *") == ("*",)
    monkeypatch.delenv("MARQUEE_WEB_API_CORS_ORIGINS", raising=False)
    assert Settings().api_cors_origins == "*"
    monkeypatch.setenv("MARQUEE_WEB_API_CORS_ORIGINS", "https://a.example")
    assert Settings().api_cors_origins == "https://a.example"
    for bad in ("a.example", "ftp://a.example", "https://a.example/path"):
        with pytest.raises(InputError, match="MARQUEE_WEB_API_CORS_ORIGINS") as raised:
            create_app(Settings(database_url=sqlite_url, api_cors_origins=bad))
        assert repr(bad) in str(raised.value)
