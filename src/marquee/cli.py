"""The ``marquee`` command: each command opens the store, calls one library function and
turns Marquee's errors into a one-line message and an exit code (see ``errors.py``)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from marquee.cli_admin import register as register_admin_commands
from marquee.cli_common import cli_settings, errors_to_exit, fail, opened_store, state
from marquee.cli_discover import register as register_discover_commands
from marquee.cli_edit import register as register_edit_commands
from marquee.cli_import import read_page
from marquee.cli_import import register as register_import_commands
from marquee.cli_library import export_command
from marquee.cli_library import register as register_library_commands
from marquee.cli_status import register as register_status_commands
from marquee.errors import NotFound

app = typer.Typer(
    name="marquee",
    help="Marquee: a self-hosted movie database.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
import_app = typer.Typer(
    help="Import films: pages, JSON lines, IMDb datasets, Wikidata.", no_args_is_help=True
)
user_app = typer.Typer(help="Manage members.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
demo_app = typer.Typer(help="The demo catalogue an empty store gets.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(demo_app, name="demo")
register_library_commands(import_app)
register_import_commands(import_app)
register_admin_commands(user_app, token_app)
register_edit_commands(app)
register_discover_commands(app)
register_status_commands(app)


class _WarningLines(logging.Handler):
    """Store warnings (stored values read without what the rules refuse) as ``marquee: warning:`` lines."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"marquee: warning: {record.getMessage()}", err=True)


@contextlib.contextmanager
def store_warnings() -> Iterator[None]:
    """Show the store's warnings on stderr while a command reads films."""
    logger = logging.getLogger("marquee.storage")
    handler = _WarningLines(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


@app.callback()
def main_callback(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (sqlite:///PATH or postgresql://…).", metavar="URL"),
    ] = None,
) -> None:
    """Marquee: a self-hosted movie database."""
    state.db_url = db


def dump_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A movie page: text layout or HTML.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "json",
) -> None:
    """Parse a movie page and print its record (JSON, or the text page layout)."""
    from marquee.formats.textpage import render_page

    if format not in ("json", "text"):
        fail(f"--format must be json or text, not {format!r}")
    with errors_to_exit():
        film = read_page(file).film
    typer.echo(dump_json(film.model_dump(mode="json")) if format == "json" else render_page(film))


@app.command()
def show(
    film_id: Annotated[str, typer.Argument(metavar="ID", help="tt… id or slug.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "json",
) -> None:
    """Print a stored film."""
    from marquee.formats.textpage import render_page

    if format not in ("json", "text"):
        fail(f"--format must be json or text, not {format!r}")
    with opened_store() as store:
        film = store.get_film(film_id)
    if film is None:
        fail(f"no film with id {film_id!r}", NotFound.exit_code)
    typer.echo(dump_json(film.model_dump(mode="json")) if format == "json" else render_page(film))


@app.command()
def export(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File (or folder, for nfo) to write; default stdout."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="jsonl, jsonld, nfo, letterboxd or archive.")
    ] = "jsonl",
    user: Annotated[
        str | None,
        typer.Option("--user", "-u", help="The member whose data to export (letterboxd, archive)."),
    ] = None,
) -> None:
    """Write every film as JSON lines (or JSON-LD, NFO files), or a member's data."""
    from marquee.services.jsonlines import export_jsonl

    with opened_store() as store, store_warnings():
        if format != "jsonl" or user:
            with errors_to_exit():
                typer.echo(export_command(store, user, format, output), err=True)
            return
        if output is None:
            count = export_jsonl(store, sys.stdout)
        else:
            try:
                handle = output.open("w", encoding="utf-8", newline="\n")
            except OSError as err:
                fail(f"{output}: cannot write: {err.strerror}")
            with handle:
                count = export_jsonl(store, handle)
    typer.echo(f"exported {count} films", err=True)


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="What you remember of the title.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print hits as JSON.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=500)] = 10,
    kind: Annotated[
        str | None, typer.Option("--type", "-t", help="Title type: movie, tvSeries, tvEpisode…")
    ] = None,
    description: Annotated[
        str | None,
        typer.Option(
            "--by-description", metavar="TEXT", help="Find films by their story, in your own words."
        ),
    ] = None,
    rebuild_descriptions: Annotated[
        bool,
        typer.Option("--rebuild-descriptions", help="Learn search by description from the store's text."),
    ] = False,
    model: Annotated[
        Path | None, typer.Option("--model", help="A local embedding model folder for --by-description.")
    ] = None,
) -> None:
    """Find films by title, forgiving typos and accents; or by description (--by-description)."""
    from marquee import cli_describe

    if sum(x is not None for x in (query, description)) + rebuild_descriptions != 1:
        fail("give a title, --by-description TEXT or --rebuild-descriptions (one of them)")
    if rebuild_descriptions:
        cli_describe.rebuild(model)
        return
    if description is not None:
        cli_describe.by_description(description, as_json=as_json, limit=limit, model=model)
        return
    assert query is not None
    from marquee.services.search import search_titles

    with opened_store() as store:
        hits = search_titles(store, query, kind=kind, limit=limit)
    if as_json:
        typer.echo(dump_json([hit.model_dump(mode="json") for hit in hits]))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "title", "year", "type", "rating", "votes")
    for hit in hits:
        table.add_row(
            hit.id,
            hit.title + (f"  (as {hit.matched})" if hit.matched else ""),
            str(hit.year or ""),
            hit.kind,
            f"{hit.rating:.1f}" if hit.rating is not None else "",
            f"{hit.votes:,}" if hit.votes is not None else "",
        )
    Console().print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    demo: Annotated[bool, typer.Option(help="Fill an empty store with the demo catalogue.")] = True,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (uvicorn's); they share limits and page freshness.")
    ] = None,
) -> None:
    """Serve the site and the JSON API (fills an empty store with the demo catalogue first)."""
    import uvicorn

    from marquee.web.server import make_config, raise_open_files, serve_workers

    settings = cli_settings(host=host, port=port, workers=workers)
    # Opened here first: the store is migrated once, before any worker opens it.
    with opened_store(settings) as store:
        if demo:
            from marquee.services.demo import ensure_demo_store

            if store.count_films() == 0:
                typer.echo("building the demo catalogue (about 17,500 films, once; this can take a minute)…")
            if ensure_demo_store(store):
                typer.echo(f"built the demo catalogue: {store.count_films():,} films")
    shown = f"{settings.workers} workers" if settings.workers > 1 else "one worker"
    typer.echo(
        f"Marquee is serving {settings.store_url} at http://{settings.host}:{settings.port}/ ({shown})"
    )
    # Request headers have a deadline and a size bound; idle connections cannot exhaust open files.
    raise_open_files()
    if settings.workers > 1:
        # Each worker builds its app from the environment: hand it what the command line said.
        from marquee.settings import Settings

        os.environ[Settings.env_name("database_url")] = settings.store_url
        os.environ[Settings.env_name("workers")] = str(settings.workers)
        os.environ[Settings.env_name("demo_if_empty")] = "false"
        serve_workers(settings.host, settings.port, settings.workers)
        return
    from marquee.web.app import create_app

    with errors_to_exit():
        web_app = create_app(settings)
    uvicorn.Server(make_config(web_app, settings.host, settings.port)).run()


