"""Streaming reader of one IMDb dataset file: chunks of mapped rows, bad rows reported by line.

Reads ``.tsv`` or ``.tsv.gz`` in 1 MiB blocks (bounded memory at any file size), decodes a
whole block at once (per-line decoding only when a block holds invalid UTF-8), splits on
``\\t`` and maps each row with ``formats.imdb_tsv``. Each staged row gets its line number
as a last column, so duplicates found later by the database can be reported by line.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from marquee.errors import InputError
from marquee.formats.imdb_tsv import FAST, HEADERS, MAPPERS, check_header

__all__ = ["BLOCK", "BadRow", "Chunk", "line_blocks", "open_dataset", "raw_lines", "read_chunks"]

BLOCK = 1 << 20


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read: where, why, and its raw bytes (for the rejects file)."""

    source: str
    line: int
    reason: str
    raw: bytes

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass
class Chunk:
    """Mapped rows of consecutive lines ``first_line``…, their raw lines, and the bad ones."""

    rows: list[tuple[Any, ...]]
    lines: list[str]
    first_line: int
    bad: list[BadRow] = field(default_factory=list)
    bytes_done: int = 0


def open_dataset(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(stream of file bytes, raw file whose position shows progress)."""
    raw: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if path.name.endswith(".gz"):
        stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
        return stream, raw
    return raw, raw


def _read(stream: IO[bytes], source: str, line: int) -> bytes:
    """One block; a damaged or cut gzip stream is an InputError at the line being read."""
    try:
        return stream.read(BLOCK)
    except EOFError:
        raise InputError(f"{source}:{line}: the gzip file is truncated (data ends mid-stream)") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as err:
        raise InputError(f"{source}:{line}: the gzip data is damaged ({err})") from None


def _decode(block: bytes, first_line: int, source: str) -> tuple[list[str], list[BadRow]]:
    """Lines of a block; undecodable lines become BadRows (and empty placeholders)."""
    try:
        return block.decode("utf-8").split("\n"), []
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    bad: list[BadRow] = []
    for k, raw in enumerate(block.split(b"\n")):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            bad.append(BadRow(source, first_line + k, f"invalid UTF-8 at byte {err.start + 1}", raw))
            lines.append("\x00bad")  # placeholder, skipped by the mapper loop
    return lines, bad


def _map(dataset: str, lines: list[str], first_line: int, source: str, bad: list[BadRow]) -> list[Any]:
    """Map lines to staged rows (line number appended); bad ones go to ``bad``."""
    fast = FAST[dataset]
    ncols = len(HEADERS[dataset])
    rows: list[Any] = []
    append = rows.append
    for number, line in enumerate(lines, first_line):
        fields = line.split("\t")
        try:
            append(fast(fields, number))
        except Exception:  # anything odd: the strict mapper says what (or maps it after all)
            mapped = _strict(dataset, ncols, fields, number, source, line, bad)
            if mapped is not None:
                append(mapped)
    return rows


def _strict(
    dataset: str, ncols: int, fields: list[str], number: int, source: str, line: str, bad: list[BadRow]
) -> tuple[Any, ...] | None:
    """Map a row the fast path refused, or record why it is bad."""
    if len(fields) != ncols:
        if line != "\x00bad":  # undecodable lines are already reported
            reason = f"expected {ncols} tab-separated columns, found {len(fields)}"
            bad.append(BadRow(source, number, reason, line.encode()))
        return None
    try:
        return (*MAPPERS[dataset](fields), number)
    except ValueError as err:
        bad.append(BadRow(source, number, str(err), line.encode()))
        return None


def read_chunks(path: Path, dataset: str, source: str | None = None) -> Iterator[Chunk]:
    """Chunks of mapped rows of one dataset file, header checked first (line 1)."""
    source = source or path.name
    stream, raw = open_dataset(path)
    with raw, stream:
        try:
            header = stream.readline(1 << 16)
            check_header(dataset, header.decode("utf-8"), source)
        except UnicodeDecodeError:
            raise InputError(f"{source}:1: the header is not UTF-8 text") from None
        except EOFError:
            raise InputError(f"{source}:1: the gzip file is truncated") from None
        except (gzip.BadGzipFile, zlib.error) as err:
            raise InputError(f"{source}:1: not readable as gzip ({err})") from None
        next_line = 2
        # The lambda reads next_line when called: damage is reported at the line being read.
        for block, position in line_blocks(lambda: _read(stream, source, next_line), raw.tell):  # noqa: B023
            yield _chunk(dataset, block, next_line, source, position)
            next_line += block.count(b"\n") + 1


def line_blocks(read: Callable[[], bytes], position: Callable[[], int]) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole lines (no last ``\\n``) from ``read()`` (b"" at the end), each with ``position()``."""
    rest = b""
    while block := read():
        block = rest + block
        cut = block.rfind(b"\n")
        if cut < 0:
            rest = block
            continue
        rest = block[cut + 1 :]
        yield block[:cut], position()
    if rest:
        yield rest, position()


def _chunk(dataset: str, block: bytes, first_line: int, source: str, position: int) -> Chunk:
    lines, bad = _decode(block, first_line, source)
    rows = _map(dataset, lines, first_line, source, bad)
    bad.sort(key=lambda b: b.line)
    return Chunk(rows, lines, first_line, bad, position)


def raw_lines(path: Path, wanted: set[int]) -> dict[int, bytes]:
    """The raw bytes of some lines of a file (for rejects found after loading), read again."""
    found: dict[int, bytes] = {}
    if not wanted:
        return found
    last = max(wanted)
    stream, raw = open_dataset(path)
    with raw, stream:
        for number, line in enumerate(stream, start=1):
            if number in wanted:
                found[number] = line.rstrip(b"\n")
            if number >= last:
                break
    return found
