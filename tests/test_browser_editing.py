"""A member edits a film imported from IMDb's datasets through the web forms, in real headless Chromium
(issue 17): a tagline, two trivia items and a quote; then the page, ``.json``, the API and ``export``
show them with source ``member``."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from marquee.services.accounts import create_token, create_user
from marquee.services.imdb_import import import_imdb_datasets
from marquee.services.jsonlines import export_jsonl
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app
from support.browser import chromium, launched, serving

pytestmark = pytest.mark.browser

IMDB = Path(__file__).parent / "data" / "imdb" / "othonas-head-samples"
FILM = "tt0000001"  # Carmencita (1894): the datasets give it a title, a year, a rating, no taglines
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The site on a store of IMDb's dataset samples, with a member: its URL, the store and a token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('edit-browser') / 'marquee.db'}"
    store = open_store(url)
    try:
        import_imdb_datasets(store, IMDB)
        create_user(store, "ada", PASSWORD)
        token = create_token(store, "ada")
    finally:
        store.close()
    with serving(create_app(Settings(database_url=url, edit_queue=False))) as site:
        yield site, url, token


@pytest.fixture(scope="module")
def chromium_path() -> str:
    return chromium()


@pytest.fixture
def tab(chromium_path: str, served: Any) -> Iterator[Any]:
    with launched(chromium_path) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=served[0])
        yield context.new_page()
        context.close()


def _edit(tab: Any, section: str) -> None:
    """From the film page, follow the section's Edit link."""
    tab.goto(f"/title/{FILM}")
    tab.locator(f"section#{section.replace('_', '-')} a.edit-link").click()
    tab.wait_for_url(f"**/title/{FILM}/edit/{section}")


def _save(tab: Any) -> None:
    tab.locator("form.edit-form button[type=submit]").click()
    tab.wait_for_url(f"**/title/{FILM}#*")


def test_a_member_adds_a_tagline_trivia_and_a_quote_through_the_forms(tab: Any, served: Any) -> None:
    site, store_url, token = served
    tab.goto(f"/login?next=/title/{FILM}")
    tab.fill("#name", "ada")
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"**/title/{FILM}")
    assert tab.locator("h1").first.inner_text().startswith("Carmencita")

    _edit(tab, "taglines")
    tab.fill("textarea[name=taglines-0]", "The dance that started it all")
    tab.fill("#note", "from the poster")
    _save(tab)
    for item in (
        "Carmencita dances in front of the camera",
        "One of the first films shot in the Edison studio",
    ):
        _edit(tab, "trivia")  # each save leaves one empty row to add the next item
        tab.locator("textarea[name^=trivia-]").last.fill(item)
        _save(tab)
    _edit(tab, "quotes")
    tab.fill("input[name=quotes-0-0-character]", "Carmencita")
    tab.fill("input[name=quotes-0-0-direction]", "twirling")
    tab.fill("textarea[name=quotes-0-0-text]", "Olé!")
    _save(tab)

    # the page
    tab.goto(f"/title/{FILM}")
    for section, text in (
        ("taglines", "The dance that started it all"),
        ("trivia", "Carmencita dances in front of the camera"),
        ("trivia", "One of the first films shot in the Edison studio"),
        ("quotes", "Olé!"),
    ):
        block = tab.locator(f"section#{section}")
        assert text in block.inner_text()
        assert "Source: member:" in block.locator(".section-source").inner_text()
    assert "twirling" in tab.locator("section#quotes").inner_text()

    def member_sourced(record: dict[str, Any]) -> None:
        assert record["taglines"] == ["The dance that started it all"]
        assert record["trivia"] == [
            "Carmencita dances in front of the camera",
            "One of the first films shot in the Edison studio",
        ]
        assert record["quotes"] == [
            {"lines": [{"character": "Carmencita", "direction": "twirling", "text": "Olé!"}]}
        ]
        for section in ("taglines", "trivia", "quotes"):
            assert record["sources"][section].startswith("member:"), section
        assert record["title"] == "Carmencita" and record["year"] == 1894  # the datasets' facts stay

    # .json, the API and export
    member_sourced(json.loads(tab.goto(f"/title/{FILM}.json").text()))
    api = httpx.get(f"{site}/api/v1/titles/{FILM}", headers={"Authorization": f"Bearer {token}"})
    member_sourced(api.json())
    history = httpx.get(f"{site}/api/v1/titles/{FILM}/history").json()["revisions"]
    assert [r["fields"] for r in history] == [["quotes"], ["trivia"], ["trivia"], ["taglines"]]
    assert history[-1]["note"] == "from the poster" and {r["user"] for r in history} == {"ada"}
    store = open_store(store_url)
    try:
        out = io.StringIO()
        export_jsonl(store, out)
    finally:
        store.close()
    [line] = [json.loads(x) for x in out.getvalue().splitlines() if f'"id":"{FILM}"' in x]
    member_sourced(line)

    # the history page, with a diff, and back to the first revision
    tab.goto(f"/title/{FILM}/history")
    assert "The dance that started it all" in tab.locator("ol.revisions").inner_text()
