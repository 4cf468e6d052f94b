"""Members' own exports in: IMDb ratings/watchlist CSVs and Letterboxd exports; and undo.

How a film named by an export is found:

* IMDb rows carry the IMDb id: the film is that id (``id``).
* Letterboxd rows carry only a name and a year. ``search_titles`` brings candidates; a
  candidate counts only if its normalised title (``formats.query.fold``) equals the name's and
  its year is the same (``exact``); then if an alternate or original title equals it (``alternate``);
  then either with the year one off (``year±1``). Several candidates in the first tier that has
  any: ``ambiguous`` (the most voted is used, the report lists them all). No fuzzy guess is
  ever used: nothing fit means ``added``.
* A film not in the store is added from what the export says about it (IMDb: title, year,
  type, genres, directors, runtime, IMDb rating; Letterboxd: name and year, with a slug id),
  so no rating is dropped.

Every import runs in one transaction and is logged in ``imports``; a dry run does all the work,
reports it, and rolls it back (only the log row stays, marked ``dry_run``). ``undo_import``
removes what an import added and restores what it changed.

The IMDb import is here; the parts are ``member_import_run`` (the run, the log, adding films),
``film_matcher``, ``letterboxd_import`` and ``import_undo``, and this module is their public face.
"""

from __future__ import annotations

from pathlib import Path

from marquee.formats.exports_csv import ImdbRow, decode_export, read_imdb_csv
from marquee.records import Film, PersonRef, Rating, ReleaseDate, Runtime
from marquee.records_library import FilmMatch, ImportKind, ImportReport
from marquee.services.export_files import read_bounded
from marquee.services.film_matcher import FilmMatcher, Wanted
from marquee.services.import_undo import import_runs, undo_import
from marquee.services.letterboxd_import import import_letterboxd
from marquee.services.library import LibraryWriter, user_id_for
from marquee.services.member_import_run import add_films, add_missing_films, count_match, run_import
from marquee.storage import member_rows
from marquee.storage.base import Store

__all__ = [
    "FilmMatcher",
    "Wanted",
    "add_missing_films",
    "import_imdb_ratings",
    "import_letterboxd",
    "import_runs",
    "run_import",
    "undo_import",
]


# ---- IMDb ----------------------------------------------------------------------------------------


def _imdb_film(row: ImdbRow) -> Film:
    """A film as an IMDb export describes it."""
    return Film(
        id=row.const,
        title=row.title,
        original_title=row.original_title if row.original_title != row.title else None,
        kind=row.kind,
        year=row.year,
        genres=list(row.genres),
        directors=[PersonRef(name=name) for name in row.directors],
        rating=Rating(value=row.imdb_rating, votes=row.votes) if row.imdb_rating is not None else None,
        runtimes=[Runtime(minutes=row.runtime)] if row.runtime else [],
        release_dates=[ReleaseDate(date=row.release_date)] if row.release_date else [],
    )


def import_imdb_ratings(
    store: Store, path: str | Path, user_name: str, *, dry_run: bool = False
) -> ImportReport:
    """Import an IMDb ratings export (or watchlist export) for a member."""
    path = Path(path)
    export = read_imdb_csv(decode_export(read_bounded(path), str(path)), str(path))
    kind: ImportKind = "imdb-watchlist" if export.kind == "watchlist" else "imdb-ratings"
    with member_rows.reading(store) as conn:
        user_id_for(conn, user_name)  # a missing member is an error before anything is read
        present = member_rows.existing_films(conn, (r.const for r in export.rows))

    def prepare(report: ImportReport) -> None:
        report.rows = len(export.rows)
        report.notes += [
            f"{where}: {column} {value!r} (no known English name)"
            for (column, value), where in export.unmapped.items()
        ]
        seen: set[str] = set()
        for row in export.rows:
            if row.const in seen:
                continue
            seen.add(row.const)
            if row.const in present:
                count_match(report, "id")
            else:
                count_match(report, "added")
                match = FilmMatch(
                    name=row.title, year=row.year, how="added", film_id=row.const, source=f"{path}:{row.line}"
                )
                report.not_found.append(match)
                report.added_films.append(row.const)

    def work(writer: LibraryWriter) -> None:
        added, seen = [], set()
        for row in export.rows:
            if row.const not in present and row.const not in seen:
                added.append(_imdb_film(row))
                seen.add(row.const)
        add_films(writer, added)
        writer.set_ratings((r.const, r.rating, r.rated_on) for r in export.rows if r.rating is not None)
        if export.kind == "watchlist":
            for row in sorted(export.rows, key=lambda r: (r.position or 0, r.line)):
                writer.add_watchlist(row.const, row.created, row.description)

    return run_import(store, kind, str(path), user_name, work, dry_run=dry_run, prepare=prepare)
