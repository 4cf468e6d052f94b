"""Several Marquee servers on one store count one login limit and serve fresh pages at once.

Two servers on each backend, as two hosts behind a proxy would be: A is ``marquee serve --workers 2``
(its own process, two uvicorn workers), B the app served as ``marquee serve`` serves it, in a thread
of the test process. Three processes then: a limit kept per process would let through N× the
attempts, and a page cached per process would stay stale for ``page_cache_seconds``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from marquee.records import Film, Rating
from marquee.services import accounts
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.storage.shared_state import SharedState
from marquee.web.app import create_app
from marquee.web.cache import PageCache
from marquee.web.ratelimit import Limits, SharedBuckets, lease_for
from marquee.web.server import make_config
from support.members import FILM, PASSWORD, token_in
from support.servers import free_port, running
from support.web import local_client

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

SECRET_KEY = "one key for every host " * 2
PAGE_CACHE_SECONDS = 600  # only a version check can make a page fresh here
# After A first answers, before its pages are read: its two workers start side by side and the
# second answers within a tenth of a second of the first on a loaded machine; ten times that.
SECOND_WORKER_GRACE = 1.0


@contextmanager
def _serving_workers(db_url: str, cwd: Path, workers: int) -> Iterator[tuple[str, float]]:
    """``marquee serve --workers N`` in its own process; its base URL and when it first answered."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARQUEE_")}
    env |= {
        "MARQUEE_DATABASE_URL": db_url,
        "MARQUEE_SECRET_KEY": SECRET_KEY,
        "MARQUEE_WEB_PAGE_CACHE_SECONDS": str(PAGE_CACHE_SECONDS),
    }
    command = [sys.executable, "-m", "marquee", "serve", "--no-demo", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        yield base, _first_answer(process, base)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def _first_answer(process: subprocess.Popen[bytes], base: str) -> float:
    """Wait until the server at ``base`` answers (its process still running); when it did."""
    deadline = time.monotonic() + 90
    with local_client(timeout=5) as probe:
        while True:
            assert process.poll() is None, process.communicate()[0].decode()
            try:
                if probe.get(f"{base}/login").status_code == 200:
                    return time.monotonic()
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer in time"
            time.sleep(0.05)


@contextmanager
def _serving_here(db_url: str) -> Iterator[str]:
    """The app served as ``marquee serve`` serves it (``make_config``), in a thread of this process."""
    settings = Settings(database_url=db_url, secret_key=SECRET_KEY, page_cache_seconds=PAGE_CACHE_SECONDS)
    port = free_port()
    with running(uvicorn.Server(make_config(create_app(settings), "127.0.0.1", port, lifespan="on"))):
        yield f"http://127.0.0.1:{port}"


@pytest.mark.long
def test_two_servers_share_the_login_limit_and_page_freshness(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    try:
        store.save_film(Film(id=FILM, title="Mask", year=1985, rating=Rating(value=7.0, votes=12168)))
        accounts.create_user(store, "ada", PASSWORD)
        token = accounts.create_token(store, "ada")
    finally:
        store.close()
    with _serving_workers(db_url, tmp_path, workers=2) as (a, a_answered), _serving_here(db_url) as b:
        servers = [a, b]
        # Cookies are per host, not per port: one browser, one CSRF cookie for both servers.
        with local_client(timeout=30, follow_redirects=False) as browser:
            csrf = token_in(browser.get(f"{a}/login").text)
            statuses = []
            for attempt in range(7):
                answer = browser.post(
                    f"{servers[attempt % 2]}/login",
                    data={"csrf_token": csrf, "name": "ada", "password": "wrong password"},
                )
                statuses.append(answer.status_code)
        # login_per_pair is 5 tries then one a minute, whichever process counts them.
        assert statuses == [401] * 5 + [429] * 2, statuses

        time.sleep(max(0.0, a_answered + SECOND_WORKER_GRACE - time.monotonic()))  # both of A's workers up
        page = f"/title/{FILM}"
        with local_client(timeout=30) as visitor:
            for _ in range(6):  # cached by every worker of both servers
                for server in servers:
                    assert "from 1 member<" not in visitor.get(server + page).text
            rated = visitor.put(
                f"{b}/api/v1/titles/{FILM}/rating",
                json={"score": 9},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert rated.status_code == 200, rated.text
            if db_url.startswith("postgresql"):
                # PostgreSQL tells the other processes by NOTIFY, which reaches them a moment after
                # the commit (SQLite's version is read on every hit: fresh at once). The pages are
                # cached for ten minutes, so a fresh page within seconds is the NOTIFY at work.
                for server in servers:
                    _fresh_within(visitor, server + page, seconds=5)
            seen = [visitor.get(server + page).text for _ in range(6) for server in servers]
        assert all("from 1 member<" in html for html in seen), [html.count("from 1 member<") for html in seen]


def _fresh_within(client: httpx.Client, url: str, seconds: float) -> None:
    """Read ``url`` until it shows the new rating; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while "from 1 member<" not in client.get(url).text:
        assert time.monotonic() < deadline, f"{url} still shows the page from before the rating"
        time.sleep(0.01)


# ---- the pieces, in one process ------------------------------------------------------------------


def test_store_buckets_count_once_for_every_process_and_refill(db_url: str) -> None:
    store = open_store(db_url)
    one, two = SharedState(store), SharedState(store)  # two processes' worth of connections
    try:
        waits = [state.take("login_per_pair", "10.0.0.1|ann", 1 / 60, 5) for state in (one, two) * 3]
        assert waits[:5] == [0.0] * 5
        assert waits[5] is not None and 55 < waits[5] <= 60  # a minute for the next token, less a moment
        assert one.peek("login_per_pair", "10.0.0.1|ann", 1 / 60, 5) == pytest.approx(waits[5], abs=2)
        assert two.take("login_per_pair", "10.0.0.2|ann", 1 / 60, 5) == 0.0  # another key: its own bucket
        assert one.take("fast", "k", 10.0, 1) == 0.0
        assert 0.0 < (two.take("fast", "k", 10.0, 1) or 0.0) <= 0.1
        time.sleep(0.35)  # three tokens' worth of time, capped at the burst of one
        assert one.take("fast", "k", 10.0, 1) == 0.0
        assert (two.take("fast", "k", 10.0, 1) or 0.0) > 0.0
    finally:
        one.close()
        two.close()
        store.close()


def test_a_bump_is_seen_by_every_cache_and_a_render_across_a_write_is_not_kept(db_url: str) -> None:
    store = open_store(db_url)
    shared = SharedState(store)
    try:
        assert shared.version(FILM) == 0
        shared.bump(FILM)
        shared.bump(FILM)
        assert shared.version(FILM) == 2
        # Two workers' caches checking versions (SQLite's way; PostgreSQL's listens, tested above).
        a: PageCache[bytes] = PageCache(10, 600, versions=shared.version)
        b: PageCache[bytes] = PageCache(10, 600, versions=shared.version)
        key = ("title", FILM, "html")
        for cache in (a, b):
            assert cache.get(key) is None
            cache.put(key, b"old")
            assert cache.get(key) == b"old"
        shared.bump(FILM)  # a write on a third worker
        assert a.get(key) is None and b.get(key) is None
        # A render that began before a write (the miss above) and ends after it is not kept.
        b.invalidate(("title", FILM))
        b.put(key, b"rendered across a write")
        assert b.get(key) is None
    finally:
        shared.close()
        store.close()


def test_leased_api_tokens_add_up_to_the_limit_across_processes(db_url: str) -> None:
    store = open_store(db_url)
    one, two = SharedState(store), SharedState(store)
    try:
        assert [one.take_many("api", "k", 0.001, 10, 4)[0] for _ in range(4)] == [4, 4, 2, 0]  # type: ignore[index]
        limits = Limits(rate=0.001, burst=10)
        buckets = [SharedBuckets(state, "api_per_address", limits, lease=4) for state in (one, two)]
        allowed = [buckets[i % 2].take("10.0.0.9") == 0.0 for i in range(30)]
        assert sum(allowed) == 10  # no token lost or spent twice, whichever process leased it
        assert not any(allowed[-10:])
        assert lease_for(Limits(rate=5000, burst=10000)) == 100 and lease_for(limits) == 1
    finally:
        one.close()
        two.close()
        store.close()
