"""The IMDb non-commercial datasets (https://developer.imdb.com/non-commercial-datasets/): pure row mapping.

Seven tab-separated files, UTF-8, one header line, ``\\n`` line ends. Their rules,
which this module follows exactly:

* ``\\N`` alone in a field means null; anything else is text, taken literally.
* No quoting and no escaping: a field may hold ``"`` or backslashes, so rows are
  split with ``str.split("\\t")`` and never with the ``csv`` module.
* Array columns are comma-separated (genres, directors, writers, primaryProfession,
  knownForTitles); ``title.akas`` types and attributes use 0x02 in recent dumps
  (a comma in older ones); both become comma-joined text in the store.
* ``title.principals`` ``characters`` is a JSON list such as ``["Rusty Dennis"]``;
  the store keeps the characters joined with ``" / "``.

Each ``map_*`` function turns the fields of one row (already split, ``\\N`` still
in place) into the tuple the importer stages, in the order of ``STAGE_COLUMNS``.
They raise ``ValueError`` with a message naming the column; the caller adds file
and line. Internal ids are the numeric part of ``tt…``/``nm…`` (see
``services/imdb_import.py`` for why that cannot collide with slug ids). The fast mappers the importer
tries first are in ``imdb_tsv_fast``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from marquee.errors import InputError
from marquee.limits import MAX_COUNT, PERSON_YEAR_RANGE, YEAR_RANGE

__all__ = [
    "DATASETS",
    "HEADERS",
    "MAPPERS",
    "MAX_ID",
    "NULL",
    "STAGE_COLUMNS",
    "STAGE_KEYS",
    "characters_text",
    "check_header",
    "dataset_of",
    "imdb_number",
]

NULL = "\\N"
# Internal ids live in 32-bit INTEGER columns (PostgreSQL ``integer``).
MAX_ID = 2**31 - 1

# The documented columns of each file, in order (the header line of every dump).
HEADERS: dict[str, tuple[str, ...]] = {
    "title.basics": (
        "tconst",
        "titleType",
        "primaryTitle",
        "originalTitle",
        "isAdult",
        "startYear",
        "endYear",
        "runtimeMinutes",
        "genres",
    ),
    "title.akas": (
        "titleId",
        "ordering",
        "title",
        "region",
        "language",
        "types",
        "attributes",
        "isOriginalTitle",
    ),
    "title.crew": ("tconst", "directors", "writers"),
    "title.episode": ("tconst", "parentTconst", "seasonNumber", "episodeNumber"),
    "title.principals": ("tconst", "ordering", "nconst", "category", "job", "characters"),
    "title.ratings": ("tconst", "averageRating", "numVotes"),
    "name.basics": (
        "nconst",
        "primaryName",
        "birthYear",
        "deathYear",
        "primaryProfession",
        "knownForTitles",
    ),
}
DATASETS: tuple[str, ...] = tuple(HEADERS)

# What the importer stages per file (the last column, ``line``, is added by the reader).
STAGE_COLUMNS: dict[str, tuple[str, ...]] = {
    "title.basics": (
        "id",
        "tconst",
        "kind",
        "primary_title",
        "original_title",
        "is_adult",
        "start_year",
        "end_year",
        "runtime_minutes",
        "genres",
    ),
    "title.akas": (
        "title_key",
        "ordering",
        "title",
        "region",
        "language",
        "types",
        "attributes",
        "is_original",
    ),
    "title.crew": ("title_key", "directors", "writers"),
    "title.episode": ("title_key", "series_tconst", "season", "episode"),
    "title.principals": ("title_key", "ordering", "person_key", "category", "job", "character"),
    "title.ratings": ("title_key", "average", "votes"),
    "name.basics": ("id", "nconst", "name", "birth_year", "death_year", "professions", "known_for"),
}
# The key of each staged file: a second row with the same key is a duplicate.
STAGE_KEYS: dict[str, tuple[str, ...]] = {
    "title.basics": ("id",),
    "title.akas": ("title_key", "ordering"),
    "title.crew": ("title_key",),
    "title.episode": ("title_key",),
    "title.principals": ("title_key", "ordering"),
    "title.ratings": ("title_key",),
    "name.basics": ("id",),
}


def dataset_of(filename: str) -> str | None:
    """``title.basics.tsv.gz`` -> ``title.basics``; None for any other file name."""
    for suffix in (".tsv.gz", ".tsv"):
        if filename.endswith(suffix):
            name = filename[: -len(suffix)]
            return name if name in HEADERS else None
    return None


def check_header(dataset: str, line: str, source: str) -> None:
    """Raise InputError (``source:1: …``) unless ``line`` is exactly the documented header."""
    expected = HEADERS[dataset]
    if not line:
        raise InputError(f"{source}:1: the file is empty (expected the header: {' '.join(expected)})")
    found = tuple(line.rstrip("\r\n").split("\t"))
    if found == expected:
        return
    if "\x00" in line:
        raise InputError(f"{source}:1: the header holds a NUL character: not a text file")
    for other, cols in HEADERS.items():
        if found == cols:
            raise InputError(f"{source}:1: this is the header of {other}, not of {dataset}")
    missing = [c for c in expected if c not in found]
    if missing:
        raise InputError(
            f"{source}:1: header lacks column(s) {', '.join(missing)} "
            f"(expected: {' '.join(expected)}; found: {_shown(' '.join(found))})"
        )
    for pos, (want, got) in enumerate(zip(expected, found, strict=False), start=1):
        if want != got:
            raise InputError(f"{source}:1: column {pos} is {_shown(got)!r}, expected {want!r}")
    raise InputError(f"{source}:1: header has {len(found)} columns, expected {len(expected)}")


def _shown(text: str, limit: int = 80) -> str:
    """Text quoted in a message, cut to ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def imdb_number(value: str, prefix: str, column: str) -> int:
    """``tt0089560`` -> 89560, checking the prefix and the range of an internal id."""
    if not value.startswith(prefix) or not value[2:].isdigit() or not value[2:].isascii():
        raise ValueError(f"{column}: {_shown(value)!r} is not an IMDb {prefix}… id")
    number = int(value[2:])
    if number > MAX_ID:
        raise ValueError(f"{column}: {value!r} is beyond the supported id range")
    return number


