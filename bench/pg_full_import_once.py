"""One IMDb import into a new database on a PostgreSQL server: wall and CPU (this process and its
reaped children), for A/B runs of two checkouts (``PYTHONPATH=A/src`` then ``B/src``, alternating).

    PYTHONPATH=src .venv/bin/python bench/pg_full_import_once.py DUMP_DIR LABEL SERVER_URL
"""

from __future__ import annotations

import resource
import sys
import time
import uuid

from sqlalchemy import create_engine, make_url, text

from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import open_store


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    dump, label, server = sys.argv[1:4]
    url = make_url(server)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    store = open_store(url.set(database=name).render_as_string(hide_password=False))
    try:
        wall, cpu = time.monotonic(), _cpu()
        import_imdb_datasets(store, dump)
        print(f"{label} wall {time.monotonic() - wall:.1f} cpu {_cpu() - cpu:.1f}", flush=True)
    finally:
        store.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
