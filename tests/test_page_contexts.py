"""One context per page, rendered three ways (issue 16, step 3).

Templates call nothing that reads the store: every call in a template is a macro, a pure method of
a value it was given, or an allowed pure helper; no Jinja global or filter takes a store or a site.
Each resource's HTML page, ``.json`` twin and ``/api/v1`` route are built from one context builder:
the builder's data equals what the twin (and the API) serve.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, PackageLoader, nodes

from marquee.records import CastMember, Film
from marquee.records_community import User
from marquee.services import accounts, community, discover, follows, library
from marquee.settings import Settings
from marquee.storage import SqlStore, open_store
from marquee.web import chart_view, library_view, notices_view, person_view, recommendations_view, status_view
from marquee.web.app import create_app
from marquee.web.browse_view import BrowseQuery, browse_context, browse_json
from marquee.web.deps import Site
from marquee.web.home_view import home_context, home_json
from marquee.web.recommendations import SHOWN
from marquee.web.search_view import SearchQuery, find, search_context, search_json
from support.members import sign_up
from support.web import TestClient, small_catalogue

# Methods of the values a template is given that compute nothing beyond the value itself.
PURE_METHODS = {
    "date", "get", "isdigit", "isoformat", "items", "split", "startswith", "strftime", "strip", "values",
}  # fmt: skip
# Jinja's own helpers.
PURE_NAMES = {"range", "namespace", "caller"}


def _templates() -> tuple[Environment, list[str]]:
    env = Environment(loader=PackageLoader("marquee.web", "templates"))
    return env, env.list_templates(extensions=["html"])


def _macro_names(env: Environment, names: list[str]) -> set[str]:
    """Every macro defined in any template (a call to one renders more template, reading nothing)."""
    found: set[str] = set()
    for name in names:
        found |= {
            macro.name for macro in env.parse(env.loader.get_source(env, name)[0]).find_all(nodes.Macro)
        }  # type: ignore[union-attr]
    return found


def _import_aliases(tree: nodes.Template) -> set[str]:
    return {node.target for node in tree.find_all(nodes.Import)}


def _bad_calls(env: Environment, name: str, macros: set[str], source: str | None = None) -> list[str]:
    """Calls in one template that are neither a macro, nor a pure method, nor an allowed helper."""
    tree = env.parse(source if source is not None else env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
    aliases = _import_aliases(tree)
    bad = []
    for call in tree.find_all(nodes.Call):
        callee = call.node
        if isinstance(callee, nodes.Name) and (callee.name in macros or callee.name in PURE_NAMES):
            continue
        if isinstance(callee, nodes.Getattr):
            if isinstance(callee.node, nodes.Name) and callee.node.name in aliases and callee.attr in macros:
                continue
            if callee.attr in PURE_METHODS:
                continue
        bad.append(f"{name}:{call.lineno}")
    return bad


def test_templates_call_only_macros_and_pure_methods() -> None:
    env, names = _templates()
    macros = _macro_names(env, names)
    assert len(names) > 40 and {"csrf", "hit_row", "film_link"} <= macros
    bad = [where for name in names for where in _bad_calls(env, name, macros)]
    assert bad == []


def test_the_guard_catches_a_template_that_reads_the_store() -> None:
    env, names = _templates()
    macros = _macro_names(env, names)
    source = (
        '{% import "_macros.html" as m %}{{ m.hit_row(h) }}'
        "{% for f in load(store).films() %}{{ f.title }}{% endfor %}"
    )
    assert _bad_calls(env, "reader.html", macros, source) == ["reader.html:1", "reader.html:1"]


def _reads_the_store(function: Any) -> bool:
    """A callable that is given a store or a site (or is a service or storage function)."""
    module = getattr(function, "__module__", "") or ""
    if module.startswith(("marquee.services", "marquee.storage")):
        return True
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return False
    text = " ".join(f"{p.name}:{p.annotation}" for p in parameters)
    return any(word in text for word in ("store", "Store", "Site", "site"))


@pytest.fixture(scope="module")
def site_client(
    tmp_path_factory: pytest.TempPathFactory, migrated_sqlite_at: Callable[[Path], str]
) -> Iterator[tuple[Site, TestClient]]:
    """A site holding the small catalogue, and a client of it."""
    url = migrated_sqlite_at(tmp_path_factory.mktemp("contexts") / "marquee.db")
    store = open_store(url)
    try:
        store.save_films(small_catalogue())
    finally:
        store.close()
    with TestClient(create_app(Settings(database_url=url, chart_min_votes=1000))) as client:
        site: Site = client.app.state.marquee  # type: ignore[attr-defined]
        yield site, client


def test_no_jinja_global_or_filter_reads_the_store(site_client: tuple[Site, TestClient]) -> None:
    site, client = site_client
    assert client.get("/").status_code == 200  # every router has installed its globals by now
    env = site.renderer.env
    readers = [
        name
        for name, value in {**env.globals, **env.filters}.items()
        if callable(value) and _reads_the_store(value)
    ]
    assert readers == []
    assert _reads_the_store(lambda store, film_id: None)


def test_person_page_twin_and_api_share_one_loader(site_client: tuple[Site, TestClient]) -> None:
    site, client = site_client
    person_id = "cher"  # a slug: the small catalogue's cast have no nm… ids
    built = person_view.person_json(site, person_id)
    assert client.get(f"/person/{person_id}.json").content == built
    assert client.get(f"/api/v1/people/{person_id}").json() == client.get(f"/person/{person_id}.json").json()
    page = client.get(f"/person/{person_id}").text
    context = person_view.person_context(person_view.load_person(site, person_id))
    assert context.person.name in page and all(credit.title in page for credit in context.known_for)


@pytest.mark.parametrize("params", [{}, {"genre": "Drama", "sort": "year"}, {"decade": "1980", "page": "1"}])
def test_browse_twin_is_the_builders_data(
    site_client: tuple[Site, TestClient], params: dict[str, str]
) -> None:
    site, client = site_client
    context = browse_context(site, BrowseQuery.from_params(params))
    assert client.get("/browse.json", params=params).json() == browse_json(context)
    page = client.get("/browse", params=params).text
    assert all(hit.title in page for hit in context.result.items) and context.result.items


def test_browse_query_names_a_bad_field() -> None:
    with pytest.raises(Exception, match="year_from: 'soon' is not a whole number"):
        BrowseQuery.from_params({"year_from": "soon"})


@pytest.mark.parametrize(
    ("name", "genre", "decade", "url"),
    [
        ("top-rated", None, None, "/charts/top-rated.json"),
        ("most-voted", None, "1980s", "/charts/most-voted.json?decade=1980s"),
        ("top-rated", "Drama", None, "/charts/genre/Drama.json"),
    ],
)
def test_chart_twin_is_the_builders_data(
    site_client: tuple[Site, TestClient], name: str, genre: str | None, decade: str | None, url: str
) -> None:
    site, client = site_client
    context = chart_view.chart_context(site, name, genre, decade)
    assert client.get(url).json() == chart_view.chart_json(context)
    assert context.heading in client.get(url.replace(".json", "")).text


def test_charts_index_twin_is_the_builders_data(site_client: tuple[Site, TestClient]) -> None:
    site, client = site_client
    assert client.get("/charts.json").json() == chart_view.charts_index_json(chart_view.charts_index(site))


def test_search_twin_and_api_share_the_finders(site_client: tuple[Site, TestClient]) -> None:
    site, client = site_client
    query = SearchQuery.from_params("  tom reed ", "all")
    assert query.q == "tom reed"
    assert client.get("/search.json", params={"q": "tom reed"}).json() == search_json(
        search_context(site, query)
    )
    api = client.get("/api/v1/search/people", params={"q": "tom reed"}).json()
    assert [hit["id"] for hit in api["results"]] == [
        hit.id for hit in find(site.store, "people", "tom reed", 20)
    ]
    assert find(site.store, "people", "   ", 20) == []


def test_home_twin_is_the_builders_data(site_client: tuple[Site, TestClient]) -> None:
    site, client = site_client
    context = home_context(site)
    assert client.get("/index.json").json() == home_json(context)
    assert all(hit.title in client.get("/").text for hit in context.top_rated) and context.top_rated


@pytest.fixture
def ann_site(sqlite_url: str) -> Iterator[tuple[SqlStore, TestClient, User, dict[str, str]]]:
    """The small catalogue's site with ann signed in: the store, the client, ann, her API token header."""
    store = open_store(sqlite_url)
    store.save_films(small_catalogue())
    with TestClient(create_app(Settings(page_cache_size=0), store), follow_redirects=False) as client:
        sign_up(client, "ann")
        ann = accounts.get_user(store, "ann")
        assert ann is not None
        yield store, client, ann, {"Authorization": f"Bearer {accounts.create_token(store, 'ann')}"}
    store.close()


