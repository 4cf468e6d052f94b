"""Films as JSON lines: ``marquee export`` writes them, ``marquee import json`` reads them back.

One film per line, keys in the record's field order, films ordered by id; exporting a store,
importing that file into an empty store and exporting again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from pydantic import ValidationError

from marquee.errors import InputError
from marquee.records import Film
from marquee.storage.base import Store

__all__ = ["export_jsonl", "film_line", "import_jsonl", "read_films"]


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


def read_films(inp: TextIO, source: str) -> Iterator[Film]:
    """The films of a JSON lines file (blank lines skipped); InputError names ``source:LINE`` and field."""
    for number, line in enumerate(inp, 1):
        if not line.strip():
            continue
        try:
            yield Film.model_validate_json(line)
        except ValidationError as err:
            raise InputError(f"{source}:{number}: {_describe(err)}") from None


def import_jsonl(store: Store, inp: TextIO, source: str) -> int:
    """Store every film of a JSON lines file in one transaction; returns how many lines held films.

    A bad line raises InputError (``source:LINE: field: problem``) and leaves the store as it was:
    the films are written as they are read, in one transaction that a bad line rolls back.
    """
    return store.save_films(read_films(inp, source))


def _describe(err: ValidationError) -> str:
    """The first problem of a validation error as ``field.path: message`` (and how many more)."""
    errors = err.errors(include_url=False)
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"]
    if first["type"] == "json_invalid":
        message = f"not valid JSON ({first.get('ctx', {}).get('error', message)})"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"
