"""The public JSON API under /api/v1: records, errors as problem+json, ETags, fields, cursors, limits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from starlette.exceptions import HTTPException

from marquee.errors import InputError, NotFound
from marquee.settings import Settings
from marquee.web.api_common import (
    ApiProblem,
    ProblemRoute,
    decode_cursor,
    encode_cursor,
    resume_at,
)
from marquee.web.app import create_app
from marquee.web.ratelimit import Limits, RateLimiter
from support.api import (
    NIGHT_IDS,
    TestClient,
    api_app,
    catalogue,
    catalogue_url,
    client,
    fresh_app,
    mask,
)

__all__ = ["api_app", "catalogue_url", "client", "fresh_app"]  # fixtures used here by name

PROBLEM = "application/problem+json"
# The reads this module serves (the community's routes live in the same document).
CACHED_READS = {
    "getTitle", "getTitleCredits", "getTitleRatings", "browseTitles", "getPerson", "getPersonCredits",
    "searchTitles", "suggestTitles", "searchPeople", "searchText", "chartTopRated", "chartMostVoted",
}  # fmt: skip


def assert_problem(response: Any, status: int, *, names: tuple[str, ...] = ()) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status, naming these parameters."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance", "errors"} <= set(body)
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert body["detail"]
    assert [item["name"] for item in body["errors"]] == list(names)
    return body


# ---- records -------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_title_is_its_full_record_plus_members_rating(backend: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    app = create_app(Settings(database_url=url))
    app.state.marquee.store.save_films(catalogue())
    with TestClient(app) as http:
        response = http.get("/api/v1/titles/tt0089560")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        member = body.pop("member_rating")
        assert body == mask().model_dump(mode="json")
        assert member == {"average": None, "votes": 0, "histogram": {str(n): 0 for n in range(1, 11)}}
        person = http.get("/api/v1/people/nm0000659").json()
        assert person["name"] == "Cher"
        assert {c["title_id"] for c in person["credits"]} == {"tt0089560", *NIGHT_IDS}


def test_credits_list_cast_in_billing_order_and_crew_by_category(client: Any) -> None:
    body = client.get("/api/v1/titles/tt0089560/credits").json()
    assert [m["name"] for m in body["cast"]] == ["Cher", "Sam Elliott", "Eric Stoltz", "Kelly Jo Minter"]
    assert body["cast"][3]["credited_as"] == "Kelly Minter"
    assert [(c["name"], c["category"]) for c in body["crew"]] == [
        ("Peter Bogdanovich", "director"),
        ("Anna Hamilton Phelan", "writer"),
        ("Martin Starger", "producer"),
    ]
    assert body["stars"] == ["Cher", "Sam Elliott", "Eric Stoltz"]


def test_person_credits_split_acting_from_crew(client: Any) -> None:
    acted = client.get("/api/v1/people/nm0000659/credits").json()
    assert acted["id"] == "nm0000659"
    assert {c["title_id"] for c in acted["cast"]} == {"tt0089560", *NIGHT_IDS}
    assert acted["crew"] == []
    directed = client.get("/api/v1/people/nm0000953/credits").json()
    assert directed["cast"] == []
    assert [(c["title_id"], c["category"]) for c in directed["crew"]] == [("tt0089560", "director")]


def test_ratings_keep_imdb_and_members_apart_and_follow_writes(fresh_app: FastAPI) -> None:
    from marquee.services import accounts, community

    api_app = fresh_app
    client = TestClient(fresh_app)
    before = client.get("/api/v1/titles/tt0089560/ratings").json()
    assert before["imdb"] == {"value": 7.2, "scale": 10, "votes": 52000}
    assert before["member"]["votes"] == 0
    store = api_app.state.marquee.store
    accounts.create_user(store, "ada", "correct horse battery")
    community.rate(store, accounts.get_user(store, "ada"), "tt0089560", 9)
    # A write through the site calls invalidate_film; do what it does.
    api_app.state.marquee.pages.invalidate(("title", "tt0089560"))
    after = client.get("/api/v1/titles/tt0089560/ratings").json()
    assert after["imdb"] == before["imdb"]
    assert after["member"]["votes"] == 1
    assert after["member"]["average"] == 9
    assert after["member"]["histogram"]["9"] == 1
    assert client.get("/api/v1/titles/tt0089560").json()["member_rating"] == after["member"]


def test_json_ld_when_asked_for(client: Any) -> None:
    response = client.get("/api/v1/titles/tt0089560", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert response.headers["vary"] == "Accept"
    node = response.json()
    assert node["@type"] == "Movie"
    assert node["name"] == "Mask"
    assert node["aggregateRating"]["ratingCount"] == 52000
    plain = client.get("/api/v1/titles/tt0089560")
    assert plain.headers["etag"] != response.headers["etag"]


# ---- fields --------------------------------------------------------------------------------------


def test_fields_returns_only_what_was_asked_and_the_id(client: Any) -> None:
    body = client.get("/api/v1/titles/tt0089560", params={"fields": "title,year,cast"}).json()
    assert list(body) == ["id", "title", "year", "cast"]
    assert body["year"] == 1985
    assert len(body["cast"]) == 4
    person = client.get("/api/v1/people/nm0000659", params={"fields": "name"}).json()
    assert person == {"id": "nm0000659", "name": "Cher"}


def test_an_unknown_field_is_a_400_naming_it(client: Any) -> None:
    response = client.get("/api/v1/titles/tt0089560", params={"fields": "title,budget,yeer"})
    body = assert_problem(response, 400, names=("fields", "fields"))
    assert "'budget'" in body["detail"] and "'yeer'" in body["detail"]
    assert [item["detail"] for item in body["errors"]] == ["unknown field 'budget'", "unknown field 'yeer'"]


@pytest.mark.parametrize(
    ("value", "bad"),
    [("", 1), ("title,", 1), (",title", 1), ("title, year", 1), (" title", 1), ("title,,year,", 2)],
)
def test_fields_outside_the_documented_pattern_is_a_400(client: Any, value: str, bad: int) -> None:
    """What the OpenAPI pattern refuses the API refuses too: an empty or padded name is no field."""
    response = client.get("/api/v1/titles/tt0089560", params={"fields": value})
    assert_problem(response, 400, names=("fields",) * bad)


def test_more_fields_than_there_are_is_a_400(client: Any) -> None:
    response = client.get("/api/v1/people/nm0000659", params={"fields": ",".join(["name"] * 50)})
    body = assert_problem(response, 400, names=("fields",))
    assert "50" in body["detail"]


# ---- ETag and conditional GET --------------------------------------------------------------------


def test_reads_carry_a_strong_etag_and_cache_control(client: Any) -> None:
    first = client.get("/api/v1/titles/tt0089560")
    again = client.get("/api/v1/titles/tt0089560")
    assert re.fullmatch(r'"[0-9a-f]{32}"', first.headers["etag"])
    assert first.headers["etag"] == again.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=60"
    other = client.get("/api/v1/titles/tt9000001")
    assert other.headers["etag"] != first.headers["etag"]
    partial = client.get("/api/v1/titles/tt0089560", params={"fields": "title"})
    assert partial.headers["etag"] != first.headers["etag"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/titles/tt0089560", "/api/v1/titles/tt0089560/credits", "/api/v1/people/nm0000659",
     "/api/v1/search?q=night", "/api/v1/openapi.json"],
)  # fmt: skip
def test_if_none_match_answers_304_without_a_body(client: Any, path: str) -> None:
    etag = client.get(path).headers["etag"]
    for condition in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        response = client.get(path, headers={"If-None-Match": condition})
        assert response.status_code == 304, condition
        assert response.content == b""
        assert response.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


# ---- errors --------------------------------------------------------------------------------------


def test_unknown_ids_are_404_problems(client: Any) -> None:
    body = assert_problem(client.get("/api/v1/titles/tt0000000"), 404)
    assert "tt0000000" in body["detail"]
    assert_problem(client.get("/api/v1/people/nm0000000"), 404)
    assert_problem(client.get("/api/v1/titles/tt0000000/credits"), 404)


@pytest.mark.parametrize("bad_id", ["bad id", "-x", "a" * 200, "é", "x%00y"])
def test_ids_of_a_bad_shape_are_400_problems_naming_the_id(client: Any, bad_id: str) -> None:
    assert_problem(client.get(f"/api/v1/titles/{bad_id}"), 400, names=("id",))


@pytest.mark.parametrize(
    ("path", "name"),
    [("/api/v1/search?q=night&limit=1000000", "limit"), ("/api/v1/search?q=night&limit=0", "limit"),
     ("/api/v1/search", "q"), ("/api/v1/search?q=", "q"), ("/api/v1/search?q=night&limit=ten", "limit"),
     ("/api/v1/search?q=night&cursor=%%%", "cursor"), ("/api/v1/search?q=night&cursor=e30", "cursor")],
)  # fmt: skip
def test_bad_parameters_are_400_problems_naming_them(client: Any, path: str, name: str) -> None:
    assert_problem(client.get(path), 400, names=(name,))


def test_unknown_paths_and_methods_are_problems_too(client: Any) -> None:
    assert_problem(client.get("/api/v1/nothing/here"), 404)
    assert_problem(client.get("/api/v2/titles/tt0089560"), 404)
    response = client.delete("/api/v1/titles/tt0089560")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, PATCH"  # PATCH: members edit a title (issue 17)


def test_a_route_using_problem_route_answers_every_error_as_a_problem() -> None:
    """The helpers other routers (the community's) use: each error becomes the right problem."""
    from marquee.services.accounts import FieldError, Forbidden

    raised: dict[str, Exception] = {
        "api": ApiProblem(409, "taken", errors=[{"in": "body", "name": "title", "detail": "twice"}]),
        "http": HTTPException(401, "send a token"),
        "missing": NotFound("no film"),
        "input": InputError("bad score"),
        "field": FieldError("score", "must be 1–10"),
        "forbidden": Forbidden("not yours"),
        "crash": RuntimeError("boom"),
    }
    router = APIRouter(prefix="/api/v1", route_class=ProblemRoute)

    @router.get("/raise/{what}")
    def fail(what: str) -> None:
        raise raised[what]

    app = FastAPI()
    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as http:
        assert_problem(http.get("/api/v1/raise/api"), 409, names=("title",))
        assert assert_problem(http.get("/api/v1/raise/http"), 401)["detail"] == "send a token"
        assert_problem(http.get("/api/v1/raise/missing"), 404)
        assert_problem(http.get("/api/v1/raise/input"), 400)
        assert_problem(http.get("/api/v1/raise/field"), 422, names=("score",))
        assert_problem(http.get("/api/v1/raise/forbidden"), 403)
        crash = assert_problem(http.get("/api/v1/raise/crash"), 500)
        assert "boom" not in crash["detail"]  # no internals leak


# ---- cursor pagination ---------------------------------------------------------------------------


def walk(client: Any, url: str) -> list[str]:
    """Follow ``next`` links to the end; the Link header must say the same as the body."""
    ids: list[str] = []
    seen_pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [item["id"] for item in body["results"]]
        if body["next"]:
            assert response.headers["link"] == f'<{body["next"]}>; rel="next"'
            assert f"cursor={body['next_cursor']}" in body["next"]
        else:
            assert "link" not in response.headers
            assert body["next_cursor"] is None
        url = body["next"]
        seen_pages += 1
        assert seen_pages < 50
    return ids


def test_search_pages_through_every_result_once(client: Any) -> None:
    whole = client.get("/api/v1/search", params={"q": "night train", "limit": 100}).json()
    assert whole["next"] is None
    every = [item["id"] for item in whole["results"]]
    assert set(every) == set(NIGHT_IDS)
    assert walk(client, "/api/v1/search?q=night+train&limit=7") == every


def test_full_text_search_pages_too(client: Any) -> None:
    every = [item["id"] for item in client.get("/api/v1/search/text?q=journey&limit=100").json()["results"]]
    assert set(every) == set(NIGHT_IDS)
    assert walk(client, "/api/v1/search/text?q=journey&limit=11") == every


def test_people_search_and_suggestions(client: Any) -> None:
    people = client.get("/api/v1/search/people", params={"q": "cher"}).json()
    assert people["results"][0]["id"] == "nm0000659"
    assert people["results"][0]["name"] == "Cher"
    suggested = client.get("/api/v1/search/suggest", params={"q": "mas"}).json()
    assert suggested["results"][0]["id"] == "tt0089560"
    assert client.get("/api/v1/search", params={"q": "   "}).json()["results"] == []


def test_a_cursor_is_opaque_base64url_of_the_last_key_and_id() -> None:
    cursor = encode_cursor({"o": 20, "k": 5000, "id": "tt9000005"})
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)
    assert decode_cursor(cursor) == {"o": 20, "k": 5000, "id": "tt9000005"}
    for bad in ("", "!!", encode_cursor({"k": 1}), encode_cursor({"o": -1}), encode_cursor({"o": True})):
        with pytest.raises(ApiProblem):
            decode_cursor(bad)


