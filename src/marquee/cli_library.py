"""CLI commands for members' exports in and out (issue 8), registered by ``marquee.cli``.

    marquee import imdb-ratings FILE --user NAME [--dry-run]
    marquee import letterboxd ZIP_OR_DIR --user NAME [--dry-run]
    marquee import archive FILE --user NAME [--dry-run]
    marquee import undo IMPORT_ID
    marquee import history [--user NAME]
    marquee export --user NAME --format letterboxd|archive [-o FILE]
    marquee export --format jsonld|nfo [-o FILE|DIR]

``register(import_app)`` adds the import commands; ``marquee export`` (the lead's) calls
``export_command(store, user, format, output)`` for every format but JSON lines.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from marquee.cli_common import errors_to_exit, opened_store
from marquee.errors import InputError

if TYPE_CHECKING:
    from marquee.records_library import ImportReport
    from marquee.storage.base import Store

__all__ = ["EXPORT_FORMATS", "export_command", "print_report", "register"]

EXPORT_FORMATS = ("jsonl", "jsonld", "nfo", "letterboxd", "archive")
_MEMBER_FORMATS = ("letterboxd", "archive")
_SHOWN = 25  # report lines per kind before "… and N more"

User = Annotated[str, typer.Option("--user", "-u", help="The member whose data it is.", metavar="NAME")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")]


def print_report(report: ImportReport) -> None:
    """The import report on stdout, long lists cut short."""
    lines = report.summary_lines()
    kept: list[str] = []
    per_kind: dict[str, int] = {}
    for line in lines:
        kind = line.split(":", 1)[0] if not line.startswith(" ") else ""
        if kind in (
            "ambiguous",
            "alternate",
            "year±1",
            "normalised",
            "not found, added",
            "skipped",
            "kept as written",
        ):
            per_kind[kind] = per_kind.get(kind, 0) + 1
            if per_kind[kind] == _SHOWN + 1:
                kept.append(f"{kind}: …")
            if per_kind[kind] > _SHOWN:
                continue
        kept.append(line)
    for kind, count in per_kind.items():
        if count > _SHOWN:
            kept.append(f"{kind}: {count} in all ({count - _SHOWN} not shown)")
    if not report.dry_run and not report.undone and report.import_id:
        kept.append(f"undo with: marquee import undo {report.import_id}")
    typer.echo("\n".join(kept))


def _run(action: str, *args: object, **kwargs: object) -> None:
    """Open the store, run one import service function, print its report (errors become exit codes)."""
    from marquee.services import member_export, member_import

    functions = {
        "imdb": member_import.import_imdb_ratings,
        "letterboxd": member_import.import_letterboxd,
        "archive": member_export.import_archive,
        "undo": member_import.undo_import,
    }
    with opened_store() as store, errors_to_exit():
        report = functions[action](store, *args, **kwargs)  # type: ignore[operator]
    print_report(report)


def import_imdb_ratings_cmd(
    file: Annotated[Path, typer.Argument(help="IMDb's ratings.csv or WATCHLIST.csv export.")],
    user: User,
    dry_run: DryRun = False,
) -> None:
    """Import a member's IMDb ratings (or watchlist) export."""
    _run("imdb", file, user, dry_run=dry_run)


def import_letterboxd_cmd(
    location: Annotated[Path, typer.Argument(help="Letterboxd's export zip, or the folder it unpacks to.")],
    user: User,
    dry_run: DryRun = False,
) -> None:
    """Import a member's Letterboxd export: diary, ratings, reviews, watched, watchlist, likes, lists."""
    _run("letterboxd", location, user, dry_run=dry_run)


def import_archive_cmd(
    file: Annotated[Path, typer.Argument(help="A Marquee archive (marquee export --format archive).")],
    user: User,
    dry_run: DryRun = False,
) -> None:
    """Import a member's Marquee archive."""
    _run("archive", file, user, dry_run=dry_run)


def import_undo_cmd(import_id: Annotated[int, typer.Argument(help="The id an import printed.")]) -> None:
    """Undo an import as a whole."""
    _run("undo", import_id)


def import_history_cmd(
    user: Annotated[
        str | None, typer.Option("--user", "-u", help="Only this member's.", metavar="NAME")
    ] = None,
) -> None:
    """List member imports, newest first: id, when, member, kind, source, and whether undone or a dry run."""
    from marquee.services.member_import import import_runs

    with opened_store() as store, errors_to_exit():
        runs = import_runs(store, user)
    for run in runs:
        state = (
            "dry run"
            if run.dry_run
            else f"undone {run.undone_at:%Y-%m-%d %H:%M}"
            if run.undone_at
            else "done"
        )
        changed = sum(
            sum(c.get(k, 0) for k in ("added", "updated")) for c in run.summary.get("changes", {}).values()
        )
        fields = [str(run.id), f"{run.created_at:%Y-%m-%d %H:%M}", run.user, run.kind, state]
        typer.echo("\t".join([*fields, f"{changed} rows", run.source]))


def register(import_app: typer.Typer) -> None:
    """Add the member import commands to ``marquee import``."""
    import_app.command("imdb-ratings")(import_imdb_ratings_cmd)
    import_app.command("letterboxd")(import_letterboxd_cmd)
    import_app.command("archive")(import_archive_cmd)
    import_app.command("undo")(import_undo_cmd)
    import_app.command("history")(import_history_cmd)


@contextlib.contextmanager
def _text_output(output: Path | None) -> Iterator[TextIO]:
    if output is None:
        yield sys.stdout
        return
    try:
        handle = output.open("w", encoding="utf-8", newline="\n")
    except OSError as err:
        raise InputError(f"{output}: cannot write: {err.strerror}") from None
    with handle:
        yield handle


def export_command(store: Store, user: str | None, format: str, output: Path | None) -> str:
    """Run ``marquee export`` for every format but ``jsonl``; returns the line to print on stderr.

    ``letterboxd`` and ``archive`` need ``user``; ``nfo`` needs ``output`` (a folder).
    Raises InputError for a bad combination.
    """
    from marquee.services import member_export

    if format not in EXPORT_FORMATS or format == "jsonl":
        raise InputError(f"--format: must be one of {', '.join(EXPORT_FORMATS[1:])} here, not {format!r}")
    if format in _MEMBER_FORMATS and not user:
        raise InputError(f"--format {format}: name the member with --user NAME")
    if format not in _MEMBER_FORMATS and user:
        raise InputError(f"--format {format}: exports films, not a member's data; drop --user")
    if format == "nfo":
        if output is None:
            raise InputError("--format nfo: give the folder to write to with -o DIR")
        count = member_export.export_nfo(store, output)
        return f"exported {count} films as movie.nfo files under {output}"
    with _text_output(output) as out:
        if format == "jsonld":
            count = member_export.export_jsonld(store, out)
            return f"exported {count} films as JSON-LD"
        assert user is not None
        if format == "letterboxd":
            count = member_export.export_letterboxd(store, user, out)
            return f"exported {count} rows of {user}'s data as Letterboxd CSV"
        archive = member_export.export_archive(store, user, out)
        return (
            f"exported {user}'s archive: {len(archive.ratings)} ratings, {len(archive.reviews)} reviews, "
            f"{len(archive.diary)} diary entries, {len(archive.watchlist)} on the watchlist, "
            f"{len(archive.lists)} lists"
        )
