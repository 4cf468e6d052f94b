"""The rules every record is built from: the bounds, and the constrained field types pydantic checks.

Ids are safe in a URL path and a file name; text holds no control characters (prose may hold newlines
and tabs) and at most ``MAX_FIELD_CHARS`` characters; counts fit 32 bits, amounts 64; years lie in
``YEAR_RANGE``. Records import nothing else from the package.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

# --- the bounds (README, "Limits"; listed with the others in ``marquee.limits``) ------------------

MAX_FIELD_CHARS = 200_000
"""One text field: a storyline, a review, a trivia item, a title."""
MAX_INT = 2**63 - 1
"""Amounts (box office) are stored as 64-bit integers; no number read may exceed this."""
MAX_COUNT = 2**31 - 1
"""Counts stored as 32-bit integers: votes, minutes, season and episode numbers, rating scales."""
YEAR_RANGE = (1870, 2200)
"""Years a title or a release may carry (IMDb's oldest title is of 1874; "100 Years" is set for 2115)."""
PERSON_YEAR_RANGE = (1, 2200)
"""Years of a person's birth or death (IMDb's writers include authors of antiquity)."""

# --- the constrained types ---------------------------------------------------------------------------

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"
"""A film's or a person's id: ``tt0089560``, ``nm0000128``, ``mask-1985``, ``name-1f2e3d4c5b6a``."""
_ID = re.compile(ID_PATTERN)
# No C0/C1 control characters (nor DEL) at all: names, titles, vocabulary.
LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
# Prose may hold newlines, tabs and carriage returns, and no other control character.
PROSE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\t\n\r]+")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# A one-line text (may be empty), a non-empty one, and prose (newlines allowed).
Line = Annotated[str, StringConstraints(max_length=MAX_FIELD_CHARS, pattern=LINE_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=MAX_FIELD_CHARS, pattern=LINE_PATTERN)]
Prose = Annotated[str, StringConstraints(max_length=MAX_FIELD_CHARS, pattern=PROSE_PATTERN)]
ProseText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_FIELD_CHARS, pattern=PROSE_PATTERN)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]  # votes, minutes, season/episode: 32-bit columns
Money = Annotated[int, Field(ge=0, le=MAX_INT)]
Scale = Annotated[int, Field(gt=0, le=MAX_COUNT)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Year = Annotated[int, Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])]
PersonYear = Annotated[int, Field(ge=PERSON_YEAR_RANGE[0], le=PERSON_YEAR_RANGE[1])]


def _check_partial_date(value: str) -> str:
    parts = [int(p) for p in value.split("-")]
    if not YEAR_RANGE[0] <= parts[0] <= YEAR_RANGE[1]:
        raise PydanticCustomError(
            "year_range",
            "year {year} is outside {low}–{high}",
            {"year": parts[0], "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]},
        )
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        raise PydanticCustomError("date_invalid", "month {month} does not exist", {"month": parts[1]})
    if len(parts) > 2:
        try:
            dt.date(*parts)
        except ValueError:
            raise PydanticCustomError(
                "date_invalid", "{date} is not a day of the calendar", {"date": value}
            ) from None
    return value


def _check_date(value: dt.date) -> dt.date:
    if not YEAR_RANGE[0] <= value.year <= YEAR_RANGE[1]:
        raise PydanticCustomError(
            "year_range",
            "year {year} is outside {low}–{high}",
            {"year": value.year, "low": YEAR_RANGE[0], "high": YEAR_RANGE[1]},
        )
    return value


# A partial ISO date: "1985", "1985-03" or "1985-03-08" (release dates are often
# known only to the year or month).
PartialDate = Annotated[
    str, StringConstraints(pattern=PARTIAL_DATE_PATTERN), AfterValidator(_check_partial_date)
]
Date = Annotated[dt.date, AfterValidator(_check_date)]


def is_safe_id(value: str) -> bool:
    """Whether ``value`` is a valid film or person id (safe in a URL path and a file name)."""
    return _ID.fullmatch(value) is not None


def within_scale(value: float, scale: int) -> None:
    """Refuse a value above its scale (``11`` out of ``10``)."""
    if value > scale:
        raise PydanticCustomError(
            "above_scale",
            "value {value} is above the scale of {scale}",
            {"value": value, "scale": scale},
        )


class Record(BaseModel):
    """The base of every record: unknown fields refused, names or aliases accepted, no NaN."""

    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True, allow_inf_nan=False)
