"""A dump file's keys and their line hashes, kept in two unnamed temporary files while an import runs.

A full import of the whole IMDb dump reads ~73M keys at 12M titles: as arrays in memory that is
1.2 GB, beyond the import's 1 GB bound. ``KeyFile`` takes them in blocks (``add``, flushed every
``BLOCK`` keys) and gives them back in blocks (``chunks``) for ``storage.imdb_line_hashes.write_file``,
so an import holds one block at a time. The files have no name (``tempfile.TemporaryFile``): nothing
is left behind, whatever stops the import.
"""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["BLOCK", "KeyFile"]

BLOCK = 1 << 16  # keys buffered before they go to disk (1 MiB of both columns)
_READ = 1 << 23  # bytes read back at a time


class KeyFile:
    """Keys and hashes in order, on disk in ``folder`` (None: the system's temporary folder)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.files: dict[str, IO[bytes]] = {
            # closed by ``close`` (or when the KeyFile goes): kept open across the import
            column: tempfile.TemporaryFile(dir=folder, prefix=".marquee-keys-")  # noqa: SIM115
            for column in ("ids", "hashes")
        }
        self.ids, self.hashes = array("q"), array("q")
        self.flushed = 0  # keys written out

    @property
    def count(self) -> int:
        """How many keys, written out or buffered."""
        return self.flushed + len(self.ids)

    def add(self, ident: int, value: int) -> None:
        """One more key and its hash."""
        self.ids.append(ident)
        self.hashes.append(value)
        if len(self.ids) >= BLOCK:
            self.flush()

    def flush(self) -> None:
        """Write the buffered keys out."""
        self.flushed += len(self.ids)
        self.ids.tofile(self.files["ids"])
        self.hashes.tofile(self.files["hashes"])
        self.ids, self.hashes = array("q"), array("q")

    def chunks(self, column: str) -> Iterator[bytes]:
        """The packed 64-bit values of ``column`` (``ids`` or ``hashes``), from the first, in blocks."""
        self.flush()
        handle = self.files[column]
        handle.flush()
        handle.seek(0)
        while block := handle.read(_READ):
            yield block

    def arrays(self) -> tuple[array[int], array[int]]:
        """Both columns whole, in memory (for small files and tests)."""
        ids, hashes = array("q"), array("q")
        ids.frombytes(b"".join(self.chunks("ids")))
        hashes.frombytes(b"".join(self.chunks("hashes")))
        return ids, hashes

    def close(self) -> None:
        """Give the disk back."""
        for handle in self.files.values():
            handle.close()
