#!/usr/bin/env python3
"""A full IMDb import into a fresh SQLite store by two source trees, alternating: CPU of each run's
process tree (the import in a child process; its staging workers are reaped by it, so they count).

    git -C /work/main archive HEAD src | tar -x -C /tmp/reimport-base
    /work/main/.venv/bin/python bench/full_import_ab_cpu.py /tmp/imdb100k 4 \\
        main=/tmp/reimport-base/src branch=src
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = """import sys
from marquee.services.imdb_import import import_imdb_datasets
from marquee.storage import open_store
if __name__ == "__main__":
    store = open_store(sys.argv[1])
    import_imdb_datasets(store, sys.argv[2])
    store.close()
"""


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> int:
    data, rounds, trees = sys.argv[1], int(sys.argv[2]), dict(a.split("=", 1) for a in sys.argv[3:])
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="full-import-ab-") as tmp:
        runner = Path(tmp) / "run.py"
        runner.write_text(RUN, encoding="utf-8")
        for r in range(rounds):
            order = list(trees.items()) if r % 2 == 0 else list(trees.items())[::-1]
            for name, src in order:
                db = Path(tmp) / f"{name}-{r}.db"
                wall, cpu = time.monotonic(), _children_cpu()
                env = {"PYTHONPATH": str(Path(src).resolve()), "PATH": "/usr/bin:/bin"}
                subprocess.run([sys.executable, str(runner), f"sqlite:///{db}", data], check=True, env=env)
                cpus[name].append(_children_cpu() - cpu)
                took = time.monotonic() - wall
                print(f"round {r + 1} {name:<10} {took:6.1f}s wall {cpus[name][-1]:6.1f}s cpu")
                for path in Path(tmp).glob(f"{db.name}*"):
                    path.unlink()
    for name, values in cpus.items():
        print(f"| {name} | {statistics.median(values):.1f} ({min(values):.1f}–{max(values):.1f}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
