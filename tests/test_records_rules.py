"""The rules the records share (ids, text, numbers, years) and how a refusal is worded."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from marquee.formats.jsontext import JsonProblem, loads, too_deep
from marquee.limits import MAX_COUNT, MAX_FIELD_CHARS, MAX_INT
from marquee.records import Film, Person, describe_error, is_safe_id, validate_stored


@pytest.mark.parametrize("good", ["tt0089560", "nm0000128", "mask-1985", "name-1f2e3d4c5b6a", "a", "0" * 100])
def test_safe_ids(good: str) -> None:
    assert is_safe_id(good)
    Film(id=good, title="x")


@pytest.mark.parametrize(
    "bad",
    ["../x", "javascript:alert(1)", "a/b", "a\\b", "a b", "tt1\n", "\x00", "%2e", "a?b", "a#b", "", "-a",
     "A", "a" * 101, "é"],
)  # fmt: skip
def test_unsafe_ids_are_refused_with_the_field(bad: str) -> None:
    assert not is_safe_id(bad)
    with pytest.raises(ValidationError) as caught:
        Film(id=bad, title="x")
    assert describe_error(caught.value).startswith("id: not a safe id")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rating": {"value": 7, "votes": -1}}, "rating.votes: must be ≥ 0 (got -1)"),
        ({"rating": {"value": 7, "votes": MAX_COUNT + 1}}, f"rating.votes: must be ≤ {MAX_COUNT}"),
        ({"rating": {"value": float("nan")}}, "rating.value: must be a finite number"),
        ({"rating": {"value": float("inf")}}, "rating.value: must be a finite number"),
        ({"rating": {"value": 10.5}}, "rating: value 10.5 is above the scale of 10"),
        ({"reviews": [{"score": {"value": 6, "scale": 5}}]}, "reviews.0.score: value 6"),
        (
            {"box_office": [{"kind": "gross", "amount": MAX_INT + 1}]},
            f"box_office.0.amount: must be ≤ {MAX_INT}",
        ),
        ({"runtimes": [{"minutes": -1}]}, "runtimes.0.minutes: must be ≥ 0"),
        ({"year": 1869}, "year: must be ≥ 1870"),
        ({"year": 2201}, "year: must be ≤ 2200"),
        ({"year": 2000, "end_year": 1999}, "end_year: 1999 is before year 2000"),
        ({"release_dates": [{"date": "1985-13"}]}, "release_dates.0.date: month 13"),
        ({"published": "0001-01-01"}, "published: year 1 is outside"),
        ({"title": "a\x00b"}, "title: holds a control character"),
        ({"title": "a\nb"}, "title: holds a control character"),
        ({"plot": "a\x1bb"}, "plot: holds a control character"),
        ({"plot": "x" * (MAX_FIELD_CHARS + 1)}, "plot: longer than 200,000 characters"),
        ({"cast": [{"name": "A", "id": "../x"}]}, "cast.0.id: not a safe id"),
    ],
)
def test_refused_values_name_their_field(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Film.model_validate({"id": "tt1", "title": "x", **fields})
    assert describe_error(caught.value).startswith(message)
    assert "\n" not in describe_error(caught.value)


def test_prose_keeps_newlines_and_tabs() -> None:
    assert Film(id="tt1", title="x", plot="a\n\tb\r\n").plot == "a\n\tb\r\n"


def test_person_years_have_their_own_range() -> None:
    assert Person(id="nm1", name="Homer", birth_year=1).birth_year == 1
    with pytest.raises(ValidationError):
        Person(id="nm1", name="x", death_year=0)


def test_stored_data_reads_repaired_and_says_what_was_repaired() -> None:
    data = {"id": "../x", "title": "a\x00b", "year": 99999, "rating": {"value": 11, "scale": 10},
            "cast": [{"name": ""}, {"name": "Ok", "id": "BAD"}]}  # fmt: skip
    film, repaired = validate_stored(Film, data)
    assert (film.id, film.title, film.year, film.rating) == ("../x", "ab", None, None)
    assert [c.name for c in film.cast] == ["Ok"] and film.cast[0].id is None
    assert len(repaired) >= 6 and any(r.startswith("year: must be ≤ 2200") for r in repaired)
    assert validate_stored(Film, {"id": "tt1", "title": "x"}) == (Film(id="tt1", title="x"), [])


def test_json_depth_is_checked_without_recursion() -> None:
    assert too_deep("[" * 300 + "]" * 300) == 256
    assert too_deep('["' + "[" * 1000 + '"]') is None  # brackets inside a string do not nest
    with pytest.raises(JsonProblem, match="nested deeper than 256"):
        loads("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a":1,"a":2}', "duplicate key"),
        ("[NaN]", "NaN"),
        ("[-Infinity]", "-Infinity"),
        ("{", "not valid JSON"),
    ],
)
def test_strict_json_refuses(text: str, reason: str) -> None:
    with pytest.raises(JsonProblem, match=reason):
        loads(text)


def test_huge_integers_become_just_beyond_64_bits() -> None:
    assert loads("[" + "9" * 5000 + ", -" + "9" * 30 + "]") == [MAX_INT + 1, -(MAX_INT + 2)]
