"""Members' IMDb and Letterboxd exports in: facts from the real files, dry run, idempotence, undo."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from marquee.errors import InputError, NotFound
from marquee.records import AlternateTitle, Film, Rating
from marquee.services import library
from marquee.services.accounts import create_user
from marquee.services.community import my_rating
from marquee.services.member_import import (
    import_imdb_ratings,
    import_letterboxd,
    import_runs,
    undo_import,
)
from marquee.storage import SqlStore
from marquee.storage.community_schema import member_ratings, member_reviews
from marquee.storage.member_rows import titles_named

DATA = Path(__file__).parent / "data" / "exports"
IMDB = DATA / "imdb-ratings" / "rollekino_2021_imdb_ratings.csv"
LETTERBOXD = DATA / "letterboxd" / "extratone"

MEMBER_TABLES = (
    "member_ratings",
    "member_reviews",
    "diary_entries",
    "watchlist",
    "member_lists",
    "list_items",
    "likes",
    "titles",
)  # not import_changes: that is the imports' history, kept after an undo


@pytest.fixture
def ann(store: SqlStore) -> Any:
    return create_user(store, "ann", "password123")


def _snapshot(store: SqlStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import may touch, sorted: to compare whole states."""
    out = {}
    with store.reading() as conn:
        for table in MEMBER_TABLES:
            rows = conn.execute(text(f"SELECT * FROM {table}")).all()
            out[table] = sorted(tuple(str(v) for v in r) for r in rows)
    return out


def _count(store: SqlStore, table: str) -> int:
    with store.reading() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _head(tmp_path: Path, rows: int) -> Path:
    """The first ``rows`` ratings of the real IMDb export (same bytes, same Latin-1 encoding)."""
    lines = IMDB.read_bytes().splitlines(keepends=True)
    path = tmp_path / "ratings-head.csv"
    path.write_bytes(b"".join(lines[: rows + 1]))
    return path


# ---- IMDb ----------------------------------------------------------------------------------------


def test_imdb_ratings_export_imports_every_rating_with_its_facts(store: SqlStore, ann: Any) -> None:
    store.save_film(Film(id="tt0100157", title="Misery", year=1990, rating=Rating(value=7.8, votes=1)))
    report = import_imdb_ratings(store, IMDB, "ann")
    assert report.rows == 3086
    assert report.matched == {"id": 1, "added": 3085}
    assert report.change("member_ratings").added == 3086
    assert _count(store, "member_ratings") == 3086
    assert my_rating(store, ann, "tt0100157") == 7  # Misery, rated 7 on 2009-01-26
    assert my_rating(store, ann, "tt0110413") == 10  # Léon
    assert store.get_film("tt0100157").rating.votes == 1  # a film already stored is left as it was
    # Films the store lacked come from the export: Latin-1 text decoded, two directors, genres, type.
    leon = store.get_film("tt0110413")
    assert leon is not None and leon.title == "Léon" and leon.year == 1994
    assert leon.runtimes[0].minutes == 110 and leon.rating is not None and leon.rating.value == 8.5
    millers = store.get_film("tt0100150")
    assert millers is not None
    assert [d.name for d in millers.directors] == ["Joel Coen", "Ethan Coen"]
    assert millers.genres == ["Crime", "Drama", "Thriller"]
    with store.reading() as conn:
        kinds = dict(conn.execute(text("SELECT kind, count(*) FROM titles GROUP BY kind")).all())
    assert kinds["tvSeries"] == 107 and kinds["movie"] == 2870
    with store.reading() as conn:
        rated = conn.execute(
            select(member_ratings.c.updated_at).where(member_ratings.c.title_id == "tt0100157")
        ).scalar_one()
    assert rated.date() == dt.date(2009, 1, 26)


