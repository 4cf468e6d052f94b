"""Members on the site as a browser meets them: sign up through the form, read a page's CSRF token."""

from __future__ import annotations

import re

from marquee.services import accounts
from support.web import TestClient

FILM = "tt0089560"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def token_in(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_up(client: TestClient, name: str, role: str = "member") -> None:
    """Sign up through the form (and, for staff, promote through the library as the CLI would)."""
    token = token_in(client.get("/signup").text)
    answer = client.post("/signup", data={"csrf_token": token, "name": name, "password": PASSWORD})
    assert answer.status_code == 303, answer.text
    if role != "member":
        accounts.set_role(client.app.state.marquee.store, name, role)


def page_token(client: TestClient, path: str = f"/title/{FILM}") -> str:
    return token_in(client.get(path).text)
