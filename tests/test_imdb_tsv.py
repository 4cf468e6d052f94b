"""The pure IMDb dataset rules: headers, nulls, arrays, characters, ids."""

from __future__ import annotations

import pytest

from marquee.errors import InputError
from marquee.formats.imdb_tsv import (
    HEADERS,
    characters_text,
    check_header,
    dataset_of,
    imdb_number,
    map_akas,
    map_basics,
    map_crew,
    map_names,
    map_principals,
    map_ratings,
)


def test_every_documented_header_is_accepted() -> None:
    for dataset, columns in HEADERS.items():
        check_header(dataset, "\t".join(columns) + "\n", f"{dataset}.tsv")


def test_a_missing_column_names_the_file_line_and_column() -> None:
    header = "\t".join(c for c in HEADERS["title.basics"] if c != "runtimeMinutes")
    with pytest.raises(InputError, match=r"^title\.basics\.tsv\.gz:1: .*runtimeMinutes"):
        check_header("title.basics", header, "title.basics.tsv.gz")


def test_a_renamed_column_is_reported_by_position() -> None:
    header = "\t".join(HEADERS["title.ratings"]).replace("numVotes", "votes")
    with pytest.raises(InputError, match=r"^r\.tsv:1: .*numVotes"):
        check_header("title.ratings", header, "r.tsv")


def test_the_header_of_another_file_is_named() -> None:
    with pytest.raises(InputError, match=r"^x:1: this is the header of title\.crew, not of title\.ratings"):
        check_header("title.ratings", "tconst\tdirectors\twriters", "x")


def test_dataset_names_come_from_file_names() -> None:
    assert dataset_of("title.basics.tsv.gz") == "title.basics"
    assert dataset_of("name.basics.tsv") == "name.basics"
    assert dataset_of("title.basics.csv") is None
    assert dataset_of("notes.tsv") is None


def test_ids_are_the_numbers_of_tt_and_nm() -> None:
    assert imdb_number("tt0089560", "tt", "tconst") == 89560
    with pytest.raises(ValueError, match="tconst"):
        imdb_number("nm0089560", "tt", "tconst")
    with pytest.raises(ValueError, match="tconst"):
        imdb_number("tt12ab", "tt", "tconst")


def test_basics_maps_nulls_flags_and_genres() -> None:
    row = map_basics(
        ["tt2535470", "movie", "Wyrmwood", "\\N", "0", "2014", "\\N", "98", "Action,Comedy,Horror"]
    )
    assert row == (
        2535470,
        "tt2535470",
        "movie",
        "Wyrmwood",
        None,
        False,
        2014,
        None,
        98,
        "Action,Comedy,Horror",
    )


def test_fields_are_literal_text_quotes_and_backslashes_included() -> None:
    fields = ["tt1", "short", '"Quoted', "C:\\Films\\", "0", "1999", "\\N", "\\N", "\\N"]
    row = map_basics(fields)
    assert row[3:5] == ('"Quoted', "C:\\Films\\")


def test_a_bad_number_names_its_column() -> None:
    with pytest.raises(ValueError, match="startYear: 'soon'"):
        map_basics(["tt1", "movie", "T", "T", "0", "soon", "\\N", "\\N", "\\N"])


def test_akas_types_use_0x02_or_comma() -> None:
    row = map_akas(["tt1", "2", "Title", "US", "\\N", "dvd\x02festival", "\\N", "0"])
    assert row == (1, 2, "Title", "US", None, "dvd,festival", None, False)


def test_crew_lists_become_numbers_without_repeats() -> None:
    assert map_crew(["tt2535470", "nm3737504", "nm3737504,nm3736623,nm3737504"]) == (
        2535470,
        "3737504",
        "3737504,3736623",
    )
    assert map_crew(["tt1", "\\N", "\\N"]) == (1, None, None)


def test_characters_json_lists_are_joined() -> None:
    assert characters_text('["Barry"]') == "Barry"
    assert characters_text('["White Angel","Black Angel"]') == "White Angel / Black Angel"
    assert characters_text('["Dr. \\"Doc\\" Brown"]') == 'Dr. "Doc" Brown'
    assert characters_text("\\N") is None
    with pytest.raises(ValueError, match="characters"):
        characters_text('["unclosed')


def test_principals_row() -> None:
    row = map_principals(["tt2535470", "2", "nm3658287", "actress", "\\N", '["Brooke"]'])
    assert row == (2535470, 2, 3658287, "actress", None, "Brooke")


def test_ratings_must_be_numbers_within_the_scale() -> None:
    assert map_ratings(["tt2535470", "6.2", "15169"]) == (2535470, 6.2, 15169)
    with pytest.raises(ValueError, match="averageRating"):
        map_ratings(["tt1", "11.0", "3"])


def test_names_keep_professions_and_known_for_as_lists() -> None:
    row = map_names(["nm0013075", "Keith Agius", "1963", "\\N", "actor", "tt0117786,tt0103511"])
    assert row == (13075, "nm0013075", "Keith Agius", 1963, None, "actor", "tt0117786,tt0103511")
    assert map_names(["nm1", "A", "\\N", "\\N", "", "\\N"])[5:] == (None, None)


