"""Films as JSON lines: ``marquee export`` writes them, ``marquee import json`` reads them back.

One film per line, keys in the record's field order, films ordered by id; exporting a store,
importing that file into an empty store and exporting again gives the same bytes.

Reading is bounded and strict: a line holds at most ``limits.MAX_LINE_BYTES`` (read no further),
arrays/objects nest at most ``limits.MAX_NESTING`` deep, keys are unique, numbers are JSON numbers
(no NaN/Infinity) within 64 bits, each line is one JSON object, and the text is UTF-8 (a UTF-8
byte-order mark is skipped; UTF-16 with a byte-order mark, or plainly UTF-16 without one, is
decoded). The first bad line stops the import: ``FILE:LINE: field: reason``, and nothing is stored.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import IO, TextIO, cast

from pydantic import ValidationError

from marquee.errors import InputError
from marquee.formats.jsontext import JsonProblem, loads
from marquee.limits import MAX_LINE_BYTES
from marquee.records import Film, describe_error
from marquee.storage.base import Store

__all__ = ["SITE_TWIN_KEYS", "export_jsonl", "film_line", "import_jsonl", "read_films"]


def film_line(film: Film) -> str:
    """One film as one line of JSON (with its newline)."""
    return film.model_dump_json() + "\n"


def export_jsonl(store: Store, out: TextIO) -> int:
    """Write every film of the store to ``out``, one per line, ordered by id; returns how many."""
    count = 0
    for film in store.iter_films():
        out.write(film_line(film))
        count += 1
    return count


def _lines(inp: IO[bytes] | IO[str], source: str) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of every line, each read with a bound; InputError on bad bytes."""
    if isinstance(inp, io.TextIOBase):
        text_in = cast("IO[str]", inp)  # already decoded (tests, stdin in text mode)
    else:
        binary = cast("IO[bytes]", inp)
        yield from _byte_lines(binary, source)
        return
    number = 0
    while line := text_in.readline(MAX_LINE_BYTES + 1):
        number += 1
        _check_length(line, source, number)
        yield number, line


def _check_length(line: str | bytes, source: str, number: int) -> None:
    if len(line) > MAX_LINE_BYTES and line[-1:] not in ("\n", b"\n"):
        raise InputError(
            f"{source}:{number}: line longer than {MAX_LINE_BYTES:,} bytes (limits.MAX_LINE_BYTES)"
        )


def _byte_lines(inp: IO[bytes], source: str) -> Iterator[tuple[int, str]]:
    head = inp.peek(4)[:4] if isinstance(inp, io.BufferedReader) else b""
    utf16 = _utf16(head)
    if utf16 is not None:
        if not isinstance(inp, io.BufferedReader):  # pragma: no cover - files and stdin are buffered
            raise InputError(f"{source}:1: not UTF-8")
        wrapper = io.TextIOWrapper(inp, encoding=utf16, errors="strict", newline=None)
        number = 0
        try:
            while line := wrapper.readline(MAX_LINE_BYTES + 1):
                number += 1
                _check_length(line, source, number)
                yield number, line.removeprefix("\ufeff") if number == 1 else line
        except UnicodeDecodeError:
            raise InputError(f"{source}:{number + 1}: not valid UTF-16 text") from None
        finally:
            wrapper.detach()
        return
    number = 0
    while raw := inp.readline(MAX_LINE_BYTES + 1):
        number += 1
        _check_length(raw, source, number)
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"{source}:{number}: not UTF-8 (column {err.start + 1})") from None


def _utf16(head: bytes) -> str | None:
    """The UTF-16 codec a file starting with ``head`` is in, or None (UTF-8)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the BOM tells the byte order
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        return "utf-16-le"  # '{' then NUL: UTF-16 without a BOM
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return "utf-16-be"
    return None


# What a film page's ``.json`` twin adds to the Film record, read from other films: not imported.
SITE_TWIN_KEYS = ("similar", "episode_guide", "episode_of_series")


def read_films(inp: IO[bytes] | IO[str], source: str) -> Iterator[Film]:
    """The films of a JSON lines file (blank lines skipped); InputError names ``source:LINE`` and field."""
    for number, line in _lines(inp, source):
        if not line.strip():
            continue
        try:
            data = loads(line)
        except JsonProblem as err:
            raise InputError(f"{source}:{number}: {err.reason}") from None
        if not isinstance(data, dict):
            raise InputError(f"{source}:{number}: a film is a JSON object, not {_kind(data)}")
        for key in SITE_TWIN_KEYS:  # a film page's .json twin reads back as its record
            data.pop(key, None)
        try:
            yield Film.model_validate(data)
        except ValidationError as err:
            raise InputError(f"{source}:{number}: {describe_error(err)}") from None


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return "a number"


def import_jsonl(store: Store, inp: IO[bytes] | IO[str], source: str) -> int:
    """Store every film of a JSON lines file in one transaction; returns how many lines held films.

    A bad line raises InputError (``source:LINE: field: problem``) and leaves the store as it was:
    the films are written as they are read, in one transaction that a bad line rolls back.
    Films that members edited keep the edits the file does not change (``editing.keep_member_edits``).
    """
    from marquee.services.editing import keep_member_edits
    from marquee.storage.film_update import save_films_guarded
    from marquee.storage.sqlstore import SqlStore

    if not isinstance(store, SqlStore):
        return store.save_films(read_films(inp, source))
    named = f"json:{source}"
    return save_films_guarded(
        store,
        read_films(inp, source),
        lambda conn, stored, films: keep_member_edits(conn, stored, films, named),
    )
