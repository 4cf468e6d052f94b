"""Reading one file a user names (a patch, a Wikidata dump) within ``limits.MAX_FILE_BYTES``.

At most that many bytes are read, so ``/dev/zero`` or a huge file is refused, not read whole; every
refusal is an ``InputError`` naming the file as given.
"""

from __future__ import annotations

from pathlib import Path

from marquee import limits
from marquee.errors import InputError

__all__ = ["read_input"]


def read_input(path: Path) -> bytes:
    """The file's bytes, at most ``limits.MAX_FILE_BYTES`` (a bigger file is refused, not read whole)."""
    most = limits.MAX_FILE_BYTES  # read when called: the limit is one module attribute for every reader
    try:
        with path.open("rb") as handle:
            raw = handle.read(most + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > most:
        raise InputError(f"{path}: larger than {most // 2**20} MiB (limits.MAX_FILE_BYTES); not read")
    return raw
