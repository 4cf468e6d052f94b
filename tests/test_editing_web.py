"""Members edit a film on the site (issue 17): Edit links and sources on the film page, the section
forms (CSRF, validation with nothing lost, conflicts), history, revisions with JSON twins, revert, hide."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from marquee.records import Film, Rating
from marquee.services import editing
from marquee.settings import Settings
from marquee.storage.sqlstore import SqlStore
from marquee.web.app import create_app
from support.members import page_token, sign_up, token_in
from support.web import TestClient

FILM = "tt0089560"


@pytest.fixture
def site(store: SqlStore) -> Iterator[TestClient]:
    store.save_film(
        Film(id=FILM, title="Mask", year=1985, rating=Rating(value=7.0, votes=12168), trivia=["Imported"])
    )
    app = create_app(Settings(page_cache_size=0, edit_queue=False), store)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def stored(site: TestClient) -> Film:
    film = site.app.state.marquee.store.get_film(FILM)
    assert film is not None
    return film


def test_signed_out_visitors_see_sources_but_no_edit_links(site: TestClient) -> None:
    page = site.get(f"/title/{FILM}").text
    assert "/edit/" not in page
    assert site.get(f"/title/{FILM}/edit/taglines").status_code == 303  # to the login page


def test_a_member_edits_sections_through_the_forms(site: TestClient) -> None:
    sign_up(site, "ada")
    page = site.get(f"/title/{FILM}").text
    for section in ("storyline", "taglines", "trivia", "goofs", "quotes", "release_dates", "box_office"):
        assert f'href="/title/{FILM}/edit/{section}"' in page, section
    form = site.get(f"/title/{FILM}/edit/trivia").text
    token = token_in(form)
    assert 'name="trivia-0"' in form and "Imported" in form and 'name="trivia-1"' in form  # + an empty row
    answer = site.post(
        f"/title/{FILM}/edit/trivia",
        data={
            "csrf_token": token,
            "base_revision": "0",
            "trivia-0": "Imported",
            "trivia-0-pos": "3",
            "trivia-1": "First new",
            "trivia-1-pos": "1",
            "trivia-2": "Second new",
            "trivia-2-pos": "2",
            "note": "from the DVD",
        },
    )
    assert answer.status_code == 303, answer.text
    film = stored(site)
    assert film.trivia == ["First new", "Second new", "Imported"]
    [revision] = editing.film_history(site.app.state.marquee.store, FILM)
    assert film.sources["trivia"] == f"member:{revision.id}"
    page = site.get(f"/title/{FILM}").text
    assert f'<a href="/title/{FILM}/revisions/{revision.id}">member:{revision.id}</a>' in page
    quotes = {
        "csrf_token": token,
        "base_revision": str(revision.id),
        "quotes-0-0-character": "Rocky",
        "quotes-0-0-direction": "smiling",
        "quotes-0-0-text": "These are my friends.",
        "quotes-0-1-character": "Rusty",
        "quotes-0-1-text": "Hi.",
        "quotes-0-2-text": "",
    }
    assert site.post(f"/title/{FILM}/edit/quotes", data=quotes).status_code == 303
    assert stored(site).quotes[0].model_dump() == {
        "lines": [
            {"character": "Rocky", "direction": "smiling", "text": "These are my friends."},
            {"character": "Rusty", "direction": None, "text": "Hi."},
        ]
    }
    rows = {
        "csrf_token": token,
        "box_office-0-kind": "budget",
        "box_office-0-amount": "7,500,000",
        "box_office-0-currency": "",
        "box_office-1-kind": "",
    }
    assert site.post(f"/title/{FILM}/edit/box_office", data=rows).status_code == 303
    assert [b.model_dump() for b in stored(site).box_office] == [
        {"kind": "budget", "amount": 7_500_000, "currency": "USD", "country": None}
    ]
    story = {"csrf_token": token, "outline": "A boy.", "plot": "Rocky Dennis lives."}
    assert site.post(f"/title/{FILM}/edit/storyline", data=story).status_code == 303
    assert (stored(site).outline, stored(site).plot) == ("A boy.", "Rocky Dennis lives.")


def test_a_refused_value_comes_back_in_the_form_and_nothing_is_stored(site: TestClient) -> None:
    sign_up(site, "ada")
    token = page_token(site, f"/title/{FILM}/edit/release_dates")
    answer = site.post(
        f"/title/{FILM}/edit/release_dates",
        data={"csrf_token": token, "release_dates-0-date": "1985-13-01", "release_dates-0-country": "USA"},
    )
    assert answer.status_code == 422
    assert "release_dates.0.date" in answer.text and 'value="USA"' in answer.text
    assert stored(site).release_dates == []
    forged = site.post(f"/title/{FILM}/edit/taglines", data={"csrf_token": "0" * 64, "taglines-0": "x"})
    assert forged.status_code == 403 and stored(site).taglines == []
    assert site.get(f"/title/{FILM}/edit/nonsense").status_code == 404


def test_a_stale_form_is_a_conflict_that_keeps_the_members_text(site: TestClient) -> None:
    sign_up(site, "ada")
    token = page_token(site, f"/title/{FILM}/edit/taglines")
    first = {"csrf_token": token, "base_revision": "0", "taglines-0": "Ada's"}
    assert site.post(f"/title/{FILM}/edit/taglines", data=first).status_code == 303
    second = {"csrf_token": token, "base_revision": "0", "taglines-0": "Bob's"}
    answer = site.post(f"/title/{FILM}/edit/taglines", data=second)
    assert answer.status_code == 409
    assert "Bob&#39;s" in answer.text and "Someone changed this film" in answer.text
    assert stored(site).taglines == ["Ada's"]
    resubmit = {**second, "base_revision": re.findall(r'name="base_revision" value="(\d+)"', answer.text)[0]}
    assert site.post(f"/title/{FILM}/edit/taglines", data=resubmit).status_code == 303
    assert stored(site).taglines == ["Bob's"]


def test_history_revisions_json_revert_and_hide(site: TestClient) -> None:
    sign_up(site, "ada")
    store = site.app.state.marquee.store
    token = page_token(site, f"/title/{FILM}/edit/taglines")
    site.post(f"/title/{FILM}/edit/taglines", data={"csrf_token": token, "taglines-0": "Good"})
    site.post(f"/title/{FILM}/edit/taglines", data={"csrf_token": token, "taglines-0": "Vandalism"})
    good, bad = sorted(r.id for r in editing.film_history(store, FILM))
    history = site.get(f"/title/{FILM}/history").text
    assert f'href="/title/{FILM}/revisions/{good}"' in history and "Vandalism" in history
    assert 'class="diff-add"' in history and 'class="diff-del"' in history
    twin = site.get(f"/title/{FILM}/revisions/{bad}.json").json()
    assert twin["id"] == bad and twin["diff"][0]["new"] == ["Vandalism"]
    assert [r["id"] for r in site.get(f"/title/{FILM}/history.json").json()["revisions"]] == [bad, good]
    page = site.get(f"/title/{FILM}/revisions/{good}").text
    assert f'action="/title/{FILM}/revisions/{good}/revert"' in page and "/hide" not in page
    assert site.post(f"/title/{FILM}/revisions/{good}/revert", data={"csrf_token": token}).status_code == 303
    assert stored(site).taglines == ["Good"]
    assert site.post(f"/title/{FILM}/revisions/{bad}/hide", data={"csrf_token": token}).status_code == 403
    assert site.get(f"/title/{FILM}/revisions/999").status_code == 404
    assert site.get("/title/tt0000404/history").status_code == 404
    assert site.get("/title/tt0000404/edit/trivia").status_code == 404
    forged = site.post(f"/title/{FILM}/revisions/{good}/revert", data={"csrf_token": "0" * 64})
    assert forged.status_code == 403
    sign_up(site, "mod", "moderator")  # the same browser, now a moderator
    mod_token = page_token(site, f"/title/{FILM}/revisions/{bad}")
    assert site.post(f"/title/{FILM}/revisions/{bad}/hide", data={"csrf_token": mod_token}).status_code == 303
    assert editing.get_revision(store, FILM, bad).hidden
