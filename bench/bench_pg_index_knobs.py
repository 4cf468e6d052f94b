#!/usr/bin/env python3
"""PostgreSQL settings for building the search and browse indexes, measured (issue 20).

Imports ``DIRECTORY`` once into a fresh store on an embedded server (as ``bench_pg_import.py``),
then runs ``marquee reindex``'s build (``imdb_load.reindex_postgresql``: the indexes built aside and
swapped in, the import's second phase) ``--rounds`` times per setting, the settings alternating in
each round, each on connections whose ``options`` set it. Prints wall and CPU seconds (this process
and the server's, ``bench_pg_import.CpuMeter``) per run and the medians.

    PYTHONPATH=src .venv/bin/python bench/bench_pg_index_knobs.py /tmp/imdb100k --rounds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import make_url

sys.path.insert(0, str(Path(__file__).parent))
from bench_pg_import import CpuMeter, fresh_database, server
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import imdb_load, open_store

# Each setting: the server options its connections get ("" = the defaults).
KNOBS = {
    "default": "",
    "no parallel workers": "-c max_parallel_maintenance_workers=0",
    "synchronous_commit off": "-c synchronous_commit=off",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in KNOBS}
    with server(None) as (url, data), fresh_database(url) as conninfo:
        cpu = CpuMeter(data)
        base = make_url(conninfo).set(drivername="postgresql+psycopg")
        store = open_store(base.render_as_string(False))
        try:
            import_imdb_datasets(store, args.directory)
        finally:
            store.close()
        for round_no in range(1, args.rounds + 1):
            for name, options in KNOBS.items():
                url_with = base.update_query_dict({"options": options}) if options else base
                store = open_store(url_with.render_as_string(False))
                try:
                    began, cpu0 = time.monotonic(), cpu()
                    imdb_load.reindex_postgresql(store)
                    runs[name].append((time.monotonic() - began, cpu() - cpu0))
                finally:
                    store.close()
                wall, used = runs[name][-1]
                print(f"round {round_no} {name:24} wall {wall:6.2f}s cpu {used:6.2f}s", flush=True)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name, found in runs.items():
        wall = statistics.median(w for w, _ in found)
        used = statistics.median(c for _, c in found)
        print(f"median {name:24} wall {wall:6.2f}s cpu {used:6.2f}s")


if __name__ == "__main__":
    main()
