"""Peak memory of a full import's line hashes: hashing every file of a dump, then storing the hashes.

    PYTHONPATH=src .venv/bin/python bench/line_hash_memory.py DUMP_DIR WORK_DIR

Runs ``services.imdb_reimport.Hashing`` over the seven files (what a full import does in a thread
while it stages) and writes the result with ``storage.imdb_line_hashes.write_file`` into a new SQLite
store in WORK_DIR, then prints the process's peak RSS (``ru_maxrss``), its CPU seconds and the keys
hashed. Run it with two ``src`` folders (``PYTHONPATH``) to compare them.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

from marquee.formats.imdb_tsv import DATASETS
from marquee.services.imdb_reimport import Hashing
from marquee.storage import imdb_line_hashes, open_store


def main() -> None:
    dump, work = Path(sys.argv[1]), Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    files = {ds: dump / f"{ds}.tsv.gz" for ds in DATASETS}
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    out = Hashing(files, {ds: str(p) for ds, p in files.items()}).result()
    assert out is not None, "the files could not be hashed"
    store = open_store(f"sqlite:///{work / 'hashes.db'}")
    with store.writing() as conn:
        for ds, (mark, keys) in out.items():
            imdb_line_hashes.write_file(conn, ds, mark, keys)
    with store.reading() as conn:
        count = imdb_line_hashes.count(conn)
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"keys {count:,}  peak RSS {peak / 1024:,.0f} MiB (at start {base / 1024:,.0f})  "
        f"CPU {time.process_time() - cpu:,.1f} s"
    )


if __name__ == "__main__":
    main()
