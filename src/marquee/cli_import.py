"""The ``marquee import`` commands for films (page, json, imdb, wikidata), and reading pages for them and
for ``marquee parse`` (a file of pages, a folder, JSON-LD lines, ``movie.nfo``), diagnostics printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from marquee.cli_common import cli_settings, errors_to_exit, opened_store
from marquee.cli_describe import after_import as describe_after_import
from marquee.cli_discover import after_import
from marquee.errors import InputError, NotAMoviePage

if TYPE_CHECKING:
    from marquee.formats.textpage import PageResult


def read_page(path: Path) -> PageResult:
    """The one film of a movie page (see ``read_pages``); a file holding several is refused."""
    results = read_pages(path)
    if len(results) != 1:
        raise InputError(f"{path}: holds {len(results)} films; `marquee import page` stores them all")
    return results[0]


def read_pages(path: Path, *, echo: bool = True) -> list[PageResult]:
    """Read a movie page (text layout, HTML, Marquee's JSON-LD or JSON-LD lines, a Kodi/Jellyfin
    ``.nfo``) and parse it; diagnostics go to stderr (``echo=False``: the caller's to print).

    At most ``limits.MAX_FILE_BYTES`` are read (``/dev/zero`` or a huge file is refused, not read
    whole); every refusal names the file as given and, where there is one, the line.
    """
    from marquee.formats import htmlpage, jsonld_read, nfo_read, textpage
    from marquee.services.input_files import read_input

    raw = read_input(path)
    try:
        if raw.lstrip()[:1] == b"<" or raw.startswith((b"\xef\xbb\xbf<", b"\xff\xfe", b"\xfe\xff")):
            # Saved web pages declare their own charset; decode_html honours it.
            text = htmlpage.decode_html(raw, str(path))
        elif b"\x00" in raw:
            line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
            raise NotAMoviePage(f"{path}:{line}: not a movie page: binary data (a NUL byte)")
        else:
            text = raw.decode("utf-8-sig")
        if jsonld_read.looks_like_jsonld(text):
            results = jsonld_read.parse_jsonld(text, source=str(path))
        elif nfo_read.looks_like_nfo(text):
            results = [nfo_read.parse_nfo(text, source=str(path))]
        elif htmlpage.looks_like_html(text):
            results = [htmlpage.parse_html_page(text, source=str(path))]
        else:
            results = [textpage.parse_page(text, source=str(path))]
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"{path}:{line}: not a movie page: not UTF-8 text (column {column})") from None
    except NotAMoviePage as exc:
        reason = str(exc)
        raise NotAMoviePage(
            reason if reason.startswith(str(path)) else f"{path}: not a movie page: {reason}"
        ) from None
    if echo:
        echo_diagnostics(results)
    return results


def echo_diagnostics(results: list[PageResult]) -> None:
    """Each page's diagnostics (the layout it was read as, what could not be placed) on stderr."""
    for result in results:
        for diagnostic in result.diagnostics:
            typer.echo(str(diagnostic), err=True)


def register(import_app: typer.Typer) -> None:
    """Add the film import commands (page, json, imdb, wikidata) to the ``import`` group."""

    @import_app.command("page")
    def import_page(files: Annotated[list[Path], typer.Argument(help="Movie pages to store.")]) -> None:
        """Store movie pages; a page adds or updates the sections it shows (an IMDb sub-page: its own).

        Also reads back Marquee's own JSON-LD export (one film a line) and Kodi/Jellyfin ``movie.nfo``
        files."""
        from marquee.services.page_import import import_pages

        with errors_to_exit():
            pages = [(str(path), result) for path in files for result in read_pages(path, echo=False)]
        with opened_store() as store:
            reports = import_pages(store, pages)
        # After the store took them: a refused batch shows its one error line, nothing else.
        echo_diagnostics([result for _, result in pages])
        for report in reports:
            typer.echo(report.summary())

    @import_app.command("json")
    def import_json(
        file: Annotated[Path, typer.Argument(help="JSON lines written by `marquee export`.")],
    ) -> None:
        """Read films from JSON lines (one record per line)."""
        from marquee.services.jsonlines import import_jsonl

        with opened_store() as store, errors_to_exit():
            try:
                handle = file.open("rb")  # decoded line by line, with a bound on each line
            except OSError as exc:
                raise InputError(f"{file}: cannot read: {exc.strerror}") from None
            with handle:
                count = import_jsonl(store, handle, source=str(file))
            after_import(store)
            describe_after_import(store)
        typer.echo(f"imported {count} films from {file}")

    @import_app.command("imdb")
    def import_imdb(
        directory: Annotated[
            Path, typer.Argument(help="Folder with IMDb's dataset files (.tsv or .tsv.gz).")
        ],
        skip_bad_rows: Annotated[
            bool, typer.Option("--skip-bad-rows", help="Skip bad rows instead of stopping.")
        ] = False,
        rejects: Annotated[
            Path | None, typer.Option("--rejects", help="Where skipped rows are written.", metavar="FILE")
        ] = None,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
        no_space_check: Annotated[
            bool,
            typer.Option(
                "--no-space-check", help="Start even if the store's disk looks too small for the import."
            ),
        ] = False,
    ) -> None:
        """Import IMDb's datasets (title.basics, title.akas, …, name.basics) into the store."""
        from marquee.cli_progress import import_progress
        from marquee.services.imdb_import import import_imdb_datasets

        settings = cli_settings()
        with opened_store(settings) as store, errors_to_exit(), import_progress(quiet=quiet) as progress:
            summary = import_imdb_datasets(
                store,
                directory,
                skip_bad_rows=skip_bad_rows,
                rejects_path=rejects,
                progress=progress,
                trace=settings.import_trace,
                check_space=not no_space_check,
            )
            say = None if progress is None else progress.stage
            after_import(store, say, summary.changed_titles)
            describe_after_import(store, say)
        typer.echo(str(summary), err=quiet)

    @import_app.command("wikidata")
    def import_wikidata_cmd(
        file: Annotated[
            Path, typer.Argument(help="Wikidata film data: JSON lines, or a SPARQL result (JSON or CSV).")
        ],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Show what would change; change nothing.")
        ] = False,
        create: Annotated[
            bool, typer.Option("--create", help="Also add the films the store does not have.")
        ] = False,
    ) -> None:
        """Fill films' countries, languages, locations, box office, releases, runtimes, scores and awards."""
        from marquee.services.wikidata_import import import_wikidata

        with opened_store() as store, errors_to_exit():
            report = import_wikidata(store, file, dry_run=dry_run, create=create)
        typer.echo(report.summary())
