"""A member's library in real headless Chromium (issue 18, items 5 and 8).

The whole path as a newcomer takes it: sign up from the header link, add a film to the watchlist
and log a viewing from the film page, make a list, and see it all as HTML and as JSON. Then every
kind of page at 390×844 (a phone): nothing may scroll sideways.

Screenshots of the film page at 390 and 1280 px go to test-artifacts/; with
``MARQUEE_SCREENSHOTS=docs`` (``scripts/screenshots.sh``) also to docs/screenshots/ for the README.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from marquee.records import EpisodeOf, Film, Rating
from marquee.services.demo import catalogue_films
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app
from support.browser import chromium, launched, serving
from support.web import small_catalogue

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "test-artifacts"
DOCS_SHOTS = ROOT / "docs" / "screenshots"
MASK = "tt0089560"
PASSWORD = "a long enough password"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SERIES = "tt0903747"
BACK_ON_FILM = re.compile(rf"/title/{MASK}#library$")  # where the panel's forms lead back to


@pytest.fixture(scope="module")
def chromium_path() -> str:
    return chromium()


def series_films() -> list[Film]:
    """A series of twelve seasons (the season links must wrap) with long episode titles."""
    films = [Film(id=SERIES, title="Breaking Bad", kind="tvSeries", year=2008, end_year=2013)]
    for season in range(1, 13):
        for number in range(1, 4):
            films.append(
                Film(
                    id=f"tt09{season:02d}{number:03d}",
                    title=f"An episode with a rather long title to see how it wraps, {season}×{number}",
                    kind="tvEpisode",
                    year=2008 + season // 3,
                    rating=Rating(value=8.5, votes=123_456),
                    episode_of=EpisodeOf(series_id=SERIES, season=season, episode=number),
                )
            )
    return films


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site, served by uvicorn, on a store with the reference film and some demo films."""
    url = f"sqlite:///{tmp_path_factory.mktemp('library-browser') / 'marquee.db'}"
    store = open_store(url)
    try:
        store.save_films([*small_catalogue(), *catalogue_films(40), *series_films()])
    finally:
        store.close()
    with serving(create_app(Settings(database_url=url, chart_min_votes=1000))) as served:
        yield served


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    with launched(chromium_path) as launched_browser:
        yield launched_browser


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, base_url=site)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


def sign_up(page: Any, name: str, start: str = f"/title/{MASK}") -> None:
    """Sign up from the header's link on ``start``; back on ``start``, signed in."""
    page.goto(start)
    page.locator("header.site-header").get_by_role("link", name="Sign up").click()
    page.wait_for_url(re.compile(r"/signup\?next="))
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"**{start}")
    assert page.locator("header.site-header .member-name").inner_text() == name


def json_of(page: Any, path: str) -> Any:
    """A JSON twin, read in the browser (with the member's cookies)."""
    answer = page.request.get(path)
    assert answer.ok and answer.headers["content-type"].startswith("application/json")
    return json.loads(answer.text())


def test_a_newcomer_signs_up_and_fills_the_library_from_the_film_page(page: Any) -> None:
    sign_up(page, "newcomer")
    panel = page.locator("#library")
    panel.get_by_role("button", name="+ Add to watchlist").click()
    page.wait_for_url(BACK_ON_FILM)
    assert panel.get_by_role("button", name="✓ On your watchlist · Remove").is_visible()
    panel.get_by_label("Watched on").fill("2026-11-03")
    panel.get_by_label("Rating").select_option("8")
    panel.get_by_label("Short review").fill("Cher and Eric Stoltz, still great.")
    panel.get_by_role("button", name="Log viewing").click()
    page.wait_for_url(BACK_ON_FILM)
    assert "You have logged 1 viewing" in panel.inner_text()
    panel.get_by_label("Add to a new list").fill("Eighties favourites")
    panel.get_by_role("button", name="Add to list").click()
    page.wait_for_url(BACK_ON_FILM)
    assert panel.get_by_role("link", name="Eighties favourites").is_visible()

    # The header's member menu leads to each page, which shows what was done.
    menu = page.locator("header.site-header details.member-menu")
    menu.locator("summary").click()
    menu.get_by_role("link", name="Watchlist").click()
    page.wait_for_url("**/me/watchlist")
    assert page.locator("table.library").get_by_role("link", name="Mask").is_visible()
    page.locator("header.site-header details.member-menu summary").click()
    page.locator("header.site-header details.member-menu").get_by_role("link", name="Diary").click()
    page.wait_for_url("**/me/diary")
    assert page.locator("table.diary").get_by_text("2026-11-03").is_visible()
    page.locator("header.site-header details.member-menu summary").click()
    page.locator("header.site-header details.member-menu").get_by_role("link", name="Lists").click()
    page.wait_for_url("**/me/lists")
    page.get_by_role("link", name="Eighties favourites").click()
    page.wait_for_url("**/me/lists/*")
    assert page.locator("ol.list-items").get_by_role("link", name="Mask").is_visible()

    # …and as JSON, each twin advertised in the page's head.
    for section in ("watchlist", "diary", "lists"):
        page.goto(f"/user/newcomer/{section}")
        twin = page.locator('head link[rel="alternate"][type="application/json"]').get_attribute("href")
        assert twin == f"/user/newcomer/{section}.json"
    assert json_of(page, "/user/newcomer/watchlist.json")["watchlist"][0]["film_id"] == MASK
    [viewing] = json_of(page, "/user/newcomer/diary.json")["diary"]
    assert (viewing["film_id"], viewing["watched_on"], viewing["rating"]) == (MASK, "2026-11-03", 8)
    assert viewing["review"] == "Cher and Eric Stoltz, still great."
    [made] = json_of(page, "/user/newcomer/lists.json")["lists"]
    assert made["name"] == "Eighties favourites" and made["items"][0]["film_id"] == MASK
    assert json_of(page, f"/user/newcomer/lists/{made['id']}.json")["items"][0]["title"] == "Mask"


