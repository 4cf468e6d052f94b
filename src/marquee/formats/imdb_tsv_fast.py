"""The IMDb datasets' fast row mapping: ``FAST[dataset](fields, line)``, the common row in few operations.

The importer maps tens of millions of rows: these do the common case with as few Python
operations as possible and append the line number. Anything unusual raises, and the caller
then runs the strict ``map_*`` function of ``imdb_tsv``, which either explains what is wrong (the
message of the bad row) or maps the row after all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from marquee.formats.imdb_tsv import HEADERS, MAX_ID, NULL, characters_text, map_episode, map_ratings
from marquee.limits import PERSON_YEAR_RANGE, YEAR_RANGE


def _id(value: str, prefix: str) -> int:
    """``tt0089560`` -> 89560 when plainly so; -1 (refused by the range checks) otherwise."""
    digits = value[2:]
    return int(digits) if value[:2] == prefix and digits.isdigit() and digits.isascii() else -1


def _digits(value: str) -> int:
    """A required count in ASCII digits, at most 9 (so within ``MAX_COUNT``); raises on anything else."""
    if not (value.isdigit() and value.isascii()) or len(value) > 9:
        raise ValueError
    return int(value)


def _num(value: str) -> int | None:
    """A count or a year in ASCII digits, or None for ``\\N``; raises on anything else."""
    return None if value == NULL else _digits(value)


_Y0, _Y1 = YEAR_RANGE
_P0, _P1 = PERSON_YEAR_RANGE


def _fast_basics(f: Sequence[str], line: int) -> tuple[Any, ...]:
    t, kind, primary, original, adult, start, end, minutes, genres = f
    number = _id(t, "tt")
    if not 0 <= number <= MAX_ID or primary == NULL or not primary or adult not in ("0", "1"):
        raise ValueError
    first, last = _num(start), _num(end)
    if (first is not None and not _Y0 <= first <= _Y1) or (last is not None and not _Y0 <= last <= _Y1):
        raise ValueError
    return (
        number,
        t,
        kind if kind != NULL and kind else "movie",
        primary,
        None if original == NULL else original,
        adult == "1",
        first,
        last,
        _num(minutes),
        None if genres == NULL or not genres else genres.replace("\x02", ","),
        line,
    )


def _fast_akas(f: Sequence[str], line: int) -> tuple[Any, ...]:
    t, ordering, title, region, language, types, attributes, original = f
    number = _id(t, "tt")
    if not 0 <= number <= MAX_ID or title == NULL or not title or original not in ("0", "1"):
        raise ValueError
    return (
        number,
        _digits(ordering),
        title,
        None if region == NULL else region,
        None if language == NULL else language,
        None if types == NULL or not types else types.replace("\x02", ","),
        None if attributes == NULL or not attributes else attributes.replace("\x02", ","),
        original == "1",
        line,
    )


def _fast_principals(f: Sequence[str], line: int) -> tuple[Any, ...]:
    t, ordering, n, category, job, characters = f
    number, person = _id(t, "tt"), _id(n, "nm")
    if not (0 <= number <= MAX_ID and 0 <= person <= MAX_ID) or category == NULL or not category:
        raise ValueError
    if characters == NULL:
        character = None
    elif characters[:2] == '["' and characters[-2:] == '"]' and characters.count('"') == 2:
        character = characters[2:-2] if "\\" not in characters else characters_text(characters)
    else:
        character = characters_text(characters)
    return (number, _digits(ordering), person, category, None if job == NULL else job, character, line)


def _fast_names(f: Sequence[str], line: int) -> tuple[Any, ...]:
    n, name, birth, death, professions, known = f
    number = _id(n, "nm")
    if not 0 <= number <= MAX_ID or name == NULL or not name:
        raise ValueError
    born, died = _num(birth), _num(death)
    if (born is not None and not _P0 <= born <= _P1) or (died is not None and not _P0 <= died <= _P1):
        raise ValueError
    return (
        number,
        n,
        name,
        born,
        died,
        None if professions == NULL or not professions else professions.replace("\x02", ","),
        None if known == NULL or not known else known.replace("\x02", ","),
        line,
    )


def _fast_ids(value: str) -> str | None:
    """``nm1,nm22`` -> ``1,22`` for the common case (raises on anything else: the strict path decides)."""
    if value == NULL or not value:
        return None
    if not value.isascii():  # int() takes other scripts' digits; the strict path refuses them
        raise ValueError
    ids = [int(v[2:]) if v[:2] == "nm" and v[2:].isdigit() else -1 for v in value.split(",")]
    if min(ids) < 0 or max(ids) > MAX_ID or len(set(ids)) != len(ids):
        raise ValueError
    return ",".join(map(str, ids))


def _fast_crew(f: Sequence[str], line: int) -> tuple[Any, ...]:
    t, directors, writers = f
    number = _id(t, "tt")
    if not 0 <= number <= MAX_ID:
        raise ValueError
    return (number, _fast_ids(directors), _fast_ids(writers), line)


def _slow(
    mapper: Callable[[Sequence[str]], tuple[Any, ...]], columns: int
) -> Callable[[Sequence[str], int], tuple[Any, ...]]:
    def mapped(f: Sequence[str], line: int) -> tuple[Any, ...]:
        if len(f) != columns:  # the strict path says how many were found
            raise ValueError
        return (*mapper(f), line)

    return mapped


# ``FAST[dataset](fields, line)``: the staged tuple with the line number; may raise anything on
# an unusual row, after which ``MAPPERS[dataset]`` decides.
FAST: dict[str, Callable[[Sequence[str], int], tuple[Any, ...]]] = {
    "title.basics": _fast_basics,
    "title.akas": _fast_akas,
    "title.crew": _fast_crew,
    "title.episode": _slow(map_episode, len(HEADERS["title.episode"])),
    "title.principals": _fast_principals,
    "title.ratings": _slow(map_ratings, len(HEADERS["title.ratings"])),
    "name.basics": _fast_names,
}
