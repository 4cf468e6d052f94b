"""PostgreSQL: time ``marquee reindex``'s build (the search and browse indexes built aside and swapped
in, as an import's last phase) on a filled store, and list every statement over 0.3 s.

    PYTHONPATH=src .venv/bin/python bench/pg_reindex.py STORE_URL

Statements of the browse build beside run on their own connection: their times add up with the
search build's, so the sum can exceed the wall time.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from typing import Any

from sqlalchemy import event

from marquee.storage import imdb_load, open_store
from marquee.storage.engine import engine_of


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", help="a filled PostgreSQL store's URL")
    store = open_store(ap.parse_args().url)
    local = threading.local()
    slow: list[tuple[float, str]] = []

    def before(*_: Any) -> None:
        local.began = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        took = time.perf_counter() - local.began
        if took > 0.3:
            slow.append((took, re.sub(r"\s+", " ", statement)[:140]))

    engine = engine_of(store)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        began = time.perf_counter()
        imdb_load.reindex_postgresql(store)
        took = time.perf_counter() - began
    finally:
        store.close()
    print(f"reindex {took:.1f} s; statements over 0.3 s: {sum(t for t, _ in slow):.1f} s")
    for seconds, statement in slow:
        print(f"{seconds:7.2f} {statement}")


if __name__ == "__main__":
    main()
