"""Members' CSV exports, decoded, and their cells parsed (dates, numbers, names, formula guards). No I/O.

Shared by the IMDb and Letterboxd readers (``exports_imdb``, ``exports_letterboxd``); bad cells raise
``InputError`` naming ``file:line: field``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re

from marquee.errors import InputError
from marquee.formats.vocab_kinds import vocab_key
from marquee.limits import MAX_FIELD_CHARS, MAX_INT, YEAR_RANGE

if csv.field_size_limit() <= MAX_FIELD_CHARS:  # longer fields are refused by csv_rows, with their line
    csv.field_size_limit(MAX_FIELD_CHARS + 1)

_DATE_FORMATS = ("%Y-%m-%d", "%a %b %d %H:%M:%S %Y", "%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_GROUPING = re.compile(r"(?<=\d)[,.\u00a0\u202f ' ](?=\d{3}(?:\D|$))")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


# OWASP's CSV injection rule: a cell starting with one of these is prefixed with a single quote.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")

# Letters and signs Windows-1252 text holds; anything else decoded from bytes that are not UTF-8 means
# the file is not Windows-1252 text either (binary, another code page): refused, not guessed.
_CP1252_SIGNS = set("’‘“”„–—…•·°²³¹½¼¾©®™€£¥§«»¡¿×÷´¨¸¯ªº¶\xa0")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HIGH_RUN = re.compile(r"[^\x00-\x7f]+")


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    prefix = data[:offset].decode(encoding, errors="replace")
    return prefix.count("\n") + 1


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when every other byte of the start is NUL (text saved as UTF-16, no BOM)."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= len(odd) * 0.9 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= len(even) * 0.9 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _surely_cp1252(data: bytes) -> bool:
    """True only for text that is clearly Windows-1252 (IMDb's exports before 2020): words with accents."""
    try:
        text = data.decode("cp1252")  # strict: the five bytes Windows-1252 leaves undefined fail
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(text):
        return False
    for run in _HIGH_RUN.finditer(text):
        chars = run.group()
        if len(chars) > 3 or not all(c.isalpha() or c in _CP1252_SIGNS for c in chars):
            return False
    return True


def decode_export(data: bytes, source: str = "<export>") -> str:
    """Text of an export file: UTF-8 (BOM or not), UTF-16/32 with a BOM, UTF-16 without one, or clearly
    Windows-1252 (IMDb's older files); anything else is an InputError naming ``source:LINE``."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf16_without_bom(data) or "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        if encoding == "utf-8-sig" and _surely_cp1252(data):
            return data.decode("cp1252")
        line = _line_of(data, err.start, encoding)
        name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise InputError(
            f"{source}:{line}: not {name} text (byte 0x{data[err.start]:02x} cannot be decoded);"
            " save the file as UTF-8"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(f"{source}:{line}: a NUL character: this is not a text (CSV) file")
    return text.lstrip("\ufeff")


def fold_header(name: str) -> str:
    """``"Runtime (mins)"`` -> ``"runtimemins"``: how column names are compared (accents folded)."""
    return vocab_key(name.replace("\ufeff", "")).replace(" ", "")


def neutralise_cell(value: str) -> str:
    """OWASP's CSV-injection rule: a cell starting with ``= + - @``, tab or CR gets a leading ``'``.

    A cell that already starts with quotes before one of those gets one more, so that
    ``unneutralise_cell`` gives back exactly what was written ("-1", "'-1" and "''-1" all survive).
    """
    return f"'{value}" if _FORMULA.match(value) else value


def unneutralise_cell(value: str) -> str:
    """Undo ``neutralise_cell`` (for files Marquee wrote)."""
    return value[1:] if _QUOTED_FORMULA.match(value) else value


def cell_place(source: str, line: int, column: str) -> str:
    """Where a cell stands, as errors name it: ``ratings.csv:12: Your Rating``."""
    return f"{source}:{line}: {column}"


def check_year(year: int, source: str, line: int, column: str, text: str) -> None:
    """Refuse a year outside the records' range, naming the cell."""
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise InputError(f"{cell_place(source, line, column)}: year out of range {low}-{high}: {text!r}")


def read_date(value: str, source: str, line: int, column: str) -> dt.date | None:
    """A full date (``2021-03-04``, or as the export's locale writes it), or None for an empty cell."""
    text = value.strip()
    if not text:
        return None
    day: dt.date | None = None
    try:
        day = dt.date.fromisoformat(text)  # the usual case, and far quicker than strptime
    except ValueError:
        for fmt in _DATE_FORMATS:
            try:
                day = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
    if day is None:
        raise InputError(f"{cell_place(source, line, column)}: not a date: {text!r}")
    check_year(day.year, source, line, column, text)
    return day


def read_partial_date(value: str, source: str, line: int, column: str) -> str | None:
    """A release date: ``1991-09-21``, or partial as IMDb's localized exports give it (``1991-09``,
    ``1991``); returned in ISO form (``"1991-09"``)."""
    text = value.strip()
    if not text:
        return None
    match = _PARTIAL_DATE.match(text)
    if match is None:
        day = read_date(text, source, line, column)
        return day.isoformat() if day else None
    year, month, day_of = (int(g) if g else None for g in match.groups())
    assert year is not None
    check_year(year, source, line, column, text)
    try:
        if day_of is not None:
            return dt.date(year, month or 1, day_of).isoformat()
        if month is not None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
    except ValueError:
        raise InputError(f"{cell_place(source, line, column)}: not a date: {text!r}") from None
    return f"{year:04d}"


def read_int(value: str, source: str, line: int, column: str, *, low: int = 0) -> int | None:
    """A whole number (``1,234`` as IMDb writes votes), at least ``low``, at most 64 bits."""
    text = _GROUPING.sub("", value.strip())  # "1,234", "1.234", "1 234": digits grouped by locale
    if not text:
        return None
    if not re.fullmatch(r"[+-]?\d+", text):
        raise InputError(f"{cell_place(source, line, column)}: not a whole number: {value.strip()[:40]!r}")
    number = int(text)
    if not low <= number <= MAX_INT:
        raise InputError(f"{cell_place(source, line, column)}: out of range: {value.strip()[:40]!r}")
    return number


def read_float(value: str, source: str, line: int, column: str, *, high: float = 10.0) -> float | None:
    """A finite number from 0 to ``high`` (IMDb's rating; NaN, infinities and negatives refused)."""
    text = value.strip()
    if not text:
        return None
    if _DECIMAL_COMMA.match(text):  # "8,6" as IMDb's Italian, German, French… sites write it
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{cell_place(source, line, column)}: not a number: {text[:40]!r}") from None
    if not math.isfinite(number) or not 0 <= number <= high:
        raise InputError(f"{cell_place(source, line, column)}: must be 0 to {high:g}, not {text[:40]!r}")
    return number


def read_names(value: str) -> list[str]:
    """The names of a comma-separated cell (``Lynch, Frost``), blanks left out."""
    return [part.strip() for part in value.split(",") if part.strip()]


def csv_records(text: str, source: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """Every CSV record of ``text`` (blank ones too) with the line it starts on; fields checked."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, list[str]]] = []
    start = first_line
    try:
        for cells in reader:
            for cell in cells:
                if len(cell) > MAX_FIELD_CHARS:
                    raise InputError(
                        f"{source}:{start}: a field of {len(cell)} characters"
                        f" (at most {MAX_FIELD_CHARS} are read)"
                    )
            out.append((start, cells))
            start = first_line + reader.line_num
    except csv.Error as err:
        line = first_line + reader.line_num - 1
        if "field larger than field limit" in str(err):
            raise InputError(f"{source}:{start}: a field longer than {MAX_FIELD_CHARS} characters") from None
        raise InputError(f"{source}:{max(line, start)}: not CSV ({err})") from None
    return out


def is_blank_record(cells: list[str]) -> bool:
    """Whether every cell of a record is empty or white space."""
    return not any(cell.strip() for cell in cells)


def check_width(source: str, line: int, cells: list[str], width: int) -> None:
    """Refuse a record with more or fewer fields than the header."""
    if len(cells) != width:
        more = "more" if len(cells) > width else "fewer"
        raise InputError(f"{source}:{line}: {len(cells)} fields, {more} than the header's {width}")


def csv_rows(text: str, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, cells) of a CSV text; line numbers are where each record starts.

    Blank lines are skipped (before the header too); every other row must have the header's width.
    """
    records = [
        (line, cells)
        for line, cells in csv_records(text.lstrip("\ufeff"), source)
        if not is_blank_record(cells)
    ]
    if not records:
        raise InputError(f"{source}:1: the file is empty")
    (_, header), rows = records[0], records[1:]
    for line, cells in rows:
        check_width(source, line, cells, len(header))
    return header, rows
