"""PostgreSQL: one whole word read through the word-list index against the popular window, by how
many names hold the word (the dictionary's ``title_names``): where ``search_window.RARE_WORDS`` comes from.

    PYTHONPATH=src .venv/bin/python bench/pg_word_reads.py STORE_URL

Prints, for up to three words in each band of counts, the median of five reads each way (ms) and
the rows each gave (limit 40, as a search's candidates).
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import text

from marquee.storage import open_store
from marquee.storage.engine import engine_of

BANDS = ((50, 100), (200, 400), (800, 1200), (2000, 3000), (5000, 8000), (15000, 25000), (50000, 80000))
WORD_LIST = (
    "SELECT s.title_key, s.name FROM title_search s WHERE string_to_array(btrim(s.name), ' ') @> :w"
    " AND (s.name || '') LIKE :p ORDER BY s.pop DESC, s.title_key DESC LIMIT 40"
)
WINDOW = (
    "SELECT s.title_key, s.name FROM (SELECT * FROM title_search ORDER BY pop DESC, title_key DESC"
    " LIMIT 4000) s WHERE s.name LIKE :p ORDER BY s.pop DESC LIMIT 40"
)


def _timed(conn: object, sql: str, params: dict[str, object]) -> tuple[float, int]:
    times, rows = [], 0
    for _ in range(5):
        began = time.perf_counter()
        rows = len(conn.execute(text(sql), params).all())  # type: ignore[attr-defined]
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="a PostgreSQL store's URL, filled (e.g. by marquee import imdb)")
    store = open_store(ap.parse_args().url)
    try:
        with engine_of(store).connect() as conn:
            for low, high in BANDS:
                words = conn.execute(
                    text(
                        "SELECT word FROM search_words WHERE title_names BETWEEN :a AND :b"
                        " AND word ~ '^[a-z]+$' ORDER BY word LIMIT 3"
                    ),
                    {"a": low, "b": high},
                ).scalars()
                for word in list(words):
                    params = {"w": [word], "p": f"% {word} %"}
                    conn.execute(text("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off"))
                    listed, found = _timed(conn, WORD_LIST, params)
                    conn.execute(text("RESET enable_indexscan; RESET enable_seqscan"))
                    walked, held = _timed(conn, WINDOW, params)
                    print(
                        f"{low:6d}-{high:6d} {word:15s} word list {listed:6.2f} ms ({found} rows)"
                        f"  window {walked:5.2f} ms ({held} rows)"
                    )
                conn.rollback()
    finally:
        store.close()


if __name__ == "__main__":
    main()