def test_imdb_dry_run_changes_nothing_reimport_changes_nothing_and_undo_restores(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    from marquee.services.community import rate

    store.save_film(Film(id="tt10003008", title="The Rental", year=2020))
    rate(store, ann, "tt10003008", 9)  # the member's own rating before the import (the file says 6)
    path = _head(tmp_path, 40)
    before = _snapshot(store)

    dry = import_imdb_ratings(store, path, "ann", dry_run=True)
    assert dry.dry_run and dry.change("member_ratings").added == 39
    assert dry.change("member_ratings").updated == 1
    assert _snapshot(store) == before  # nothing changed…
    assert _count(store, "import_changes") == 0
    assert [(r.kind, r.dry_run) for r in import_runs(store, "ann")] == [
        ("imdb-ratings", True)
    ]  # …but the log

    done = import_imdb_ratings(store, path, "ann")
    assert done.changed == dry.changed  # the dry run told the truth
    assert my_rating(store, ann, "tt10003008") == 6
    after = _snapshot(store)

    again = import_imdb_ratings(store, path, "ann")
    assert again.changed == 0 and again.change("member_ratings").unchanged == 40
    assert _snapshot(store) == after

    undone = undo_import(store, done.import_id or 0)
    assert undone.change("member_ratings").removed == 39 and undone.change("titles").removed == 39
    assert my_rating(store, ann, "tt10003008") == 9  # the rating from before the import is back
    assert _snapshot(store) == before
    with pytest.raises(InputError, match="already undone"):
        undo_import(store, done.import_id or 0)
    with pytest.raises(InputError, match="dry run"):
        undo_import(store, dry.import_id or 0)
    with pytest.raises(NotFound):
        undo_import(store, 9999)


HEADER_2017 = (
    "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,"
    "Release Date,Directors"
)
HEADER_2023 = (
    "Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,"
    "Num Votes,Release Date,Directors"
)


def test_imdb_newer_header_bom_and_original_title(store: SqlStore, ann: Any, tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    row = (
        "tt0211915,9,2023-04-01,Amélie,Le fabuleux destin d'Amélie Poulain,https://www.imdb.com/title/tt0211915/,"
        'Movie,8.3,122,2001,"Comedy, Romance",780000,2001-04-25,Jean-Pierre Jeunet'
    )
    path.write_bytes(("\ufeff" + HEADER_2023 + "\r\n" + row + "\r\n").encode("utf-8"))
    report = import_imdb_ratings(store, path, "ann")
    assert report.rows == 1 and my_rating(store, ann, "tt0211915") == 9
    film = store.get_film("tt0211915")
    assert film is not None and film.kind == "movie"
    assert film.original_title == "Le fabuleux destin d'Amélie Poulain"


def test_imdb_watchlist_export_fills_the_watchlist(store: SqlStore, ann: Any, tmp_path: Path) -> None:
    path = tmp_path / "WATCHLIST.csv"
    path.write_text(
        "Position,Const,Created,Modified,Description,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,"
        "Genres,Num Votes,Release Date,Directors\n"
        "2,tt0089560,2019-05-02,2019-05-02,,Mask,https://www.imdb.com/title/tt0089560/,movie,7.2,120,1985,"
        "Drama,30000,1985-03-08,Peter Bogdanovich\n"
        "1,tt0133093,2019-05-01,2019-05-01,must see,The Matrix,https://www.imdb.com/title/tt0133093/,movie,8.7,"
        '136,1999,"Action, Sci-Fi",2000000,1999-03-31,"Lana Wachowski, Lilly Wachowski"\n',
        encoding="utf-8",
    )
    report = import_imdb_ratings(store, path, "ann")
    assert report.kind == "imdb-watchlist"
    entries = library.watchlist_of(store, "ann")
    assert [(e.film_id, e.added_on, e.note) for e in entries] == [
        ("tt0133093", dt.date(2019, 5, 1), "must see"),
        ("tt0089560", dt.date(2019, 5, 2), None),
    ]
    assert _count(store, "member_ratings") == 0


def test_imdb_bad_input_names_file_line_and_field(store: SqlStore, ann: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(HEADER_2017 + "\ntt0000001,11,2020-01-01,X,,movie,,,,,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv:2: Your Rating: must be 1 to 10"):
        import_imdb_ratings(store, path, "ann")
    with pytest.raises(NotFound, match="no member"):
        import_imdb_ratings(store, IMDB, "nobody")
    with pytest.raises(InputError, match=r"missing\.csv: no such file"):
        import_imdb_ratings(store, tmp_path / "missing.csv", "ann")
    assert _count(store, "member_ratings") == 0


# ---- Letterboxd ----------------------------------------------------------------------------------


def _catalogue(store: SqlStore) -> None:
    """A few films the extratone export names, stored the ways matching must cope with."""
    store.save_films(
        [
            Film(id="tt0780504", title="Drive", year=2011, rating=Rating(value=7.8, votes=700000)),
            # Known here by its Swedish title; the export says "A Man Called Ove".
            Film(
                id="tt4080728",
                title="En man som heter Ove",
                year=2015,
                alternate_titles=[AlternateTitle(title="A Man Called Ove", region="US")],
            ),
            # The export says 1953; this store has 1952.
            Film(id="tt0046345", title="Summer with Monika", year=1952),
            # Two films named King Kong in 2005: ambiguous, the most voted wins and the report says so.
            Film(id="tt0360717", title="King Kong", year=2005, rating=Rating(value=7.2, votes=400000)),
            Film(
                id="tt0430033",
                title="King Kong",
                year=2005,
                kind="videoGame",
                rating=Rating(value=7, votes=900),
            ),
            Film(id="tt1375666", title="Inception", year=2010, rating=Rating(value=8.8, votes=2400000)),
        ]
    )


def test_letterboxd_export_imports_real_facts(store: SqlStore, ann: Any) -> None:
    _catalogue(store)
    report = import_letterboxd(store, LETTERBOXD, "ann")
    # Matching, and a clear report of how.
    by_name = {m.name: m for m in report.ambiguous + report.fuzzy + report.not_found}
    assert (
        by_name["A Man Called Ove"].how == "alternate" and by_name["A Man Called Ove"].film_id == "tt4080728"
    )
    assert (
        by_name["Summer with Monika"].how == "year±1" and by_name["Summer with Monika"].film_id == "tt0046345"
    )
    assert by_name["King Kong"].how == "ambiguous" and by_name["King Kong"].film_id == "tt0360717"
    assert by_name["King Kong"].candidates == ["tt0360717", "tt0430033"]
    assert by_name["Christine"].how == "added" and by_name["Christine"].film_id == "christine-1983"
    assert "Drive" not in by_name  # an exact match is not worth a line
    assert report.matched["exact"] == 2  # Drive and Inception
    christine = store.get_film("christine-1983")
    assert christine is not None and (christine.title, christine.year) == ("Christine", 1983)
    nameless_year = store.get_film("one-of-the-roughs-a-kosmos")  # no year in the export
    assert nameless_year is not None and nameless_year.year is None
    assert any("comments.csv" in s for s in report.skipped)

    # ratings.csv: 233 films, stars doubled.
    assert _count(store, "member_ratings") == 233
    assert my_rating(store, ann, "tt0780504") == 10  # Drive, 5 stars
    assert my_rating(store, ann, "pixels-2015") == 1  # Pixels, half a star
    # diary.csv: 317 viewings; plus films only marked watched, undated.
    entries = library.diary(store, "ann")
    dated = [e for e in entries if e.source_uri and e.watched_on and "boxd.it" in e.source_uri]
    assert len([e for e in entries if e.watched_on is not None]) == 317
    spectre = [e for e in dated if e.film_id == "spectre-2015"]
    assert len(spectre) == 1
    assert (spectre[0].watched_on, spectre[0].rewatch, spectre[0].rating) == (dt.date(2017, 12, 31), True, 6)
    assert spectre[0].review is not None and spectre[0].review.startswith("Big Dan")
    inception = sorted(e.watched_on for e in entries if e.film_id == "tt1375666" and e.rewatch)
    assert inception == [dt.date(2018, 1, 22), dt.date(2024, 3, 18)]
    abyss = [(e.watched_on, e.tags, e.rating) for e in entries if e.film_id == "the-abyss-1989"]
    assert abyss == [(dt.date(2024, 4, 11), [], 9), (dt.date(2019, 11, 26), ["sierra"], 9)]
    # reviews.csv: the latest review of a film is the member's review (Watchmen has two).
    with store.reading() as conn:
        watchmen = conn.execute(
            select(member_reviews.c.body, member_reviews.c.score_value).where(
                member_reviews.c.title_id == "watchmen-2009"
            )
        ).one()
        reviews = conn.execute(select(func.count()).select_from(member_reviews)).scalar_one()
    assert watchmen.body.startswith("You know, I’ve hated this movi") and watchmen.score_value == 7
    assert reviews == 125  # 127 reviews of 125 films
    # watchlist.csv: 113 films, the first added 2018-01-29.
    watch = library.watchlist_of(store, "ann")
    assert len(watch) == 113
    assert (watch[0].film_id, watch[0].added_on) == ("tank-1984", dt.date(2018, 1, 29))
    # lists: six, items in order.
    lists = {m.name: m for m in library.member_lists_of(store, "ann")}
    assert len(lists) == 6
    sleepy = next(m for name, m in lists.items() if name.startswith("Trying to Fall Asleep"))
    assert [i.title for i in sleepy.items] == [
        "Kill Bill: Vol. 1",
        "Bill & Ted's Excellent Adventure",
        "Pulp Fiction",
        "Ghostbusters",
        "School of Rock",
    ]
    assert sleepy.tags == ["genx", "80s", "cult"] and sleepy.created_on == dt.date(2021, 2, 28)
    assert [i.position for i in lists["Media Meta"].items] == list(range(1, 8))
    # likes: 89 films, 13 lists, 235 reviews.
    kinds = [like.kind for like in library.member_likes(store, "ann")]
    assert (kinds.count("film"), kinds.count("list"), kinds.count("review")) == (89, 13, 235)


def test_letterboxd_dry_run_idempotence_and_undo(store: SqlStore, ann: Any, tmp_path: Path) -> None:
    from marquee.services.community import rate

    _catalogue(store)
    rate(store, ann, "tt0780504", 3)  # Drive, rated before the import (the export says 10)
    before = _snapshot(store)
    # A zip, as Letterboxd hands it out (files under one folder).
    archive = tmp_path / "letterboxd-ann.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in LETTERBOXD.rglob("*.csv"):
            zf.write(path, f"letterboxd-ann-2024/{path.relative_to(LETTERBOXD).as_posix()}")

    dry = import_letterboxd(store, archive, "ann", dry_run=True)
    assert dry.changed > 0 and _snapshot(store) == before

    done = import_letterboxd(store, archive, "ann")
    assert done.changed == dry.changed and done.matched == dry.matched
    assert my_rating(store, ann, "tt0780504") == 10
    after = _snapshot(store)

    again = import_letterboxd(store, LETTERBOXD, "ann")  # the same export, unpacked this time
    assert again.changed == 0, again.summary_lines()
    assert set(again.matched) == {"exact", "alternate", "year±1", "ambiguous"}
    assert _snapshot(store) == after

    undo_import(store, done.import_id or 0)
    assert my_rating(store, ann, "tt0780504") == 3
    assert _snapshot(store) == before


def test_letterboxd_folder_without_export_files_is_an_input_error(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="no CSV files"):
        import_letterboxd(store, tmp_path, "ann")
    bad = tmp_path / "lb"
    shutil.copytree(LETTERBOXD, bad)
    (bad / "ratings.csv").write_text("Date,Name,Year,Letterboxd URI,Rating\n2020-01-01,X,2020,u,7\n", "utf-8")
    with pytest.raises(InputError, match=r"ratings\.csv:2: Rating: must be 0\.5 to 5 stars"):
        import_letterboxd(store, bad, "ann")
    assert _count(store, "member_ratings") == 0


def test_letterboxd_matching_folds_names_and_reports_normalised_matches(
    store: SqlStore, ann: Any, tmp_path: Path
) -> None:
    store.save_films(
        [
            Film(id="tt0110413", title="Léon", year=1994),
            Film(id="tt0133093", title="The Matrix", year=1999),
            Film(id="tt0062622", title="2001: A Space Odyssey", year=1968),
            Film(id="tt0120737", title="Matrix Reloaded", year=2003),
        ]
    )
    folder = tmp_path / "lb"
    folder.mkdir()
    (folder / "ratings.csv").write_text(
        "Date,Name,Year,Letterboxd URI,Rating\n"
        "2020-01-01,LEON,1994,https://boxd.it/a,4\n"  # case and accents folded: exact
        "2020-01-02,Matrix,1999,https://boxd.it/b,5\n"  # "The" set aside: normalised, and reported
        "2020-01-03,2001 - a space odyssey,1968,https://boxd.it/c,5\n"  # punctuation folded: exact
        "2020-01-04,Matrix,2010,https://boxd.it/d,3\n",  # no film of that name near 2010: added
        encoding="utf-8",
    )
    report = import_letterboxd(store, folder, "ann")
    assert report.matched == {"exact": 2, "normalised": 1, "added": 1}
    assert [(m.name, m.film_id, m.matched_title) for m in report.fuzzy] == [
        ("Matrix", "tt0133093", "The Matrix")
    ]
    assert any(line.startswith("normalised: Matrix (1999) -> tt0133093") for line in report.summary_lines())
    assert [(m.name, m.film_id) for m in report.not_found] == [("Matrix", "matrix-2010")]
    assert my_rating(store, ann, "tt0110413") == 8 and my_rating(store, ann, "tt0062622") == 10
    assert my_rating(store, ann, "tt0133093") == 10 and my_rating(store, ann, "matrix-2010") == 6
    assert my_rating(store, ann, "tt0120737") is None


def test_names_asked_at_once_are_answered_each_in_its_place(film_store: SqlStore) -> None:
    # The matcher asks every spelling of a film in one statement; each answer must stay with its name.
    with film_store.reading() as conn:
        mask, missing, again, ending = titles_named(conn, [" mask ", " no such film ", " mask ", "% mask "])
        assert {row[0] for row in mask} == {"tt0089560"} and mask == again
        assert missing == [] and {row[0] for row in ending} == {"tt0089560"}
        assert titles_named(conn, []) == []