def test_a_page_resumes_after_the_last_id_even_if_rows_moved() -> None:
    items = [{"id": name} for name in "abcdefg"]
    assert resume_at(items, {"o": 3, "id": "c"}) == 3
    # "x" was inserted before the cursor: the client's last item is now at index 3.
    moved = [{"id": "x"}, *items]
    assert resume_at(moved, {"o": 3, "id": "c"}) == 4
    # "a" was deleted: the last item moved back one.
    assert resume_at(items[1:], {"o": 3, "id": "c"}) == 2
    assert resume_at(items, {"o": 3, "id": "gone"}) == 3


# ---- rate limits ---------------------------------------------------------------------------------


def test_over_the_address_limit_is_a_429_with_retry_after(api_app: FastAPI, client: Any) -> None:
    api_app.state.marquee_api_limiter = RateLimiter(Limits(rate=0.01, burst=3), Limits(rate=0, burst=0))
    for _ in range(3):
        assert client.get("/api/v1/titles/tt0089560").status_code == 200
    response = client.get("/api/v1/titles/tt0089560")
    assert_problem(response, 429)
    assert int(response.headers["retry-after"]) >= 1


def test_tokens_have_their_own_buckets(api_app: FastAPI, client: Any) -> None:
    api_app.state.marquee_api_limiter = RateLimiter(Limits(rate=0, burst=0), Limits(rate=0.01, burst=2))
    first = {"Authorization": "Bearer mq_first"}
    assert client.get("/api/v1/titles/tt0089560", headers=first).status_code == 200
    assert client.get("/api/v1/titles/tt0089560", headers=first).status_code == 200
    assert_problem(client.get("/api/v1/titles/tt0089560", headers=first), 429)
    assert (
        client.get("/api/v1/titles/tt0089560", headers={"Authorization": "Bearer mq_other"}).status_code
        == 200
    )
    assert client.get("/api/v1/titles/tt0089560").status_code == 200  # anonymous: no token limit


