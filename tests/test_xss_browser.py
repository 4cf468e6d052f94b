"""An XSS corpus posted as names, reviews and comments: in headless Chromium none of it runs (issue 6).

Each payload would set ``window.__xss`` or open a dialog if it ran. The site is served by uvicorn
from a real SQLite store; the browser visits every page that shows members' words, opens the
spoilers, and checks that the flag is unset, no dialog fired, no element carries an event
handler or a ``javascript:`` link, and each payload's text is still there to read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from marquee.records import Film
from marquee.services import accounts
from marquee.settings import Settings
from marquee.storage import SqlStore, open_store
from marquee.web.app import create_app
from support.browser import chromium, launched, serving

pytestmark = pytest.mark.browser

FILM = "tt0089560"
PASSWORD = "correct horse battery"

# Each payload carries a marker (X01…) so the test can find its text on the page afterwards.
BODIES = [
    "X01 <script>window.__xss=1</script>",
    'X02 <img src=x onerror="window.__xss=1">',
    "X03 <svg onload=window.__xss=1>",
    "X04 [click me](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">X05 link</a>',
    'X06 "><script>window.__xss=1</script>',
    "X07 </textarea><script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">X08</iframe>',
    "<details open ontoggle=window.__xss=1>X09</details>",
    "X10 ＜script＞window.__xss=1＜/script＞",
    "X11 \u202e<script>alert(1)</script>\u202c",
    "X12 <scr\u200bipt>window.__xss=1</scr\u200bipt>",
    "X13 [x](JaVaScRiPt:window.__xss=1) [y](&#106;avascript:window.__xss=1)",
    "X14 <b <script>window.__xss=1</script>",
    "X15 <<script>window.__xss=1//<</script>",
    '<style>*{background:url("javascript:window.__xss=1")}</style>X16',
    "X17 <javascript:window.__xss=1> ![i](javascript:window.__xss=1)",
    "X18 <math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "X19 [z](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3M9MTwvc2NyaXB0Pg==)",
    "X20 {{ 7*7 }} {% raw %} <!-- <script>window.__xss=1</script> -->",
    'X21 <a href="#" onclick="window.__xss=1">click</a> <body onload=alert(1)>',
    "X22 `<script>window.__xss=1</script>` and\n```\n<script>window.__xss=1</script>\n```",
]
NAMES = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=1>",
    '"><svg onload=alert(1)>',
    "Bob</strong><b onmouseover=alert(1)>",
]


@pytest.fixture
def served(sqlite_url: str) -> Iterator[tuple[str, SqlStore]]:
    """The site on a real port (uvicorn in a thread), and its store."""
    store = open_store(sqlite_url)
    store.save_film(Film(id=FILM, title="Mask", year=1985))
    with serving(create_app(Settings(page_cache_size=0), store), lifespan="on", ws="auto") as base:
        yield base, store


def _sign_up(base: str, name: str) -> None:
    """Sign up through the HTML form, as a browser would (the name is the payload)."""
    with httpx.Client(base_url=base) as client:
        page = client.get("/signup").text
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
        assert token is not None
        answer = client.post(
            "/signup", data={"csrf_token": token.group(1), "name": name, "password": PASSWORD}
        )
        assert answer.status_code == 303, answer.text


def _post(base: str, store: SqlStore, name: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {accounts.create_token(store, name)}"}
    answer = httpx.post(base + path, json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    data: dict[str, Any] = answer.json()
    return data


def _fill(base: str, store: SqlStore) -> list[str]:
    """Post the corpus: names sign up, each writes a review and comments; returns the pages to visit."""
    for name in NAMES:
        _sign_up(base, name)
    review_ids = []
    for i, name in enumerate(NAMES):
        body = "\n\n".join(BODIES[i::4])
        review = {"title": BODIES[i][:200], "body": body, "score": 7, "spoiler": i % 2 == 0}
        review_ids.append(_post(base, store, name, f"/api/v1/titles/{FILM}/reviews", review)["id"])
    parent = None
    for i, body in enumerate(BODIES):
        comment = {"body": body, "parent": parent}
        made = _post(base, store, NAMES[i % len(NAMES)], f"/api/v1/titles/{FILM}/comments", comment)
        parent = made["id"] if i % 3 == 0 else None
        _post(
            base,
            store,
            NAMES[(i + 1) % len(NAMES)],
            f"/api/v1/reviews/{review_ids[0]}/comments",
            {"body": body},
        )
    return [
        f"/title/{FILM}",
        f"/title/{FILM}/reviews",
        f"/title/{FILM}/reviews?sort=date",
        f"/reviews/{review_ids[0]}",
    ]


def _problems(page: Any) -> dict[str, Any]:
    """What would betray executed or executable markup on the page."""
    result: dict[str, Any] = page.evaluate(
        """() => ({
            flag: window.__xss,
            handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
                .filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name)),
            scriptish: [...document.querySelectorAll('a[href], iframe, img[src], form[action]')]
                .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')
                .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)),
            scripts: [...document.querySelectorAll('script')].map(s => s.src || s.textContent.slice(0, 60))
                .filter(s => s.includes('__xss') || s.includes('alert')),
            text: document.body.innerText,
        })"""
    )
    return result


def test_no_payload_runs_and_every_payload_is_readable(served: tuple[str, SqlStore]) -> None:
    base, store = served
    pages = _fill(base, store)
    viewer = accounts.create_user(store, "moderator", PASSWORD, "moderator")
    session = accounts.create_session(store, viewer)
    dialogs: list[str] = []
    with launched(chromium()) as browser:
        for signed_in in (False, True):
            context = browser.new_context()
            if signed_in:  # a moderator sees every control and the edit forms
                context.add_cookies([{"name": "marquee_session", "value": session, "url": base}])
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for path in pages:
                page.goto(base + path, wait_until="load")
                for summary in page.locator("details > summary").all():
                    summary.click()  # open spoilers and reply boxes: ontoggle and friends
                page.wait_for_timeout(100)
                found = _problems(page)
                assert found["flag"] is None, f"a payload ran on {path}"
                assert found["handlers"] == [], f"event handlers on {path}: {found['handlers']}"
                assert found["scriptish"] == [], f"script URLs on {path}: {found['scriptish']}"
                assert found["scripts"] == [], f"injected scripts on {path}: {found['scripts']}"
                if path.startswith(f"/title/{FILM}/reviews"):
                    for marker in (body[body.index("X") : body.index("X") + 3] for body in BODIES):
                        assert marker in found["text"], f"{marker} is not readable on {path}"
                    assert "window.__xss=1" in found["text"]  # escaped, not silently dropped
                if path == f"/title/{FILM}":
                    for name in NAMES[:2]:
                        assert name in found["text"], f"the name {name!r} is not shown as text"
            context.close()
    assert dialogs == []
