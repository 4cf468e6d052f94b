#!/usr/bin/env python3
"""IMDb staging CPU per file: the SQLite fast path against the precise path, side by side.

    .venv/bin/python bench/bench_staging.py --data bench/out/imdb-100k --rounds 5

Stages every dataset file of DATA into a throwaway SQLite file, once with ``stage_file`` (the
fast path, ``storage/imdb_fast_stage.py``) and once with ``stage_file(fast=False)`` (the precise
path: Python mappers), alternating which goes first each round. Prints per file the median CPU
seconds of this process (``time.process_time``: staging runs inline here, as in each worker of an
import) of both, the ratio, µs per row, and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from marquee.formats.imdb_tsv import dataset_of
from marquee.services.imdb_stage import StageJob, stage_file


def _stage(path: Path, dataset: str, db: Path, fast: bool) -> tuple[float, int, bool]:
    db.unlink(missing_ok=True)
    t0 = time.process_time()
    result = stage_file(StageJob(dataset, path, path.name, False, None, sqlite_file=db), fast=fast)
    cpu = time.process_time() - t0
    db.unlink()
    return cpu, result.rows_staged, result.fast


def main() -> None:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("bench/out/imdb-100k"))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = sorted((p, ds) for p in args.data.iterdir() if (ds := dataset_of(p.name)) is not None)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    times: dict[tuple[str, bool], list[float]] = {}
    rows: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "stage.db"
        for r in range(args.rounds):
            for path, dataset in files:
                for fast in (True, False) if r % 2 == 0 else (False, True):
                    cpu, n, used_fast = _stage(path, dataset, db, fast)
                    if used_fast != fast:
                        raise SystemExit(f"{path.name}: the fast path gave up")
                    times.setdefault((dataset, fast), []).append(cpu)
                    rows[dataset] = n
            print(f"round {r + 1}/{args.rounds} done", flush=True)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    heads = f"{'fast s':>8} {'precise s':>10} {'ratio':>6} {'fast µs/row':>12} {'precise µs/row':>15}"
    print(f"{'file':18} {'rows':>9} {heads}")
    total_fast = total_precise = 0.0
    for _path, dataset in files:
        f = statistics.median(times[(dataset, True)])
        p = statistics.median(times[(dataset, False)])
        total_fast += f
        total_precise += p
        n = rows[dataset]
        print(f"{dataset:18} {n:9d} {f:8.2f} {p:10.2f} {f / p:6.2f} {f / n * 1e6:12.2f} {p / n * 1e6:15.2f}")
    n = sum(rows.values())
    print(
        f"{'all files':18} {n:9d} {total_fast:8.2f} {total_precise:10.2f} {total_fast / total_precise:6.2f}"
        f" {total_fast / n * 1e6:12.2f} {total_precise / n * 1e6:15.2f}"
    )


if __name__ == "__main__":
    main()
