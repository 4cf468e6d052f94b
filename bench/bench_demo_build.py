"""The first run's demo build (``services.demo.ensure_demo_store``), phase by phase, CPU time.

    .venv/bin/python bench/bench_demo_build.py [--src SRC] [--no-describe] [--tables] [--limit N]

Builds the demo into a fresh, migrated SQLite store in a temporary folder, in the phases
``ensure_demo_store`` runs (``save_films`` of ``demo_films()``, parsing included; ``rebuild_similar``;
``rebuild_descriptions`` unless ``--no-describe``) and prints the ``time.process_time`` of each,
then a hash of every table's rows (each table's rows sorted), so two source trees can be checked
to store the same thing. ``--src`` picks the source tree to import ``marquee`` from (default: this
checkout's ``src``), to compare a branch with main on the same bench::

    git -C /work/main archive HEAD src | tar -x -C /tmp/base
    for i in 1 2 3; do for s in /tmp/base/src src; do python bench/bench_demo_build.py --src $s; done; done

What differs from run to run by design is masked before hashing: the description model's build id
and build time (a uuid and a clock reading). ``--tables`` prints each table's own hash too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Columns whose value is a fresh uuid or clock reading on every build: replaced by their kind.
VOLATILE = ("build", "built", "created", "updated", "_at", "time")


def _volatile(name: str) -> bool:
    return any(part in name.lower() for part in VOLATILE)


def table_hashes(path: Path) -> dict[str, str]:
    """``{table: sha256 of its sorted rows}`` for every ordinary table of the SQLite file."""
    raw = sqlite3.connect(path)
    try:
        names = [
            name
            for (name,) in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                " ORDER BY name"
            )
        ]
        found: dict[str, str] = {}
        for name in names:
            cursor = raw.execute(f'SELECT * FROM "{name}"')
            columns = [c[0] for c in cursor.description]
            masked = [i for i, c in enumerate(columns) if _volatile(c)]
            rows = []
            for row in cursor:
                values = list(row)
                for i in masked:
                    values[i] = type(values[i]).__name__
                rows.append(repr(values))
            rows.sort()
            digest = hashlib.sha256()
            digest.update(repr(columns).encode())
            for line in rows:
                digest.update(line.encode())
                digest.update(b"\n")
            found[name] = f"{len(rows)}:{digest.hexdigest()[:16]}"
        return found
    finally:
        raw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", default=str(ROOT / "src"), help="source tree to import marquee from")
    parser.add_argument("--no-describe", action="store_true", help="skip rebuild_descriptions")
    parser.add_argument("--tables", action="store_true", help="print each table's hash")
    parser.add_argument("--limit", type=int, default=None, help="only the catalogue's first films")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.src).resolve()))

    import marquee
    from marquee.services.demo import demo_films
    from marquee.services.discover import rebuild_similar
    from marquee.storage import open_store

    with tempfile.TemporaryDirectory(prefix="demo-bench-") as folder:
        path = Path(folder) / "demo.db"
        store = open_store(f"sqlite:///{path}")
        phases: dict[str, float] = {}
        start = time.process_time()
        store.save_films(demo_films(args.limit))
        phases["save_films"] = time.process_time() - start
        start = time.process_time()
        rebuild_similar(store)
        phases["rebuild_similar"] = time.process_time() - start
        if not args.no_describe:
            from marquee.services.describe import rebuild_descriptions

            start = time.process_time()
            rebuild_descriptions(store)
            phases["describe"] = time.process_time() - start
        phases["total"] = sum(phases.values())
        store.close()
        tables = table_hashes(path)
    whole = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()[:16]
    source = str(Path(marquee.__file__).resolve().parents[1])
    print(json.dumps({"src": source, **{k: round(v, 3) for k, v in phases.items()}, "hash": whole}))
    if args.tables:
        for name, value in tables.items():
            print(f"  {name}: {value}")


if __name__ == "__main__":
    main()
