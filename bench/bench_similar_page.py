"""What "more like this" and recommendations cost a page (issue 21: at most 2 ms a film page).

    .venv/bin/python bench/bench_similar_page.py FILMS.jsonl [--ratings 300]

FILMS.jsonl: films as `marquee export` writes them (e.g. the first 3,000 of the demo catalogue).
They are saved to a fresh SQLite store, every film's list is built (``rebuild_similar``), and a
member rates ``--ratings`` random films (scores 1–10, a second apart). Then, CPU per call
(``process_time``: the box is shared; the TestClient serves from a second thread), 5 rounds
over 300 random films:

* ``similar_titles`` (what the film page reads: one title-row read and the stored list);
* a cold film page (page cache off, in-process through Starlette's TestClient) with the lists
  built, and with ``similar_titles`` replaced by an empty answer (the page without the section);
* ``recommendations`` for the member (their account page, not the film page).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marquee.records import Film  # noqa: E402
from marquee.services import accounts, discover  # noqa: E402
from marquee.settings import Settings  # noqa: E402
from marquee.storage import open_store  # noqa: E402
from marquee.storage.community_schema import member_ratings  # noqa: E402
from marquee.web import titles  # noqa: E402
from marquee.web.app import create_app  # noqa: E402

ROUNDS = 5
CALLS = 300


def cpu_ms(call: Callable[[str], object], ids: list[str]) -> float:
    """Median over rounds of the median CPU ms per call."""
    medians = []
    for seed in range(ROUNDS):
        times = []
        for film_id in random.Random(seed).sample(ids, min(CALLS, len(ids))):
            started = time.process_time()
            call(film_id)
            times.append(time.process_time() - started)
        medians.append(statistics.median(times) * 1e3)
    return statistics.median(medians)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("films", type=Path)
    parser.add_argument("--ratings", type=int, default=300)
    args = parser.parse_args()
    with args.films.open(encoding="utf-8") as handle:
        films = [Film.model_validate(json.loads(line)) for line in handle]
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'marquee.db'}"
    store = open_store(url)
    store.save_films(films)
    ids = [film.id for film in films]
    started = time.perf_counter()
    discover.rebuild_similar(store)
    print(f"{len(films):,} films; lists built in {time.perf_counter() - started:.1f} s")
    user = accounts.create_user(store, "bench", "a long enough password 1")
    rng = random.Random(1)
    picked = rng.sample(ids, min(args.ratings, len(ids)))
    with store.writing() as conn:
        conn.execute(
            member_ratings.insert(),
            [
                {
                    "user_id": user.id,
                    "title_id": t,
                    "score": rng.randint(1, 10),
                    "created_at": when,
                    "updated_at": when,
                }
                for t, when in zip(picked, _stamps(len(picked)), strict=True)
            ],
        )
    similar = cpu_ms(lambda film_id: discover.similar_titles(store, film_id, titles.MORE_LIKE_THIS), ids)
    recommend = cpu_ms(lambda _: discover.recommendations(store, "bench", 8), ids[:50])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's TestClient warns at import
        from starlette.testclient import TestClient
    pages = {}
    real = discover.similar_titles
    with TestClient(create_app(Settings(database_url=url, page_cache_size=0))) as client:
        for label in ("with lists", "without the section", "with lists (again)", "without (again)"):
            titles.discover.similar_titles = real if label.startswith("with lists") else (lambda *a, **k: [])  # type: ignore[assignment]
            for film_id in ids[:100]:  # warm
                assert client.get(f"/title/{film_id}").status_code == 200
            pages[label] = cpu_ms(lambda film_id: client.get(f"/title/{film_id}"), ids)
    titles.discover.similar_titles = real  # type: ignore[assignment]
    print(f"similar_titles (film page's read): {similar:.3f} ms CPU per call (median of round medians)")
    print(f"recommendations, member with {len(picked)} ratings: {recommend:.3f} ms CPU per call")
    for label, value in pages.items():
        print(f"cold film page, {label}: {value:.2f} ms CPU")
    store.close()


def _stamps(count: int) -> list[object]:
    import datetime as dt

    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [start + dt.timedelta(seconds=i) for i in range(count)]


if __name__ == "__main__":
    main()
