"""The fast path (``web.fast_path.FastPathApp``) answers a film page with the very bytes and headers the
route gives through the whole middleware stack: a film, an episode, a series, and a film members rated
and commented on; and a person's page. The page cache is off, so each answer is rendered for the request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from marquee.records_community import CommentIn
from marquee.services import accounts, community, community_moderation
from marquee.services.imdb_import import import_imdb_datasets
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web import fast_path
from marquee.web.app import create_app
from support.web import TestClient, mask_film

PIMDB = Path(__file__).parent / "data" / "imdb" / "pimdb-test-fixtures"
SERIES = "tt3456370"  # Starting From... Now: 25 episodes in seasons 1-5
MASK = mask_film().id
MOVIE = "tt1754912"  # Wrath (2011), a film of the sample files
PERSON = "nm0013075"  # Keith Agius, a person of the sample files


@pytest.fixture
def cold_client(sqlite_url: str) -> Iterator[TestClient]:
    """The site with the page cache off, over the IMDb sample files (a series and its episodes) and the
    reference film, which a member rated and commented on."""
    store = open_store(sqlite_url)
    try:
        import_imdb_datasets(store, PIMDB)
        store.save_film(mask_film())
        member = accounts.create_user(store, "Ada", "a long enough password")
        community.rate(store, member, MASK, 8)
        moderator = accounts.create_user(store, "Mo", "a long enough password", role="moderator")
        community_moderation.open_comments(store, moderator, MASK)
        community.post_comment(store, member, MASK, CommentIn(body="Seen it twice."))
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=sqlite_url, page_cache_size=0))) as client:
        yield client


def _an_episode(client: TestClient) -> str:
    data = client.get(f"/title/{SERIES}.json").json()
    episode_id: str = data["episode_guide"]["episodes"][1]["id"]
    return episode_id


def _routed(client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str) -> tuple[bytes, dict[str, str]]:
    """The page as the route renders it: the fast path declines every cold page and JSON twin."""

    async def decline(*_args: object) -> None:
        return None

    with monkeypatch.context() as patch:
        for renderer in ("shared_page", "shared_twin", "shared_person_page", "shared_person_twin"):
            patch.setattr(fast_path, renderer, decline)
        answer = client.get(path)
    assert answer.status_code == 200
    return answer.content, dict(answer.headers)


def _counted(monkeypatch: pytest.MonkeyPatch, renderer: str) -> list[str]:
    """The ids the fast path's cold renderer (``shared_page`` or ``shared_person_page``) is asked for."""
    calls: list[str] = []
    real = getattr(fast_path, renderer)

    async def counted(request: object, item: str) -> bytes | None:
        calls.append(item)
        return await real(request, item)  # type: ignore[no-any-return]

    monkeypatch.setattr(fast_path, renderer, counted)
    return calls


def test_the_fast_path_gives_the_routes_bytes_and_headers(
    cold_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    episode = _an_episode(cold_client)
    twins = _counted(monkeypatch, "shared_twin")
    for film_id in (MASK, SERIES, episode, MOVIE):
        path = f"/title/{film_id}"
        fast = cold_client.get(path)
        assert fast.status_code == 200, path
        body, headers = _routed(cold_client, monkeypatch, path)
        assert fast.content == body, path
        assert dict(fast.headers) == headers, path
        assert headers["content-security-policy"] and headers["link"].startswith(f"</title/{film_id}.json>")
        twin = cold_client.get(f"{path}.json")  # the JSON twin: a series' with its first season's guide
        assert (twin.content, dict(twin.headers)) == _routed(cold_client, monkeypatch, f"{path}.json"), path
        assert twin.json()["id"] == film_id
    assert twins == [MASK, SERIES, episode, MOVIE]  # each twin came from the fast path
    assert b"Seen it twice." in cold_client.get(f"/title/{MASK}").content  # the member's comment shows


def test_the_fast_path_gives_a_persons_page_the_routes_bytes_and_headers(
    cold_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch, "shared_person_page")
    fast = cold_client.get(f"/person/{PERSON}")
    assert fast.status_code == 200 and calls == [PERSON]
    body, headers = _routed(cold_client, monkeypatch, f"/person/{PERSON}")
    assert fast.content == body and dict(fast.headers) == headers
    assert b"Keith Agius" in body and headers["link"].startswith(f"</person/{PERSON}.json>")
    missing = cold_client.get("/person/nm9999999")  # the fast path finds none: the app's error page
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert calls == [PERSON, "nm9999999"]
    twin = cold_client.get(f"/person/{PERSON}.json")
    assert (twin.content, dict(twin.headers)) == _routed(cold_client, monkeypatch, f"/person/{PERSON}.json")
    assert twin.json()["name"] == "Keith Agius"
    for unknown in ("/person/nm9999999.json", "/title/tt9999999.json"):
        answer = cold_client.get(unknown)
        assert answer.status_code == 404 and "application/" in answer.headers["content-type"], unknown


def test_the_fast_path_leaves_members_and_requests_with_a_body_to_the_app(
    cold_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch, "shared_page")
    assert cold_client.get(f"/title/{MASK}").status_code == 200
    assert calls == [MASK]
    cold_client.get(f"/title/{MASK}", headers={"content-length": "0"})
    cold_client.cookies.set("marquee_session", "not-a-real-session")
    assert cold_client.get(f"/title/{MASK}").status_code == 200
    assert calls == [MASK]  # both went through the app's route


def test_a_film_the_fast_path_cannot_render_gets_the_apps_error_page(
    cold_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object) -> bytes:
        raise RuntimeError("a bug in the fast path")

    monkeypatch.setattr(fast_path, "shared_page", broken)
    assert cold_client.get(f"/title/{MASK}").status_code == 200  # the route renders it
    missing = cold_client.get("/title/tt9999999")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
