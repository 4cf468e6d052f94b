#!/usr/bin/env python3
""""More like this" after a re-import of a newer IMDb dump: the lists the re-import touched against
every list (what ``marquee import imdb`` ran after every import before), in one process.

A fresh SQLite store gets ``OLD`` imported and every list built; then ``NEW`` is imported over it
(a re-import by difference), and per round, in turn (the order swaps each round), on a copy of that
store: **touched**, ``rebuild_similar(store, summary.changed_titles)``; **every**,
``rebuild_similar(store)``. CPU seconds (``process_time``) and wall seconds of each; the share of
films whose list was made again; and, once, how many lists the two leave different (the staleness
the touched way accepts until the next whole rebuild).

    PYTHONPATH=src .venv/bin/python bench/similar_after_reimport.py /tmp/imdb100k /tmp/reimport-100k-newer \\
        --work /tmp/similar-reimport --rounds 3
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from sqlalchemy import text

from marquee.services.discover import rebuild_similar
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import open_store


def _lists(url: str) -> dict[str, list[tuple[str, float]]]:
    store = open_store(url)
    try:
        with store.reading() as conn:
            rows = conn.execute(
                text("SELECT title_id, similar_id, score FROM title_similar ORDER BY title_id, rank")
            )
            found: dict[str, list[tuple[str, float]]] = {}
            for title_id, similar_id, score in rows:
                found.setdefault(title_id, []).append((similar_id, round(score, 6)))
            return found
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--work", type=Path, default=Path("/tmp/similar-reimport"))
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    shutil.rmtree(a.work, ignore_errors=True)
    a.work.mkdir(parents=True)
    base = a.work / "base.db"
    store = open_store(f"sqlite:///{base}")
    import_imdb_datasets(store, a.old)
    rebuild_similar(store)
    summary = import_imdb_datasets(store, a.new)
    films = store.count_films()
    store.close()
    changed = summary.changed_titles
    assert changed is not None, "the newer dump was imported whole, not by difference"
    print(f"{films:,} films; the re-import added, changed or removed {len(changed):,} titles", flush=True)
    times: dict[str, list[tuple[float, float]]] = {"touched": [], "every": []}
    made: dict[str, int] = {}
    for r in range(a.rounds):
        for way in ("touched", "every") if r % 2 == 0 else ("every", "touched"):
            copy = a.work / f"{way}.db"
            shutil.copyfile(base, copy)
            store = open_store(f"sqlite:///{copy}")
            cpu, wall = time.process_time(), time.monotonic()
            made[way] = rebuild_similar(store, changed if way == "touched" else None)
            times[way].append((time.process_time() - cpu, time.monotonic() - wall))
            store.close()
            print(
                f"round {r + 1} {way:8} {times[way][-1][0]:7.2f} s CPU {times[way][-1][1]:7.2f} s wall",
                flush=True,
            )
    touched, every = _lists(f"sqlite:///{a.work / 'touched.db'}"), _lists(f"sqlite:///{a.work / 'every.db'}")
    differ = sum(touched.get(t) != every.get(t) for t in set(touched) | set(every))
    for way in times:
        cpu = statistics.median(t[0] for t in times[way])
        wall = statistics.median(t[1] for t in times[way])
        print(f"{way:8} median {cpu:7.2f} s CPU {wall:7.2f} s wall; lists made {made[way]:,}")
    ratio = statistics.median(t[0] for t in times["touched"]) / statistics.median(
        t[0] for t in times["every"]
    )
    print(f"touched / every (CPU): {ratio:.2f}x; lists that differ afterwards: {differ:,} of {len(every):,}")


if __name__ == "__main__":
    main()
