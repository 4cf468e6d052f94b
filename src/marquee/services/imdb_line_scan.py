"""Hash an IMDb file's raw lines by key, and find the keys whose lines changed since the last import.

A key is a file's first column (a ``tt`` or ``nm`` id); its lines are consecutive in IMDb's files
(title.akas and title.principals have several per title), which are sorted by key: as text
(``tt10070612`` before ``tt1754912``, ids zero-padded to seven digits) or by number. Each key's
lines get one 64-bit hash (CRC-32 and Adler-32 of the raw bytes, side by side: both run in C, ~1.5 s
for the seven files of 100k titles), nothing is parsed. Against the hashes the last import stored
(in the files' order) one pass finds the keys that are new or changed, and those that are gone; only
their lines are kept, with their line numbers, to be staged (``services.imdb_reimport``).

A file whose keys are in neither order (or not in the previous file's), or repeated apart, cannot
be compared in one pass: ``Unsorted`` (the import then reads the dump whole). A line whose key is not
an id is kept as changed, so the stager reports it (``FILE:LINE``).
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from marquee.services.imdb_key_file import KeyFile
from marquee.services.imdb_read import raw_blocks

__all__ = ["FileScan", "Unsorted", "file_mark", "people_pattern", "scan_file"]

_SIGN = 1 << 63
_CRC = zlib.crc32
_ADLER = zlib.adler32
_END = b"~"  # after every key's digits
_END_NUMBER = 1 << 62
_WRAP = 1 << 64


class Unsorted(Exception):
    """The file's keys are not in increasing id order: no one-pass comparison."""


@dataclass
class FileScan:
    """One file read against the stored hashes.

    ``keys``: every key and its hash, in file order, on disk (kept only when asked: a full import
    stores them all). ``changed``: (id, hash) of keys new or changed. ``removed``: stored keys the file
    lacks. ``groups``: the lines to stage, as (first line number, raw lines) of each key kept.
    """

    dataset: str
    keys: KeyFile | None = None
    changed: list[tuple[int, int]] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    groups: list[tuple[int, bytes]] = field(default_factory=list)
    kept: set[int] = field(default_factory=set)  # ids of the groups
    added: set[int] = field(default_factory=set)  # keys the stored hashes lacked (in ``changed`` too)
    lines: int = 0  # lines read after the header


def file_mark(path: Path) -> list[int]:
    """[size, CRC-32] of a file's bytes on disk: equal marks, the same file (skipped whole)."""
    crc = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            crc = _CRC(block, crc)
    return [path.stat().st_size, crc]


def people_pattern(people: Iterable[int]) -> re.Pattern[bytes] | None:
    """A pattern finding any of these people's ids (``nm0000123``, any zero padding) in a line."""
    ids = sorted(set(people))
    if not ids:
        return None
    return re.compile(rb"nm0*(?:" + b"|".join(str(i).encode() for i in ids) + rb")(?![0-9])")


def _key(ids: array[int], j: int, by_number: bool) -> int | bytes:
    """The ``j``-th stored key as the file's order compares it; past the end, after every key."""
    if j >= len(ids):
        return _END_NUMBER if by_number else _END
    return ids[j] if by_number else b"%07d" % ids[j]


def _groups(path: Path, dataset: str, source: str, scan: FileScan) -> Iterator[tuple[bytes, int, bytes]]:
    """(key, its first line's number, its lines' raw bytes) of each run of lines with one key.

    A run's bytes are one slice of the block (joined to what a previous block held of it, if any):
    no list of lines is built.
    """
    key: bytes | None = None
    carry = b""  # what earlier blocks held of the open run
    first = gstart = 0
    for block, first_line, _position in raw_blocks(path, dataset, source):
        pos = gstart = 0
        k = -1
        for k, line in enumerate(block.split(b"\n")):
            tab = line.find(b"\t")
            this = line[:tab] if tab >= 0 else line
            if this != key:
                if key is not None:
                    part = block[gstart : pos - 1] if pos > gstart else None
                    if carry:
                        yield key, first, carry if part is None else carry + b"\n" + part
                        carry = b""
                    else:
                        yield key, first, block[gstart : pos - 1]
                key, first, gstart = this, first_line + k, pos
            pos += len(line) + 1
        scan.lines += k + 1
        if key is not None:  # the open run goes on in the next block, perhaps
            carry = carry + b"\n" + block[gstart:] if carry else block[gstart:]
    if key is not None:
        yield key, first, carry


def scan_file(
    path: Path,
    dataset: str,
    source: str,
    stored: tuple[array[int], array[int]] | None,
    *,
    force: set[int] | frozenset[int] = frozenset(),
    mentions: re.Pattern[bytes] | None = None,
    keys: KeyFile | None = None,
) -> FileScan:
    """Read one file; compare with ``stored`` (ids, hashes in id order; None: nothing to compare).

    Keys in ``force``, and keys whose lines ``mentions`` finds, are kept to be staged even when
    unchanged. ``keys``: also kept there, every (id, hash) of the file (the scan's ``keys``).
    """
    scan = FileScan(dataset, keys=keys)
    compare = stored is not None
    old_ids, old_hashes = stored if stored is not None else (array("q"), array("q"))
    j = 0
    # The stored keys are in the previous file's order: by number, or else as text.
    by_number = all(a < b for a, b in pairwise(old_ids))
    old_key: int | bytes = _key(old_ids, 0, by_number)
    number_ok = text_ok = True
    last_id, last_digits = -1, b""
    for key, first, data in _groups(path, dataset, source, scan):
        digits = key[2:]
        ident = int(digits) if key[:2] in (b"tt", b"nm") and digits.isdigit() else -1
        if ident < 0:  # not an id: the stager says what is wrong with the line
            scan.groups.append((first, data))
            continue
        number_ok = number_ok and ident > last_id
        text_ok = text_ok and digits > last_digits and digits == b"%07d" % ident
        if not ((number_ok if by_number else text_ok) if compare else (number_ok or text_ok)):
            raise Unsorted(f"{source}:{first}: {key.decode(errors='replace')} is out of order")
        last_id, last_digits = ident, digits
        this: int | bytes = ident if by_number else digits
        value = (_CRC(data) << 32) | _ADLER(data)
        if value >= _SIGN:
            value -= _WRAP
        if keys is not None:
            keys.add(ident, value)
        while old_key < this:  # type: ignore[operator]  # both int, or both bytes
            scan.removed.append(old_ids[j])
            j += 1
            old_key = _key(old_ids, j, by_number)
        same = old_key == this
        if same:
            same = old_hashes[j] == value
            j += 1
            old_key = _key(old_ids, j, by_number)
        elif compare:
            scan.added.add(ident)
        if not same and compare:
            scan.changed.append((ident, value))
        if (compare and not same) or ident in force or (mentions is not None and mentions.search(data)):
            scan.groups.append((first, data))
            scan.kept.add(ident)
    scan.removed.extend(old_ids[j:])
    return scan