def test_recommendations_page_twin_and_api_share_one_builder(
    ann_site: tuple[SqlStore, TestClient, User, dict[str, str]],
) -> None:
    store, client, ann, token = ann_site
    community.rate(store, ann, "tt0000101", 10)
    discover.rebuild_similar(store)
    built = recommendations_view.recommendations_json(
        recommendations_view.recommendations_context(store, "ann", SHOWN)
    )
    assert built["recommendations"]
    assert client.get("/user/ann/recommendations.json").json() == built
    assert client.get(f"/api/v1/users/ann/recommendations?limit={SHOWN}", headers=token).json() == built


def test_notices_twin_and_api_share_one_builder(
    ann_site: tuple[SqlStore, TestClient, User, dict[str, str]],
) -> None:
    store, client, ann, token = ann_site
    assert follows.follow(store, ann, "person", "tom-reed")
    store.save_film(Film(id="tt0000199", title="Last Stop", year=2001, cast=[CastMember(name="Tom Reed")]))
    assert follows.collect_notices(store) == 1
    context = notices_view.notices_context(store, ann, "ann")
    items = [notices_view.notice_json(n) for n in context.notices]
    twin = client.get("/user/ann/notices.json").json()
    api = client.get("/api/v1/me/notices", headers=token).json()
    assert items and twin["notices"] == items == api["items"]
    assert api["feed"] == context.feed_path and twin["feed"].endswith(context.feed_path)


