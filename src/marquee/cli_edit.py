"""``marquee edit``, ``marquee history`` and ``marquee revert``: members edit films from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from marquee.cli_common import errors_to_exit, fail, opened_store
from marquee.errors import InputError

__all__ = ["register"]


def _read_patch_file(path: Path) -> Any:
    from marquee.formats.jsontext import JsonProblem, loads
    from marquee.limits import MAX_FILE_BYTES

    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            f"{path}: larger than {MAX_FILE_BYTES // 2**20} MiB (limits.MAX_FILE_BYTES); not read"
        )
    try:
        return loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except JsonProblem as err:
        raise InputError(f"{path}:{err.line}: {err.reason}") from None


def edit_cmd(
    film_id: Annotated[str, typer.Argument(metavar="ID", help="tt… id or slug.")],
    user: Annotated[str, typer.Option("--user", "-u", help="The member making the edit.")],
    file: Annotated[
        Path,
        typer.Option("--file", "-f", help="A partial film record (JSON): its keys replace sections."),
    ],
    note: Annotated[str | None, typer.Option("--note", help="Why (shown in the history).")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the new values come from (default member:REVISION).")
    ] = None,
    base: Annotated[
        int | None, typer.Option("--base", help="The revision the edit is based on (refused if stale).")
    ] = None,
) -> None:
    """Edit a film: replace the sections a JSON file gives, recorded as a revision."""
    from marquee.cli_common import cli_settings
    from marquee.services.editing import EditConflict, edit_film

    settings = cli_settings()
    with opened_store(settings) as store, errors_to_exit():
        patch = _read_patch_file(file)
        try:
            result = edit_film(
                store,
                film_id,
                patch,
                user,
                note=note,
                source=source,
                base_revision=base,
                queue_edits=settings.edit_queue,
                queue_days=settings.edit_queue_days,
            )
        except EditConflict as err:
            typer.echo(json.dumps(err.diff, ensure_ascii=False, indent=2))
            fail(f"{file}: {err}")
        except InputError as err:
            message = str(err)
            fail(message if message.startswith(f"{file}:") else f"{file}: {message}")
    if result.revision is None:
        typer.echo(f"{film_id}: nothing changed", err=True)
        return
    revision = result.revision
    if result.pending:
        typer.echo(
            f"{film_id}: revision {revision.id} waits for review (a moderator approves it): "
            f"{', '.join(revision.fields)}"
        )
        return
    typer.echo(f"{film_id}: revision {revision.id}: {', '.join(revision.fields)}")


def history_cmd(
    film_id: Annotated[str, typer.Argument(metavar="ID", help="tt… id or slug.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON (a list, newest first).")] = False,
) -> None:
    """A film's revisions, newest first: id, member, time, sections, source, note."""
    from marquee.services.editing import film_history

    with opened_store() as store, errors_to_exit():
        revisions = film_history(store, film_id)
    if as_json:
        typer.echo(
            json.dumps(
                [r.model_dump(mode="json", exclude={"diff"}) for r in revisions], ensure_ascii=False, indent=2
            )
        )
        return
    for r in revisions:
        note = f"  {r.note}" if r.note else ""
        state = "" if r.status == "live" else f" [{r.status}]"
        typer.echo(
            f"{r.id}\t{r.time.isoformat(timespec='seconds')}\t{r.user or '-'}\t"
            f"{','.join(r.fields)}\t{r.source}{state}{note}"
        )


def revert_cmd(
    film_id: Annotated[str, typer.Argument(metavar="ID", help="tt… id or slug.")],
    revision: Annotated[int, typer.Argument(metavar="REVISION", help="Back to the film's state after it.")],
    user: Annotated[str, typer.Option("--user", "-u", help="The member reverting.")],
    undo: Annotated[bool, typer.Option("--undo", help="Undo REVISION only.")] = False,
    note: Annotated[str | None, typer.Option("--note", help="Why (shown in the history).")] = None,
    field: Annotated[
        list[str] | None, typer.Option("--field", help="Only this section (repeat for more).")
    ] = None,
) -> None:
    """Put a film's sections back to their state after REVISION (as a new revision)."""
    from marquee.services.editing import revert

    with opened_store() as store, errors_to_exit():
        result = revert(store, film_id, revision, user, undo=undo, note=note or "", fields=field or ())
    if result.revision is None:
        typer.echo(f"{film_id}: already as after revision {revision}; nothing changed", err=True)
        return
    typer.echo(f"{film_id}: revision {result.revision.id}: {', '.join(result.revision.fields)}")


def edit_person_cmd(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="nm… id or slug of a person.")],
    user: Annotated[str, typer.Option("--user", "-u", help="The member making the edit.")],
    file: Annotated[
        Path,
        typer.Option("--file", "-f", help="JSON with any of name, birth_year, death_year, biography."),
    ],
    note: Annotated[str | None, typer.Option("--note", help="Why (shown in the history).")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the new values come from (default member:REVISION).")
    ] = None,
) -> None:
    """Edit a person: name, birth and death years, biography; recorded as a revision."""
    from marquee.cli_common import cli_settings
    from marquee.services.editing import EditConflict, edit_person

    settings = cli_settings()
    with opened_store(settings) as store, errors_to_exit():
        patch = _read_patch_file(file)
        try:
            result = edit_person(
                store,
                person_id,
                patch,
                user,
                note=note,
                source=source,
                queue_edits=settings.edit_queue,
                queue_days=settings.edit_queue_days,
            )
        except EditConflict as err:
            fail(f"{file}: {err}")
        except InputError as err:
            message = str(err)
            fail(message if message.startswith(f"{file}:") else f"{file}: {message}")
    if result.revision is None:
        typer.echo(f"{person_id}: nothing changed", err=True)
        return
    waits = " waits for review (a moderator approves it)" if result.pending else ""
    typer.echo(f"{person_id}: revision {result.revision.id}{waits}: {', '.join(result.revision.fields)}")


def person_history_cmd(
    person_id: Annotated[str, typer.Argument(metavar="ID", help="nm… id or slug of a person.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON (a list, newest first).")] = False,
) -> None:
    """A person's revisions, newest first: id, member, time, fields, source, note."""
    from marquee.services.editing import person_history

    with opened_store() as store, errors_to_exit():
        revisions = person_history(store, person_id)
    if as_json:
        dumped = [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]
        typer.echo(json.dumps(dumped, ensure_ascii=False, indent=2))
        return
    for r in revisions:
        state = "" if r.status == "live" else f" [{r.status}]"
        typer.echo(
            f"{r.id}\t{r.time.isoformat(timespec='seconds')}\t{r.user or '-'}\t"
            f"{','.join(r.fields)}\t{r.source}{state}"
        )


def register(app: typer.Typer) -> None:
    """Add ``edit``, ``history``, ``revert``, ``edit-person`` and ``person-history`` to ``marquee``."""
    app.command("edit")(edit_cmd)
    app.command("history")(history_cmd)
    app.command("edit-person")(edit_person_cmd)
    app.command("person-history")(person_history_cmd)
    app.command("revert")(revert_cmd)