def _int(value: str, column: str, low: int = 0, high: int = MAX_COUNT) -> int | None:
    """A whole number in ``low``…``high`` (a count by default: 0 to ``MAX_COUNT``), or None for ``\\N``."""
    if value == NULL:
        return None
    # ASCII digits only: int() would also take " 5", "+5", "1_0" and other scripts' digits.
    digits = value[1:] if value[:1] == "-" else value
    if not (digits.isdigit() and digits.isascii()):
        raise ValueError(f"{column}: {_shown(value)!r} is not a whole number")
    if len(digits) > 20:  # int() of a huge string is slow, and no bound here is that long
        raise ValueError(f"{column}: {_shown(value)!r} is outside {low}–{high}")
    number = int(value)
    if number < 0 and low == 0:
        raise ValueError(f"{column}: {value} is negative")
    if not low <= number <= high:
        raise ValueError(f"{column}: {value} is outside {low}–{high}")
    return number


def _year(value: str, column: str, bounds: tuple[int, int] = YEAR_RANGE) -> int | None:
    return _int(value, column, *bounds)


def _text(value: str) -> str | None:
    return None if value == NULL else value


def _flag(value: str, column: str) -> bool:
    if value == "0":
        return False
    if value == "1":
        return True
    raise ValueError(f"{column}: {value!r} is not 0 or 1")


def _id_list(value: str, prefix: str, column: str) -> str | None:
    """``nm1,nm22`` -> ``1,22`` (the staged form: numbers, ready for SQL array functions)."""
    if value == NULL or value == "":
        return None
    # dict.fromkeys keeps the order and drops repeats (a name listed twice is one credit).
    ids = dict.fromkeys(imdb_number(v, prefix, column) for v in value.split(","))
    return ",".join(map(str, ids))


def _array(value: str) -> str | None:
    if value == NULL or value == "":
        return None
    return value.replace("\x02", ",")


def characters_text(value: str) -> str | None:
    """IMDb's JSON list of characters -> one string, joined with `` / ``."""
    if value == NULL:
        return None
    # Fast path: one plain name, the overwhelmingly common case.
    if value.startswith('["') and value.endswith('"]') and value.count('"') == 2 and "\\" not in value:
        return value[2:-2]
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"characters: not a JSON list ({exc.msg}): {value[:80]!r}") from None
    if not isinstance(parsed, list) or not all(isinstance(c, str) for c in parsed):
        raise ValueError(f"characters: expected a JSON list of strings: {value[:80]!r}")
    return " / ".join(parsed) or None