@pytest.mark.parametrize("section", ["watchlist", "diary", "lists"])
def test_library_twins_and_api_share_one_reader(
    ann_site: tuple[SqlStore, TestClient, User, dict[str, str]], section: str
) -> None:
    store, client, _, token = ann_site
    library.add_to_watchlist(store, "ann", "tt0000101")
    library.log_viewing(store, "ann", "tt0000102", dt.date(2024, 5, 1))
    library.create_list(store, "ann", "Trains", ["tt0000102", "tt0000101"])
    built = library_view.record_json(library_view.section_entries(store, "ann", section))
    assert built and client.get(f"/user/ann/{section}.json").json()[section] == built
    assert client.get(f"/api/v1/me/{section}", headers=token).json()["items"] == built


def test_status_twin_and_api_are_the_builders_data(site_client: tuple[Site, TestClient]) -> None:
    site, client = site_client
    built = status_view.status_json(status_view.status_context(site, None))
    assert built["counts"]["titles"] == site.store.count_films() and built["location"] is None
    assert client.get("/status.json").json() == built
    assert client.get("/api/v1/status").json() == built
    page = client.get("/status").text
    assert all(index["name"] in page for index in built["indexes"])


@pytest.mark.parametrize("cache_size", [2048, 0])
@pytest.mark.parametrize(
    ("path", "page"), [("/index.json", "/"), ("/charts/top-rated.json", "/charts/top-rated")]
)
def test_site_wide_pages_are_gathered_once_until_a_member_writes_to_a_film(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, cache_size: int, path: str, page: str
) -> None:
    from marquee.web import chart_view, home_view
    from support.members import FILM, page_token

    gathered: list[int] = []
    module, name = (home_view, "_gather") if path == "/index.json" else (chart_view.charts, "top_rated_chart")
    gather = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args, **kw: gathered.append(1) or gather(*args, **kw))
    store = open_store(sqlite_url)
    store.save_films(small_catalogue())
    store.close()
    app = create_app(Settings(database_url=sqlite_url, page_cache_size=cache_size))
    with TestClient(app, follow_redirects=False) as client:
        first = client.get(path).json()
        assert client.get(page).status_code == 200 and client.get(path).json() == first
        assert len(gathered) == (1 if cache_size else 3)
        sign_up(client, "ada")
        before = len(gathered)
        rated = client.post(f"/title/{FILM}/rating", data={"csrf_token": page_token(client), "score": "9"})
        assert rated.status_code == 303
        again = client.get(path).json()
        assert len(gathered) == before + 1  # the rating forgot the cached page
        fresh = client.get(path).json()  # gathered anew (cache off) or the new one (cache on)
        assert again == fresh


def test_a_members_write_on_one_worker_refreshes_the_home_page_on_another(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two apps on one SQLite store, as two workers: the home page one keeps is gathered anew once a
    member rated a film through the other (the store's version for any film was bumped)."""
    from marquee.web import home_view
    from support.members import FILM, page_token

    gathered: list[int] = []
    gather = home_view._gather
    monkeypatch.setattr(home_view, "_gather", lambda site: gathered.append(1) or gather(site))
    store = open_store(sqlite_url)
    store.save_films(small_catalogue())
    store.close()
    first, second = (create_app(Settings(database_url=sqlite_url)) for _ in range(2))
    with TestClient(first) as one, TestClient(second, follow_redirects=False) as other:
        before = one.get("/index.json").json()
        assert one.get("/index.json").json() == before and len(gathered) == 1
        sign_up(other, "ada")
        rated = other.post(f"/title/{FILM}/rating", data={"csrf_token": page_token(other), "score": "9"})
        assert rated.status_code == 303
        count = len(gathered)
        one.get("/index.json")
        assert len(gathered) == count + 1  # not served from the first worker's cache
        one.get("/index.json")
        assert len(gathered) == count + 1  # and kept again
