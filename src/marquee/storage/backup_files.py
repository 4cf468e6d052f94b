"""A backup's file written safely, and what a backup reports (``BackupReport``).

The target is checked (not the store itself, not replaced unless asked); the copy is made in a
temporary file beside it, flushed to disk and only then renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from marquee.errors import InputError, StoreError


def _remove(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def same_file(a: Path, b: Path) -> bool:
    """Whether both paths exist and are the same file (links followed)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_target(target: Path, shown: str, force: bool, store: Path | None) -> None:
    """Refuse (one line) a target that is a folder or the store, exists (unless forced), or has no folder."""
    if target.is_dir():
        raise InputError(f"{shown}: is a folder: name the backup file to write")
    if store is not None:
        siblings = [store, *(store.with_name(store.name + s) for s in ("-wal", "-shm", "-journal"))]
        if any(same_file(target, s) or target.absolute() == s.absolute() for s in siblings):
            raise InputError(f"{shown}: is the store itself: name another file")
    if (target.exists() or target.is_symlink()) and not force:
        raise InputError(f"{shown}: exists already: name another file, or use --force to replace it")
    if target.exists() and not target.is_file():
        raise InputError(f"{shown}: not a regular file")
    folder = target.parent
    if not folder.exists():
        raise InputError(f"{shown}: no such folder: {printable(str(folder))}")
    if not folder.is_dir():
        raise InputError(f"{shown}: not a folder: {printable(str(folder))}")


@contextlib.contextmanager
def temporary_beside(target: Path, shown: str) -> Iterator[Path]:
    """A new empty temporary file beside ``target``, removed (with any journal) unless renamed."""
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise InputError(f"{shown}: cannot write: {err.strerror}") from None
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        _remove(temporary)


def put_in_place(temporary: Path, target: Path, shown: str, force: bool) -> None:
    """Rename the finished copy to ``target``: never over a file that appeared meanwhile, unless forced."""
    try:
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        if force:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)  # fails if the name was taken meanwhile
            except FileExistsError:
                raise InputError(f"{shown}: exists already: name another file, or use --force") from None
            except OSError:  # no hard links here: rename, after one more look
                if target.exists():
                    raise InputError(f"{shown}: exists already: name another file, or use --force") from None
                os.replace(temporary, target)
    except OSError as err:
        raise StoreError(f"{shown}: cannot write: {err.strerror}") from None
    _fsync_folder(target.parent)


def printable(name: str) -> str:
    """The name as given; escaped where it holds a newline or other control character (one line)."""
    return name if name.isprintable() else repr(name)[1:-1]


@dataclass(frozen=True)
class BackupReport:
    """What a backup or restore copied and checked."""

    action: str  # "backed up" or "restored"
    source: str
    target: str
    schema: str
    tables: int
    rows: int
    size: int  # bytes of the written file (0 for a restore into PostgreSQL)
    check: str  # what verified the copy

    def __str__(self) -> str:
        size = f", {self.size:,} bytes" if self.size else ""
        counted = f": {self.rows:,} rows in {self.tables} tables" if self.tables else ""
        return (
            f"{self.action} {self.source} to {self.target}{counted}{size}, schema {self.schema}; {self.check}"
        )
