"""JSON lines export and import: byte-identical round trips on both backends, clear errors."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marquee.errors import InputError
from marquee.records import CastMember, EpisodeOf, Film, Rating
from marquee.services.jsonlines import export_jsonl, film_line, import_jsonl
from marquee.storage import SqlStore, open_store
from support.films import films, mask


def catalogue() -> list[Film]:
    """A few films with the awkward bits: no parts at all, Unicode, floats, an episode."""
    return [
        mask(),
        Film(id="tt0000001", title="Carmencita"),
        Film(
            id="amelie-2001",
            title="Le Fabuleux Destin d'Amélie Poulain",
            year=2001,
            rating=Rating(value=8.3, votes=800_123),
            cast=[CastMember(name="Audrey Tautou", character='Amélie "Poulain" 🎠\nline\\')],
            published=dt.date(2001, 4, 25),
        ),
        Film(
            id="tt0959621",
            title="Pilot",
            kind="tvEpisode",
            rating=Rating(value=0.1 + 0.2, scale=10),
            episode_of=EpisodeOf(series_id="tt0903747", season=1, episode=1),
        ),
    ]


def export(store: SqlStore) -> str:
    out = io.StringIO()
    export_jsonl(store, out)
    return out.getvalue()


def test_export_writes_one_line_per_film_in_id_order(store: SqlStore) -> None:
    store.save_films(catalogue())
    out = io.StringIO()
    assert export_jsonl(store, out) == 4
    lines = out.getvalue().splitlines()
    assert [Film.model_validate_json(line).id for line in lines] == sorted(f.id for f in catalogue())
    assert lines[0].startswith('{"id":"amelie-2001","title":')


def test_export_import_export_is_byte_identical(store: SqlStore, other_db_url: str) -> None:
    store.save_films(catalogue())
    first = export(store)
    copy = open_store(other_db_url)
    try:
        assert import_jsonl(copy, io.StringIO(first), source="films.jsonl") == 4
        assert export(copy) == first
    finally:
        copy.close()


def test_sqlite_to_postgresql_gives_the_same_export(sqlite_url: str, pg_url: str) -> None:
    lite, pg = open_store(sqlite_url), open_store(pg_url)
    try:
        lite.save_films(catalogue())
        from_sqlite = export(lite)
        import_jsonl(pg, io.StringIO(from_sqlite), source="lite.jsonl")
        assert export(pg) == from_sqlite
        again = open_store(f"sqlite:///{Path(sqlite_url.removeprefix('sqlite:///')).with_name('again.db')}")
        import_jsonl(again, io.StringIO(export(pg)), source="pg.jsonl")
        assert export(again) == from_sqlite
        again.close()
    finally:
        lite.close()
        pg.close()


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": "tt9", "title": "Nine", "cast": [{"name": ""}]}', "cast.0.name: must not be empty"),
        ('{"id": "tt9"}', "title: Field required"),
        ('{"id": "tt9", "title": "Nine", "year": "soon"}', "year: Input should be a valid integer"),
        ('{"id": "tt9", "title": "Nine"', "not valid JSON"),
        ('{"id": "tt9", "title": "Nine", "colour": "red"}', "colour: Extra inputs"),
    ],
)
def test_a_bad_line_names_the_line_and_field_and_changes_nothing(
    store: SqlStore, bad_line: str, message: str
) -> None:
    store.save_film(mask())
    before = export(store)
    changed = film_line(mask().model_copy(update={"title": "Changed"}))
    new = film_line(Film(id="tt8", title="Eight"))
    text = changed + new + bad_line + "\n" + film_line(Film(id="tt7", title="Seven"))
    with pytest.raises(InputError) as caught:
        import_jsonl(store, io.StringIO(text), source="films.jsonl")
    assert str(caught.value).startswith(f"films.jsonl:3: {message}")
    assert "\n" not in str(caught.value)
    assert export(store) == before


def test_blank_lines_are_skipped_and_line_numbers_still_count_them(store: SqlStore) -> None:
    text = "\n" + film_line(Film(id="tt1", title="One")) + "  \n" + '{"id": "tt2"}\n'
    with pytest.raises(InputError, match=r"^in\.jsonl:4: title"):
        import_jsonl(store, io.StringIO(text), source="in.jsonl")
    assert import_jsonl(store, io.StringIO(text.replace('{"id": "tt2"}\n', "")), source="in.jsonl") == 1
    assert store.count_films() == 1


@settings(max_examples=50, deadline=None)
@given(film=films)
def test_a_film_line_reads_back_as_the_same_film(film: Film) -> None:
    line = film_line(film)
    assert line.endswith("\n")
    assert "\n" not in line[:-1]
    assert Film.model_validate_json(line) == film


def extreme() -> Film:
    """Every field at the edge of what the rules allow."""
    from marquee.limits import MAX_COUNT, MAX_FIELD_CHARS, MAX_INT
    from marquee.records import (
        AlternateTitle,
        BoxOffice,
        CrewMember,
        Goof,
        PersonRef,
        Quote,
        QuoteLine,
        ReleaseDate,
        Review,
        Runtime,
        Score,
    )

    long = ('Ünïcödé 李小龍 🎠 "quoted" \\ back\tslash\n' * 5000)[:MAX_FIELD_CHARS]
    return Film(
        id="a" * 100,
        title="T" * MAX_FIELD_CHARS,
        original_title="Ω ' \" < > &",
        kind="tvSeries",
        year=1870,
        end_year=2200,
        is_adult=True,
        published=dt.date(2200, 12, 31),
        outline="",
        plot=long,
        genres=["", "Sci-Fi"],
        rating=Rating(value=10.0, scale=10, votes=MAX_COUNT),
        directors=[PersonRef(name="Zoë", id="nm9999999999")],
        writers=[],
        stars=["Zoë"],
        cast=[CastMember(name="Zoë", id="nm9999999999", character=long, credited_as="Z")],
        crew=[CrewMember(name="Q", category="composer", job="", id="q")],
        taglines=[long],
        release_dates=[ReleaseDate(date="1870"), ReleaseDate(date="2200-12"), ReleaseDate(date="2000-02-29")],
        filming_locations=["Śródmieście, Warszawa"],
        box_office=[
            BoxOffice(kind="gross", amount=MAX_INT, currency="EUR"),
            BoxOffice(kind="budget", amount=0),
        ],
        runtimes=[Runtime(minutes=MAX_COUNT), Runtime(minutes=0, note="cut")],
        trivia=[long],
        goofs=[Goof(category=None, text="x")],
        quotes=[Quote(lines=[QuoteLine(character="A", direction="Poem", text=""), QuoteLine(text="\t")])],
        reviews=[Review(title=None, body=long, score=Score(value=5.0, scale=5), date=dt.date(1870, 1, 1))],
        alternate_titles=[AlternateTitle(title="x", types=[], attributes=["a"], is_original=True)],
        episode_of=EpisodeOf(series_id="tt0", season=0, episode=MAX_COUNT),
        comments_open=False,
    )


def test_extreme_values_round_trip_byte_identical(store: SqlStore, other_db_url: str) -> None:
    store.save_films([extreme(), *catalogue()])
    first = export(store)
    copy = open_store(other_db_url)
    try:
        import_jsonl(copy, io.BytesIO(first.encode()), source="films.jsonl")
        assert export(copy) == first
    finally:
        copy.close()
    assert Film.model_validate_json(first.splitlines()[0]) == extreme()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(films, max_size=3, unique_by=lambda f: f.id))
def test_any_valid_films_export_import_export_byte_identical(
    db_url: str, new_sqlite_url: Callable[[], str], batch: list[Film]
) -> None:
    source, copy = open_store(db_url), open_store(new_sqlite_url())
    try:
        source.save_films(batch)
        first = export(source)
        import_jsonl(copy, io.BytesIO(first.encode()), source="films.jsonl")
        assert export(copy) == first
    finally:
        source.close()
        copy.close()