def test_limits_refill_with_time() -> None:
    from marquee.web.ratelimit import TokenBuckets

    buckets = TokenBuckets(Limits(rate=2, burst=1))
    assert buckets.take("a", now=100.0) == 0.0
    assert buckets.take("a", now=100.1) == pytest.approx(0.4)
    assert buckets.take("a", now=100.6) == 0.0
    assert buckets.take("b", now=100.6) == 0.0


# ---- the OpenAPI document and the docs page ------------------------------------------------------


def test_the_openapi_document_covers_the_api_and_only_the_api(client: Any) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    paths = doc["paths"]
    for expected in (
        "/api/v1/titles/{id}", "/api/v1/titles/{id}/credits", "/api/v1/titles/{id}/ratings", "/api/v1/titles",
        "/api/v1/people/{id}", "/api/v1/people/{id}/credits", "/api/v1/search", "/api/v1/search/suggest",
        "/api/v1/search/people", "/api/v1/search/text", "/api/v1/charts/top-rated",
        "/api/v1/charts/most-voted",
    ):  # fmt: skip
        assert expected in paths, expected
    assert all(path.startswith("/api/v1/") for path in paths)  # no HTML pages
    for path, item in paths.items():
        for method, op in item.items():
            assert op.get("operationId"), (method, path)
            responses = op["responses"]
            if op["operationId"] in CACHED_READS:
                assert {"200", "304", "400", "429"} <= set(responses), (method, path)
                assert "$ref" in str(responses["200"]["content"]["application/json"]["schema"])
            for status, response in responses.items():
                if status[0] in "45":
                    assert list(response["content"]) == [PROBLEM], (method, path, status)
    assert {op["operationId"] for item in paths.values() for op in item.values()} >= CACHED_READS
    assert "Problem" in doc["components"]["schemas"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]


