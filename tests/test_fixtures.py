"""The shared fixtures give what their names say (so a broken one cannot make other tests pass vacuously)."""

from __future__ import annotations

from fastapi import FastAPI

from marquee.records_community import User
from marquee.services import accounts
from marquee.storage import SqlStore
from support.cli import Marquee
from support.members import PASSWORD, token_in
from support.web import TestClient


def test_film_store_holds_mask_and_four_more(film_store: SqlStore) -> None:
    mask = film_store.get_film("tt0089560")
    assert mask is not None and (mask.title, mask.year) == ("Mask", 1985)
    assert film_store.count_films() == 5


def test_catalogue_store_holds_the_imdb_sample(catalogue_store: SqlStore) -> None:
    first = catalogue_store.get_film("tt0000001")
    assert first is not None and (first.title, first.year) == ("Carmencita", 1894)
    assert catalogue_store.count_films() > 10


def test_app_and_client_serve_the_store(store: SqlStore, app: FastAPI, client: TestClient) -> None:
    assert app.state.marquee.store is store
    assert client.app is app
    assert client.get("/").status_code == 200
    assert client.get("/title/tt0089560").status_code == 404  # the store is empty


def test_client_does_not_follow_redirects(client: TestClient) -> None:
    token = token_in(client.get("/signup").text)
    answer = client.post("/signup", data={"csrf_token": token, "name": "bob", "password": PASSWORD})
    assert answer.status_code == 303 and answer.headers["location"]


def test_member_is_signed_up_on_the_store(store: SqlStore, member: User) -> None:
    assert (member.name, member.role) == ("ann", "member")
    assert accounts.authenticate(store, "ann", PASSWORD) == member


def test_runner_runs_marquee_on_the_store(store: SqlStore, runner: Marquee) -> None:
    shown = runner("--db", store.url, "status", "--json")
    assert shown.exit_code == 0, shown.output
    assert '"backend"' in shown.stdout
    unknown = runner("no-such-command")
    assert unknown.exit_code == 2 and "no-such-command" in unknown.stderr