def _fits(page: Any) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, site: str) -> None:
    context = browser.new_context(viewport=PHONE, base_url=site)
    page = context.new_page()
    try:
        visitor_pages = [
            "/",
            f"/title/{MASK}",
            "/person/kelly-jo-minter",
            "/browse",
            "/search?q=mask",
            "/charts",
            f"/title/{SERIES}",
            f"/title/{SERIES}?season=12",
            "/title/tt0912002",  # an episode: its series, previous and next
        ]
        for path in visitor_pages:
            assert page.goto(path).ok, path
            width, inner = _fits(page)
            assert width <= inner, f"{path} (signed out) is {width} px wide at {inner} px"
        sign_up(page, "a-member-with-a-rather-long-name", start="/")
        page.goto(f"/title/{MASK}")
        panel = page.locator("#library")
        panel.get_by_role("button", name="+ Add to watchlist").click()
        page.wait_for_url(BACK_ON_FILM)
        panel.get_by_role("button", name="Log viewing").click()
        page.wait_for_url(BACK_ON_FILM)
        panel.get_by_label("Add to a new list").fill("A list with a long name to see how it wraps on a phone")
        panel.get_by_role("button", name="Add to list").click()
        page.wait_for_url(BACK_ON_FILM)
        page.goto("/account")
        for label in ("laptop", "a token with a long label for the phone test"):
            page.get_by_label("Label").fill(label)
            page.get_by_role("button", name="Create a token").click()
            page.get_by_text("Your new token").wait_for()
        assert page.locator("table.tokens tbody tr").count() == 2
        width, inner = _fits(page)
        assert width <= inner, f"/account with tokens is {width} px wide at {inner} px"
        list_id = json_of(page, "/user/a-member-with-a-rather-long-name/lists.json")["lists"][0]["id"]
        member_pages = [
            *visitor_pages,
            "/charts/top-rated",
            "/me/watchlist",
            "/me/watchlist?q=night",
            "/me/diary",
            "/me/lists",
            f"/me/lists/{list_id}",
            f"/me/lists/{list_id}/edit",
            "/me/lists/new",
            "/me/ratings",
            "/me/reviews",
            "/user/a-member-with-a-rather-long-name",
            "/stats",
        ]
        for path in member_pages:
            page.goto(path)
            width, inner = _fits(page)
            assert width <= inner, f"{path} (signed in) is {width} px wide at {inner} px"
        page.goto(f"/title/{MASK}")
        page.locator("header.site-header details.member-menu summary").click()
        assert (
            page.locator("header.site-header details.member-menu")
            .get_by_role("link", name="Account")
            .is_visible()
        )
        width, inner = _fits(page)
        assert width <= inner, f"the open member menu is {width} px wide at {inner} px"
    finally:
        context.close()


def test_film_page_screenshots_at_phone_and_desktop_widths(browser: Any, site: str) -> None:
    targets = [ARTIFACTS]
    if os.environ.get("MARQUEE_SCREENSHOTS") == "docs":
        targets.append(DOCS_SHOTS)
    for viewport, name in ((PHONE, "film-390.png"), (DESKTOP, "film-1280.png")):
        context = browser.new_context(viewport=viewport, base_url=site)
        page = context.new_page()
        try:
            page.goto(f"/title/{MASK}")
            assert page.locator("h1").inner_text() == "Mask (1985)"
            width, inner = _fits(page)
            assert width <= inner
            for folder in targets:
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / name))
                assert (folder / name).stat().st_size > 1000
        finally:
            context.close()
