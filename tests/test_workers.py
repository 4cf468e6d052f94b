"""Several `marquee serve` processes on one store count one login limit and serve fresh pages at once.

Two servers on each backend, as two hosts behind a proxy would be: A with two uvicorn workers
(``--workers 2``), B with one. Three processes then: a limit kept per process would let through
N× the attempts, and a page cached per process would stay stale for ``page_cache_seconds``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from marquee.records import Film, Rating
from marquee.services import accounts
from marquee.storage import open_store
from marquee.storage.shared_state import SharedState
from marquee.web.cache import PageCache
from marquee.web.ratelimit import Limits, SharedBuckets, lease_for
from support.members import FILM, PASSWORD, token_in

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serving(db_url: str, cwd: Path, workers: int) -> Iterator[str]:
    """``marquee serve`` in its own process; yields its base URL once it answers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARQUEE_")}
    env |= {
        "MARQUEE_DATABASE_URL": db_url,
        "MARQUEE_SECRET_KEY": "one key for every host " * 2,
        "MARQUEE_WEB_PAGE_CACHE_SECONDS": "600",  # only a version check can make a page fresh here
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
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, process.communicate()[0].decode()
            try:
                if httpx.get(f"{base}/login", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer in time"
            time.sleep(0.3)
        if workers > 1:  # every worker up: each answers its own health check; wait for the slowest
            time.sleep(3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck server
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


@pytest.mark.long
def test_two_servers_share_the_login_limit_and_page_freshness(db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    try:
        store.save_film(Film(id=FILM, title="Mask", year=1985, rating=Rating(value=7.0, votes=12168)))
        accounts.create_user(store, "ada", PASSWORD)
        token = accounts.create_token(store, "ada")
    finally:
        store.close()
    with _serving(db_url, tmp_path, workers=2) as a, _serving(db_url, tmp_path, workers=1) as b:
        servers = [a, b]
        # Cookies are per host, not per port: one browser, one CSRF cookie for both servers.
        with httpx.Client(timeout=30, follow_redirects=False) as browser:
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

        page = f"/title/{FILM}"
        with httpx.Client(timeout=30) as visitor:
            for _ in range(6):  # cached by every worker of both servers
                for server in servers:
                    assert "from 1 member<" not in visitor.get(server + page).text
            rated = visitor.put(
                f"{b}/api/v1/titles/{FILM}/rating",
                json={"score": 9},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert rated.status_code == 200, rated.text
            seen = [visitor.get(server + page).text for _ in range(6) for server in servers]
        assert all("from 1 member<" in html for html in seen), [html.count("from 1 member<") for html in seen]


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
