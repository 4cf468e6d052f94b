"""Fifty members rating and re-rating the same films at once: the counts stay exact (issue 6)."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from sqlalchemy import insert

from marquee.records_community import User
from marquee.services import accounts, community
from marquee.storage import SqlStore
from marquee.storage.engine import StoreBusy, make_engine
from marquee.storage.schema import titles

CLIENTS = 50
ROUNDS = 8  # each client rates, re-rates or takes back eight times: the first round all at once
FILMS = ["tt0000001", "tt0000002", "tt0000003"]
BUSY_RETRIES = 5


def _until_written(write: Callable[[], object]) -> None:
    """Write, trying again when the store says it is busy (as a client told 503 + Retry-After does):
    on a loaded machine fifty writers may wait longer than the write lock's bound."""
    for _ in range(BUSY_RETRIES):
        try:
            write()
            return
        except StoreBusy:
            continue
    write()


def _client(
    url: str, user: User, seed: int, start: threading.Barrier, final: dict[tuple[str, str], int | None]
) -> None:
    """One client with its own engine (so its own connection): rate, re-rate, sometimes take it back."""
    own = SqlStore(url, make_engine(url))
    rng = random.Random(seed)
    try:
        start.wait()
        for _ in range(ROUNDS):
            film = rng.choice(FILMS)
            if rng.random() < 0.15:
                _until_written(partial(community.unrate, own, user, film))
                final[(user.name, film)] = None
            else:
                score = rng.randint(1, 10)
                _until_written(partial(community.rate, own, user, film, score))
                final[(user.name, film)] = score
    finally:
        own.close()


def test_fifty_clients_rating_at_once_leave_exact_totals(store: SqlStore) -> None:
    with store.writing() as conn:
        conn.execute(insert(titles), [{"title_id": t, "primary_title": t} for t in FILMS])
    members = [accounts.create_user(store, f"client{i}", "correct horse battery") for i in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)
    finals: list[dict[tuple[str, str], int | None]] = [{} for _ in range(CLIENTS)]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            _client(store.url, members[i], i, start, finals[i])
        except BaseException as error:  # reported below, with the thread's own exception
            errors.append(error)
            start.abort()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[0]

    submitted: dict[str, Counter[int]] = {film: Counter() for film in FILMS}
    for final in finals:
        for (_, film), score in final.items():
            if score is not None:
                submitted[film][score] += 1
    assert sum(sum(c.values()) for c in submitted.values()) > CLIENTS  # the test did exercise re-rating
    for film in FILMS:
        summary = community.member_rating_summary(store, film)
        expected = submitted[film]
        assert summary.votes == sum(expected.values())
        assert summary.histogram == {score: expected.get(score, 0) for score in range(1, 11)}
        if summary.votes:
            mean = sum(s * n for s, n in expected.items()) / summary.votes
            assert summary.average == pytest.approx(mean, abs=0.005)
