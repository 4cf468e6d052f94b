"""CPU per cold film page (page cache off), in-process through Starlette's TestClient.

    PYTHONPATH=src .venv/bin/python bench/bench_cold_page.py FILMS.jsonl LABEL
    PYTHONPATH=src .venv/bin/python bench/bench_cold_page.py sqlite:////tmp/s12m.db LABEL

FILMS.jsonl: films as `marquee export` writes them (e.g. the first 3,000 of the demo catalogue). To
compare two versions, run each from its own checkout (PYTHONPATH=that/src) on the same films,
alternating, in one session (the machine is shared: compare the runs of one session only).
A store URL instead: pages of titles drawn at random (seeded) from that store as it is (e.g. one
filled by ``marquee import imdb``), nothing written.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

from sqlalchemy import text

from marquee.records import Film
from marquee.settings import Settings
from marquee.storage import open_store
from marquee.web.app import create_app

ROUNDS = 5
PAGES = 300


def films_saved(films_path: str) -> tuple[str, list[str]]:
    """A fresh store holding the films of ``films_path`` (JSON lines): its URL and the films' ids."""
    with open(films_path, encoding="utf-8") as handle:
        films = [Film.model_validate(json.loads(line)) for line in handle]
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'marquee.db'}"
    store = open_store(url)
    store.save_films(films)
    store.close()
    return url, [film.id for film in films]


def titles_drawn(url: str, count: int = 2000) -> list[str]:
    """Ids (tconst) of ``count`` titles drawn at random from the store at ``url`` (one scan of it)."""
    store = open_store(url)
    try:
        with store.reading() as conn:
            drawn = text("SELECT title_id FROM titles ORDER BY random() LIMIT :n")
            return list(conn.execute(drawn, {"n": count}).scalars())
    finally:
        store.close()


def main(films_path: str, label: str) -> None:
    existing = films_path.startswith(("sqlite:", "postgresql"))
    url, ids = (films_path, titles_drawn(films_path)) if existing else films_saved(films_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient warns at import
        from starlette.testclient import TestClient
    medians = []
    with TestClient(create_app(Settings(database_url=url, page_cache_size=0))) as client:
        for film_id in ids[:100]:  # warm: templates compiled, connections open
            assert client.get(f"/title/{film_id}").status_code == 200
        for seed in range(ROUNDS):
            times = []
            for film_id in random.Random(seed).sample(ids, PAGES):
                started = time.process_time()
                answer = client.get(f"/title/{film_id}")
                times.append(time.process_time() - started)
                assert answer.status_code == 200
            medians.append(statistics.median(times) * 1e3)
    rounds = " ".join(f"{m:.2f}" for m in medians)
    print(
        f"{label}: CPU ms per cold page, median per round: {rounds} | median {statistics.median(medians):.2f}"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