def test_the_docs_page_lists_every_operation_and_loads_nothing_from_elsewhere(client: Any) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.text
    doc = client.get("/api/v1/openapi.json").json()
    for item in doc["paths"].values():
        for op in item.values():
            assert f'id="{op["operationId"]}"' in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert 'id="problem-404"' in page


# ---- browse and charts ---------------------------------------------------------------------------


def test_browse_filters_and_pages_in_a_stable_order(client: Any) -> None:
    whole = client.get("/api/v1/titles", params={"genre": "Drama", "sort": "votes", "limit": 100}).json()
    every = [item["id"] for item in whole["results"]]
    # Night Train n (odd n) is a drama with 1000·n votes; Mask is a drama with 52,000.
    assert every == ["tt0089560", *(NIGHT_IDS[n - 1] for n in range(29, 0, -2))]
    assert whole["total"] == 16
    assert walk(client, "/api/v1/titles?genre=Drama&sort=votes&limit=3") == every
    old = client.get("/api/v1/titles", params={"year_to": 1955, "sort": "year", "limit": 100}).json()
    assert {item["year"] for item in old["results"]} == {1951, 1952, 1953, 1954, 1955}


def test_browse_resumes_when_the_client_changes_the_page_size(client: Any) -> None:
    every = [i["id"] for i in client.get("/api/v1/titles?sort=votes&limit=100").json()["results"]]
    first = client.get("/api/v1/titles?sort=votes&limit=4").json()
    cursor = first["next_cursor"]
    second = client.get("/api/v1/titles", params={"sort": "votes", "limit": 3, "cursor": cursor}).json()
    assert [i["id"] for i in first["results"] + second["results"]] == every[:7]


