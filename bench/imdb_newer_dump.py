#!/usr/bin/env python3
"""Make a "newer dump" of a generated IMDb folder: a copy in which about 1 % of the rows changed, and
titles were removed and added (issue 20's re-import target), for ``bench/reimport_imdb.py``.

* title.basics: a changed row gets " (Restored)" after its primary title and one more minute of
  runtime (``\\N`` stays ``\\N``); title.ratings: ten more votes and a rating 0.1 higher (at most 10);
  name.basics: a changed row gets one more year of birth (``\\N`` stays). ``--fraction`` of each.
* ``--removed`` of the titles go from every title file (their akas, credits, rating, episode row);
* ``--added`` titles as many again come after the last one, with a rating each.

Which rows change is fixed by ``--seed``. Files with nothing to change are copied as they are. The ids
of the changed titles go to ``changed.json`` in the new folder (``title.basics.tsv.gz``: the bench
checks the first), with the removed and added ones.

    .venv/bin/python bench/imdb_newer_dump.py /tmp/imdb100k /tmp/reimport-100k-newer --fraction 0.01
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

TITLE_FILES = ("title.akas", "title.crew", "title.episode", "title.principals")


def _basics(fields: list[str]) -> list[str]:
    fields[2] += " (Restored)"
    if fields[7] != "\\N":
        fields[7] = str(int(fields[7]) + 1)
    return fields


def _ratings(fields: list[str]) -> list[str]:
    fields[1] = f"{min(10.0, float(fields[1]) + 0.1):.1f}"
    fields[2] = str(int(fields[2]) + 10)
    return fields


def _names(fields: list[str]) -> list[str]:
    if fields[2] != "\\N":
        fields[2] = str(int(fields[2]) + 1)
    return fields


def rewrite(
    src: Path,
    dst: Path,
    change: Callable[[list[str]], list[str]] | None,
    pick: random.Random,
    fraction: float,
    gone: set[str],
    extra: list[str],
) -> list[str]:
    """Copy one gzipped TSV without the rows of ``gone`` keys, changing about ``fraction`` of the
    others and appending ``extra`` lines; the ids of the changed rows."""
    changed = []
    with (
        gzip.open(src, "rt", encoding="utf-8", newline="") as fin,
        gzip.open(dst, "wt", encoding="utf-8", newline="", compresslevel=1) as fout,
    ):
        fout.write(fin.readline())
        for line in fin:
            if gone and line.split("\t", 1)[0] in gone:
                continue
            if change is not None and pick.random() < fraction:
                fields = change(line.rstrip("\n").split("\t"))
                changed.append(fields[0])
                line = "\t".join(fields) + "\n"
            fout.write(line)
        fout.writelines(extra)
    return changed


def _title_ids(basics: Path) -> list[str]:
    with gzip.open(basics, "rt", encoding="utf-8") as fh:
        fh.readline()
        return [line.split("\t", 1)[0] for line in fh]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--fraction", type=float, default=0.01, help="rows changed in basics, ratings, names")
    ap.add_argument("--removed", type=float, default=0.001, help="fraction of titles removed")
    ap.add_argument("--added", type=float, default=0.001, help="titles added, as a fraction of the titles")
    ap.add_argument("--seed", type=int, default=20)
    a = ap.parse_args()
    a.dst.mkdir(parents=True, exist_ok=True)
    pick = random.Random(a.seed)
    ids = _title_ids(a.src / "title.basics.tsv.gz")
    gone = set(pick.sample(ids, int(len(ids) * a.removed)))
    top = max(int(i[2:]) for i in ids)
    new = [f"tt{top + k:07d}" for k in range(1, int(len(ids) * a.added) + 1)]
    changed: dict[str, list[str]] = {}
    films = [f"{i}\tmovie\tNew Film {i}\tNew Film {i}\t0\t2026\t\\N\t95\tDrama\n" for i in new]
    for name, change, extra in (
        ("title.basics", _basics, films),
        ("title.ratings", _ratings, [f"{i}\t7.0\t12\n" for i in new]),
        ("name.basics", _names, []),
        *((f, None, []) for f in TITLE_FILES),
    ):
        path = a.src / f"{name}.tsv.gz"
        if change is None and not gone:
            shutil.copyfile(path, a.dst / path.name)
            continue
        titles = gone if name != "name.basics" else set()
        changed[path.name] = rewrite(path, a.dst / path.name, change, pick, a.fraction, titles, extra)
    if (a.src / "manifest.json").exists():
        shutil.copyfile(a.src / "manifest.json", a.dst / "manifest.json")
    changed["removed titles"], changed["added titles"] = sorted(gone), new
    (a.dst / "changed.json").write_text(json.dumps(changed))
    print(", ".join(f"{name}: {len(ids):,}" for name, ids in changed.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
