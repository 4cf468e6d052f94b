"""The free disk an IMDb import needs, checked before it starts: refused at once, not half way.

An import into SQLite holds, at its largest, the staged files, the store growing in one
transaction with its WAL, and the title and browse indexes built ahead beside it. Measured
(BENCHMARKS.md, "Disk an import needs", "12 M titles"): the store's folder peaked at ~26-29x the
gzipped dump at 100k titles, ~20x at 1M, and was past 24x at 12M when that run ran out of disk in
its index phase; ``NEED_PER_GZ_BYTE`` keeps a margin over them. A plain ``.tsv`` is ~3.6x its
gzipped size, hence ``NEED_PER_TSV_BYTE``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from marquee.errors import StoreError

__all__ = ["NEED_PER_GZ_BYTE", "NEED_PER_TSV_BYTE", "bytes_needed", "check_free_space", "gigabytes"]

NEED_PER_GZ_BYTE = 32
NEED_PER_TSV_BYTE = 9
# What the store's own folder holds at the end without the staging: a store already there is
# rewritten in place, so only the staged files and the WAL come on top of it.
STAGING_PER_GZ_BYTE = 12


def bytes_needed(files: Iterable[Path], store_bytes: int = 0) -> int:
    """The free bytes an import of ``files`` needs beside a store of ``store_bytes`` already on disk."""
    gz_equivalent = sum(
        p.stat().st_size
        if p.name.endswith(".gz")
        else p.stat().st_size * NEED_PER_TSV_BYTE // NEED_PER_GZ_BYTE
        for p in files
    )
    whole = gz_equivalent * NEED_PER_GZ_BYTE
    return max(whole - store_bytes, gz_equivalent * STAGING_PER_GZ_BYTE)


def gigabytes(n: int) -> str:
    """``n`` bytes for a person: ``1.4 GB``, ``312 MB``."""
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def check_free_space(folder: Path, files: Iterable[Path], store_bytes: int = 0) -> None:
    """Raise StoreError, naming the folder and both sizes, when ``folder``'s disk cannot take the import."""
    files = list(files)
    needed = bytes_needed(files, store_bytes)
    free = shutil.disk_usage(folder).free
    if free < needed:
        dump = sum(p.stat().st_size for p in files)
        raise StoreError(
            f"{folder}: not enough free disk for this import: about {gigabytes(needed)} needed "
            f"(staged files, the store's write-ahead log and its indexes, for {gigabytes(dump)} of "
            f"dataset files), {gigabytes(free)} free. Free some space, put the store on a larger disk "
            "(MARQUEE_DATABASE_URL), or pass --no-space-check to try anyway."
        )