@demo_app.command("stats")
def demo_stats() -> None:
    """How rich the stored catalogue is, against the demo's targets (films, directors, cast, runtimes,
    open scores, storylines); exits 1 when a target is not met."""
    from marquee.services.demo import store_demo_stats

    with opened_store() as store:
        stats = store_demo_stats(store)
    for line in stats.lines():
        typer.echo(line)
    if not stats.met():
        raise typer.Exit(1)


@app.command()
def backup(
    file: Annotated[str, typer.Argument(metavar="FILE", help="The backup file to write (a new file).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    quick: Annotated[
        bool, typer.Option("--quick", help="Check the copy with quick_check, not integrity_check.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    portable: Annotated[
        bool,
        typer.Option("--portable", help="A portable archive even when FILE is named .db or .dump."),
    ] = False,
) -> None:
    """Copy the whole site to FILE, safely while it runs: a portable archive that restores on SQLite or
    PostgreSQL; FILE.db (.sqlite, .sqlite3) of a SQLite store is a copy of its database file (SQLite's
    backup API), FILE.dump (.pgdump) of a PostgreSQL store a pg_dump."""
    from marquee.cli_progress import pages_progress
    from marquee.storage.backup import backup_store
    from marquee.storage.portable_backup import backup_portable, native_copy

    url = cli_settings().store_url
    if portable or not native_copy(url, file):
        with errors_to_exit():
            typer.echo(str(backup_portable(url, file, force=force)))
        return
    with errors_to_exit(), pages_progress("backing up", quiet=quiet) as progress:
        report = backup_store(url, file, force=force, progress=progress, quick=quick)
    typer.echo(str(report))


@app.command()
def restore(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A backup written by `marquee backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a store that holds data or that the site has open.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Put a backup into the store: a portable archive into SQLite or PostgreSQL, a SQLite copy into
    either too (a pg_dump file restores with pg_restore)."""
    from marquee.cli_progress import pages_progress
    from marquee.storage.backup import restore_store
    from marquee.storage.portable_backup import is_portable, is_sqlite_file
    from marquee.storage.portable_restore import restore_portable, restore_sqlite_copy

    url = cli_settings().store_url
    path = Path(file).expanduser()
    if is_portable(path):
        with errors_to_exit():
            typer.echo(str(restore_portable(url, file, force=force)))
        return
    if url.startswith("postgresql") and is_sqlite_file(path):
        with errors_to_exit():
            typer.echo(str(restore_sqlite_copy(url, file, force=force)))
        return
    with errors_to_exit(), pages_progress("restoring", quiet=quiet) as progress:
        report = restore_store(url, file, force=force, progress=progress)
    typer.echo(str(report))


@user_app.command("create")
def user_create(
    name: Annotated[str, typer.Argument(help="Member name.")],
    admin: Annotated[bool, typer.Option("--admin", help="Make an admin.")] = False,
    moderator: Annotated[bool, typer.Option("--moderator", help="Make a moderator.")] = False,
    editor: Annotated[bool, typer.Option("--editor", help="Make an editor (edits go live at once).")] = False,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a member (prompts for the password unless --password-stdin)."""
    from marquee.services.accounts import create_user

    if admin + moderator + editor > 1:
        fail("choose one of --admin, --moderator and --editor")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    role = "admin" if admin else "moderator" if moderator else "editor" if editor else "member"
    with opened_store() as store, errors_to_exit():
        user = create_user(store, name, password, role)
    typer.echo(f"created {role} {user.name}")


@token_app.command("create")
def token_create(name: Annotated[str, typer.Argument(help="Member name.")]) -> None:
    """Print a new API token for a member (on the last line)."""
    from marquee.services.accounts import create_token

    with opened_store() as store, errors_to_exit():
        token = create_token(store, name)
    typer.echo(f"API token for {name} (shown once):")
    typer.echo(token)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
