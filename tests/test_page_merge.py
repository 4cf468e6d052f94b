"""The section merge rule (``formats.page_merge``), one rule of its table per test."""

from __future__ import annotations

import pytest

from marquee.formats.page_merge import (
    Sections,
    main_page_sections,
    merge_film,
    whole_page_sections,
)
from marquee.records import CastMember, Film, Goof, PersonRef, Rating, ReleaseDate

STORED = Film(
    id="tt0133093",
    title="The Matrix",
    year=1999,
    kind="movie",
    rating=Rating(value=8.7, votes=1_956_171),
    outline="A computer hacker learns about the true nature of reality.",
    genres=["Action", "Sci-Fi"],
    directors=[PersonRef(name="Lana Wachowski", id="nm0905154")],
    cast=[
        CastMember(name="Keanu Reeves", character="Neo", id="nm0000206"),
        CastMember(name="Laurence Fishburne", character="Morpheus", id="nm0000401"),
        CastMember(name="Carrie-Anne Moss", character="Trinity", id="nm0005251"),
    ],
    trivia=[f"Trivia item number {n} about the making of the film." for n in range(40)],
    taglines=["Free your mind"],
    release_dates=[ReleaseDate(date="1999-03-31", country="USA")],
)


def test_a_sub_page_changes_only_its_section() -> None:
    page = Film(id="tt0133093", title="Matrix", year=1999, taglines=["Free your mind", "The Matrix has you."])
    merged = merge_film(STORED, page, Sections(shown=frozenset({"taglines"}), whole=frozenset({"taglines"})))
    assert merged.taglines == ["Free your mind", "The Matrix has you."]
    assert merged.model_copy(update={"taglines": STORED.taglines}) == STORED  # title "Matrix" not taken


def test_a_whole_list_replaces_and_keeps_what_the_stored_entries_knew() -> None:
    page = Film(
        id="tt0133093",
        title="The Matrix",
        cast=[CastMember(name="Carrie-Anne Moss", character="Trinity"), CastMember(name="Hugo Weaving")],
    )
    merged = merge_film(STORED, page, Sections(shown=frozenset({"cast"}), whole=frozenset({"cast"})))
    assert [c.name for c in merged.cast] == ["Carrie-Anne Moss", "Hugo Weaving"]
    assert merged.cast[0].id == "nm0005251"  # completed from the stored entry it matches


def test_a_partial_list_keeps_every_stored_entry_and_adds_the_new_ones() -> None:
    page = Film(
        id="tt0133093",
        title="The Matrix",
        trivia=[STORED.trivia[3], "A new trivia item no stored page had."],
        cast=[CastMember(name="Keanu Reeves", character="Neo", credited_as="Keanu", id="nm0000206")],
    )
    merged = merge_film(STORED, page, main_page_sections(page))
    assert merged.trivia == [*STORED.trivia, "A new trivia item no stored page had."]
    assert len(merged.cast) == 3
    assert merged.cast[0].credited_as == "Keanu"  # an empty field completed from the page


def test_a_partial_text_cut_short_matches_the_stored_whole_text() -> None:
    whole = "The Wachowskis approached Warner with the idea of the Matrix and Warner balked at the budget."
    stored = STORED.model_copy(update={"trivia": [whole]})
    page = Film(
        id="tt0133093", title="The Matrix", trivia=["The Wachowskis approached Warner with the idea..."]
    )
    assert merge_film(stored, page, main_page_sections(page)).trivia == [whole]


def test_a_location_with_its_note_completes_the_bare_place() -> None:
    stored = STORED.model_copy(update={"filming_locations": ["Sydney, New South Wales, Australia"]})
    page = Film(id="tt0133093", title="M", filming_locations=["Sydney, New South Wales, Australia (studio)"])
    merged = merge_film(stored, page, main_page_sections(page))
    assert merged.filming_locations == ["Sydney, New South Wales, Australia (studio)"]


def test_scalars_the_page_shows_are_updated() -> None:
    page = Film(id="tt0133093", title="The Matrix", year=1999, rating=Rating(value=8.8, votes=2_000_000))
    merged = merge_film(STORED, page, main_page_sections(page))
    assert merged.rating == Rating(value=8.8, votes=2_000_000)
    assert merged.outline == STORED.outline  # not shown: kept


def test_an_empty_section_never_wipes_a_stored_one() -> None:
    page = Film(id="tt0133093", title="The Matrix")
    merged = merge_film(STORED, page, Sections(shown=frozenset({"taglines"}), whole=frozenset({"taglines"})))
    assert merged.taglines == STORED.taglines


def test_a_main_page_shows_genres_and_stars_whole_and_other_lists_in_part() -> None:
    page = Film(id="x", title="X", genres=["Drama"], stars=["A"], cast=[CastMember(name="A")], trivia=["t"])
    sections = main_page_sections(page)
    assert sections.whole == {"genres", "stars"}
    assert {"title", "cast", "trivia"} <= sections.shown
    assert "kind" not in sections.shown  # the record's default is not something the page said


def test_a_text_page_shows_every_list_it_has_whole() -> None:
    sections = whole_page_sections(STORED)
    assert {"trivia", "cast", "taglines"} <= sections.whole
    assert "rating" in sections.shown and "rating" not in sections.whole


def test_merging_twice_is_merging_once() -> None:
    page = Film(
        id="tt0133093",
        title="The Matrix",
        goofs=[Goof(category="Continuity", text="The phone booth window is broken, then whole.")],
        trivia=["Another item."],
    )
    for sections in (main_page_sections(page), whole_page_sections(page)):
        once = merge_film(STORED, page, sections)
        assert merge_film(once, page, sections) == once


def test_a_film_not_stored_is_the_page_film() -> None:
    page = Film(id="tt1", title="New", trivia=["one"])
    assert merge_film(None, page, shown_sections := main_page_sections(page)) == page
    assert shown_sections.kind == "main"


def test_sections_must_name_film_fields() -> None:
    with pytest.raises(ValueError):
        Sections(shown=frozenset({"keywords"}))
    with pytest.raises(ValueError):
        Sections(shown=frozenset({"rating"}), whole=frozenset({"rating"}))