def map_basics(f: Sequence[str]) -> tuple[Any, ...]:
    """title.basics -> (id, tconst, kind, primary_title, original_title, is_adult, years, runtime, genres)."""
    if f[2] == NULL or f[2] == "":
        raise ValueError("primaryTitle: empty")
    return (
        imdb_number(f[0], "tt", "tconst"),
        f[0],
        _text(f[1]) or "movie",
        f[2],
        _text(f[3]),
        _flag(f[4], "isAdult"),
        _year(f[5], "startYear"),
        _year(f[6], "endYear"),
        _int(f[7], "runtimeMinutes"),
        _array(f[8]),
    )


def map_akas(f: Sequence[str]) -> tuple[Any, ...]:
    """title.akas -> (title_key, ordering, title, region, language, types, attributes, is_original)."""
    ordering = _int(f[1], "ordering")
    if ordering is None:
        raise ValueError("ordering: missing")
    if f[2] == NULL or f[2] == "":
        raise ValueError("title: empty")
    original = False if f[7] == NULL else _flag(f[7], "isOriginalTitle")
    return (
        imdb_number(f[0], "tt", "titleId"),
        ordering,
        f[2],
        _text(f[3]),
        _text(f[4]),
        _array(f[5]),
        _array(f[6]),
        original,
    )


def map_crew(f: Sequence[str]) -> tuple[Any, ...]:
    """title.crew -> (title_key, directors, writers), id lists as ``1,22`` text."""
    return (
        imdb_number(f[0], "tt", "tconst"),
        _id_list(f[1], "nm", "directors"),
        _id_list(f[2], "nm", "writers"),
    )


def map_episode(f: Sequence[str]) -> tuple[Any, ...]:
    """title.episode -> (title_key, series_tconst, season, episode)."""
    imdb_number(f[1], "tt", "parentTconst")  # validates it
    return (
        imdb_number(f[0], "tt", "tconst"),
        f[1],
        _int(f[2], "seasonNumber"),
        _int(f[3], "episodeNumber"),
    )


def map_principals(f: Sequence[str]) -> tuple[Any, ...]:
    """title.principals -> (title_key, ordering, person_key, category, job, character)."""
    ordering = _int(f[1], "ordering")
    if ordering is None:
        raise ValueError("ordering: missing")
    if f[3] == NULL or f[3] == "":
        raise ValueError("category: empty")
    return (
        imdb_number(f[0], "tt", "tconst"),
        ordering,
        imdb_number(f[2], "nm", "nconst"),
        f[3],
        _text(f[4]),
        characters_text(f[5]),
    )


_DECIMAL = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,6})?")


def map_ratings(f: Sequence[str]) -> tuple[Any, ...]:
    """title.ratings -> (title_key, average, votes)."""
    # Plain decimals only: float() would also take "nan", "inf", "1e1", " 7", "7_0".
    if _DECIMAL.fullmatch(f[1]) is None:
        raise ValueError(f"averageRating: {_shown(f[1])!r} is not a decimal number")
    average = float(f[1])
    if not 0 <= average <= 10:
        raise ValueError(f"averageRating: {f[1]} is outside 0–10")
    return (imdb_number(f[0], "tt", "tconst"), average, _int(f[2], "numVotes"))


def map_names(f: Sequence[str]) -> tuple[Any, ...]:
    """name.basics -> (id, nconst, name, birth_year, death_year, professions, known_for)."""
    if f[1] == NULL or f[1] == "":
        raise ValueError("primaryName: empty")
    return (
        imdb_number(f[0], "nm", "nconst"),
        f[0],
        f[1],
        _year(f[2], "birthYear", PERSON_YEAR_RANGE),
        _year(f[3], "deathYear", PERSON_YEAR_RANGE),
        _array(f[4]),
        _array(f[5]),
    )


MAPPERS: dict[str, Callable[[Sequence[str]], tuple[Any, ...]]] = {
    "title.basics": map_basics,
    "title.akas": map_akas,
    "title.crew": map_crew,
    "title.episode": map_episode,
    "title.principals": map_principals,
    "title.ratings": map_ratings,
    "name.basics": map_names,
}
