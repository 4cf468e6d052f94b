"""Importing pages merges them by section (issue 15, data loss 1): an IMDb sub-page imported after the
film's main page adds its section and leaves title, rating, cast… as they were; on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marquee.formats.htmlpage import parse_html_bytes
from marquee.formats.jsonld_read import parse_jsonld
from marquee.formats.nfo_read import parse_nfo
from marquee.formats.textpage import PageResult, parse_page
from marquee.records import Film
from marquee.services.jsonlines import export_jsonl
from marquee.services.page_import import import_pages
from marquee.storage.sqlstore import SqlStore
from support.cli import Marquee

HTML = Path(__file__).parent / "data" / "html"
SUBPAGES = HTML / "subpages"
MATRIX_MAIN = HTML / "tt0133093_2023-05-26.html"
TWINS_MAIN = SUBPAGES / "tt1571249_main_2014-07.html"
# sub-page -> the section it adds
MATRIX_SUBPAGES = {
    "tt0133093_trivia_2016-02-26.html": "trivia",
    "tt0133093_taglines_2016-05-09.html": "taglines",
    "tt0133093_fullcredits_2014.html": "cast",
}
TWINS_SUBPAGES = {
    "tt1571249_releaseinfo_2014-07.html": "release_dates",
    "tt1571249_locations_2014-07.html": "filming_locations",
    "tt1571249_fullcredits_2014-07.html": "cast",
    "tt1571249_keywords_2014-07.html": None,
}
# What a sub-page must never change.
HEADLINE = ("title", "year", "kind", "rating", "outline", "plot", "genres", "stars", "runtimes")


def page(path: Path) -> tuple[str, PageResult]:
    return str(path), parse_html_bytes(path.read_bytes(), str(path))


def stored(store: SqlStore, film_id: str) -> Film:
    film = store.get_film(film_id)
    assert film is not None
    return film


def dump(store: SqlStore) -> str:
    class Out:
        text = ""

        def write(self, line: str) -> None:
            self.text += line

    out = Out()
    export_jsonl(store, out)  # type: ignore[arg-type]
    return out.text


@pytest.mark.parametrize(
    ("main", "subpages"), [(MATRIX_MAIN, MATRIX_SUBPAGES), (TWINS_MAIN, TWINS_SUBPAGES)], ids=["2023", "2014"]
)
def test_main_page_then_each_sub_page_keeps_the_film_and_adds_the_section(
    store: SqlStore, main: Path, subpages: dict[str, str | None]
) -> None:
    import_pages(store, [page(main)])
    film_id = page(main)[1].film.id
    before = stored(store, film_id)
    assert before.rating is not None and before.cast
    for name, section in subpages.items():
        sub = page(SUBPAGES / name)
        [report] = import_pages(store, [sub])
        after = stored(store, film_id)
        for field in HEADLINE:
            assert getattr(after, field) == getattr(before, field), f"{name} changed {field}"
        if section is None:
            assert after == before, f"{name} carries no section but changed the film"
            assert report.sections == {}
            continue
        if section == "cast":  # the full cast replaces the top-billed one, ids and characters kept
            assert [c.name for c in after.cast] == [c.name for c in sub[1].film.cast]
            assert all(c.id for c in after.cast) and after.cast[0].character
        else:  # the page shows the section whole: it is the stored section now
            assert getattr(after, section) == getattr(sub[1].film, section), f"{name}: {section} not added"
        assert report.sections[section] == len(getattr(sub[1].film, section))
        before = after


def test_the_trivia_sub_page_keeps_rating_and_cast_of_the_matrix(store: SqlStore) -> None:
    import_pages(store, [page(MATRIX_MAIN)])
    main = stored(store, "tt0133093")
    import_pages(store, [page(SUBPAGES / "tt0133093_trivia_2016-02-26.html")])
    film = stored(store, "tt0133093")
    assert (film.title, film.year) == ("The Matrix", 1999)
    assert film.rating == main.rating and film.rating is not None and film.rating.value == 8.7
    assert film.cast == main.cast and film.cast[0].name == "Keanu Reeves"
    assert len(film.trivia) == 144  # the main page's one item is among the page's 144


def test_sub_pages_first_then_the_main_page_keeps_both(store: SqlStore) -> None:
    subs = [page(SUBPAGES / name) for name in TWINS_SUBPAGES]
    reports = import_pages(store, subs[:1])
    assert reports[0].created
    first = stored(store, "tt1571249")
    assert (first.title, first.year, first.rating, first.cast) == ("The Skeleton Twins", 2014, None, [])
    import_pages(store, subs[1:])
    with_sections = stored(store, "tt1571249")
    import_pages(store, [page(TWINS_MAIN)])
    film = stored(store, "tt1571249")
    assert film.rating is not None and film.rating.value == 7.7
    assert film.genres and film.outline
    # The main page shows one release date, one location and the top-billed cast: every stored one stays.
    for field in ("release_dates", "filming_locations", "cast"):
        assert getattr(film, field)[: len(getattr(with_sections, field))] == getattr(with_sections, field), (
            field
        )
    assert len(film.release_dates) >= 11 and len(film.cast) >= 16
    assert film.filming_locations[:2] == ["New York, USA", "New York City, New York, USA"]


def test_re_importing_every_page_is_idempotent(store: SqlStore) -> None:
    pages = [page(TWINS_MAIN), *(page(SUBPAGES / name) for name in TWINS_SUBPAGES)]
    import_pages(store, pages)
    once = dump(store)
    import_pages(store, pages)
    assert dump(store) == once
    import_pages(store, pages[::-1])  # in any order: nothing duplicated
    film = json.loads(dump(store))
    assert len(film["release_dates"]) == len(
        {(r["date"], r["country"], r["note"]) for r in film["release_dates"]}
    )
    assert len(film["cast"]) == len({c["id"] for c in film["cast"]})
    assert once.count("\n") == 1


def test_several_pages_of_one_film_in_one_call_fold_in_order(store: SqlStore) -> None:
    reports = import_pages(store, [page(SUBPAGES / "tt0133093_taglines_2016-05-09.html"), page(MATRIX_MAIN)])
    assert [r.kind for r in reports] == ["taglines", "main"]
    assert [r.created for r in reports] == [True, False]
    film = stored(store, "tt0133093")
    assert len(film.taglines) == 15 and film.rating is not None


def test_the_cli_merges_a_sub_page_and_says_so(sqlite_url: str, runner: Marquee) -> None:
    db = sqlite_url
    first = runner("--db", db, "import", "page", str(MATRIX_MAIN))
    assert first.exit_code == 0, first.stderr
    assert "stored tt0133093: The Matrix (1999)" in first.stdout
    trivia = SUBPAGES / "tt0133093_trivia_2016-02-26.html"
    second = runner("--db", db, "import", "page", str(trivia))
    assert second.exit_code == 0, second.stderr
    assert "merged tt0133093: The Matrix (1999) from its trivia page: trivia (144)" in second.stdout
    shown = json.loads(runner("--db", db, "show", "tt0133093").stdout)
    assert shown["rating"]["value"] == 8.7 and shown["cast"][0]["name"] == "Keanu Reeves"
    assert len(shown["trivia"]) == 144


MATRIX_TRIVIA = SUBPAGES / "tt0133093_trivia_2016-02-26.html"
MATRIX_TAGLINES = SUBPAGES / "tt0133093_taglines_2016-05-09.html"


def test_each_section_names_the_page_and_the_layout_it_was_read_as(store: SqlStore) -> None:
    [main] = import_pages(store, [page(MATRIX_MAIN)])
    assert main.layout == "imdb-2022-nextdata"
    assert main.summary() == "stored tt0133093: The Matrix (1999), read as imdb-2022-nextdata"
    film = stored(store, "tt0133093")
    from_main = f"page:{MATRIX_MAIN}#imdb-2022-nextdata"
    for section in ("title", "year", "rating", "cast", "genres", "trivia", "countries"):
        assert film.sources[section] == from_main, section
    [trivia] = import_pages(store, [page(MATRIX_TRIVIA)])
    assert trivia.summary().endswith("from its trivia page: trivia (144), read as imdb-2010-trivia")
    film = stored(store, "tt0133093")
    assert film.sources["trivia"] == f"page:{MATRIX_TRIVIA}#imdb-2010-trivia"
    assert film.sources["title"] == film.sources["cast"] == from_main  # the sub-page did not touch them


def test_pages_of_one_film_stored_at_once_each_name_the_sections_they_gave(store: SqlStore) -> None:
    import_pages(store, [page(MATRIX_TAGLINES), page(MATRIX_MAIN), page(MATRIX_TRIVIA)])
    film = stored(store, "tt0133093")
    assert film.sources["taglines"] == f"page:{MATRIX_TAGLINES}#imdb-2010-taglines"
    assert film.sources["trivia"] == f"page:{MATRIX_TRIVIA}#imdb-2010-trivia"
    assert film.sources["rating"] == film.sources["cast"] == f"page:{MATRIX_MAIN}#imdb-2022-nextdata"
    assert not any(" + " in source for source in film.sources.values())


def test_a_text_page_names_marquees_own_layout(store: SqlStore) -> None:
    path = Path(__file__).parent / "data" / "pages" / "mask-1985.txt"
    [report] = import_pages(store, [(str(path), parse_page(path.read_text(encoding="utf-8"), str(path)))])
    assert report.layout == "marquee-text"
    assert stored(store, report.film_id).sources["title"] == f"page:{path}#marquee-text"


def test_the_cli_prints_the_layout_of_each_page_and_show_lists_it_as_the_source(
    sqlite_url: str, runner: Marquee
) -> None:
    db = sqlite_url
    result = runner("--db", db, "import", "page", str(MATRIX_MAIN), str(MATRIX_TRIVIA))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "stored tt0133093: The Matrix (1999), read as imdb-2022-nextdata",
        "merged tt0133093: The Matrix (1999) from its trivia page: trivia (144), read as imdb-2010-trivia",
    ]
    assert "read as imdb-2022-nextdata (a title in __NEXT_DATA__)" in result.stderr  # the diagnostics
    shown = json.loads(runner("--db", db, "show", "tt0133093").stdout)
    assert shown["sources"]["trivia"] == f"page:{MATRIX_TRIVIA}#imdb-2010-trivia"
    assert shown["sources"]["title"] == f"page:{MATRIX_MAIN}#imdb-2022-nextdata"


def test_an_nfo_and_a_jsonld_file_name_their_formats(store: SqlStore) -> None:
    nfo = '<movie><title>Heat</title><year>1995</year><uniqueid type="imdb">tt0113277</uniqueid></movie>'
    ld = '{"@context": "https://schema.org", "@type": "Movie", "name": "Ronin", "url": "/title/tt0122690"}'
    [from_nfo] = import_pages(store, [("heat/movie.nfo", parse_nfo(nfo, source="heat/movie.nfo"))])
    [result] = parse_jsonld(ld, source="ronin.jsonld")
    [from_ld] = import_pages(store, [("ronin.jsonld", result)])
    assert (from_nfo.layout, from_ld.layout) == ("kodi-nfo", "schema-jsonld")
    assert stored(store, from_nfo.film_id).sources["title"] == "page:heat/movie.nfo#kodi-nfo"
    assert stored(store, from_ld.film_id).sources["title"] == "page:ronin.jsonld#schema-jsonld"
