"""How long the one-vocabulary migration (issue 16 step 4) takes on a SQLite store of N titles.

Builds a store at the revision before it, fills titles, people, five credits, a genre and a rating
per title and the browse and search keys by SQL (seconds even at millions), then times the upgrade
alone: CPU (``process_time``) and wall. The renames change the schema only, so the time should not
grow with the store.

    PYTHONPATH=src .venv/bin/python bench/bench_migrate_vocabulary.py 10000 1000000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from marquee.storage.engine import make_engine
from marquee.storage.migrate import SCRIPT_LOCATION, upgrade

BEFORE, REVISION = "0021", "0022"  # the migration measured and the one before it
_TITLES = (
    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < :n)"
    " INSERT INTO titles (id, tconst, kind, primary_title, start_year)"
    " SELECT i, 'tt' || i, 'movie', 'Film ' || i, 1900 + i % 120 FROM k"
)
_PEOPLE = (
    "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < :n)"
    " INSERT INTO people (id, nconst, name) SELECT i, 'nm' || i, 'Person ' || i FROM k"
)
_PARTS = (
    "INSERT INTO credits (title_id, category, ordering, person_id)"
    " SELECT id, 'actor', o, (id * 7 + o) % :n + 1 FROM titles,"
    " (SELECT 1 AS o UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5)",
    "INSERT INTO title_genres (title_id, ordering, genre) SELECT id, 1, 'Drama' FROM titles",
    "INSERT INTO imdb_ratings (title_id, average, votes) SELECT id, 5 + id % 5, id % 1000 FROM titles",
    # Made by today's DDL in 0002/0008 (already title_key in a store migrated by this Marquee).
    "INSERT INTO title_browse SELECT '', 'movie', start_year, id, NULL, 0, -1, primary_title FROM titles",
    "INSERT INTO title_search_keys (title_key, bucket) SELECT id, 1 FROM titles",
)


def measure(n: int, path: Path) -> str:
    """Fill a store of ``n`` titles at ``BEFORE`` and time the upgrade to ``REVISION``."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, BEFORE)
    with engine.begin() as conn:
        for sql in (_TITLES, _PEOPLE, *_PARTS):
            conn.execute(text(sql), {"n": n})
    engine.dispose()
    size = path.stat().st_size
    engine = make_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    cpu, wall = time.process_time(), time.perf_counter()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, REVISION)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    engine.dispose()
    upgraded = f"upgrade {BEFORE}->{REVISION} CPU {cpu:.3f} s, wall {wall:.3f} s"
    return f"{n:>9} titles, {size / 1e6:6.0f} MB: {upgraded}"


def main() -> None:
    for n in (int(a) for a in sys.argv[1:] or ["10000"]):
        with tempfile.TemporaryDirectory() as tmp:
            print(measure(n, Path(tmp) / "store.db"), flush=True)


if __name__ == "__main__":
    main()