def test_charts_rank_and_page(client: Any) -> None:
    top = client.get("/api/v1/charts/top-rated", params={"m": 0, "limit": 100}).json()
    assert top["m"] == 0
    assert top["formula"]
    ranks = [entry["rank"] for entry in top["results"]]
    assert ranks == list(range(1, len(ranks) + 1))
    weights = [entry["weighted"] for entry in top["results"]]
    assert weights == sorted(weights, reverse=True)
    ids = [entry["title"]["id"] for entry in top["results"]]
    paged: list[str] = []
    url: str | None = "/api/v1/charts/top-rated?m=0&limit=9"
    while url:
        body = client.get(url).json()
        paged += [entry["title"]["id"] for entry in body["results"]]
        url = body["next"]
    assert paged == ids
    voted = client.get("/api/v1/charts/most-voted", params={"limit": 3}).json()
    assert [entry["title"]["id"] for entry in voted["results"]] == ["tt0089560", NIGHT_IDS[29], NIGHT_IDS[28]]
    assert voted["next"]


# ---- the fast path -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/titles/tt0089560", "/api/v1/people/nm0000659"])
def test_cached_records_come_back_the_same_from_the_fast_path(client: Any, path: str) -> None:
    """The first read goes through the route (and fills the cache); later ones skip routing."""
    first = client.get(path)
    again = client.get(path)
    assert again.content == first.content
    keep = ("content-type", "content-length", "etag", "cache-control", "vary")
    assert {k: again.headers.get(k) for k in keep} == {k: first.headers.get(k) for k in keep}
    not_modified = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
    assert not_modified.headers["etag"] == first.headers["etag"]
    # Asking for JSON-LD or for fields is not the cached record: those go to the route.
    if "titles" in path:
        ld = client.get(path, headers={"Accept": "application/ld+json"})
        assert ld.json()["@type"] == "Movie"
    assert list(client.get(path, params={"fields": "id"}).json()) == ["id"]


# ---- text that no database can hold --------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_nul_in_any_text_parameter_is_a_400_on_both_backends(
    backend: str, request: pytest.FixtureRequest
) -> None:
    """PostgreSQL refuses NUL in text outright: the API says no first, naming the parameter."""
    url = request.getfixturevalue("sqlite_url" if backend == "sqlite" else "pg_url")
    app = create_app(Settings(database_url=url))
    app.state.marquee.store.save_films(catalogue())
    probes = [
        ("/api/v1/search?q=a%00b", "q"), ("/api/v1/search?q=night&kind=a%00", "kind"),
        ("/api/v1/search/suggest?q=%00", "q"), ("/api/v1/search/people?q=c%00h", "q"),
        ("/api/v1/search/text?q=jo%00", "q"), ("/api/v1/titles?genre=%00", "genre"),
        ("/api/v1/titles?person=%00", "person"), ("/api/v1/titles?location=%00", "location"),
        ("/api/v1/titles?kind=%00", "kind"), ("/api/v1/charts/top-rated?genre=%00", "genre"),
        ("/api/v1/charts/most-voted?kind=%00", "kind"),
        ("/api/v1/titles/tt0089560?fields=title%00", "fields"),
    ]  # fmt: skip
    with TestClient(app, raise_server_exceptions=False) as http:
        for path, name in probes:
            assert_problem(http.get(path), 400, names=(name,))
        assert http.get("/api/v1/titles?genre=Drama&person=Cher").status_code == 200