@pytest.mark.parametrize(
    "fields",
    [
        ["tt0000001", "nm0000001,nm0000022", "\\N"],
        ["tt0000002", "\\N", "nm5"],
        ["tt0000003", "", ""],
    ],
)
def test_fast_crew_maps_like_the_strict_mapper(fields: list[str]) -> None:
    from marquee.formats.imdb_tsv import MAPPERS
    from marquee.formats.imdb_tsv_fast import FAST

    assert FAST["title.crew"](fields, 12) == (*MAPPERS["title.crew"](fields), 12)


def test_fast_crew_leaves_repeated_names_to_the_strict_mapper() -> None:
    from marquee.formats.imdb_tsv import MAPPERS
    from marquee.formats.imdb_tsv_fast import FAST

    fields = ["tt0000004", "nm7,nm7,nm8", "nm9"]
    with pytest.raises(ValueError):
        FAST["title.crew"](fields, 3)
    assert MAPPERS["title.crew"](fields) == (4, "7,8", "9")


@pytest.mark.parametrize("ids", ["nm\u0663", "xx1", "nm", "nm1,,nm2", "nm999999999999"])
def test_fast_crew_refuses_what_the_strict_mapper_refuses(ids: str) -> None:
    from marquee.formats.imdb_tsv import MAPPERS
    from marquee.formats.imdb_tsv_fast import FAST

    with pytest.raises(ValueError):
        FAST["title.crew"](["tt1", ids, "\\N"], 2)
    with pytest.raises(ValueError):
        MAPPERS["title.crew"](["tt1", ids, "\\N"])


# Rows of every file with a given field replaced: (dataset, fields, index of the field).
_ROWS = {
    "title.basics": ["tt0089560", "movie", "Mask", "Mask", "0", "1985", "\\N", "120", "Drama"],
    "title.akas": ["tt0089560", "1", "Mask", "US", "\\N", "\\N", "\\N", "0"],
    "title.principals": ["tt0089560", "1", "nm0000128", "actress", "\\N", '["Rusty Dennis"]'],
    "title.ratings": ["tt0089560", "7.0", "12168"],
    "name.basics": ["nm0000128", "Cher", "1946", "\\N", "actress", "tt0089560"],
    "title.episode": ["tt0000002", "tt0000001", "1", "2"],
}
_NUMBERS = [("title.basics", 5), ("title.basics", 7), ("title.akas", 1), ("title.principals", 1),
            ("title.ratings", 2), ("name.basics", 2), ("title.episode", 2)]  # fmt: skip


@pytest.mark.parametrize(("dataset", "column"), _NUMBERS)
@pytest.mark.parametrize("number", [" 5", "+5", "1_0", "\u0665", "5 ", "0x5"])
def test_numbers_are_ascii_digits_only_in_both_mappers(dataset: str, column: int, number: str) -> None:
    # int() would read all of these; a dump holding them is damaged, not a film from year 5.
    from marquee.formats.imdb_tsv import MAPPERS
    from marquee.formats.imdb_tsv_fast import FAST

    fields = list(_ROWS[dataset])
    fields[column] = number
    with pytest.raises(ValueError):
        FAST[dataset](fields, 9)
    with pytest.raises(ValueError, match="not a whole number"):
        MAPPERS[dataset](fields)


@pytest.mark.parametrize("tconst", ["tt+5", "tt 5", "tt1_0", "tt\u0665"])
def test_ids_are_ascii_digits_only_in_both_mappers(tconst: str) -> None:
    from marquee.formats.imdb_tsv import MAPPERS
    from marquee.formats.imdb_tsv_fast import FAST

    for dataset in ("title.basics", "title.akas", "title.principals", "title.ratings"):
        fields = [tconst, *_ROWS[dataset][1:]]
        with pytest.raises(ValueError):
            FAST[dataset](fields, 9)
        with pytest.raises(ValueError, match="is not an IMDb tt"):
            MAPPERS[dataset](fields)


@pytest.mark.parametrize("dataset", sorted(_ROWS))
def test_a_row_with_an_extra_column_is_refused_by_the_fast_mapper(dataset: str) -> None:
    # The reader then reports "expected N tab-separated columns" (the strict path counts first).
    from marquee.formats.imdb_tsv_fast import FAST

    with pytest.raises(ValueError):
        FAST[dataset]([*_ROWS[dataset], "extra"], 9)
    assert len(_ROWS[dataset]) == len(HEADERS[dataset])
    FAST[dataset](_ROWS[dataset], 9)  # the row itself is fine


@pytest.mark.parametrize(
    ("dataset", "fields"),
    [
        ("title.basics", ["tt1", "", "T", "T", "0", "\\N", "\\N", "\\N", "Drama\x02Comedy"]),
        ("name.basics", ["nm1", "N", "\\N", "\\N", "actor\x02writer", "tt1\x02tt2"]),
        ("title.akas", ["tt1", "3", "T", "\\N", "\\N", "dvd\x02tv", "\\N", "1"]),
    ],
)
def test_fast_and_strict_mappers_agree_on_empty_kinds_and_0x02_lists(dataset: str, fields: list[str]) -> None:
    from marquee.formats.imdb_tsv import MAPPERS
    from marquee.formats.imdb_tsv_fast import FAST

    assert FAST[dataset](fields, 4) == (*MAPPERS[dataset](fields), 4)
