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
from functools import partial
from pathlib import Path
from typing import IO, Any, cast

from marquee.errors import InputError
from marquee.formats.imdb_tsv import HEADERS, MAPPERS, check_header
from marquee.formats.imdb_tsv_fast import FAST
from marquee.limits import MAX_LINE_BYTES

__all__ = [
    "BLOCK",
    "BadRow",
    "Chunk",
    "LineTooLong",
    "line_blocks",
    "map_block",
    "open_dataset",
    "raw_blocks",
    "raw_lines",
    "read_chunks",
    "text_blocks",
]

BLOCK = 1 << 20


class LineTooLong(ValueError):
    """A line longer than ``limits.MAX_LINE_BYTES`` (the first line of what ``line_blocks`` yields next)."""


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read: where, why, and its raw bytes (for the rejects file)."""

    source: str
    line: int
    reason: str
    raw: bytes
    # A repeat of a key staged from an earlier line: that first line stands, nothing is held.
    repeat: bool = False

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


def _read(stream: IO[bytes], source: str, line: int, path: Path) -> bytes:
    """One block; a damaged or cut gzip stream is an InputError at the line being read."""
    try:
        return stream.read(BLOCK)
    except EOFError:
        line = _last_line(path) or line
        raise InputError(f"{source}:{line}: the gzip file is truncated (data ends mid-line)") from None
    except (gzip.BadGzipFile, zlib.error, OSError) as err:
        raise InputError(f"{source}:{line}: the gzip data is damaged ({err})") from None


def _last_line(path: Path) -> int | None:
    """The line a truncated gzip file's data ends in (read again: only after the damage is known)."""
    lines = 1
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        with open(path, "rb") as fh:
            while data := fh.read(BLOCK):
                while data:
                    lines += inflate.decompress(data).count(b"\n")
                    data = inflate.unused_data  # the next gzip member, if any
                    if data:
                        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error:
        return None
    return lines


def _decode(block: bytes, first_line: int, source: str, dataset: str) -> tuple[list[str], list[BadRow]]:
    """Lines of a block; undecodable lines and lines holding a NUL become BadRows (and placeholders)."""
    try:
        lines = block.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        lines = [_BAD] * (block.count(b"\n") + 1)
    else:
        if b"\x00" not in block:
            return lines, []
    bad: list[BadRow] = []
    columns = HEADERS[dataset]
    for k, raw in enumerate(block.split(b"\n")):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            column = raw[: err.start].count(b"\t")
            reason = f"invalid UTF-8 (byte 0x{raw[err.start]:02x})"
        else:
            if "\x00" not in text:
                lines[k] = text
                continue
            column = raw[: raw.index(b"\x00")].count(b"\t")
            reason = "a NUL character (not text)"
        name = columns[column] if column < len(columns) else f"column {column + 1}"
        bad.append(BadRow(source, first_line + k, f"{name}: {reason}", raw))
        lines[k] = _BAD  # placeholder, skipped by the mapper loop
    return lines, bad


_BAD = "\x00bad"


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
        if line != _BAD:  # undecodable lines are already reported
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
    for block, first_line, position in raw_blocks(path, dataset, source):
        yield _chunk(dataset, block, first_line, source, position)


def raw_blocks(path: Path, dataset: str, source: str) -> Iterator[tuple[bytes, int, int]]:
    """Blocks of whole lines after the header (checked first, line 1): (bytes, number of the block's
    first line, compressed bytes read so far). Damage is an InputError at the line being read."""
    stream, raw = open_dataset(path)
    with raw, stream:
        try:
            header = stream.readline(1 << 16)
            check_header(dataset, header.decode("utf-8"), source)
        except UnicodeDecodeError:
            raise InputError(f"{source}:1: the header is not UTF-8 text") from None
        except EOFError:
            raise InputError(f"{source}:1: the gzip file is truncated (data ends mid-line)") from None
        except (gzip.BadGzipFile, zlib.error) as err:
            raise InputError(f"{source}:1: not readable as gzip ({err})") from None
        next_line = 2
        # The lambda reads next_line when called: damage is reported at the line being read.
        blocks = line_blocks(lambda: _read(stream, source, next_line, path), raw.tell)
        while True:
            try:
                block, position = next(blocks)
            except StopIteration:
                break
            except LineTooLong:
                raise InputError(
                    f"{source}:{next_line}: the line is longer than {MAX_LINE_BYTES:,} bytes"
                ) from None
            yield block, next_line, position
            next_line += block.count(b"\n") + 1


def line_blocks(read: Callable[[], bytes], position: Callable[[], int]) -> Iterator[tuple[bytes, int]]:
    """Blocks of whole lines (no last ``\\n``) from ``read()`` (b"" at the end), each with ``position()``.

    CRLF line ends become LF (line numbers do not change). A line longer than ``MAX_LINE_BYTES``
    raises ``LineTooLong`` before it is yielded: memory stays bounded whatever the file holds.
    """
    rest = b""
    while block := read():
        carried = len(rest)
        block = rest + block
        cut = block.rfind(b"\n")
        if cut < 0:
            if len(block) > MAX_LINE_BYTES:
                raise LineTooLong
            rest = block
            continue
        # Only the first line can be longer than a read: it may continue what was carried over.
        if carried and block.find(b"\n", carried) > MAX_LINE_BYTES:
            raise LineTooLong
        rest = block[cut + 1 :]
        yield _lf(block[:cut]), position()
    if rest:
        yield _lf(rest), position()


def _lf(lines: bytes) -> bytes:
    """Lines (the last without its line end) with CRLF line ends made LF."""
    if b"\r" not in lines:
        return lines
    lines = lines.replace(b"\r\n", b"\n")
    return lines[:-1] if lines.endswith(b"\r") else lines


def _chunk(dataset: str, block: bytes, first_line: int, source: str, position: int) -> Chunk:
    lines, bad = _decode(block, first_line, source, dataset)
    rows = _map(dataset, lines, first_line, source, bad)
    bad.sort(key=lambda b: b.line)
    return Chunk(rows, lines, first_line, bad, position)


def map_block(dataset: str, block: bytes, first_line: int, source: str) -> Chunk:
    """Map a block of whole lines numbered from ``first_line``, as ``read_chunks`` maps its blocks (a
    re-import stages only the lines that changed, ``services.imdb_reimport``)."""
    return _chunk(dataset, block, first_line, source, 0)


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
                found[number] = line.rstrip(b"\r\n")
            if number >= last:
                break
    return found


def text_blocks(path: Path, dataset: str, source: str) -> Iterator[tuple[str, int]]:
    """The text of each block of whole lines after the header, and the compressed bytes read so far.

    For the fast path (``storage.imdb_fast_stage``): any damage raises (a bad header, invalid UTF-8,
    a broken gzip stream…) and the precise path (``read_chunks``) then reports it by line.
    """
    stream, raw = open_dataset(path)
    with raw, stream:
        check_header(dataset, stream.readline(1 << 16).decode("utf-8"), source)
        for block, position in line_blocks(partial(stream.read, BLOCK), raw.tell):
            yield block.decode("utf-8"), position
