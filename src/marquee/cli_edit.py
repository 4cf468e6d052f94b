"""``marquee edit``, ``history``, ``revert``, ``edit-person`` and ``person-history``: members edit films
and people from the command line, each command one call of ``services.editing``."""

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
    from marquee.services.input_files import read_input

    raw = read_input(path)
    try:
        return loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except JsonProblem as err:
        raise InputError(f"{path}:{err.line}: {err.reason}") from None


def _edit(editor: str, thing_id: str, user: str, file: Path, **options: Any) -> None:
    """Apply the patch in ``file`` with ``services.editing.<editor>.edit``; say what it did. A refusal
    names the file; a conflict prints its diff (JSON) and exits 1."""
    from marquee.cli_common import cli_settings
    from marquee.services import editing

    settings = cli_settings()
    queue = {"queue_edits": settings.edit_queue, "queue_days": settings.edit_queue_days}
    with opened_store(settings) as store, errors_to_exit():
        patch = _read_patch_file(file)
        try:
            result = getattr(editing, editor).edit(store, thing_id, patch, user, **options, **queue)
        except editing.EditConflict as err:
            typer.echo(json.dumps(err.diff, ensure_ascii=False, indent=2))
            fail(f"{file}: {err}")
        except InputError as err:
            message = str(err)
            fail(message if message.startswith(f"{file}:") else f"{file}: {message}")
    revision = result.revision
    if revision is None:
        typer.echo(f"{thing_id}: nothing changed", err=True)
        return
    waits = " waits for review (a moderator approves it)" if result.pending else ""
    typer.echo(f"{thing_id}: revision {revision.id}{waits}: {', '.join(revision.fields)}")


def _history(editor: str, thing_id: str, as_json: bool) -> None:
    """Print the revisions ``services.editing.<editor>.history`` gives, newest first."""
    from marquee.services import editing

    with opened_store() as store, errors_to_exit():
        revisions = getattr(editing, editor).history(store, thing_id)
    if as_json:
        dumped = [r.model_dump(mode="json", exclude={"diff"}) for r in revisions]
        typer.echo(json.dumps(dumped, ensure_ascii=False, indent=2))
        return
    for r in revisions:
        note = f"  {r.note}" if r.note else ""
        state = "" if r.status == "live" else f" [{r.status}]"
        typer.echo(
            f"{r.id}\t{r.time.isoformat(timespec='seconds')}\t{r.user or '-'}\t"
            f"{','.join(r.fields)}\t{r.source}{state}{note}"
        )


Note = Annotated[str | None, typer.Option("--note", help="Why (shown in the history).")]
Source = Annotated[
    str | None, typer.Option("--source", help="Where the new values come from (default member:REVISION).")
]
Base = Annotated[
    int | None, typer.Option("--base", help="The revision the edit is based on (refused if stale).")
]
Member = Annotated[str, typer.Option("--user", "-u", help="The member making the edit.")]
AsJson = Annotated[bool, typer.Option("--json", help="JSON (a list, newest first).")]
FilmId = Annotated[str, typer.Argument(metavar="ID", help="tt… id or slug.")]
PersonId = Annotated[str, typer.Argument(metavar="ID", help="nm… id or slug of a person.")]


def edit_cmd(
    film_id: FilmId,
    user: Member,
    file: Annotated[
        Path,
        typer.Option("--file", "-f", help="A partial film record (JSON): its keys replace sections."),
    ],
    note: Note = None,
    source: Source = None,
    base: Base = None,
) -> None:
    """Edit a film: replace the sections a JSON file gives, recorded as a revision."""
    _edit("films", film_id, user, file, note=note, source=source, base_revision=base)


def history_cmd(film_id: FilmId, as_json: AsJson = False) -> None:
    """A film's revisions, newest first: id, member, time, sections, source, note."""
    _history("films", film_id, as_json)


def revert_cmd(
    film_id: FilmId,
    revision: Annotated[int, typer.Argument(metavar="REVISION", help="Back to the film's state after it.")],
    user: Annotated[str, typer.Option("--user", "-u", help="The member reverting.")],
    undo: Annotated[bool, typer.Option("--undo", help="Undo REVISION only.")] = False,
    note: Note = None,
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
    person_id: PersonId,
    user: Member,
    file: Annotated[
        Path,
        typer.Option("--file", "-f", help="JSON with any of name, birth_year, death_year, biography."),
    ],
    note: Note = None,
    source: Source = None,
    base: Base = None,
) -> None:
    """Edit a person: name, birth and death years, biography; recorded as a revision."""
    _edit("people", person_id, user, file, note=note, source=source, base_revision=base)


def person_history_cmd(person_id: PersonId, as_json: AsJson = False) -> None:
    """A person's revisions, newest first: id, member, time, fields, source, note."""
    _history("people", person_id, as_json)


def register(app: typer.Typer) -> None:
    """Add ``edit``, ``history``, ``revert``, ``edit-person`` and ``person-history`` to ``marquee``."""
    app.command("edit")(edit_cmd)
    app.command("history")(history_cmd)
    app.command("edit-person")(edit_person_cmd)
    app.command("person-history")(person_history_cmd)
    app.command("revert")(revert_cmd)
