#!/usr/bin/env python3
"""Make a "newer dump" of a generated IMDb folder: a copy in which about 1 % of the rows of
title.basics and title.ratings changed (issue 20's re-import target), for ``bench/reimport_imdb.py``.

In title.basics, a changed row gets " (Restored)" after its primary title and one more minute of
runtime (``\\N`` stays ``\\N``); in title.ratings, ten more votes and a rating 0.1 higher (at most 10).
Which rows change is fixed by ``--seed``. The other five files are copied as they are. The ids of
the changed titles go to ``changed.json`` in the new folder (the bench checks one of them).

    .venv/bin/python bench/imdb_newer_dump.py /tmp/imdb100k /tmp/imdb100k-newer --fraction 0.01
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

CHANGED = ("title.basics.tsv.gz", "title.ratings.tsv.gz")


def _basics(fields: list[str]) -> list[str]:
    fields[2] += " (Restored)"
    if fields[7] != "\\N":
        fields[7] = str(int(fields[7]) + 1)
    return fields


def _ratings(fields: list[str]) -> list[str]:
    fields[1] = f"{min(10.0, float(fields[1]) + 0.1):.1f}"
    fields[2] = str(int(fields[2]) + 10)
    return fields


def rewrite(
    src: Path, dst: Path, change: Callable[[list[str]], list[str]], pick: random.Random, fraction: float
) -> list[str]:
    """Copy one gzipped TSV, changing about ``fraction`` of its rows; the ids of the changed rows."""
    changed = []
    with (
        gzip.open(src, "rt", encoding="utf-8", newline="") as fin,
        gzip.open(dst, "wt", encoding="utf-8", newline="", compresslevel=1) as fout,
    ):
        fout.write(fin.readline())
        for line in fin:
            if pick.random() < fraction:
                fields = change(line.rstrip("\n").split("\t"))
                changed.append(fields[0])
                line = "\t".join(fields) + "\n"
            fout.write(line)
    return changed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--fraction", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=20)
    a = ap.parse_args()
    a.dst.mkdir(parents=True, exist_ok=True)
    pick = random.Random(a.seed)
    changed: dict[str, list[str]] = {}
    for path in sorted(a.src.glob("*.tsv.gz")):
        if path.name == "title.basics.tsv.gz":
            changed[path.name] = rewrite(path, a.dst / path.name, _basics, pick, a.fraction)
        elif path.name == "title.ratings.tsv.gz":
            changed[path.name] = rewrite(path, a.dst / path.name, _ratings, pick, a.fraction)
        else:
            shutil.copyfile(path, a.dst / path.name)
    if (a.src / "manifest.json").exists():
        shutil.copyfile(a.src / "manifest.json", a.dst / "manifest.json")
    (a.dst / "changed.json").write_text(json.dumps(changed))
    print(", ".join(f"{name}: {len(ids):,} rows changed" for name, ids in changed.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
